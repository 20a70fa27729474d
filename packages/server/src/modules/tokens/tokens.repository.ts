import { and, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { apiTokens, users } from '../../db/schema.ts';
import type { ApiTokenRow } from '../auth/auth.repository.ts';

export async function insertToken(ex: Executor, v: typeof apiTokens.$inferInsert): Promise<ApiTokenRow> {
  const [row] = await ex.insert(apiTokens).values(v).returning();
  return row!;
}

/** Tokens whose owner matches `ownerScope` (a condition on users). */
export async function listTokens(ex: Executor, ownerScope: SQL, userId?: string): Promise<ApiTokenRow[]> {
  const owners = ex.select({ id: users.id }).from(users).where(userId ? and(ownerScope, eq(users.id, userId)) : ownerScope);
  return ex.select().from(apiTokens).where(inArray(apiTokens.userId, owners)).orderBy(desc(apiTokens.createdAt)).limit(500);
}

export async function findTokenWithOwner(ex: Executor, id: string) {
  const [row] = await ex.select({ t: apiTokens, areaPath: users.areaPath, organizationId: users.organizationId })
    .from(apiTokens).innerJoin(users, eq(users.id, apiTokens.userId)).where(eq(apiTokens.id, id));
  return row;
}

export async function revokeToken(ex: Executor, id: string): Promise<void> {
  await ex.update(apiTokens).set({ revokedAt: sql`now()` }).where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)));
}
