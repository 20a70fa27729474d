import type { Executor } from '../../db/database.ts';
import { policiesFor } from '../settings/settings.repository.ts';
import type { Unit } from '../calendar/working-time.ts';

export interface Policy {
  contact: { amount: number; unit: Unit };
  handle: { amount: number; unit: Unit };
  reply: { amount: number; unit: Unit };
}

/** The "131" rule: contact the reporter within 1 hour, handle within 3 working days, reply within 1 working day. */
export const DEFAULT_POLICY: Policy = {
  contact: { amount: 1, unit: 'hours' },
  handle: { amount: 3, unit: 'working_days' },
  reply: { amount: 1, unit: 'working_days' },
};

/** How long before its deadline a clock counts as "due soon" and raises a warning. */
export const SOON_MS = { contact: 15 * 60_000, handle: 24 * 3_600_000, reply: 4 * 3_600_000 } as const;
export type ClockName = keyof typeof SOON_MS;

/** The most specific policy: category × tier, then tier, then category, then the installation default. */
export async function policyFor(ex: Executor, categoryId: number, tier: string | null): Promise<Policy> {
  const rows = await policiesFor(ex, categoryId, tier);
  const score = (r: typeof rows[number]) => (r.categoryId !== null ? 2 : 0) + (r.tier !== null ? 1 : 0);
  const best = rows.sort((a, b) => score(b) - score(a))[0];
  if (!best) return DEFAULT_POLICY;
  return {
    contact: { amount: best.contactAmount, unit: best.contactUnit as Unit },
    handle: { amount: best.handleAmount, unit: best.handleUnit as Unit },
    reply: { amount: best.replyAmount, unit: best.replyUnit as Unit },
  };
}

/** Dispute mediation's clocks on the same policies: deciding on an application, and mediating once accepted. */
export interface MediationPolicy {
  accept: { amount: number; unit: Unit };
  mediate: { amount: number; unit: Unit };
}
/**
 * Accept or decline within 3 working days; mediate within 30 days (《人民调解工作若干规定》: 一般在一个月内调结).
 * Both are configurable per category × tier like the case clocks.
 */
export const DEFAULT_MEDIATION_POLICY: MediationPolicy = {
  accept: { amount: 3, unit: 'working_days' },
  mediate: { amount: 30, unit: 'days' },
};

/** The most specific policy that sets each mediation clock (a policy may set neither: then the next one's apply). */
export async function mediationPolicyFor(ex: Executor, categoryId: number, tier: string | null): Promise<MediationPolicy> {
  const rows = await policiesFor(ex, categoryId, tier);
  const score = (r: typeof rows[number]) => (r.categoryId !== null ? 2 : 0) + (r.tier !== null ? 1 : 0);
  const sorted = rows.sort((a, b) => score(b) - score(a));
  const accept = sorted.find((r) => r.mediationAcceptAmount !== null);
  const mediate = sorted.find((r) => r.mediationAmount !== null);
  return {
    accept: accept ? { amount: accept.mediationAcceptAmount!, unit: accept.mediationAcceptUnit as Unit } : DEFAULT_MEDIATION_POLICY.accept,
    mediate: mediate ? { amount: mediate.mediationAmount!, unit: mediate.mediationUnit as Unit } : DEFAULT_MEDIATION_POLICY.mediate,
  };
}

export type ClockState = 'not_started' | 'running' | 'paused' | 'due_soon' | 'overdue' | 'met' | 'missed';

export function clockState(name: ClockName, due: Date | null, done: Date | null, suspended: boolean, now: Date): ClockState {
  if (!due) return 'not_started';
  if (done) return done <= due ? 'met' : 'missed';
  if (suspended) return 'paused';
  if (now > due) return 'overdue';
  if (due.getTime() - now.getTime() <= SOON_MS[name]) return 'due_soon';
  return 'running';
}
