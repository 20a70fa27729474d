/**
 * The deadline job: marks clocks about to run out and run out, once each, with an event and a notification.
 * Bounded batches; safe to run twice or on several servers (a concurrent change just wins).
 */
import { and, inArray, isNotNull, isNull, lte, sql, type SQL } from 'drizzle-orm';
import { ActiveStatuses } from '@fengqiao/contracts';
import { systemActor } from '../../access/actor.ts';
import { cases } from '../../db/schema.ts';
import { enqueue } from '../outbox/outbox.ts';
import * as repo from './cases.repository.ts';
import { notifyCase } from './cases.topics.ts';
import type { CaseDeps } from './context.ts';
import { SOON_MS, type ClockName } from './deadlines.ts';

type DueColumn = typeof cases.contactDueAt | typeof cases.handleDueAt | typeof cases.replyDueAt;
/** Each clock: its deadline, what stops it, and the statuses in which it runs. */
const CLOCKS: { clock: ClockName; due: DueColumn; running: SQL; statuses: readonly string[] }[] = [
  { clock: 'contact', due: cases.contactDueAt, running: isNull(cases.contactedAt), statuses: ActiveStatuses },
  { clock: 'handle', due: cases.handleDueAt, running: isNull(cases.repliedAt), statuses: ActiveStatuses },
  { clock: 'reply', due: cases.replyDueAt, running: isNull(cases.closedAt), statuses: ['replied'] },
];

export function createDeadlineJob(deps: Pick<CaseDeps, 'db' | 'clock'>) {
  const { db, clock } = deps;

  async function scanDeadlines(batch = 200): Promise<number> {
    const now = clock.now();
    const system = systemActor('deadline-job');
    let total = 0;
    for (const s of CLOCKS) {
      for (const kind of ['overdue', 'soon'] as const) {
        const flag = `${s.clock}_${kind}`;
        const limitAt = kind === 'overdue' ? now : new Date(now.getTime() + SOON_MS[s.clock]);
        for (;;) {
          const rows = await repo.dueForWarning(db, and(
            inArray(cases.status, [...s.statuses]), isNotNull(s.due), lte(s.due, limitAt), s.running, sql`not (${flag} = any(${cases.warnings}))`,
          )!, batch);
          for (const row of rows) {
            const warnings = [...row.warnings, flag, ...(kind === 'overdue' && !row.warnings.includes(`${s.clock}_soon`) ? [`${s.clock}_soon`] : [])];
            await db.transaction(async (tx) => {
              const updated = await repo.updateCase(tx, row.id, row.version, { warnings });
              if (!updated) return; // changed meanwhile; the next run looks again
              await repo.insertEvent(tx, {
                recordId: row.id, seq: updated.version, at: now, actorId: null, actorName: system.username, actorOrgId: null,
                action: 'deadline_warning', fromStatus: row.status, toStatus: row.status, note: flag, payload: { patch: { warnings }, clock: s.clock, kind },
              });
              await enqueue(tx, [notifyCase(row, `case_${flag}`, [row.owningOrgId, row.assigneeOrgId], flag)]);
              total++;
            });
          }
          if (rows.length < batch) break;
        }
      }
    }
    return total;
  }

  return { scanDeadlines };
}
