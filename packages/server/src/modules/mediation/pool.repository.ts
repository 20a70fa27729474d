/** SQL of the mediator pool and the mediation rooms. */
import { and, asc, eq, gte, inArray, ne, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { cases, mediationRooms, mediationSessions, mediations, mediators } from '../../db/schema.ts';

export type MediatorRow = typeof mediators.$inferSelect;
export type RoomRow = typeof mediationRooms.$inferSelect;

/** Each mediator's open load and past outcomes, computed from the mediations they led or joined. */
const stats = {
  load: sql<number>`(select count(*)::int from ${mediations} m where m.status in ('accepted','in_mediation') and (m.lead_mediator_id = ${mediators.id} or ${mediators.id} = any(m.team_ids)))`,
  concluded: sql<number>`(select count(*)::int from ${mediations} m where m.outcome is not null and m.lead_mediator_id = ${mediators.id})`,
  succeeded: sql<number>`(select count(*)::int from ${mediations} m where m.outcome in ('success','partial') and m.lead_mediator_id = ${mediators.id})`,
};

export async function listMediators(ex: Executor, where: SQL, limit: number, afterId?: number) {
  return ex.select({ m: mediators, ...stats }).from(mediators)
    .where(and(where, afterId ? sql`${mediators.id} > ${afterId}` : undefined)).orderBy(asc(mediators.id)).limit(limit + 1);
}
export async function mediatorsWithStats(ex: Executor, where: SQL) {
  return ex.select({ m: mediators, ...stats }).from(mediators).where(and(where, eq(mediators.active, true)));
}
export async function mediatorsByIds(ex: Executor, ids: number[], where: SQL = sql`true`): Promise<MediatorRow[]> {
  return ids.length ? ex.select().from(mediators).where(and(where, inArray(mediators.id, ids))) : [];
}
export async function insertMediator(ex: Executor, v: typeof mediators.$inferInsert): Promise<MediatorRow> {
  const [r] = await ex.insert(mediators).values(v).returning();
  return r!;
}
export async function mediatorStats(ex: Executor, id: number) {
  const [r] = await ex.select({ m: mediators, ...stats }).from(mediators).where(eq(mediators.id, id));
  return r;
}

export async function listRooms(ex: Executor, where: SQL, limit: number, afterId?: number): Promise<RoomRow[]> {
  return ex.select().from(mediationRooms).where(and(where, afterId ? sql`${mediationRooms.id} > ${afterId}` : undefined)).orderBy(asc(mediationRooms.id)).limit(limit + 1);
}
export async function roomById(ex: Executor, id: number, where: SQL = sql`true`): Promise<RoomRow | undefined> {
  const [r] = await ex.select().from(mediationRooms).where(and(where, eq(mediationRooms.id, id)));
  return r;
}
export async function insertRoom(ex: Executor, v: typeof mediationRooms.$inferInsert): Promise<RoomRow> {
  const [r] = await ex.insert(mediationRooms).values(v).returning();
  return r!;
}
export async function bookingsOf(ex: Executor, roomId: number, from: Date) {
  return ex.select({ s: mediationSessions, number: cases.number }).from(mediationSessions).innerJoin(cases, eq(cases.id, mediationSessions.caseId))
    .where(and(eq(mediationSessions.roomId, roomId), ne(mediationSessions.status, 'cancelled'), gte(mediationSessions.endsAt, from)))
    .orderBy(asc(mediationSessions.startsAt)).limit(500);
}

export const poolRepository = { mediatorsByIds, roomById };
export type PoolRepository = typeof poolRepository;
