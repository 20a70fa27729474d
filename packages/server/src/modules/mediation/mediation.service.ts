/** Dispute mediation: the module's use cases composed into the service that services.ts wires. */
import { and, eq } from 'drizzle-orm';
import type { Static } from 'typebox';
import type { MediationAction, MediationActionInput, MediationCreate, MediationOpen } from '@fengqiao/contracts';
import { mediationLabel } from '@fengqiao/contracts';
import type { Db } from '../../db/database.ts';
import { mediations } from '../../db/schema.ts';
import { authorize, type Actor } from '../../access/actor.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import type { Clock } from '../../lib/clock.ts';
import type { KeyRing } from '../../lib/personal-data.ts';
import type { AttachmentService } from '../attachments/attachments.service.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { CaseService } from '../cases/cases.service.ts';
import type { CalendarService } from '../calendar/calendar.service.ts';
import type { CategoryService } from '../categories/categories.service.ts';
import { createMediationActions } from './actions.ts';
import { agreementDocx, agreementHtml, FILE_ORDER, fileCoverHtml, type AgreementData } from './documents.ts';
import { createMediationEffects } from './mediation.effects.ts';
import * as repo from './mediation.repository.ts';
import { createMediationOpening } from './open.ts';
import { partyField, partyForDocument, type PartyField } from './parties.ts';
import { createPool } from './pool.ts';
import { mediatorsByIds, poolRepository } from './pool.repository.ts';
import { createMediationQueries } from './queries.ts';
import { chinaDay } from '../calendar/working-time.ts';
import { createSweeps } from './sweeps.ts';
import { createMediationDeadlineJob } from './deadline-job.ts';

export interface MediationDeps {
  db: Db; keys: KeyRing; clock: Clock; audit: AuditService; cases: CaseService; categories: CategoryService; attachments: AttachmentService; calendar: CalendarService;
}

