/** SQL of dispute sweeps and the grids' reports. */
import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { areas, sweepReports, sweeps } from '../../db/schema.ts';
import { underPath } from '../../access/scope.ts';

export type SweepRow = typeof sweeps.$inferSelect;

export async function gridsUnder(ex: Executor, path: string) {
  return ex.select({ id: areas.id, name: areas.name }).from(areas).where(and(eq(areas.level, 'grid'), underPath(areas.path, path))).orderBy(asc(areas.path));
}
export async function reportsOf(ex: Executor, sweepId: number) {
  return ex.select().from(sweepReports).where(eq(sweepReports.sweepId, sweepId));
}
export async function findSweep(ex: Executor, where: SQL, id: number): Promise<SweepRow | undefined> {
  const [row] = await ex.select().from(sweeps).where(and(where, eq(sweeps.id, id)));
  return row;
}
export async function listSweeps(ex: Executor, where: SQL, limit: number, beforeId?: number): Promise<SweepRow[]> {
  return ex.select().from(sweeps).where(and(where, beforeId ? sql`${sweeps.id} < ${beforeId}` : undefined)).orderBy(desc(sweeps.id)).limit(limit + 1);
}
export async function insertSweep(ex: Executor, v: typeof sweeps.$inferInsert): Promise<SweepRow> {
  const [row] = await ex.insert(sweeps).values(v).returning();
  return row!;
}
export async function findReport(ex: Executor, sweepId: number, gridId: number) {
  const [row] = await ex.select().from(sweepReports).where(and(eq(sweepReports.sweepId, sweepId), eq(sweepReports.gridId, gridId)));
  return row;
}
export async function insertReport(ex: Executor, v: typeof sweepReports.$inferInsert): Promise<void> {
  await ex.insert(sweepReports).values(v);
}
