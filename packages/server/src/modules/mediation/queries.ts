/** Reads of mediations: the dispute page, the list, the figures — all through the one scope (visibleMediations). */
import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { DisputeType, Mediation, MediationStatus } from '@fengqiao/contracts';
import type { Db, Executor } from '../../db/database.ts';
import { caseEvents, mediations } from '../../db/schema.ts';
import type { Actor } from '../../access/actor.ts';
import { underPath } from '../../access/scope.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { decodeCursor, iso, isoRequired, pageOf } from '../../lib/paging.ts';
import type { KeyRing } from '../../lib/personal-data.ts';
import { findAreaById } from '../areas/areas.repository.ts';
import * as repo from './mediation.repository.ts';
import { mediationWorkflow, type MediationFacts } from './mediation.workflow.ts';
import { MINUTES_FIELD, presentParty } from './parties.ts';
import { confirmationDeadline } from './rules.ts';
import * as pool from './pool.repository.ts';

export async function factsOf(db: Executor, row: repo.MediationRow): Promise<MediationFacts> {
  const ids = [row.leadMediatorId, ...row.teamIds].filter((x): x is number => typeof x === 'number');
  const team = await pool.mediatorsByIds(db, ids);
  return {
    status: row.status as MediationStatus, committeeOrgId: row.committeeOrgId,
    mediatorUserIds: team.map((m) => m.userId).filter((u): u is string => Boolean(u)),
    hasConfirmation: Boolean(row.confirmation), ruled: Boolean(row.confirmation?.ruling),
  };
}

export function createMediationQueries(deps: { db: Db; keys: KeyRing }) {
  const { db, keys } = deps;

  /** The dispute page, as this actor sees it (out of view is NOT_FOUND). */
  async function get(actor: Actor, caseId: string): Promise<Mediation> {
    const row = await repo.findMediation(db, and(repo.visibleMediations(actor), eq(mediations.caseId, caseId))!);
    if (!row) throw notFound('mediation');
    return present(actor, row);
  }

  async function present(actor: Actor, row: repo.MediationRecord): Promise<Mediation> {
    const [parties, sessions, facts] = await Promise.all([repo.listParties(db, row.id), repo.listSessions(db, row.id), factsOf(db, row)]);
    return {
      caseId: row.id, caseNumber: row.caseNumber, version: row.version, status: row.status as MediationStatus,
      committeeOrgId: row.committeeOrgId, committee: row.committee, disputeType: row.disputeType as DisputeType,
      amountYuan: row.amountFen === null ? null : row.amountFen / 100, peopleInvolved: row.peopleInvolved,
      riskLevel: row.riskLevel as Mediation['riskLevel'], mode: row.mode as Mediation['mode'], source: row.source as Mediation['source'], sourceRef: row.sourceRef,
      leadMediatorId: row.leadMediatorId, teamIds: row.teamIds, acceptDueAt: iso(row.acceptDueAt), dueAt: iso(row.dueAt), assessment: row.assessment ?? null,
      outcome: (row.outcome as Mediation['outcome']) ?? null, outcomeReason: row.outcomeReason,
      agreement: row.agreementNo ? { number: row.agreementNo, terms: row.agreementTerms ?? '', performBy: row.performBy, agreedAt: isoRequired(row.agreedAt!) } : null,
      performance: row.performance, signedScan: row.signedScan ?? null, confirmation: row.confirmation ?? null, referral: row.referral ?? null,
      parties: parties.map((p) => presentParty(keys, p)),
      sessions: sessions.map(({ s, roomName }) => ({
        id: s.id, startsAt: isoRequired(s.startsAt), endsAt: isoRequired(s.endsAt), roomId: s.roomId, roomName, online: s.online,
        mediatorIds: s.mediatorIds, status: s.status as 'scheduled', attendance: s.attendance, minutes: s.minutesEnc ? keys.decrypt(MINUTES_FIELD, s.minutesEnc) : null,
      })),
      allowedActions: mediationWorkflow.allowedActions(actor, facts), openedAt: isoRequired(row.openedAt), closedAt: iso(row.closedAt),
    };
  }

  async function list(actor: Actor, q: { status?: MediationStatus; disputeType?: DisputeType; mine?: boolean; limit?: number; cursor?: string }) {
    const limit = q.limit ?? 50;
    const after = decodeCursor<string>(q.cursor, 'string');
    const conds: (SQL | undefined)[] = [repo.visibleMediations(actor)];
    if (q.status) conds.push(eq(mediations.status, q.status));
    if (q.disputeType) conds.push(eq(mediations.disputeType, q.disputeType));
    if (q.mine && actor.organizationId) conds.push(eq(mediations.committeeOrgId, actor.organizationId));
    if (after) conds.push(sql`(${mediations.openedAt}, ${mediations.caseId}) < (select opened_at, case_id from mediations where case_id = ${after}::uuid)`);
    const rows = await repo.listMediations(db, and(...conds)!, limit);
    return pageOf(rows.map((r) => ({
      id: r.m.caseId, caseId: r.m.caseId, caseNumber: r.number ?? '', status: r.m.status as MediationStatus, disputeType: r.m.disputeType as DisputeType,
      riskLevel: r.m.riskLevel as Mediation['riskLevel'], committee: r.committee, leadMediatorId: r.m.leadMediatorId, dueAt: iso(r.m.dueAt),
      nextSessionAt: r.nextSessionAt ? isoRequired(r.nextSessionAt) : null, openedAt: isoRequired(r.m.openedAt),
      confirmationDue: r.m.agreedAt && !r.m.confirmation && (r.m.status === 'agreed' || r.m.status === 'partial') ? confirmationDeadline(r.m.agreedAt) : null,
    })), limit, (m) => m.caseId);
  }

  /**
   * Figures for the command center, counted from the timeline's events (docs/mediation.md defines each):
   * disputes opened in the period by type and source; mediations concluded in it by outcome, with the success
   * rate, days to resolve and amounts settled; judicial confirmations applied for and confirmed in it.
   * Scoped like the list; a period is whole China days.
   */
  async function figures(actor: Actor, q: { areaId?: number; from?: string; to?: string }) {
    const conds: (SQL | undefined)[] = [repo.visibleMediations(actor)];
    if (q.areaId) {
      const area = await findAreaById(db, q.areaId);
      if (!area || (actor.kind !== 'system' && !area.path.startsWith(actor.areaPath))) throw notFound('area');
      conds.push(underPath(mediations.areaPath, area.path));
    }
    if (q.from && q.to && q.from > q.to) throw new AppError('PERIOD_INVALID', { from: q.from, to: q.to });
    if (q.from) conds.push(sql`${caseEvents.at} >= ${`${q.from}T00:00:00+08:00`}::timestamptz`);
    if (q.to) conds.push(sql`${caseEvents.at} < (${`${q.to}T00:00:00+08:00`}::timestamptz + interval '1 day')`);
    return foldFigures(await repo.figureGroups(db, and(...conds)!));
  }

  return { get, present, list, figures };
}
export type MediationQueries = ReturnType<typeof createMediationQueries>;

