/** Dispute sweeps (矛盾纠纷排查): a center asks every grid of an area to report the disputes it found, or none. */
import type { Static } from 'typebox';
import type { SweepCreate, SweepReportInput } from '@fengqiao/contracts';
import type { Db } from '../../db/database.ts';
import { areas, sweeps } from '../../db/schema.ts';
import { authorize, type Actor } from '../../access/actor.ts';
import { areasVisibleTo, onActorsPath } from '../../access/scope.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import type { Clock } from '../../lib/clock.ts';
import { decodeCursor, iso, isoRequired, pageOf } from '../../lib/paging.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { findArea, findAreaById } from '../areas/areas.repository.ts';
import type { CaseService } from '../cases/cases.service.ts';
import type { CategoryService } from '../categories/categories.service.ts';
import { DISPUTE_CATEGORY_CODES } from './rules.ts';
import * as repo from './sweeps.repository.ts';

export function createSweeps(deps: { db: Db; clock: Clock; audit: AuditService; cases: CaseService; categories: CategoryService }) {
  const { db, clock, audit } = deps;

  async function present(row: repo.SweepRow) {
    const [grids, reports] = [await repo.gridsUnder(db, row.areaPath), await repo.reportsOf(db, row.id)];
    const area = await findAreaById(db, row.areaId);
    const byGrid = new Map(reports.map((r) => [r.gridId, r]));
    const reported = grids.filter((g) => byGrid.has(g.id)).length;
    return {
      id: row.id, title: row.title, kind: row.kind, areaId: row.areaId, areaName: area?.name ?? '', dueOn: row.dueOn, createdAt: isoRequired(row.createdAt),
      grids: grids.length, reported, zeroReports: reports.filter((r) => r.zero).length, disputesFound: reports.reduce((n, r) => n + r.caseIds.length, 0),
      completion: grids.length ? Math.round((reported / grids.length) * 1000) / 1000 : 1,
      reports: grids.map((g) => {
        const r = byGrid.get(g.id);
        return { gridId: g.id, gridName: g.name, reportedAt: iso(r?.reportedAt), zero: r ? r.zero : null, caseIds: r?.caseIds ?? [] };
      }),
    };
  }

  /** The sweep, when it lies on the actor's path (access/scope.ts: a grid worker sees the sweeps over their grid). */
  async function load(actor: Actor, id: number) {
    const row = await repo.findSweep(db, onActorsPath(actor, sweeps.areaPath), id);
    if (!row) throw notFound('sweep');
    return row;
  }

  async function create(actor: Actor, body: Static<typeof SweepCreate>) {
    authorize(actor, 'sweep.manage');
    const area = await findArea(db, areasVisibleTo(actor, areas.path), body.areaId);
    if (!area || area.level === 'grid') throw notFound('area');
    const row = await db.transaction(async (tx) => {
      const inserted = await repo.insertSweep(tx, {
        organizationId: actor.organizationId, areaId: area.id, areaPath: area.path, title: body.title.trim(), kind: body.kind, dueOn: body.dueOn, createdBy: actor.userId,
      });
      await audit.record(actor, { action: 'sweep.create', targetType: 'sweep', targetId: String(inserted.id), areaPath: area.path }, tx);
      return inserted;
    });
    return present(row);
  }

  async function list(actor: Actor, q: { limit?: number; cursor?: string }) {
    const limit = q.limit ?? 20;
    const after = decodeCursor<number>(q.cursor, 'number');
    const rows = await repo.listSweeps(db, onActorsPath(actor, sweeps.areaPath), limit, after);
    return pageOf(await Promise.all(rows.map(present)), limit, (s) => s.id);
  }

  const get = async (actor: Actor, id: number) => present(await load(actor, id));

  /** A grid's answer: each dispute found becomes a case (a grid patrol report); none is a zero report. Once per grid. */
  async function report(actor: Actor, id: number, body: Static<typeof SweepReportInput>) {
    authorize(actor, 'sweep.report');
    const sweep = await load(actor, id);
    const grid = await findAreaById(db, body.gridId);
    if (!grid || grid.level !== 'grid' || !grid.path.startsWith(sweep.areaPath)) throw new AppError('SWEEP_NOT_A_GRID');
    if (actor.kind !== 'system' && !grid.path.startsWith(actor.areaPath)) throw new AppError('SWEEP_NOT_A_GRID');
    if (await repo.findReport(db, id, grid.id)) throw new AppError('SWEEP_ALREADY_REPORTED');
    const caseIds: string[] = [];
    for (const d of body.disputes) {
      const category = (await deps.categories.byCode(DISPUTE_CATEGORY_CODES[d.disputeType] ?? 'D99')) ?? (await deps.categories.byCode('D99'));
      if (!category) throw notFound('category');
      const created = await deps.cases.createByStaff(actor, { channel: 'grid_patrol', areaId: grid.id, categoryId: category.id, description: d.description, peopleInvolved: d.peopleInvolved }, `sweep-${id}-${grid.id}-${caseIds.length}`);
      caseIds.push(created.case.id);
    }
    try {
      await repo.insertReport(db, { sweepId: id, gridId: grid.id, zero: body.disputes.length === 0, caseIds, note: body.note ?? null, reportedBy: actor.userId, reportedAt: clock.now() });
    } catch (e) {
      if (String((e as Error).message).includes('duplicate') || (e as { code?: string }).code === '23505') throw new AppError('SWEEP_ALREADY_REPORTED');
      throw e;
    }
    return present(sweep);
  }

  return { create, list, get, report };
}
export type Sweeps = ReturnType<typeof createSweeps>;
