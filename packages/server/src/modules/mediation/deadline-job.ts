/**
 * The mediation deadlines, scanned with the case clocks: a notice to the committee when an agreement's window
 * for judicial confirmation is about to close (CONFIRMATION_WARN_DAYS before its 30 days run out) and when a
 * mediation runs past its own deadline or an application waits past its deadline to be accepted or declined.
 * Each notice is sent once per deadline (the outbox's dedupe key).
 */
import type { Db } from '../../db/database.ts';
import * as repo from './mediation.repository.ts';
import type { Clock } from '../../lib/clock.ts';
import { enqueue } from '../outbox/outbox.ts';
import { notifyMediation } from './mediation.topics.ts';
import { CONFIRMATION_DAYS, CONFIRMATION_WARN_DAYS, confirmationDeadline } from './rules.ts';

const DAY = 86_400_000;

export function createMediationDeadlineJob(deps: { db: Db; clock: Clock }) {
  return async function scanMediationDeadlines(): Promise<{ confirmationsDue: number; overdue: number; applicationsOverdue: number }> {
    const now = deps.clock.now();
    const windowStart = new Date(now.getTime() - CONFIRMATION_DAYS * DAY);
    const warnFrom = new Date(now.getTime() - (CONFIRMATION_DAYS - CONFIRMATION_WARN_DAYS) * DAY);
    const due = await repo.agreementsUnconfirmedBetween(deps.db, windowStart, warnFrom);
    const overdue = await repo.runningPastDue(deps.db, now);
    const undecided = await repo.applicationsPastDue(deps.db, now);
    await deps.db.transaction(async (tx) => {
      await enqueue(tx, due.map((r) => notifyMediation(r.id, r.number ?? '', 'mediation_confirmation_due', { orgs: [r.org] }, { deadline: confirmationDeadline(r.agreedAt!) })),
        (_m, i) => `mediation-confirmation-due:${due[i]!.id}`);
      await enqueue(tx, overdue.map((r) => notifyMediation(r.id, r.number ?? '', 'mediation_overdue', { orgs: [r.org] })),
        (_m, i) => `mediation-overdue:${overdue[i]!.id}:${overdue[i]!.dueAt!.toISOString()}`);
      await enqueue(tx, undecided.map((r) => notifyMediation(r.id, r.number ?? '', 'mediation_accept_overdue', { orgs: [r.org] })),
        (_m, i) => `mediation-accept-overdue:${undecided[i]!.id}`);
    });
    return { confirmationsDue: due.length, overdue: overdue.length, applicationsOverdue: undecided.length };
  };
}
