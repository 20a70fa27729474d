import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import type { KeyRing } from '../../lib/personal-data.ts';
import { apiTokens, loginThrottle, sessions } from '../../db/schema.ts';

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

/** The keyed hash a sign-in name is counted under (the name itself is not stored with its failures). */
export const loginNameHash = (keys: KeyRing, username: string) => keys.tokenHash(`login-name:${username.trim().toLowerCase()}`);

/** Every address counted under one account name: the account's own ceiling. */
export const ALL_ADDRESSES = '*';

export async function findThrottle(ex: Executor, nameHash: string, addressHash: string): Promise<{ lockedUntil: Date | null } | undefined> {
  const [row] = await ex.select({ lockedUntil: loginThrottle.lockedUntil }).from(loginThrottle)
    .where(and(eq(loginThrottle.nameHash, nameHash), eq(loginThrottle.addressHash, addressHash)));
  return row;
}

/**
 * Counts one failure in one (name, address) row: failures older than the window start a new count;
 * reaching `max` locks the row until `lockUntil`. Answers the count and the lock as they now stand.
 */
export async function countFailure(ex: Executor, key: { nameHash: string; addressHash: string }, at: { now: Date; windowStart: Date; lockUntil: Date; max: number }) {
  const fresh = sql`case when ${loginThrottle.lastFailedAt} < ${at.windowStart.toISOString()} then 1 else ${loginThrottle.failures} + 1 end`;
  const [row] = await ex.insert(loginThrottle)
    .values({ ...key, failures: 1, lastFailedAt: at.now, lockedUntil: at.max <= 1 ? at.lockUntil : null })
    .onConflictDoUpdate({
      target: [loginThrottle.nameHash, loginThrottle.addressHash],
      set: {
        failures: fresh,
        lastFailedAt: at.now,
        lockedUntil: sql`case when ${fresh} >= ${at.max} then ${at.lockUntil.toISOString()}::timestamptz else ${loginThrottle.lockedUntil} end`,
      },
    })
    .returning({ failures: loginThrottle.failures, lockedUntil: loginThrottle.lockedUntil });
  return row!;
}

export async function clearThrottle(ex: Executor, nameHash: string, addressHash?: string): Promise<void> {
  await ex.delete(loginThrottle).where(addressHash === undefined ? eq(loginThrottle.nameHash, nameHash) : and(eq(loginThrottle.nameHash, nameHash), eq(loginThrottle.addressHash, addressHash)));
}

/** Housekeeping: counts that ended long ago and hold no lock. */
export async function deleteOldThrottles(ex: Executor, before: Date): Promise<number> {
  const rows = await ex.delete(loginThrottle)
    .where(sql`${loginThrottle.lastFailedAt} < ${before.toISOString()} and (${loginThrottle.lockedUntil} is null or ${loginThrottle.lockedUntil} < ${before.toISOString()})`)
    .returning({ n: loginThrottle.failures });
  return rows.length;
}
