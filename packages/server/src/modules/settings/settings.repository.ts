import { and, asc, eq, isNull, or, sql } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { deadlinePolicies } from '../../db/schema.ts';

export type PolicyRow = typeof deadlinePolicies.$inferSelect;
export type PolicyValues = Omit<typeof deadlinePolicies.$inferInsert, 'id' | 'updatedAt'>;

export async function listPolicies(ex: Executor): Promise<PolicyRow[]> {
  return ex.select().from(deadlinePolicies).orderBy(asc(deadlinePolicies.id));
}

/** Creates or replaces the policy of one category × tier (null: any). */
export async function upsertPolicy(ex: Executor, v: PolicyValues): Promise<PolicyRow> {
  const match = and(v.categoryId == null ? isNull(deadlinePolicies.categoryId) : eq(deadlinePolicies.categoryId, v.categoryId),
    v.tier == null ? isNull(deadlinePolicies.tier) : eq(deadlinePolicies.tier, v.tier));
  const [existing] = await ex.select().from(deadlinePolicies).where(match);
  const [row] = existing
    ? await ex.update(deadlinePolicies).set({ ...v, updatedAt: sql`now()` }).where(eq(deadlinePolicies.id, existing.id)).returning()
    : await ex.insert(deadlinePolicies).values(v).returning();
  return row!;
}

export async function deletePolicy(ex: Executor, id: number): Promise<PolicyRow | undefined> {
  const [row] = await ex.delete(deadlinePolicies).where(eq(deadlinePolicies.id, id)).returning();
  return row;
}

/** The policies that may apply to a category and tier (the caller picks the most specific). */
export async function policiesFor(ex: Executor, categoryId: number, tier: string | null): Promise<PolicyRow[]> {
  return ex.select().from(deadlinePolicies).where(and(
    or(eq(deadlinePolicies.categoryId, categoryId), isNull(deadlinePolicies.categoryId)),
    tier ? or(eq(deadlinePolicies.tier, tier), isNull(deadlinePolicies.tier)) : isNull(deadlinePolicies.tier),
  ));
}
