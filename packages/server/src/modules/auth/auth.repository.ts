import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { apiTokens, sessions } from '../../db/schema.ts';

export type SessionRow = typeof sessions.$inferSelect;
export type ApiTokenRow = typeof apiTokens.$inferSelect;

export async function insertSession(ex: Executor, v: typeof sessions.$inferInsert): Promise<void> {
  await ex.insert(sessions).values(v);
}

export async function touchSession(ex: Executor, idHash: string, at: Date): Promise<void> {
  await ex.update(sessions).set({ lastSeenAt: at }).where(eq(sessions.idHash, idHash));
}

export async function revokeSession(ex: Executor, idHash: string, at: Date): Promise<void> {
  await ex.update(sessions).set({ revokedAt: at }).where(and(eq(sessions.idHash, idHash), isNull(sessions.revokedAt)));
}

export async function touchApiToken(ex: Executor, id: string, at: Date): Promise<void> {
  await ex.update(apiTokens).set({ lastUsedAt: at }).where(eq(apiTokens.id, id));
}

/** Sessions ended or expired long ago; kept a while for the audit trail. */
export async function deleteOldSessions(ex: Executor, before: Date): Promise<number> {
  const rows = await ex.delete(sessions).where(sql`${sessions.expiresAt} < ${before.toISOString()} or ${sessions.revokedAt} < ${before.toISOString()}`).returning({ id: sessions.idHash });
  return rows.length;
}