type Groups = Awaited<ReturnType<typeof repo.figureGroups>>;
const agreedOutcome = (o: string | null) => o === 'success' || o === 'partial';

/** The grouped counts folded into the figures (pure: the definitions live here and in docs/mediation.md). */
export function foldFigures(groups: Groups) {
  const add = (into: Record<string, number>, key: string | null, n: number) => { if (key) into[key] = (into[key] ?? 0) + n; };
  const byType: Record<string, number> = {}, bySource: Record<string, number> = {}, byOutcome: Record<string, number> = {};
  let opened = 0, concluded = 0, agreed = 0, agreedSeconds = 0, settledFen = 0, confirmations = 0, confirmed = 0;
  for (const g of groups) {
    if (g.action === 'mediation_open') { opened += g.n; add(byType, g.disputeType, g.n); add(bySource, g.source, g.n); }
    if (g.action === 'mediation_conclude') {
      concluded += g.n; add(byOutcome, g.outcome, g.n);
      if (agreedOutcome(g.outcome)) { agreed += g.n; agreedSeconds += g.seconds; settledFen += g.fen; }
    }
    if (g.action === 'mediation_refer_confirmation') confirmations += g.n;
    if (g.action === 'mediation_record_ruling' && g.ruling === 'confirmed') confirmed += g.n;
  }
  return {
    total: opened, concluded, byType, bySource, byOutcome,
    successRate: concluded ? agreed / concluded : null,
    averageDaysToResolve: agreed ? Math.round((agreedSeconds / agreed / 86_400) * 10) / 10 : null,
    amountSettledYuan: settledFen / 100, confirmations, confirmed,
  };
}
