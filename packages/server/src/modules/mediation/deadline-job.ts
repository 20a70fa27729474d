/**
 * The mediation deadlines, scanned with the case clocks: a notice to the committee when an agreement's window
 * for judicial confirmation is about to close (CONFIRMATION_WARN_DAYS before its 30 days run out) and when a
 * mediation runs past its own deadline. Each notice is sent once (the outbox's dedupe key).
 */
import { and, inArray, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { cases, mediations } from '../../db/schema.ts';
import type { Clock } from '../../lib/clock.ts';
import { enqueue } from '../outbox/outbox.ts';
import { notifyMediation } from './mediation.topics.ts';
import { CONFIRMATION_DAYS, CONFIRMATION_WARN_DAYS, confirmationDeadline } from './rules.ts';

const DAY = 86_400_000;

export function createMediationDeadlineJob(deps: { db: Db; clock: Clock }) {
  return async function scanMediationDeadlines(): Promise<{ confirmationsDue: number; overdue: number }> {
    const now = deps.clock.now();
    const windowStart = new Date(now.getTime() - CONFIRMATION_DAYS * DAY);
    const warnFrom = new Date(now.getTime() - (CONFIRMATION_DAYS - CONFIRMATION_WARN_DAYS) * DAY);
    const due = await deps.db.select({ id: mediations.caseId, number: cases.number, org: mediations.committeeOrgId, agreedAt: mediations.agreedAt })
      .from(mediations).innerJoin(cases, sql`${cases.id} = ${mediations.caseId}`)
      .where(and(inArray(mediations.status, ['agreed', 'partial']), isNull(mediations.confirmation), isNotNull(mediations.agreedAt),
        lt(mediations.agreedAt, warnFrom), sql`${mediations.agreedAt} > ${windowStart.toISOString()}`)).limit(1000);
    const overdue = await deps.db.select({ id: mediations.caseId, number: cases.number, org: mediations.committeeOrgId, dueAt: mediations.dueAt })
      .from(mediations).innerJoin(cases, sql`${cases.id} = ${mediations.caseId}`)
      .where(and(inArray(mediations.status, ['accepted', 'in_mediation']), lt(mediations.dueAt, now))).limit(1000);
    await deps.db.transaction(async (tx) => {
      await enqueue(tx, due.map((r) => notifyMediation(r.id, r.number ?? '', 'mediation_confirmation_due', { orgs: [r.org] }, { deadline: confirmationDeadline(r.agreedAt!) })),
        (_m, i) => `mediation-confirmation-due:${due[i]!.id}`);
      await enqueue(tx, overdue.map((r) => notifyMediation(r.id, r.number ?? '', 'mediation_overdue', { orgs: [r.org] })),
        (_m, i) => `mediation-overdue:${overdue[i]!.id}:${overdue[i]!.dueAt!.toISOString()}`);
    });
    return { confirmationsDue: due.length, overdue: overdue.length };
  };
}
