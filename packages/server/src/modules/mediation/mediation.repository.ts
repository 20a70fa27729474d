/** The mediation module's SQL: mediations with their case, parties, sessions and agreement numbers. */
import { and, asc, desc, eq, inArray, isNull, lt, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Executor, Tx } from '../../db/database.ts';
import { agreementCounters, caseEvents, cases, mediationParties, mediationRooms, mediationSessions, mediations, organizations } from '../../db/schema.ts';
import { mediationsVisibleTo } from '../../access/scope.ts';
import type { Actor } from '../../access/actor.ts';
import type { TimelineEvent } from '../workflow/kernel.ts';
import { insertEvent as insertCaseEvent } from '../cases/cases.repository.ts';

export type MediationRow = typeof mediations.$inferSelect;
export type MediationPatch = Partial<Omit<typeof mediations.$inferInsert, 'caseId' | 'createdAt'>>;
export type PartyRow = typeof mediationParties.$inferSelect;
export type SessionRow = typeof mediationSessions.$inferSelect;
/** A mediation as the kernel sees it: its id is the case's, its version the case's version. */
export type MediationRecord = MediationRow & {
  id: string; version: number; caseNumber: string; caseStatus: string; description: string; committee: string; categoryId: number; tier: string | null;
};

/** The one scope of every read of mediations (access/scope.ts). */
export const visibleMediations = (actor: Actor): SQL => mediationsVisibleTo(actor, cases, mediations.committeeOrgId);

export async function findMediation(ex: Executor, where: SQL): Promise<MediationRecord | undefined> {
  const [r] = await ex.select({
    m: mediations, version: cases.version, number: cases.number, caseStatus: cases.status, description: cases.description, committee: organizations.name,
    categoryId: cases.categoryId, tier: cases.tier,
  })
    .from(mediations).innerJoin(cases, eq(cases.id, mediations.caseId)).innerJoin(organizations, eq(organizations.id, mediations.committeeOrgId))
    .where(where);
  return r ? { ...r.m, id: r.m.caseId, version: r.version, caseNumber: r.number ?? '', caseStatus: r.caseStatus, description: r.description, committee: r.committee, categoryId: r.categoryId, tier: r.tier } : undefined;
}

export async function insertMediation(ex: Executor, v: typeof mediations.$inferInsert): Promise<void> {
  await ex.insert(mediations).values(v);
}

/**
 * The kernel's update: the case's version moves (so that the mediation's events take their place in the
 * case's timeline, and a stale page gets CONFLICT), then the mediation's columns change.
 */
export async function updateMediation(tx: Tx, id: string, version: number, patch: MediationPatch): Promise<MediationRecord | undefined> {
  const [c] = await tx.update(cases).set({ version: version + 1, updatedAt: sql`now()` })
    .where(and(eq(cases.id, id), eq(cases.version, version))).returning({ version: cases.version });
  if (!c) return undefined;
  if (Object.keys(patch).length) await tx.update(mediations).set({ ...patch, updatedAt: sql`now()` }).where(eq(mediations.caseId, id));
  return findMediation(tx, eq(mediations.caseId, id));
}

export const insertEvent = (tx: Tx, e: TimelineEvent) => insertCaseEvent(tx, e);

export async function insertParties(ex: Executor, rows: (typeof mediationParties.$inferInsert)[]): Promise<void> {
  if (rows.length) await ex.insert(mediationParties).values(rows);
}
export async function listParties(ex: Executor, caseId: string): Promise<PartyRow[]> {
  return ex.select().from(mediationParties).where(eq(mediationParties.caseId, caseId)).orderBy(asc(mediationParties.id));
}

export async function listSessions(ex: Executor, caseId: string) {
  return ex.select({ s: mediationSessions, roomName: mediationRooms.name }).from(mediationSessions)
    .leftJoin(mediationRooms, eq(mediationRooms.id, mediationSessions.roomId))
    .where(eq(mediationSessions.caseId, caseId)).orderBy(asc(mediationSessions.startsAt));
}
export async function findSession(ex: Executor, caseId: string, id: number): Promise<SessionRow | undefined> {
  const [r] = await ex.select().from(mediationSessions).where(and(eq(mediationSessions.caseId, caseId), eq(mediationSessions.id, id)));
  return r;
}
export async function insertSession(ex: Executor, v: typeof mediationSessions.$inferInsert): Promise<SessionRow> {
  const [r] = await ex.insert(mediationSessions).values(v).returning();
  return r!;
}
export async function updateSession(ex: Executor, id: number, v: Partial<typeof mediationSessions.$inferInsert>): Promise<void> {
  await ex.update(mediationSessions).set({ ...v, updatedAt: sql`now()` }).where(eq(mediationSessions.id, id));
}

