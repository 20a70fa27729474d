/** Early warnings' SQL: the queue of cases to look at, the rules, the counts each rule compares, the warnings. */
import { and, asc, desc, eq, inArray, lt, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Executor, Tx } from '../../db/database.ts';
import { cases, personGroups, people, warningQueue, warningRules, warnings, caseRollups, areas } from '../../db/schema.ts';
import { rowsOf } from '../../db/rows.ts';

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
/** The windows among `keys` a rule ever raised a warning for (any status): per-case warnings are raised once. */
export async function raisedWindows(ex: Executor, ruleId: number, keys: string[]): Promise<Set<string>> {
  if (!keys.length) return new Set();
  const r = await ex.execute(sql`select window_key from ${warnings} where rule_id = ${ruleId} and window_key in (select value from jsonb_array_elements_text(${JSON.stringify(keys)}::jsonb))`);
  return new Set(rowsOf<{ window_key: string }>(r).map((x) => x.window_key));
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

/** A batch's windows as one jsonb parameter (the same on PGlite and PostgreSQL), unpacked by jsonb_to_recordset with their order `i`. */
const windowsParam = (xs: object[]) => JSON.stringify(xs.map((x, i) => ({ ...x, i })));
/** One number per window, in the windows' order. */
const inOrder = <T>(n: number, rows: { i: number; v: T }[], empty: T): T[] => {
  const out = Array.from({ length: n }, () => empty);
  for (const r of rows) out[Number(r.i)] = r.v;
  return out;
};
interface PlaceWindow { areaId: number; categoryId: number; since: Date; until: Date }
const placeCases = sql`c.area_id = k."areaId" and c.category_id = k."categoryId" and c.created_at > k.since and c.created_at <= k.until and c.status <> 'merged'`;
/**
 * Cases of one category in one place received in (since, until], for each window of the batch: the cluster
 * rule's counts, each counted up to 500 (a cluster is a cluster, and the count stays cheap however busy a place).
 */
export async function casesInWindows(ex: Executor, ws: PlaceWindow[]): Promise<number[]> {
  if (!ws.length) return [];
  const r = await ex.execute(sql`select k.i, (select count(*)::int from (select 1 from ${cases} c where ${placeCases} limit 500) x) as v
    from jsonb_to_recordset(${windowsParam(ws)}::jsonb) as k(i int, "areaId" int, "categoryId" int, since timestamptz, until timestamptz)`);
  return inOrder(ws.length, rowsOf<{ i: number; v: number }>(r).map((x) => ({ i: x.i, v: Number(x.v) })), 0);
}
/** The latest 50 cases of each window, oldest first: a cluster's evidence. */
export async function latestInWindows(ex: Executor, ws: PlaceWindow[]): Promise<string[][]> {
  if (!ws.length) return [];
  const r = await ex.execute(sql`select k.i, array(select id::text from (select c.id, c.created_at from ${cases} c where ${placeCases} order by c.created_at desc limit 50) x order by x.created_at) as v
    from jsonb_to_recordset(${windowsParam(ws)}::jsonb) as k(i int, "areaId" int, "categoryId" int, since timestamptz, until timestamptz)`);
  return inOrder(ws.length, rowsOf<{ i: number; v: string[] }>(r), []);
}
/**
 * Today's cases of a category under an area, for each group of the batch, counted up to its `cap` (the spike rule
 * needs only to know whether the threshold is passed): live, not from the rollups the worker may not have folded yet.
 */
export async function casesTodayMany(ex: Executor, ws: { areaPath: string; categoryId: number; since: Date; until: Date; cap: number }[]): Promise<number[]> {
  if (!ws.length) return [];
  const r = await ex.execute(sql`select k.i, (select count(*)::int from (select 1 from ${cases} c where c.area_path like k."areaPath" || '%'
      and c.created_at >= k.since and c.created_at <= k.until and c.category_id = k."categoryId" limit k.cap) x) as v
    from jsonb_to_recordset(${windowsParam(ws)}::jsonb) as k(i int, "areaPath" text, "categoryId" int, since timestamptz, until timestamptz, cap int)`);
  return inOrder(ws.length, rowsOf<{ i: number; v: number }>(r).map((x) => ({ i: x.i, v: Number(x.v) })), 0);
}
/** Each reporter's (blind index) cases received in (since, until], oldest first, up to 500: the repeated-appeals rule's evidence. */
export async function casesOfReporters(ex: Executor, ws: { bidx: string; since: Date; until: Date }[]): Promise<string[][]> {
  if (!ws.length) return [];
  const r = await ex.execute(sql`select k.i, array(select c.id::text from ${cases} c where c.reporter_phone_bidx = k.bidx and c.created_at > k.since and c.created_at <= k.until
      order by c.created_at limit 500) as v
    from jsonb_to_recordset(${windowsParam(ws)}::jsonb) as k(i int, bidx text, since timestamptz, until timestamptz)`);
  return inOrder(ws.length, rowsOf<{ i: number; v: string[] }>(r), []);
}
/** Day counts of a category under an area on given days, for each group of the batch (the spike rule's history), from the rollups. */
export async function dayCountsMany(ex: Executor, ws: { areaId: number; categoryId: number; days: string[] }[]): Promise<Map<string, number>[]> {
  const out = ws.map(() => new Map<string, number>());
  const flat = ws.flatMap((w, i) => w.days.map((day) => ({ i, areaId: w.areaId, val: String(w.categoryId), day })));
  if (!flat.length) return out;
  const r = await ex.execute(sql`select k.i, k.day, sum(r.n)::int as n
    from jsonb_to_recordset(${JSON.stringify(flat)}::jsonb) as k(i int, "areaId" int, val text, day text)
    join ${caseRollups} r on r.area_id = k."areaId" and r.grain = 'day' and r.dim = 'category' and r.val = k.val and r.bucket = k.day::date
    group by k.i, k.day`);
  for (const x of rowsOf<{ i: number; day: string; n: number }>(r)) out[Number(x.i)]!.set(x.day, Number(x.n));
  return out;
}
/** Active special-population groups of the people with these phones (people's blind index), by blind index. */
export async function specialGroupsByPhones(ex: Executor, phoneBidxs: string[]): Promise<Map<string, string[]>> {
  if (!phoneBidxs.length) return new Map();
  const rows = await ex.selectDistinct({ bidx: people.phoneBidx, group: personGroups.kind }).from(personGroups).innerJoin(people, eq(people.id, personGroups.personId))
    .where(and(inArray(people.phoneBidx, phoneBidxs), eq(people.status, 'active')));
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.bidx!, [...(out.get(r.bidx!) ?? []), r.group]);
  return out;
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