export function createMediationService(deps: MediationDeps) {
  const { db, keys, audit } = deps;
  const queries = createMediationQueries(deps);
  const actions = createMediationActions(deps, createMediationEffects({ pool: poolRepository, attachments: deps.attachments, keys }));
  const opening = createMediationOpening(deps);
  const pool = createPool(deps);
  const sweeps = createSweeps(deps);

  async function visible(actor: Actor, caseId: string) {
    const row = await repo.findMediation(db, and(repo.visibleMediations(actor), eq(mediations.caseId, caseId))!);
    if (!row) throw notFound('mediation');
    return row;
  }

  async function open(actor: Actor, caseId: string, input: Static<typeof MediationOpen>) {
    await opening.open(actor, caseId, input);
    return queries.get(actor, caseId);
  }
  async function create(actor: Actor, input: Static<typeof MediationCreate>) {
    return queries.get(actor, await opening.create(actor, input));
  }
  async function act<A extends MediationAction>(actor: Actor, caseId: string, action: A, input: MediationActionInput<A>) {
    await actions.act(actor, caseId, action, input);
    return queries.get(actor, caseId);
  }

  /** One field of a party in clear, to someone who may reveal personal data and says why; always audited. */
  async function unmaskParty(actor: Actor, caseId: string, partyId: number, field: PartyField, reason: string) {
    authorize(actor, 'personal_data.unmask');
    if (!reason.trim()) throw new AppError('REASON_REQUIRED');
    const row = await visible(actor, caseId);
    const party = (await repo.listParties(db, caseId)).find((p) => p.id === partyId);
    if (!party) throw notFound('party');
    const value = partyField(keys, party, field);
    const auditId = await audit.record(actor, {
      action: 'personal_data.unmask', targetType: 'mediation_party', targetId: `${caseId}/${partyId}`, areaPath: row.areaPath, organizationId: row.committeeOrgId,
      detail: { field, reason: reason.trim() },
    });
    return { field, value, auditId };
  }

  async function agreementData(actor: Actor, caseId: string): Promise<{ row: repo.MediationRecord; data: AgreementData }> {
    const row = await visible(actor, caseId);
    if (!row.agreementNo || !row.agreedAt) throw new AppError('MEDIATION_NO_AGREEMENT');
    const team = await mediatorsByIds(db, [row.leadMediatorId, ...row.teamIds].filter((x): x is number => typeof x === 'number'));
    const parties = (await repo.listParties(db, caseId)).map((p) => partyForDocument(keys, p));
    return {
      row,
      data: {
        committee: row.committee, number: row.agreementNo, caseNumber: row.caseNumber, disputeType: row.disputeType as AgreementData['disputeType'],
        disputeTypeLabel: mediationLabel('zh-CN', 'disputeType', row.disputeType), parties, facts: row.description, terms: row.agreementTerms ?? '',
        performBy: row.performBy, agreedOn: chinaDay(row.agreedAt), mediators: team.map((m) => m.name),
      },
    };
  }

  /** The agreement as Word or as a print view; reading it is audited (it carries the parties' details in clear). */
  async function agreement(actor: Actor, caseId: string, format: 'docx' | 'html') {
    authorize(actor, 'mediation.manage');
    const { row, data } = await agreementData(actor, caseId);
    await audit.record(actor, { action: 'mediation.agreement_read', targetType: 'mediation', targetId: caseId, areaPath: row.areaPath, organizationId: row.committeeOrgId, detail: { format } });
    return format === 'docx' ? { type: 'docx' as const, body: await agreementDocx(data), fileName: `${data.number}.docx` } : { type: 'html' as const, body: agreementHtml(data) };
  }

  async function fileCover(actor: Actor, caseId: string) {
    const m = await queries.get(actor, caseId);
    const team = await mediatorsByIds(db, [m.leadMediatorId, ...m.teamIds].filter((x): x is number => typeof x === 'number'));
    const held = m.sessions.filter((s) => s.status === 'held').length;
    const present: Record<(typeof FILE_ORDER)[number], [boolean, string]> = {
      调解申请书或受理登记表: [true, `${mediationLabel('zh-CN', 'source', m.source)}${m.sourceRef ? ` ${m.sourceRef}` : ''}，${m.openedAt.slice(0, 10)}`],
      '人民调解告知书（当事人权利义务）': [m.status !== 'applied', m.status !== 'applied' ? '受理时告知' : ''],
      当事人身份证明: [m.parties.some((p) => p.idNumber), `${m.parties.length} 方当事人`],
      调查记录及证据材料: [Boolean(m.assessment), m.assessment ? `会商研判 ${m.assessment.at.slice(0, 10)}，参加 ${m.assessment.participants.length} 人` : ''],
      调解笔录: [held > 0, `${held} 次`],
      调解协议书: [Boolean(m.agreement), m.agreement ? `${m.agreement.number}${m.signedScan ? `，签署件 ${m.signedScan.attachmentIds.length} 份` : '，签署件未上传'}` : ''],
      履行凭证: [m.performance.length > 0, `${m.performance.length} 次回访记录`],
      回访记录: [m.performance.length > 0, m.performance.at(-1)?.note ?? ''],
      司法确认材料: [Boolean(m.confirmation), m.confirmation ? `${m.confirmation.ruling ?? '待裁定'}${m.confirmation.rulingNo ? ` ${m.confirmation.rulingNo}` : ''}` : ''],
    };
    return fileCoverHtml({
      committee: m.committee, caseNumber: m.caseNumber, agreementNo: m.agreement?.number ?? null, title: mediationLabel('zh-CN', 'disputeType', m.disputeType),
      openedOn: m.openedAt.slice(0, 10), closedOn: m.closedAt?.slice(0, 10) ?? null, mediators: team.map((x) => x.name),
      items: FILE_ORDER.map((name) => ({ name, present: present[name][0], detail: present[name][1] })),
    });
  }

  async function recommend(actor: Actor, caseId: string) {
    const row = await visible(actor, caseId);
    return { items: await pool.recommend(actor, { areaPath: row.areaPath, disputeType: row.disputeType }) };
  }

  return {
    scanDeadlines: createMediationDeadlineJob(deps),
    open, create, act, get: queries.get, list: queries.list, figures: queries.figures, unmaskParty, agreement, fileCover, recommend,
    listMediators: pool.listMediators, createMediator: pool.createMediator, listRooms: pool.listRooms, createRoom: pool.createRoom, roomBookings: pool.roomBookings,
    createSweep: sweeps.create, listSweeps: sweeps.list, getSweep: sweeps.get, reportSweep: sweeps.report,
  };
}
export type MediationService = ReturnType<typeof createMediationService>;
