/** What each mediation action changes: the columns, the note and payload of its event, the messages it sends. */
import { sql } from 'drizzle-orm';
import { mediationRooms, mediators } from '../../db/schema.ts';
import { areasVisibleTo, onActorsPath } from '../../access/scope.ts';
import type { MediationAction, MediationActionInput, MediationStatus } from '@fengqiao/contracts';
import type { Tx } from '../../db/database.ts';
import type { Actor } from '../../access/actor.ts';
import { AppError } from '../../lib/errors.ts';
import type { Effect } from '../workflow/kernel.ts';
import type { AttachmentService } from '../attachments/attachments.service.ts';
import * as repo from './mediation.repository.ts';
import type { PoolRepository } from './pool.repository.ts';
import { chinaTime } from '@fengqiao/contracts/time';
import { notifyMediation, sessionSms } from './mediation.topics.ts';
import { agreementNumber, confirmationDeadline } from './rules.ts';
import { addDuration, type WorkCalendar } from '../calendar/working-time.ts';
import type { MediationPolicy } from '../cases/deadlines.ts';
import { chinaDay } from '../calendar/working-time.ts';
import { findOrganization } from '../organizations/organizations.repository.ts';
import type { KeyRing } from '../../lib/personal-data.ts';
import { MINUTES_FIELD } from './parties.ts';

export interface EffectContext<A extends MediationAction> {
  tx: Tx; actor: Actor; row: repo.MediationRecord; input: MediationActionInput<A>; now: Date; cal: WorkCalendar;
  /** The deadline policy's mediation clocks for the case's category and tier, read at most once. */
  policy: () => Promise<MediationPolicy>;
}
export type MediationEffects = { [A in MediationAction]: (c: EffectContext<A>) => Promise<Effect<repo.MediationPatch>> };

const outcomeStatus: Record<string, MediationStatus> = { success: 'agreed', partial: 'partial', failed: 'failed', terminated: 'terminated' };
const days = (n: number) => n * 86_400_000;

