import { asc, count, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { areas, caseRollups, categories } from '../../db/schema.ts';

export type CategoryRow = typeof categories.$inferSelect;

export async function listAll(ex: Executor): Promise<CategoryRow[]> {
  return ex.select().from(categories).orderBy(asc(categories.sortOrder), asc(categories.id));
}
/** One category, or undefined. */
export async function findCategory(ex: Executor, id: number): Promise<CategoryRow | undefined> {
  const [r] = await ex.select().from(categories).where(eq(categories.id, id));
  return r;
}
export async function countAll(ex: Executor): Promise<number> {
  const [r] = await ex.select({ n: count() }).from(categories);
  return Number(r?.n ?? 0);
}
export async function insertCategory(ex: Executor, v: typeof categories.$inferInsert): Promise<CategoryRow> {
  const [row] = await ex.insert(categories).values(v).returning();
  return row!;
}
export async function updateCategory(ex: Executor, id: number, v: { name?: string; nameEn?: string; active?: boolean }): Promise<CategoryRow | undefined> {
  const [row] = await ex.update(categories).set(v).where(eq(categories.id, id)).returning();
  return row;
}

/**
 * The categories reported most since a month (1st of the month), from the command center's monthly rollups of the
 * top areas (never a count over the cases themselves): ids, most reported first.
 */
export async function mostReported(ex: Executor, sinceMonth: string, limit: number): Promise<number[]> {
  const r = await ex.select({ id: caseRollups.val }).from(caseRollups)
    .innerJoin(areas, sql`${areas.id} = ${caseRollups.areaId} and ${areas.parentId} is null`)
    .where(sql`${caseRollups.grain} = 'month' and ${caseRollups.dim} = 'category' and ${caseRollups.bucket} >= ${sinceMonth}`)
    .groupBy(caseRollups.val).orderBy(sql`sum(${caseRollups.n}) desc`, caseRollups.val).limit(limit);
  return r.map((x) => Number(x.id)).filter(Number.isSafeInteger);
}
