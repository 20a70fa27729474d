import { asc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { gridWorkers, organizations, users } from '../../db/schema.ts';

/** The grid's workers with their organisation's name (the name is encrypted; the caller decrypts and masks it). */
export async function workersOf(ex: Executor, gridId: number) {
  return ex.select({ id: users.id, username: users.username, nameEnc: users.displayNameEnc, org: organizations.name })
    .from(gridWorkers).innerJoin(users, eq(users.id, gridWorkers.userId)).innerJoin(organizations, eq(organizations.id, users.organizationId))
    .where(eq(gridWorkers.areaId, gridId)).orderBy(asc(users.username));
}
/** Candidates for grid workers: their roles and where they stand. */
export async function usersForAssignment(ex: Executor, ids: string[]) {
  return ids.length ? ex.select({ id: users.id, roles: users.roles, areaPath: users.areaPath }).from(users).where(inArray(users.id, ids)) : [];
}
export async function replaceWorkers(ex: Executor, gridId: number, gridPath: string, userIds: string[]): Promise<void> {
  await ex.delete(gridWorkers).where(eq(gridWorkers.areaId, gridId));
  if (userIds.length) await ex.insert(gridWorkers).values(userIds.map((userId) => ({ areaId: gridId, userId, areaPath: gridPath })));
}
