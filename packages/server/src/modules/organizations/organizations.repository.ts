import { and, asc, desc, eq, gt, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { areas, organizations } from '../../db/schema.ts';

export type OrganizationRow = typeof organizations.$inferSelect;

export async function findOrganization(ex: Executor, where: SQL, id: number): Promise<OrganizationRow | undefined> {
  const [row] = await ex.select().from(organizations).where(and(where, eq(organizations.id, id)));
  return row;
}

export async function listOrganizations(ex: Executor, where: SQL, f: {
  areaId?: number; kind?: string; departmentType?: string; afterId?: number; limit: number;
}): Promise<OrganizationRow[]> {
  const conds: (SQL | undefined)[] = [where];
  if (f.areaId !== undefined) conds.push(eq(organizations.areaId, f.areaId));
  if (f.kind) conds.push(eq(organizations.kind, f.kind));
  if (f.departmentType) conds.push(eq(organizations.departmentType, f.departmentType));
  if (f.afterId !== undefined) conds.push(gt(organizations.id, f.afterId));
  return ex.select().from(organizations).where(and(...conds)).orderBy(asc(organizations.id)).limit(f.limit);
}

export async function insertOrganization(ex: Executor, v: typeof organizations.$inferInsert): Promise<OrganizationRow> {
  const [row] = await ex.insert(organizations).values(v).returning();
  return row!;
}

export async function updateOrganization(ex: Executor, id: number, v: { name?: string; active?: boolean }): Promise<OrganizationRow> {
  const [row] = await ex.update(organizations).set({ ...v, updatedAt: sql`now()` }).where(eq(organizations.id, id)).returning();
  return row!;
}

/** Centers at or above an area (deepest first), with their area's level. */
export async function centersAbove(ex: Executor, areaPath: string) {
  return ex.select({ id: organizations.id, name: organizations.name, areaPath: organizations.areaPath, level: areas.level, depth: areas.depth })
    .from(organizations).innerJoin(areas, eq(areas.id, organizations.areaId))
    .where(and(eq(organizations.kind, 'center'), eq(organizations.active, true), sql`${areaPath} like ${areas.path} || '%'`))
    .orderBy(desc(areas.depth), asc(organizations.id));
}


export async function findOrgWithLevel(ex: Executor, id: number) {
  const [r] = await ex.select({ id: organizations.id, name: organizations.name, kind: organizations.kind, areaPath: organizations.areaPath, level: areas.level })
    .from(organizations).innerJoin(areas, eq(areas.id, organizations.areaId)).where(eq(organizations.id, id));
  return r;
}


/** Organisations a case owned by `ownerAreaPath` may go to: everything below the owner, and departments above it. */
export async function targetsFor(ex: Executor, ownerAreaPath: string) {
  return ex.select({
    id: organizations.id, name: organizations.name, kind: organizations.kind, departmentType: organizations.departmentType,
    areaId: areas.id, areaName: areas.name, areaLevel: areas.level, areaPath: areas.path,
  }).from(organizations).innerJoin(areas, eq(areas.id, organizations.areaId))
    .where(and(eq(organizations.active, true), or(
      sql`${organizations.areaPath} like ${ownerAreaPath} || '%'`,
      and(eq(organizations.kind, 'department'), sql`${ownerAreaPath} like ${organizations.areaPath} || '%'`),
    )))
    .orderBy(asc(areas.depth), asc(areas.path), asc(organizations.kind), asc(organizations.id)).limit(2000);
}

export async function findOrg(ex: Executor, id: number): Promise<OrganizationRow | undefined> {
  const [r] = await ex.select().from(organizations).where(eq(organizations.id, id));
  return r;
}
