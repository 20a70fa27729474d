/** Opening mediation: on a dispute case the actor's organisation holds, or together with a new case (an application, a referral in). */
import { and, eq } from 'drizzle-orm';
import type { Static } from 'typebox';
import type { MediationCreate, MediationOpen, MediationStatus } from '@fengqiao/contracts';
import type { Db } from '../../db/database.ts';
import { cases } from '../../db/schema.ts';
import { authorize, type Actor } from '../../access/actor.ts';
import { casesVisibleTo } from '../../access/scope.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import type { Clock } from '../../lib/clock.ts';
import type { CalendarService } from '../calendar/calendar.service.ts';
import { addDuration } from '../calendar/working-time.ts';
import { mediationPolicyFor } from '../cases/deadlines.ts';
import type { KeyRing } from '../../lib/personal-data.ts';
import { enqueue } from '../outbox/outbox.ts';
import type { CaseService } from '../cases/cases.service.ts';
import { findCaseRow } from '../cases/cases.repository.ts';
import * as repo from './mediation.repository.ts';
import { notifyMediation } from './mediation.topics.ts';
import { checkParties, prepareParties } from './parties.ts';

type DisputeFields = Omit<Static<typeof MediationOpen>, 'version'>;
const CLOSED_CASE = new Set(['rejected', 'closed', 'archived', 'merged']);

export function createMediationOpening(deps: { db: Db; keys: KeyRing; clock: Clock; cases: CaseService; calendar: CalendarService }) {
  const { db, keys, clock } = deps;

  /** One transaction: the mediation record, its parties and the first event in the case's timeline (version + 1). */
  async function write(actor: Actor, c: { id: string; version: number; number: string | null; areaPath: string; status: string; categoryId: number; tier: string | null }, committeeOrgId: number, input: DisputeFields, status: MediationStatus) {
    const parties = prepareParties(keys, c.id, input.parties); // every party checked before anything is written
    const now = clock.now();
    const cal = await deps.calendar.calendar();
    await db.transaction(async (tx) => {
      // an application waits to be accepted or declined; a mediation opened by its holder runs from now
      const policy = await mediationPolicyFor(tx, c.categoryId, c.tier);
      const clocks = status === 'applied'
        ? { acceptDueAt: addDuration(now, policy.accept.amount, policy.accept.unit, cal) }
        : { dueAt: addDuration(now, policy.mediate.amount, policy.mediate.unit, cal) };
      const [bumped] = await tx.update(cases).set({ version: c.version + 1 }).where(and(eq(cases.id, c.id), eq(cases.version, c.version))).returning({ version: cases.version });
      if (!bumped) throw new AppError('CONFLICT');
      if (await repo.findMediation(tx, eq(cases.id, c.id))) throw new AppError('MEDIATION_EXISTS');
      await repo.insertMediation(tx, {
        caseId: c.id, areaPath: c.areaPath, committeeOrgId, status, disputeType: input.disputeType,
        amountFen: input.amountYuan === undefined || input.amountYuan === null ? null : Math.round(input.amountYuan * 100),
        peopleInvolved: input.peopleInvolved ?? Math.max(2, input.parties.length), riskLevel: input.riskLevel ?? 'low', mode: input.mode ?? 'people',
        source: input.source, sourceRef: input.sourceRef ?? null, openedAt: now, ...clocks,
      });
      await repo.insertParties(tx, parties);
      await repo.insertEvent(tx, {
        recordId: c.id, seq: bumped.version, at: now, actorId: actor.userId, actorName: actor.username, actorOrgId: actor.organizationId,
        action: 'mediation_open', fromStatus: c.status, toStatus: c.status, note: null,
        payload: { patch: {}, mediationStatus: { from: null, to: status }, mediation: { disputeType: input.disputeType, source: input.source, sourceRef: input.sourceRef ?? null, riskLevel: input.riskLevel ?? 'low', parties: parties.length } },
      });
      await enqueue(tx, [notifyMediation(c.id, c.number ?? '', 'mediation_new', { orgs: [committeeOrgId] })]);
    });
  }

  /** On a case the actor's organisation holds (owns or handles): that organisation mediates. */
  async function open(actor: Actor, caseId: string, input: Static<typeof MediationOpen>) {
    authorize(actor, 'mediation.manage');
    const c = await findCaseRow(db, and(casesVisibleTo(actor, cases), eq(cases.id, caseId))!);
    if (!c) throw notFound('case');
    const org = actor.organizationId;
    if (actor.kind !== 'system' && org !== c.assigneeOrgId && org !== c.owningOrgId) throw new AppError('MEDIATION_NOT_HOLDER');
    if (CLOSED_CASE.has(c.status)) throw new AppError('MEDIATION_NOT_HOLDER');
    if (input.version !== c.version) throw new AppError('CONFLICT');
    await write(actor, c, org ?? c.owningOrgId, input, 'accepted');
  }

  /**
   * A dispute registered with its mediation: an application at the committee's or center's window, or a
   * referral from police (警调), a court (诉调) or a petition office (访调) carrying its reference. The case is
   * registered like any staff report (the applicant is its reporter); the actor's organisation mediates.
   */
  async function create(actor: Actor, input: Static<typeof MediationCreate>) {
    authorize(actor, 'mediation.manage');
    if (!actor.organizationId) throw new AppError('FORBIDDEN');
    checkParties(input.parties); // refused before the case exists
    const applicant = input.parties.find((p) => p.role === 'applicant' && p.kind === 'person');
    const phone = applicant?.phone?.trim();
    const channel = input.channel ?? ({ police: 'police_push', court: 'court_referral', petition: 'petition', hotline: 'hotline' } as const)[input.source as 'police'] ?? 'window';
    const created = await deps.cases.createByStaff(actor, {
      channel, areaId: input.areaId, categoryId: input.categoryId, description: input.description, peopleInvolved: input.peopleInvolved,
      reporter: applicant ? { name: applicant.name, ...(phone && /^1[3-9]\d{9}$/.test(phone) ? { phone } : {}) } : undefined,
    }, null);
    const c = await findCaseRow(db, eq(cases.id, created.case.id));
    await write(actor, c!, actor.organizationId, input, 'applied');
    return c!.id;
  }

  return { open, create };
}
