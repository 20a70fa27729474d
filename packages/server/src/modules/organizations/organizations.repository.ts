import { and, asc, eq, gt, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { organizations } from '../../db/schema.ts';

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
