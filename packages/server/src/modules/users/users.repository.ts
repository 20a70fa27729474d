import { and, asc, eq, gt, ilike, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Db, Executor } from '../../db/database.ts';
import { perDatabase } from '../../db/prepared.ts';
import { apiTokens, organizations, sessions, users } from '../../db/schema.ts';

export type UserRow = typeof users.$inferSelect;
export type UserWithOrg = UserRow & { organizationKind: string };

export async function findUser(ex: Executor, where: SQL, id: string): Promise<UserRow | undefined> {
  const [row] = await ex.select().from(users).where(and(where, eq(users.id, id)));
  return row;
}

/** For sign-in only: the one lookup that is not scoped, because nobody is signed in yet. */
export async function findUserForLogin(ex: Executor, username: string): Promise<UserWithOrg | undefined> {
  const [row] = await ex.select({ u: users, kind: organizations.kind }).from(users)
    .innerJoin(organizations, eq(organizations.id, users.organizationId))
    .where(eq(users.username, username));
  return row ? { ...row.u, organizationKind: row.kind } : undefined;
}

/** One round trip from a session or token hash to its user: the hot path of every authenticated request. */
const sessionUserQuery = perDatabase((db) => db.select({ s: sessions, u: users, kind: organizations.kind }).from(sessions)
  .innerJoin(users, eq(users.id, sessions.userId))
  .innerJoin(organizations, eq(organizations.id, users.organizationId))
  .where(eq(sessions.idHash, sql.placeholder('h')))
  .prepare('fq_session_user'));

export async function findSessionUser(db: Db, idHash: string) {
  const [row] = await sessionUserQuery(db).execute({ h: idHash });
  return row ? { session: row.s, user: { ...row.u, organizationKind: row.kind } as UserWithOrg } : undefined;
}

const tokenUserQuery = perDatabase((db) => db.select({ t: apiTokens, u: users, kind: organizations.kind }).from(apiTokens)
  .innerJoin(users, eq(users.id, apiTokens.userId))
  .innerJoin(organizations, eq(organizations.id, users.organizationId))
  .where(eq(apiTokens.tokenHash, sql.placeholder('h')))
  .prepare('fq_token_user'));

export async function findTokenUser(db: Db, tokenHash: string) {
  const [row] = await tokenUserQuery(db).execute({ h: tokenHash });
  return row ? { token: row.t, user: { ...row.u, organizationKind: row.kind } as UserWithOrg } : undefined;
}

export async function findUserWithOrg(ex: Executor, id: string): Promise<UserWithOrg | undefined> {
  const [row] = await ex.select({ u: users, kind: organizations.kind }).from(users)
    .innerJoin(organizations, eq(organizations.id, users.organizationId))
    .where(eq(users.id, id));
  return row ? { ...row.u, organizationKind: row.kind } : undefined;
}

export async function usernameExists(ex: Executor, username: string): Promise<boolean> {
  const [row] = await ex.select({ id: users.id }).from(users).where(eq(users.username, username));
  return Boolean(row);
}

export async function listUsers(ex: Executor, where: SQL, f: {
  organizationId?: number; role?: string; q?: string; phoneBidx?: string[]; afterUsername?: string; limit: number;
}): Promise<UserRow[]> {
  const conds: (SQL | undefined)[] = [where];
  if (f.organizationId !== undefined) conds.push(eq(users.organizationId, f.organizationId));
  if (f.role) conds.push(sql`${f.role} = any(${users.roles})`);
  if (f.q) conds.push(ilike(users.username, `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
  if (f.phoneBidx) conds.push(inArray(users.phoneBidx, f.phoneBidx));
  if (f.afterUsername !== undefined) conds.push(gt(users.username, f.afterUsername));
  return ex.select().from(users).where(and(...conds)).orderBy(asc(users.username)).limit(f.limit);
}

export async function insertUser(ex: Executor, v: typeof users.$inferInsert): Promise<UserRow> {
  const [row] = await ex.insert(users).values(v).returning();
  return row!;
}

export async function updateUser(ex: Executor, id: string, v: Partial<typeof users.$inferInsert>): Promise<UserRow> {
  const [row] = await ex.update(users).set({ ...v, updatedAt: sql`now()` }).where(eq(users.id, id)).returning();
  return row!;
}

export async function revokeSessionsOf(ex: Executor, userId: string): Promise<void> {
  await ex.update(sessions).set({ revokedAt: sql`now()` }).where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)));
}

/** Display names (encrypted) and organisations of staff by id: for naming people in timelines and the audit log. */
export async function staffByIds(ex: Executor, ids: string[]): Promise<{ id: string; username: string; displayNameEnc: string; organizationId: number }[]> {
  if (!ids.length) return [];
  return ex.select({ id: users.id, username: users.username, displayNameEnc: users.displayNameEnc, organizationId: users.organizationId }).from(users).where(inArray(users.id, ids));
}
