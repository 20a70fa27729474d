import { asc, count, eq } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { categories } from '../../db/schema.ts';

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