export function createMediationEffects(deps: { pool: PoolRepository; attachments: AttachmentService; keys: KeyRing }): MediationEffects {
  const { pool } = deps;

  /** Mediators of the pool the actor may assign: active, in view (access/scope.ts). */
  async function mediatorsFor(c: EffectContext<MediationAction>, ids: number[]) {
    const found = await pool.mediatorsByIds(c.tx, ids, onActorsPath(c.actor, mediators.areaPath));
    const bad = ids.filter((id) => !found.some((m) => m.id === id && m.active));
    if (bad.length) throw new AppError('NOT_FOUND', { what: `mediator ${bad.join(', ')}` });
    return found;
  }

  return {
    async accept({ now, input, cal, policy }) {
      const { mediate } = await policy();
      return { patch: { status: 'accepted', dueAt: addDuration(now, mediate.amount, mediate.unit, cal) }, note: input.note || null, payload: { clock: mediate } };
    },
    async decline({ input, now }) {
      return { patch: { status: 'declined', outcomeReason: input.reason, closedAt: now }, note: input.reason };
    },
    async assign(c) {
      const team = (c.input.teamIds ?? []).filter((id) => id !== c.input.leadMediatorId);
      const found = await mediatorsFor(c, [c.input.leadMediatorId, ...team]);
      const users = found.map((m) => m.userId).filter((u): u is string => Boolean(u));
      return {
        patch: { status: 'in_mediation', leadMediatorId: c.input.leadMediatorId, teamIds: team },
        payload: { mediators: found.map((m) => ({ id: m.id, name: m.name })) },
        messages: users.length ? [notifyMediation(c.row.id, c.row.caseNumber, 'mediation_assigned', { users })] : [],
      };
    },
    async assess({ input, now }) {
      return { patch: { assessment: { participants: input.participants, opinion: input.opinion, at: now.toISOString() } }, note: input.opinion.slice(0, 200) };
    },
    async schedule_session(c) {
      const { input, row, tx } = c;
      const startsAt = new Date(input.startsAt);
      const endsAt = new Date(input.endsAt);
      if (!(endsAt > startsAt)) throw new AppError('MEDIATION_SESSION_TIME');
      if (endsAt.getTime() - startsAt.getTime() > days(1)) throw new AppError('MEDIATION_SESSION_TIME');
      const online = Boolean(input.online);
      const roomId = input.roomId ?? null;
      if (!online && !roomId) throw new AppError('MEDIATION_SESSION_PLACE');
      const room = roomId ? await pool.roomById(tx, roomId, areasVisibleTo(c.actor, mediationRooms.areaPath)) : null;
      if (roomId && (!room || !room.active)) throw new AppError('NOT_FOUND', { what: `room ${roomId}` });
      const mediatorIds = input.mediatorIds ?? [row.leadMediatorId, ...row.teamIds].filter((x): x is number => typeof x === 'number');
      if (!mediatorIds.length) throw new AppError('MEDIATION_SESSION_PLACE');
      const team = await mediatorsFor(c, mediatorIds);
      const clash = await repo.overlapping(tx, startsAt, endsAt, mediatorIds, roomId);
      if (clash.length) {
        const roomTaken = roomId && clash.some((s) => s.roomId === roomId);
        throw new AppError('MEDIATION_DOUBLE_BOOKED', { what: roomTaken ? room!.name : `mediator ${clash.flatMap((s) => s.mediatorIds).filter((id) => mediatorIds.includes(id)).join(', ')}` });
      }
      const session = await repo.insertSession(tx, { caseId: row.id, startsAt, endsAt, roomId, online, mediatorIds });
      const when = chinaTime(startsAt);
      const users = team.map((m) => m.userId).filter((u): u is string => Boolean(u));
      return {
        patch: {}, payload: { sessionId: session.id, startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString(), roomId, online, mediatorIds },
        note: `${when}${room ? ` · ${room.name}` : ''}`,
        messages: [sessionSms({ caseId: row.id, number: row.caseNumber, when, where: room?.name ?? null, mediatorUserIds: users }), ...(users.length ? [notifyMediation(row.id, row.caseNumber, 'mediation_session', { users }, { when })] : [])],
      };
    },
    async record_session({ tx, row, input, actor, now }) {
      const s = await repo.findSession(tx, row.id, input.sessionId);
      if (!s) throw new AppError('NOT_FOUND', { what: `session ${input.sessionId}` });
      if (s.status !== 'scheduled') throw new AppError('MEDIATION_SESSION_RECORDED');
      await repo.updateSession(tx, s.id, { status: 'held', attendance: input.attendance, minutesEnc: deps.keys.encrypt(MINUTES_FIELD, input.minutes) });
      const photos = input.attachmentIds ?? [];
      if (photos.length) await deps.attachments.link(tx, actor, photos, row.id, row.areaPath, now);
      return { patch: {}, payload: { sessionId: s.id, attendance: input.attendance, ...(photos.length ? { attachments: photos } : {}) } };
    },
    async extend({ row, input, now, cal, policy }) {
      // in the policy's unit: 15 more days of a 30-day clock, or 5 more working days of a working-day one
      // a due instant is 24:00 of its day: count from the moment before it
      const from = row.dueAt && row.dueAt > now ? new Date(row.dueAt.getTime() - 1) : now;
      const { unit } = (await policy()).mediate;
      return { patch: { dueAt: addDuration(from, input.days, unit, cal) }, note: input.reason, payload: { days: input.days, unit } };
    },
    async conclude({ tx, row, input, now }) {
      const agreed = input.outcome === 'success' || input.outcome === 'partial';
      if (agreed && !input.terms?.trim()) throw new AppError('MEDIATION_TERMS_REQUIRED');
      if (!agreed && !input.reason?.trim()) throw new AppError('REASON_REQUIRED');
      const number = agreed ? agreementNumber(row.committee, now, await repo.nextAgreementSerial(tx, row.committeeOrgId, Number(chinaDay(now).slice(0, 4)))) : null;
      return {
        patch: {
          status: outcomeStatus[input.outcome]!, outcome: input.outcome, outcomeReason: input.reason?.trim() || null,
          ...(agreed ? { agreementNo: number, agreementTerms: input.terms!.trim(), performBy: input.performBy ?? null, agreedAt: now } : {}),
        },
        note: agreed ? number : input.reason ?? null, payload: { outcome: input.outcome, ...(number ? { agreementNo: number } : {}) },
      };
    },
    /** The signed agreement scanned and uploaded back: kept with the case's attachments and named on the record; a later upload replaces the reference. */
    async file_signed_agreement({ tx, row, input, actor, now }) {
      await deps.attachments.link(tx, actor, input.attachmentIds, row.id, row.areaPath, now);
      return { patch: { signedScan: { attachmentIds: input.attachmentIds, at: now.toISOString() } }, note: row.agreementNo, payload: { attachments: input.attachmentIds } };
    },
    async record_performance({ row, input, now }) {
      return { patch: { performance: [...row.performance, { at: now.toISOString(), performed: input.performed, note: input.note }] }, note: input.note, payload: { performed: input.performed } };
    },
    async refer_confirmation({ tx, row, input, now }) {
      const court = await findOrganization(tx, sql`true`, input.courtOrgId);
      if (!court || court.departmentType !== 'court') throw new AppError('CASE_INVALID_TARGET', { reason: 'not a court' });
      const deadline = confirmationDeadline(row.agreedAt!);
      if (chinaDay(now) > deadline && !input.lateReason?.trim()) throw new AppError('MEDIATION_CONFIRMATION_LATE', { deadline });
      return {
        patch: { confirmation: { courtOrgId: court.id, requestedAt: now.toISOString(), deadline, lateReason: input.lateReason?.trim() || null, ruling: null, rulingNo: null, ruledAt: null } },
        note: input.lateReason ?? null, payload: { courtOrgId: court.id, deadline },
        messages: [notifyMediation(row.id, row.caseNumber, 'mediation_confirmation', { orgs: [court.id] }, { agreement: row.agreementNo })],
      };
    },
    async record_ruling({ row, input, now }) {
      return { patch: { confirmation: { ...row.confirmation!, ruling: input.ruling, rulingNo: input.rulingNo ?? null, ruledAt: now.toISOString() } }, note: input.rulingNo ?? null, payload: { ruling: input.ruling } };
    },
    async refer_on({ tx, row, input, now }) {
      const org = input.organizationId ? await findOrganization(tx, sql`true`, input.organizationId) : null;
      if (input.organizationId && !org) throw new AppError('NOT_FOUND', { what: `organization ${input.organizationId}` });
      return {
        patch: { referral: { to: input.to, organizationId: org?.id ?? null, note: input.note, at: now.toISOString() } }, note: input.note, payload: { to: input.to },
        messages: org ? [notifyMediation(row.id, row.caseNumber, 'mediation_referred', { orgs: [org.id] })] : [],
      };
    },
    async close({ input, now }) {
      return { patch: { status: 'closed', closedAt: now }, note: input.note || null };
    },
  };
}
