/**
 * Duplicates and repeats (疑似重复): at intake, the open and recent cases a report being typed looks like, with the
 * reasons; in a dispatcher's queue, what each case might be merged into; on a case's page, how many times it was
 * reported (the case and the cases merged into it) and what it looks like. A report is compared with the cases of
 * the township around its place from the last `WINDOW_DAYS` days and the same reporter's, always within the
 * caller's view; duplicates.ts scores each pair. Nothing is merged here: staff merge with the case's merge action.
 */
import type { CaseStatus } from '@fengqiao/contracts';
import { authorize, type Actor } from '../../access/actor.ts';
import { areasVisibleTo } from '../../access/scope.ts';
import type { Db } from '../../db/database.ts';
import { areas, type cases } from '../../db/schema.ts';
import { notFound } from '../../lib/errors.ts';
import type { Clock } from '../../lib/clock.ts';
import { toWgs84Point } from '../../lib/geo.ts';
import type { KeyRing } from '../../lib/personal-data.ts';
import { areasOnPath, findArea } from '../areas/areas.repository.ts';
import { CASE_FIELDS } from '../cases/case-record.ts';
import { visibleCases } from '../cases/context.ts';
import { rankDuplicates, shingles, WINDOW_DAYS, type Report } from './duplicates.ts';
import * as repo from './duplicates.repository.ts';

/** How many cases of the township a report is compared with at most (the newest). */
const POOL = 400;
const DAY = 86_400_000;
const SAME = 'same';

export interface DuplicateInput {
  description: string; areaId: number; categoryId?: number; address?: string;
  location?: { lon: number; lat: number; crs?: 'wgs84' | 'gcj02' | 'bd09' }; phone?: string;
}

export function createDuplicateService(deps: { db: Db; keys: KeyRing; clock: Clock }) {
  const { db, keys } = deps;
  // a case's bigrams, kept: a township's recent cases are compared again with every report (a description is not edited)
  const known = new Map<string, Set<string>>();
  const shinglesOf = (c: { id: string; text: string }) => {
    const key = `${c.id}:${c.text.length}`;
    let found = known.get(key);
    if (!found) {
      if (known.size >= 50_000) known.clear();
      known.set(key, (found = shingles(c.text)));
    }
    return found;
  };

  /** The township around a place (a grid's or village's history is too thin, a county's too wide); asked once a path per call. */
  function townships() {
    const known = new Map<string, Promise<string>>();
    return (path: string) => {
      let found = known.get(path);
      if (!found) {
        found = areasOnPath(db, path).then((onPath) => onPath.find((a) => a.level === 'township')?.path ?? path);
        known.set(path, found);
      }
      return found;
    };
  }

  const present = (x: ReturnType<typeof rankDuplicates<repo.CandidateRow & Report>>[number]) => ({
    id: x.candidate.id, number: x.candidate.number, status: x.candidate.status as CaseStatus, categoryId: x.candidate.categoryId, areaId: x.candidate.areaId,
    description: x.candidate.description.slice(0, 200), address: x.candidate.address, createdAt: x.candidate.createdAt.toISOString(), score: x.score, reasons: x.reasons,
  });

  /** Scores the candidates against a report; `reporterIndexes`: the report's phone under each key of the ring. */
  function rank(report: Report, rows: repo.CandidateRow[], reporterIndexes: string[], limit: number) {
    const mine = new Set(reporterIndexes);
    const asReports = rows.map((c) => ({ ...c, text: c.description, reporter: c.reporterPhoneBidx && mine.has(c.reporterPhoneBidx) ? SAME : null }));
    return rankDuplicates({ ...report, reporter: mine.size ? SAME : null }, asReports, { limit, shinglesOf }).map(present);
  }

  /** At intake: what the report being typed looks like. */
  async function forReport(actor: Actor, input: DuplicateInput) {
    authorize(actor, 'case.create');
    const area = await findArea(db, areasVisibleTo(actor, areas.path), input.areaId);
    if (!area) throw notFound('area');
    const point = input.location ? toWgs84Point(input.location.lon, input.location.lat, input.location.crs ?? 'wgs84') : null;
    const phoneIndexes = input.phone ? keys.blindIndexes(CASE_FIELDS.reporterPhone, input.phone) : [];
    const rows = await repo.candidates(db, visibleCases(actor), { path: await townships()(area.path), since: new Date(deps.clock.now().getTime() - WINDOW_DAYS * DAY), phoneIndexes, limit: POOL });
    const report: Report = { text: input.description, address: input.address ?? null, lon: point?.[0] ?? null, lat: point?.[1] ?? null, areaPath: area.path, categoryId: input.categoryId ?? null };
    return { items: rank(report, rows, phoneIndexes, 5) };
  }

  /** A case's duplicates among the cases the caller may see: `earlierOnly` for what it might be merged into. */
  async function ofCase(actor: Actor, row: typeof cases.$inferSelect, limit: number, earlierOnly: boolean, around = townships()) {
    if (['rejected', 'merged', 'archived'].includes(row.status)) return [];
    const phoneIndexes = row.reporterPhoneBidx ? [row.reporterPhoneBidx] : [];
    const rows = (await repo.candidates(db, visibleCases(actor), {
      path: await around(row.areaPath), since: new Date(row.createdAt.getTime() - WINDOW_DAYS * DAY), phoneIndexes, exclude: row.id, limit: POOL,
    })).filter((c) => !earlierOnly || c.createdAt < row.createdAt || (c.createdAt.getTime() === row.createdAt.getTime() && c.number < row.number));
    const report: Report = { text: row.description, address: row.address, lon: row.lon, lat: row.lat, areaPath: row.areaPath, categoryId: row.categoryId };
    return rank(report, rows, phoneIndexes, limit);
  }

  /** On a case's page: 共反映 N 次, the cases merged into it, and what it looks like. */
  async function forCase(actor: Actor, id: string) {
    const [row] = await repo.casesIn(db, visibleCases(actor), [id]);
    if (!row) throw notFound('case');
    const merged = await repo.mergedInto(db, visibleCases(actor), id);
    return {
      reports: 1 + merged.length,
      merged: merged.map((m) => ({ id: m.id, number: m.number, createdAt: m.createdAt.toISOString() })),
      candidates: await ofCase(actor, row, 5, false),
    };
  }

  /** For a queue's page: for each case, the earlier cases it might be merged into (cases not in view are left out: no item). */
  async function mergeSuggestions(actor: Actor, ids: string[]) {
    const rows = await repo.casesIn(db, visibleCases(actor), ids);
    const around = townships(); // a queue's cases are mostly of one or two townships
    const items = [];
    for (const row of rows) items.push({ caseId: row.id, candidates: await ofCase(actor, row, 3, true, around) });
    return { items };
  }

  return { forReport, forCase, mergeSuggestions };
}
export type DuplicateService = ReturnType<typeof createDuplicateService>;
