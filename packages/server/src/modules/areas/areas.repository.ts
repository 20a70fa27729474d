import { and, asc, desc, eq, gt, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { areas, organizations } from '../../db/schema.ts';
import { underPath } from '../../access/scope.ts';

export type AreaRow = typeof areas.$inferSelect;

export async function findArea(ex: Executor, where: SQL, id: number): Promise<AreaRow | undefined> {
  const [row] = await ex.select().from(areas).where(and(where, eq(areas.id, id)));
  return row;
}

export async function findAreaByCode(ex: Executor, code: string): Promise<AreaRow | undefined> {
  const [row] = await ex.select().from(areas).where(eq(areas.code, code));
  return row;
}

export async function listAreas(ex: Executor, where: SQL, f: {
  parentId?: number; level?: string; q?: string; afterId?: number; limit: number;
}): Promise<AreaRow[]> {
  const conds: (SQL | undefined)[] = [where];
  if (f.parentId !== undefined) conds.push(eq(areas.parentId, f.parentId));
  if (f.level) conds.push(eq(areas.level, f.level));
  if (f.q) conds.push(or(ilike(areas.name, `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`), eq(areas.code, f.q.trim())));
  if (f.afterId !== undefined) conds.push(gt(areas.id, f.afterId));
  return ex.select().from(areas).where(and(...conds)).orderBy(asc(areas.id)).limit(f.limit);
}

/** Inserts, then sets the path from the new id (one transaction, so no reader sees the placeholder). */
export async function insertArea(ex: Executor, v: {
  parentId: number | null; parentPath: string; level: string; code: string | null; official: boolean; name: string; boundary?: unknown;
}): Promise<AreaRow> {
  const placeholder = `${v.parentPath}~${crypto.randomUUID()}`;
  const [row] = await ex.insert(areas).values({
    parentId: v.parentId, level: v.level, code: v.code, official: v.official, name: v.name, boundary: v.boundary ?? null,
    path: placeholder, depth: v.parentPath.split('/').filter(Boolean).length,
  }).returning({ id: areas.id });
  const [done] = await ex.update(areas).set({ path: `${v.parentPath}${row!.id}/` }).where(eq(areas.id, row!.id)).returning();
  return done!;
}

export async function updateArea(ex: Executor, id: number, v: { name?: string; code?: string | null }): Promise<AreaRow> {
  const [row] = await ex.update(areas).set({ ...v, updatedAt: sql`now()` }).where(eq(areas.id, id)).returning();
  return row!;
}

export async function countDependents(ex: Executor, area: AreaRow): Promise<number> {
  const [a] = await ex.select({ n: sql<number>`count(*)::int` }).from(areas).where(eq(areas.parentId, area.id));
  const [o] = await ex.select({ n: sql<number>`count(*)::int` }).from(organizations).where(underPath(organizations.areaPath, area.path));
  return Number(a!.n) + Number(o!.n);
}

export async function deleteArea(ex: Executor, id: number): Promise<void> {
  await ex.delete(areas).where(eq(areas.id, id));
}


/** Areas on the path, to find the deepest official division code for case numbers. */
export async function areasOnPath(ex: Executor, path: string) {
  const ids = path.split('/').filter(Boolean).map(Number);
  return ex.select().from(areas).where(sql`${areas.id} in (${sql.join(ids.map((i) => sql`${i}`), sql`, `)})`).orderBy(desc(areas.depth));
}

export async function findAreaById(ex: Executor, id: number): Promise<AreaRow | undefined> {
  const [r] = await ex.select().from(areas).where(eq(areas.id, id));
  return r;
}

/** Areas by their codes, within a scope condition. */
export async function areasByCodes(ex: Executor, where: SQL, codes: string[]): Promise<AreaRow[]> {
  return codes.length ? ex.select().from(areas).where(and(inArray(areas.code, codes), where)) : [];
}
export async function areasByIds(ex: Executor, ids: number[]): Promise<AreaRow[]> {
  return ids.length ? ex.select().from(areas).where(inArray(areas.id, ids)) : [];
}

/** A grid's boundary (and name) from an import or an administrator's edit. */
export async function setAreaGeometry(ex: Executor, id: number, v: { name?: string; boundary: unknown }): Promise<void> {
  await ex.update(areas).set({ ...v, updatedAt: new Date() }).where(eq(areas.id, id));
}
/** The grids below a path that have a boundary (the map). */
export async function gridShapesUnder(ex: Executor, path: string) {
  return ex.select({ id: areas.id, name: areas.name, code: areas.code, level: areas.level, path: areas.path, boundary: areas.boundary })
    .from(areas).where(and(underPath(areas.path, path), eq(areas.level, 'grid'), sql`${areas.boundary} is not null`));
}
/** The top area of a scope: the one at `path`, else the shallowest visible. */
export async function topAreaOf(ex: Executor, path: string, where: SQL): Promise<AreaRow | undefined> {
  const [exact] = await ex.select().from(areas).where(eq(areas.path, path));
  if (exact) return exact;
  const [first] = await ex.select().from(areas).where(where).orderBy(asc(areas.depth)).limit(1);
  return first;
}

/** Every grid with a boundary (the point → grid index). */
export async function gridBoundaries(ex: Executor) {
  return ex.select({ id: areas.id, path: areas.path, name: areas.name, code: areas.code, boundary: areas.boundary })
    .from(areas).where(and(eq(areas.level, 'grid'), sql`${areas.boundary} is not null`));
}
/** One level of the tree (the resident page's area picker): the roots, or the children of `parentId`. */
export async function childrenOf(ex: Executor, parentId: number | undefined) {
  return ex.select({
    id: areas.id, name: areas.name, level: areas.level,
    hasChildren: sql<boolean>`exists (select 1 from areas c where c.parent_id = "areas"."id")`,
  }).from(areas).where(parentId === undefined ? sql`${areas.parentId} is null` : eq(areas.parentId, parentId)).orderBy(asc(areas.code), asc(areas.id)).limit(500);
}