/** Bookings taken at an overlapping time by one of these mediators or in this room (cancelled ones do not count). */
export async function overlapping(tx: Tx, startsAt: Date, endsAt: Date, mediatorIds: number[], roomId: number | null) {
  // one booking at a time across the installation: two requests for the same slot cannot both pass the check
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('fengqiao.mediation.booking'))`);
  const who = mediatorIds.length ? sql`${mediationSessions.mediatorIds} && ${sql.raw(`ARRAY[${mediatorIds.map(Number).join(',')}]::integer[]`)}` : sql`false`;
  return tx.select({ id: mediationSessions.id, roomId: mediationSessions.roomId, mediatorIds: mediationSessions.mediatorIds }).from(mediationSessions)
    .where(and(ne(mediationSessions.status, 'cancelled'), lt(mediationSessions.startsAt, endsAt), sql`${mediationSessions.endsAt} > ${startsAt.toISOString()}`,
      roomId ? or(eq(mediationSessions.roomId, roomId), who) : who));
}

/** The next agreement number of a committee in a year (〔2026〕幸调字第12号): one counter row, locked by the upsert. */
export async function nextAgreementSerial(tx: Tx, organizationId: number, year: number): Promise<number> {
  const [r] = await tx.insert(agreementCounters).values({ organizationId, year, last: 1 })
    .onConflictDoUpdate({ target: [agreementCounters.organizationId, agreementCounters.year], set: { last: sql`${agreementCounters.last} + 1` } })
    .returning({ last: agreementCounters.last });
  return r!.last;
}

export async function listMediations(ex: Executor, where: SQL, limit: number) {
  const next = sql<string | null>`(select min(${mediationSessions.startsAt}) from ${mediationSessions} where ${mediationSessions.caseId} = ${mediations.caseId} and ${mediationSessions.status} = 'scheduled')`;
  return ex.select({ m: mediations, number: cases.number, committee: organizations.name, nextSessionAt: next }).from(mediations)
    .innerJoin(cases, eq(cases.id, mediations.caseId)).innerJoin(organizations, eq(organizations.id, mediations.committeeOrgId))
    .where(where).orderBy(desc(mediations.openedAt), desc(mediations.caseId)).limit(limit + 1);
}

/** The timeline events the figures count (a partial index on case_events covers exactly these). */
export const FIGURE_EVENTS = ['mediation_open', 'mediation_conclude', 'mediation_refer_confirmation', 'mediation_record_ruling'] as const;

/**
 * The figures' one query: the mediation events of a scope in a period, counted by action, dispute type, source,
 * outcome and ruling, with the seconds from opening to each conclusion and the amounts in dispute summed.
 * A few hundred groups at most, whatever the number of disputes.
 */
export async function figureGroups(ex: Executor, where: SQL) {
  const outcome = sql<string | null>`${caseEvents.payload}->>'outcome'`;
  const ruling = sql<string | null>`${caseEvents.payload}->>'ruling'`;
  return ex.select({
    action: caseEvents.action, disputeType: mediations.disputeType, source: mediations.source, outcome, ruling,
    n: sql<number>`count(*)::int`,
    seconds: sql<number>`coalesce(sum(extract(epoch from ${caseEvents.at} - ${mediations.openedAt})), 0)::float8`,
    fen: sql<number>`coalesce(sum(${mediations.amountFen}), 0)::float8`,
  }).from(caseEvents)
    .innerJoin(mediations, eq(mediations.caseId, caseEvents.caseId)).innerJoin(cases, eq(cases.id, mediations.caseId))
    .where(and(inArray(caseEvents.action, [...FIGURE_EVENTS]), where))
    .groupBy(caseEvents.action, mediations.disputeType, mediations.source, outcome, ruling);
}

/** Agreements that took effect between `from` and `to` and were not referred for judicial confirmation. */
export async function agreementsUnconfirmedBetween(ex: Executor, from: Date, to: Date) {
  return ex.select({ id: mediations.caseId, number: cases.number, org: mediations.committeeOrgId, agreedAt: mediations.agreedAt })
    .from(mediations).innerJoin(cases, eq(cases.id, mediations.caseId))
    .where(and(inArray(mediations.status, ['agreed', 'partial']), isNull(mediations.confirmation), lt(mediations.agreedAt, to),
      sql`${mediations.agreedAt} > ${from.toISOString()}`)).limit(1000);
}

/** Applications neither accepted nor declined by their deadline. */
export async function applicationsPastDue(ex: Executor, now: Date) {
  return ex.select({ id: mediations.caseId, number: cases.number, org: mediations.committeeOrgId, dueAt: mediations.acceptDueAt })
    .from(mediations).innerJoin(cases, eq(cases.id, mediations.caseId))
    .where(and(eq(mediations.status, 'applied'), lt(mediations.acceptDueAt, now))).limit(1000);
}

/** Mediations still running past their deadline. */
export async function runningPastDue(ex: Executor, now: Date) {
  return ex.select({ id: mediations.caseId, number: cases.number, org: mediations.committeeOrgId, dueAt: mediations.dueAt })
    .from(mediations).innerJoin(cases, eq(cases.id, mediations.caseId))
    .where(and(inArray(mediations.status, ['accepted', 'in_mediation']), lt(mediations.dueAt, now))).limit(1000);
}
