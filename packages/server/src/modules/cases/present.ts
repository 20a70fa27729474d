/** A case as the API shows it: names joined, reporter masked, clocks with their state, the actions the reader may take. */
import { maskName, maskPhone, type CaseStatus, type Channel, type Tier, type VisitResult } from '@fengqiao/contracts';
import type { Actor } from '../../access/actor.ts';
import { iso, isoRequired } from '../../lib/paging.ts';
import type { KeyRing } from '../../lib/personal-data.ts';
import { CASE_FIELDS, factsOf } from './case-record.ts';
import type { CaseWithNames } from './cases.repository.ts';
import { allowedActions } from './cases.workflow.ts';
import { clockState, type ClockName } from './deadlines.ts';
import { workingDaysBetween, type WorkCalendar } from '../calendar/working-time.ts';

/** `reporter`: the plaintext when the caller has just encrypted it (intake), so that it is not decrypted again only to be masked. */
/**
 * What is left of a running clock, or how far past it is, in working days (whole days of the calendar after today's
 * up to the due day) and hours; null for a clock not running (not started, paused, done) or without a calendar.
 */
export function timeLeft(due: Date | null, state: string, now: Date, cal?: WorkCalendar) {
  if (!due || !cal || !['running', 'due_soon', 'overdue'].includes(state)) return null;
  const overdue = state === 'overdue';
  // a deadline "by the end of Thursday" is Friday 00:00: its day is the one it ends
  const dueDay = new Date(due.getTime() - 1);
  const workingDays = overdue ? workingDaysBetween(dueDay, now, cal) : workingDaysBetween(now, dueDay, cal);
  return { overdue, workingDays, hours: Math.ceil(Math.abs(due.getTime() - now.getTime()) / 3_600_000) };
}

export function presentCase(keys: KeyRing, r: CaseWithNames, actor: Actor, now: Date, reporter?: { name: string | null; phone: string | null }, cal?: WorkCalendar) {
  const suspended = r.status === 'suspended';
  const phone = reporter ? reporter.phone : r.reporterPhoneEnc ? keys.decrypt(CASE_FIELDS.reporterPhone, r.reporterPhoneEnc) : null;
  const name = reporter ? reporter.name : r.reporterNameEnc ? keys.decrypt(CASE_FIELDS.reporterName, r.reporterNameEnc) : null;
  const clockOf = (n: ClockName, due: Date | null, done: Date | null) => {
    const state = clockState(n, due, done, suspended, now);
    return { dueAt: iso(due), doneAt: iso(done), state, left: timeLeft(due, state, now, cal) };
  };
  return {
    id: r.id, number: r.number, version: r.version, caseType: r.caseType as 'appeal' | 'hazard' | 'dispute', channel: r.channel as Channel, status: r.status as CaseStatus,
    tier: r.tier as Tier | null, category: { id: r.categoryId, name: r.categoryName }, area: { id: r.areaId, name: r.areaName }, areaPath: r.areaPath,
    owningOrg: { id: r.owningOrgId, name: r.owningOrgName },
    assigneeOrg: r.assigneeOrgId ? { id: r.assigneeOrgId, name: r.assigneeOrgName ?? '' } : null,
    dispatchOrg: r.dispatchOrgId ? { id: r.dispatchOrgId, name: r.dispatchOrgName ?? '' } : null,
    coHandlerOrgIds: r.coHandlerOrgIds, description: r.description, peopleInvolved: r.peopleInvolved, address: r.address,
    location: r.lon !== null && r.lat !== null ? { lon: r.lon, lat: r.lat } : null,
    reporter: { name: name ? maskName(name) : null, phone: phone ? maskPhone(phone) : null, anonymous: r.anonymous },
    returnCount: r.returnCount, reopenCount: r.reopenCount, finalAssignment: r.finalAssignment, leaderUserId: r.leaderUserId,
    supervision: r.supervisionLevel ? { level: r.supervisionLevel as 'normal', dueAt: iso(r.supervisionDueAt) } : null,
    extensionRequest: r.extensionRequest ?? null, mergedIntoId: r.mergedIntoId,
    clocks: {
      contact: clockOf('contact', r.contactDueAt, r.contactedAt),
      handle: clockOf('handle', r.handleDueAt, r.repliedAt),
      reply: clockOf('reply', r.replyDueAt, r.closedAt),
    },
    resultText: r.resultText, visitResult: r.visitResult as VisitResult | null,
    createdAt: isoRequired(r.createdAt), acceptedAt: iso(r.acceptedAt), closedAt: iso(r.closedAt),
    allowedActions: allowedActions(actor, factsOf(r)) as string[],
  };
}
export type PresentedCase = ReturnType<typeof presentCase>;
