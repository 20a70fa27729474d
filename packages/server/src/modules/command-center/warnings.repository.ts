/** Early warnings' SQL: the queue of cases to look at, the rules, the counts each rule compares, the warnings. */
import { and, asc, desc, eq, inArray, lt, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Executor, Tx } from '../../db/database.ts';
import { cases, personGroups, people, warningQueue, warningRules, warnings, caseRollups, areas } from '../../db/schema.ts';

export type RuleRow = typeof warningRules.$inferSelect;
export type WarningRow = typeof warnings.$inferSelect;
export type CaseRow = typeof cases.$inferSelect;

/**
 * Claims up to `limit` queued cases (deleted in the caller's transaction: each looked at once) with their rows;
 * `isNew`: the case arrived (rather than changed) since it was last looked at.
 */
export async function claimQueued(tx: Tx, limit: number): Promise<{ claimed: number; cases: (CaseRow & { isNew: boolean })[] }> {
  const r = (await tx.execute(sql`delete from warning_queue where id in (select id from warning_queue order by id limit ${limit} for update skip locked) returning case_id, reason`)) as unknown as { rows: { case_id: string; reason: string }[] };
  const fresh = new Set(r.rows.filter((x) => x.reason === 'new').map((x) => x.case_id));
  const ids = [...new Set(r.rows.map((x) => x.case_id))];
  const rows = ids.length ? await tx.select().from(cases).where(inArray(cases.id, ids)).orderBy(asc(cases.createdAt)) : [];
  return { claimed: r.rows.length, cases: rows.map((c) => ({ ...c, isNew: fresh.has(c.id) })) };
}
/** Whether a rule ever raised a warning for this window (any status): per-case warnings are raised once. */
export async function everRaised(ex: Executor, ruleId: number, windowKey: string): Promise<boolean> {
  const [r] = await ex.select({ id: warnings.id }).from(warnings).where(and(eq(warnings.ruleId, ruleId), eq(warnings.windowKey, windowKey))).limit(1);
  return Boolean(r);
}
export async function queuedCount(ex: Executor): Promise<number> {
  const r = (await ex.execute(sql`select count(*)::int as n from ${warningQueue}`)) as unknown as { rows: { n: number }[] };
  return r.rows[0]!.n;
}

export async function activeRules(ex: Executor): Promise<RuleRow[]> {
  return ex.select().from(warningRules).where(eq(warningRules.active, true)).orderBy(asc(warningRules.id));
}
export async function listRules(ex: Executor, where: SQL): Promise<RuleRow[]> {
  return ex.select().from(warningRules).where(where).orderBy(asc(warningRules.id));
}
export async function findRule(ex: Executor, id: number): Promise<RuleRow | undefined> {
  const [r] = await ex.select().from(warningRules).where(eq(warningRules.id, id));
  return r;
}
export async function insertRule(ex: Executor, v: typeof warningRules.$inferInsert): Promise<RuleRow> {
  const [r] = await ex.insert(warningRules).values(v).returning();
  return r!;
}
export async function updateRule(ex: Executor, id: number, v: Partial<typeof warningRules.$inferInsert>): Promise<RuleRow | undefined> {
  const [r] = await ex.update(warningRules).set({ ...v, updatedAt: sql`now()` }).where(eq(warningRules.id, id)).returning();
  return r;
}
export async function countRules(ex: Executor): Promise<number> {
  const r = (await ex.execute(sql`select count(*)::int as n from ${warningRules}`)) as unknown as { rows: { n: number }[] };
  return r.rows[0]!.n;
}

/** Cases of one category in one area (a grid, say) received in (from, to]: the cluster rule's count, and the latest 50 as evidence. */
export async function casesInWindow(ex: Executor, areaId: number, categoryId: number, from: Date, to: Date) {
  const where = and(eq(cases.areaId, areaId), eq(cases.categoryId, categoryId), sql`${cases.createdAt} > ${from.toISOString()}`, sql`${cases.createdAt} <= ${to.toISOString()}`, ne(cases.status, 'merged'));
  // counted up to 500: a cluster is a cluster, and the count stays cheap however many cases a place has had
  const [{ n }] = (await ex.select({ n: sql<number>`count(*)::int` }).from(ex.select({ one: sql`1` }).from(cases).where(where).limit(500).as('w'))) as [{ n: number }];
  const latest = await ex.select({ id: cases.id }).from(cases).where(where).orderBy(desc(cases.createdAt)).limit(50);
  return { count: Number(n), ids: latest.map((r) => r.id).reverse() };
}
/**
 * Today's cases of a category under an area, counted up to `cap` (the spike rule needs only to know whether the
 * threshold is passed): live, not from the rollups the worker may not have folded yet.
 */
