import { and, asc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { areas } from '../../db/schema.ts';
import { authorize, type Actor } from '../../access/actor.ts';
import { areasVisibleTo, assertWithin, underPath, visibleTo } from '../../access/scope.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import type { KeyRing } from '../../lib/personal-data.ts';
import { maskName } from '@fengqiao/contracts';
import { bboxOf, centroidOf, insideOf, toWgs84, toWgs84Point, validateGeometry, type AreaGeometry, type Crs } from '../../lib/geo.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { AreaService } from '../areas/areas.service.ts';
import { areasByCodes, gridShapesUnder, insertArea, setAreaGeometry, topAreaOf } from '../areas/areas.repository.ts';
import * as gridRepo from './grids.repository.ts';
import { countsUnder, highAttentionByAreaPath, scopeColumns } from './registry.repository.ts';
import type { GridLocator } from './grid-index.ts';
import type { RegistryService } from './registry.service.ts';
import type { CaseSubtreeReader } from '../cases/queries.ts';


export interface GridImportProblem { index: number; name?: string; reason: string }
export interface GridImportReport {
  features: number; created: number; updated: number; skipped: number; committed: boolean; problems: GridImportProblem[];
}

/**
 * Grids on the map: GeoJSON import, point → grid, the grid's page, its workers, and the map of an area.
 */
export function createGridService(deps: {
  db: Db; keys: KeyRing; audit: AuditService; areas: AreaService; registry: RegistryService; locator: GridLocator;
  /** Cases are read through the case module, inside the reader's own view of cases. */
  cases: CaseSubtreeReader;
}) {
  const { db, audit, locator } = deps;

  /**
   * Imports grid polygons. Each feature names its grid (`name`, optional `code`) and its parent village
   * (`parentCode` property, or `opts.parentCode` for the whole file). Positions are converted to WGS-84.
   * Every bad feature is reported by index and reason; with any problem nothing is written unless
   * `skipInvalid`. Re-importing a code replaces that grid's boundary (and name).
   */
  async function importGrids(actor: Actor, input: unknown, opts: { crs: Crs; parentCode?: string; skipInvalid?: boolean }): Promise<GridImportReport> {
    authorize(actor, 'area.write');
    const fc = input as { type?: unknown; features?: unknown };
    if (!fc || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
      throw new AppError('VALIDATION_FAILED', { detail: 'a GeoJSON FeatureCollection is expected' });
    }
    const features = fc.features as { type?: unknown; properties?: Record<string, unknown> | null; geometry?: unknown }[];
    const parentCodes = new Set<string>();
    for (const f of features) {
      const pc = f?.properties?.parentCode ?? opts.parentCode;
      if (typeof pc === 'string' || typeof pc === 'number') parentCodes.add(String(pc));
    }
    const parents = await areasByCodes(db, areasVisibleTo(actor, areas.path), [...parentCodes]);
    const parentByCode = new Map(parents.map((p) => [p.code!, p]));

    const problems: GridImportProblem[] = [];
    const ok: { index: number; name: string; code: string | null; parent: typeof parents[number]; geometry: AreaGeometry }[] = [];
    const seenCodes = new Map<string, number>();
    for (const [index, f] of features.entries()) {
      const props = f?.properties ?? {};
      const name = typeof props.name === 'string' ? props.name.trim() : '';
      const fail = (reason: string) => problems.push({ index, ...(name ? { name } : {}), reason });
      if (!f || f.type !== 'Feature') { fail('not a GeoJSON Feature'); continue; }
      if (!name || name.length > 100) { fail('property “name” is required (up to 100 characters)'); continue; }
      const code = props.code === undefined || props.code === null ? null : String(props.code).trim();
      if (code !== null && !/^[0-9A-Za-z-]{2,20}$/.test(code)) { fail(`code “${code}” must be 2–20 letters, digits or “-”`); continue; }
      if (code && seenCodes.has(code)) { fail(`code “${code}” repeats feature ${seenCodes.get(code)}`); continue; }
      if (code) seenCodes.set(code, index);
      const parentCode = props.parentCode ?? opts.parentCode;
      if (parentCode === undefined || parentCode === null) { fail('no parent: give property “parentCode” or --parent'); continue; }
      const parent = parentByCode.get(String(parentCode));
      if (!parent) { fail(`parent area “${String(parentCode)}” does not exist in your jurisdiction`); continue; }
      if (parent.level !== 'village' && parent.level !== 'township') { fail(`parent “${parent.name}” is a ${parent.level}; grids belong to a village or township`); continue; }
      const checked = validateGeometry(f.geometry);
      if ('reason' in checked) { fail(checked.reason); continue; }
      const geometry = toWgs84(checked.geometry, opts.crs);
      if (parent.boundary && !insideOf(geometry, parent.boundary as AreaGeometry)) { fail(`lies outside its parent “${parent.name}”`); continue; }
      ok.push({ index, name, code, parent, geometry });
    }
    const report: GridImportReport = { features: features.length, created: 0, updated: 0, skipped: problems.length, committed: false, problems };
    if (problems.length && !opts.skipInvalid) return report;

    // codes are unique across the installation: a code of an area outside the jurisdiction is a conflict too
    const existing = await areasByCodes(db, sql`true`, ok.filter((g) => g.code).map((g) => g.code!));
    const byCode = new Map(existing.map((a) => [a.code!, a]));
    for (const g of ok) {
      const found = g.code ? byCode.get(g.code) : undefined;
      if (found && (found.level !== 'grid' || !found.path.startsWith(g.parent.path))) {
        report.problems.push({ index: g.index, name: g.name, reason: `code “${g.code}” belongs to another area (${found.name})` });
        report.skipped++;
      }
    }
    if (report.problems.length > problems.length && !opts.skipInvalid) { report.skipped = report.problems.length; return report; }
    const bad = new Set(report.problems.map((p) => p.index));

    await db.transaction(async (tx) => {
      for (const g of ok) {
        if (bad.has(g.index)) continue;
        const found = g.code ? byCode.get(g.code) : undefined;
        assertWithin(actor, { areaPath: g.parent.path });
        if (found) {
          await setAreaGeometry(tx, found.id, { name: g.name, boundary: g.geometry });
          report.updated++;
        } else {
          await insertArea(tx, { parentId: g.parent.id, parentPath: g.parent.path, level: 'grid', code: g.code, official: false, name: g.name, boundary: g.geometry });
          report.created++;
        }
      }
      await audit.record(actor, { action: 'grid.import', targetType: 'area', detail: { features: report.features, created: report.created, updated: report.updated, skipped: report.skipped, crs: opts.crs } }, tx);
    });
    report.committed = true;
    locator.invalidate();
    return report;
  }

  /** The grid (of the actor's jurisdiction) that contains a point. */
  async function lookup(actor: Actor, lon: number, lat: number, crs: Crs = 'wgs84') {
    authorize(actor, 'area.read');
    const [x, y] = toWgs84Point(lon, lat, crs);
    const grid = await locator.lookup(x, y, actor.kind === 'system' ? undefined : actor.areaPath);
    return { grid: grid ? { id: grid.id, name: grid.name, code: grid.code, path: grid.path } : null, point: { lon: x, lat: y } };
  }

  async function setBoundary(actor: Actor, areaId: number, geometry: unknown, crs: Crs) {
    authorize(actor, 'area.write');
    const checked = validateGeometry(geometry);
    if ('reason' in checked) throw new AppError('VALIDATION_FAILED', { detail: checked.reason });
    const area = await deps.areas.get(actor, areaId);
    assertWithin(actor, { areaPath: area.path });
    const g = toWgs84(checked.geometry, crs);
    await db.transaction(async (tx) => {
      await setAreaGeometry(tx, areaId, { boundary: g });
      await audit.record(actor, { action: 'area.boundary', targetType: 'area', targetId: areaId, areaPath: area.path, detail: { crs } }, tx);
    });
    locator.invalidate();
    return { ok: true as const };
  }

  /** Assigns grid workers (users whose organisation lies at or above the grid, holding the grid_worker role). */
  async function setWorkers(actor: Actor, gridId: number, userIds: string[]) {
    authorize(actor, 'area.write');
    const grid = await deps.areas.get(actor, gridId);
    if (grid.level !== 'grid') throw new AppError('VALIDATION_FAILED', { detail: 'not a grid' });
    assertWithin(actor, { areaPath: grid.path });
    const found = await gridRepo.usersForAssignment(db, userIds);
    for (const id of userIds) {
      const u = found.find((f) => f.id === id);
      if (!u || !u.roles.includes('grid_worker')) throw new AppError('VALIDATION_FAILED', { detail: `user ${id} is not a grid worker` });
      if (!grid.path.startsWith(u.areaPath) && !u.areaPath.startsWith(grid.path)) throw new AppError('OUT_OF_SCOPE');
    }
    await db.transaction(async (tx) => {
      await gridRepo.replaceWorkers(tx, gridId, grid.path, userIds);
      await audit.record(actor, { action: 'grid.workers', targetType: 'area', targetId: gridId, areaPath: grid.path, detail: { userIds } }, tx);
    });
    return overview(actor, gridId);
  }

  /** A grid's page: "四知四清" — its people, places, organisations, open cases and worker(s). */
  async function overview(actor: Actor, gridId: number) {
    authorize(actor, 'area.read');
    const grid = await deps.areas.get(actor, gridId);
    const workers = await gridRepo.workersOf(db, gridId);
    const under = grid.path;
    const counts = await countsUnder(db, under, {
      people: visibleTo(actor, scopeColumns.people), groups: visibleTo(actor, scopeColumns.groups),
      places: visibleTo(actor, scopeColumns.places), organizations: visibleTo(actor, scopeColumns.organizations),
    });
    const canRegistry = actor.permissions.has('registry.read');
    return {
      grid: { id: grid.id, name: grid.name, code: grid.code, path: grid.path, level: grid.level, boundary: (grid.boundary ?? null) as AreaGeometry | null },
      workers: workers.map((w) => ({ id: w.id, username: w.username, name: maskName(deps.keys.decrypt('users.display_name', w.nameEnc)), organization: w.org })),
      counts: { ...counts, openCases: await deps.cases.countOpen(actor, under) },
      people: canRegistry ? (await deps.registry.listPeople(actor, { areaId: gridId, limit: 20 })).items : [],
      places: canRegistry ? (await deps.registry.listPlaces(actor, { areaId: gridId, limit: 50 })).items : [],
      organizations: canRegistry ? (await deps.registry.listOrganizations(actor, { areaId: gridId, limit: 20 })).items : [],
      openCases: await deps.cases.openCases(actor, under, 20),
    };
  }

  /**
   * The map of an area (防控地图): the boundaries below it (its grids, or its children when they have
   * boundaries), each with open cases and high-attention people counted, and the open cases' points
   * gathered into clusters on a 48 × 48 lattice over the area.
   */
  async function map(actor: Actor, areaId?: number) {
    authorize(actor, 'area.read');
    const root = areaId ? await deps.areas.get(actor, areaId)
      : await topAreaOf(db, actor.kind === 'system' ? '/' : actor.areaPath, areasVisibleTo(actor, areas.path));
    if (!root) throw notFound('area');
    const shapes = await gridShapesUnder(db, root.path);
    const caseCounts = await deps.cases.openByAreaPath(actor, root.path);
    const risk = actor.permissions.has('registry.read') ? await highAttentionByAreaPath(db, root.path, visibleTo(actor, scopeColumns.groups)) : [];
    const sumUnder = (rows: { areaPath: string; n: number }[], path: string) => rows.reduce((s, r) => (r.areaPath.startsWith(path) ? s + r.n : s), 0);
    const features = shapes.map((s) => {
      const g = s.boundary as AreaGeometry;
      return {
        type: 'Feature' as const, geometry: g,
        properties: { id: s.id, name: s.name, code: s.code, level: s.level, openCases: sumUnder(caseCounts, s.path), highAttention: sumUnder(risk, s.path), center: centroidOf(g) },
      };
    });
    let bbox: [number, number, number, number] | null = null;
    for (const f of features) {
      const b = bboxOf(f.geometry);
      bbox = bbox ? [Math.min(bbox[0], b[0]), Math.min(bbox[1], b[1]), Math.max(bbox[2], b[2]), Math.max(bbox[3], b[3])] : b;
    }
    const points = await deps.cases.openPoints(actor, root.path, 50_000);
    const clusters = new Map<string, { lon: number; lat: number; count: number }>();
    if (points.length) {
      const [x0, y0, x1, y1] = bbox ?? [Math.min(...points.map((p) => p.lon!)), Math.min(...points.map((p) => p.lat!)), Math.max(...points.map((p) => p.lon!)), Math.max(...points.map((p) => p.lat!))];
      const cw = Math.max((x1 - x0) / 48, 1e-6); const ch = Math.max((y1 - y0) / 48, 1e-6);
      for (const p of points) {
        const key = `${Math.floor((p.lon! - x0) / cw)}:${Math.floor((p.lat! - y0) / ch)}`;
        const c = clusters.get(key);
        if (c) { c.lon += p.lon!; c.lat += p.lat!; c.count++; } else clusters.set(key, { lon: p.lon!, lat: p.lat!, count: 1 });
      }
    }
    return {
      area: { id: root.id, name: root.name, level: root.level, path: root.path },
      bbox, type: 'FeatureCollection' as const, features,
      clusters: [...clusters.values()].map((c) => ({ lon: c.lon / c.count, lat: c.lat / c.count, count: c.count })),
    };
  }

  return { importGrids, lookup, setBoundary, setWorkers, overview, map };
}
export type GridService = ReturnType<typeof createGridService>;