export async function casesToday(ex: Executor, areaPath: string, categoryId: number, dayStart: Date, until: Date, cap: number): Promise<number> {
  const today = ex.select({ one: sql`1` }).from(cases).where(and(sql`${cases.areaPath} like ${`${areaPath}%`}`,
    sql`${cases.createdAt} >= ${dayStart.toISOString()}`, sql`${cases.createdAt} <= ${until.toISOString()}`, eq(cases.categoryId, categoryId))).limit(cap).as('t');
  const [r] = (await ex.select({ n: sql<number>`count(*)::int` }).from(today)) as [{ n: number }];
  return Number(r.n);
}
/** Cases of one reporter (blind index) received in (from, to]: the repeated-appeals rule's count. */
export async function casesOfReporter(ex: Executor, bidx: string, from: Date, to: Date) {
  return ex.select({ id: cases.id }).from(cases)
    .where(and(eq(cases.reporterPhoneBidx, bidx), sql`${cases.createdAt} > ${from.toISOString()}`, sql`${cases.createdAt} <= ${to.toISOString()}`))
    .orderBy(asc(cases.createdAt)).limit(500);
}
/** Day counts of a category under an area on given days (the spike rule's history), from the rollups. */
export async function dayCounts(ex: Executor, areaId: number, categoryId: number, days: string[]): Promise<Map<string, number>> {
  if (!days.length) return new Map();
  const rows = await ex.select({ day: caseRollups.bucket, n: sql<number>`sum(${caseRollups.n})::int` }).from(caseRollups)
    .where(and(eq(caseRollups.areaId, areaId), eq(caseRollups.grain, 'day'), eq(caseRollups.dim, 'category'), eq(caseRollups.val, String(categoryId)),
      inArray(caseRollups.bucket, days)))
    .groupBy(caseRollups.bucket);
  return new Map(rows.map((r) => [r.day, Number(r.n)]));
}
/** Active special-population groups of the people with this phone (people's blind index). */
export async function specialGroupsByPhone(ex: Executor, phoneBidx: string): Promise<string[]> {
  const rows = await ex.select({ group: personGroups.kind }).from(personGroups).innerJoin(people, eq(people.id, personGroups.personId))
    .where(and(eq(people.phoneBidx, phoneBidx), eq(people.status, 'active'))).limit(20);
  return [...new Set(rows.map((r) => r.group))];
}
export async function areasOf(ex: Executor, ids: number[]) {
  return ids.length ? ex.select({ id: areas.id, name: areas.name, level: areas.level, path: areas.path }).from(areas).where(inArray(areas.id, ids)) : [];
}

/**
 * Raises a warning, or adds the case to the open one of the same rule × area × window (the partial unique index
 * makes two servers agree). Returns the warning and whether it is new.
 */
export async function raise(tx: Tx, v: { ruleId: number; kind: string; level: string; areaId: number; areaPath: string; windowKey: string; title: string; facts: Record<string, unknown>; caseIds: string[]; at: Date }, joining: string[]) {
  const [inserted] = await tx.insert(warnings).values({ ...v, raisedAt: v.at }).onConflictDoNothing().returning();
  if (inserted) return { warning: inserted, created: true };
  // the open warning of this window gains the case that arrived (not the whole evidence again)
  const add = sql`${`{${joining.join(',')}}`}::uuid[]`; // one bound array literal of case ids
  const [updated] = await tx.update(warnings).set({
    caseIds: sql`(select array_agg(x order by o) from (select distinct on (x) x, o from unnest(${warnings.caseIds} || ${add}) with ordinality as u(x, o) order by x, o) d)`,
    updatedAt: sql`now()`,
  }).where(and(eq(warnings.ruleId, v.ruleId), eq(warnings.areaId, v.areaId), eq(warnings.windowKey, v.windowKey), ne(warnings.status, 'resolved'))).returning();
  return { warning: updated!, created: false };
}

export async function listWarnings(ex: Executor, where: SQL, limit: number, beforeId?: number) {
  return ex.select().from(warnings).where(and(where, beforeId ? lt(warnings.id, beforeId) : undefined)).orderBy(desc(warnings.id)).limit(limit + 1);
}
export async function findWarning(ex: Executor, where: SQL, id: number): Promise<WarningRow | undefined> {
  const [r] = await ex.select().from(warnings).where(and(where, eq(warnings.id, id)));
  return r;
}
export async function updateWarning(ex: Executor, id: number, from: string[], v: Partial<typeof warnings.$inferInsert>): Promise<WarningRow | undefined> {
  const [r] = await ex.update(warnings).set({ ...v, updatedAt: sql`now()` }).where(and(eq(warnings.id, id), inArray(warnings.status, from))).returning();
  return r;
}
export const openWarnings = or(eq(warnings.status, 'open'), eq(warnings.status, 'acknowledged'))!;
