import { and, asc, desc, eq, getTableColumns, isNotNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { alias, type PgInsertValue } from 'drizzle-orm/pg-core';
import type { Db, Executor } from '../../db/database.ts';
import { perDatabase } from '../../db/prepared.ts';
import { areas, caseEvents, cases, categories, organizations } from '../../db/schema.ts';
import type { TimelineEvent } from '../workflow/kernel.ts';

export type CaseRow = typeof cases.$inferSelect;
export type CasePatch = Partial<Omit<typeof cases.$inferInsert, 'id' | 'version' | 'createdAt' | 'updatedAt'>>;
export type CaseWithNames = CaseRow & { categoryName: string; areaName: string; owningOrgName: string; owningOrgAreaPath: string; assigneeOrgName: string | null; dispatchOrgName: string | null };

const owner = alias(organizations, 'owner_org');
const assignee = alias(organizations, 'assignee_org');
const dispatcher = alias(organizations, 'dispatch_org');

function selectWithNames(ex: Executor) {
  // one flat row per case: nesting the case under a key and spreading it back out cost more than the query
  return ex.select({
    ...getTableColumns(cases), categoryName: categories.name, areaName: areas.name, owningOrgName: owner.name, owningOrgAreaPath: owner.areaPath,
    assigneeOrgName: assignee.name, dispatchOrgName: dispatcher.name,
  }).from(cases)
    .innerJoin(categories, eq(categories.id, cases.categoryId))
    .innerJoin(areas, eq(areas.id, cases.areaId))
    .innerJoin(owner, eq(owner.id, cases.owningOrgId))
    .leftJoin(assignee, eq(assignee.id, cases.assigneeOrgId))
    .leftJoin(dispatcher, eq(dispatcher.id, cases.dispatchOrgId));
}

export async function findCase(ex: Executor, where: SQL, id: string): Promise<CaseWithNames | undefined> {
  const [r] = await selectWithNames(ex).where(and(where, eq(cases.id, id)));
  return r;
}

/** The case with its owning center's area path (for the state machine's "above" relation). */
export async function findCaseForAction(ex: Executor, where: SQL): Promise<CaseRow & { owningOrgAreaPath: string } | undefined> {
  const [r] = await ex.select({ c: cases, owningOrgAreaPath: organizations.areaPath }).from(cases)
    .innerJoin(organizations, eq(organizations.id, cases.owningOrgId)).where(where);
  return r ? Object.assign(r.c, { owningOrgAreaPath: r.owningOrgAreaPath }) : undefined;
}

export async function findCaseRow(ex: Executor, where: SQL): Promise<CaseRow | undefined> {
  const [r] = await ex.select().from(cases).where(where);
  return r;
}

export async function insertCase(ex: Executor, v: PgInsertValue<typeof cases>): Promise<CaseRow> {
  const [r] = await ex.insert(cases).values(v).returning();
  return r!;
}

/** Optimistic concurrency: the update applies only to the version the caller read. */
export async function updateCase(ex: Executor, id: string, version: number, patch: CasePatch): Promise<CaseRow | undefined> {
  const [r] = await ex.update(cases).set({ ...patch, version: version + 1, updatedAt: sql`now()` })
    .where(and(eq(cases.id, id), eq(cases.version, version))).returning();
  return r;
}

export async function insertEvent(ex: Executor, e: TimelineEvent): Promise<void> {
  await ex.insert(caseEvents).values({
    caseId: e.recordId, seq: e.seq, at: e.at, actorId: e.actorId, actorName: e.actorName, actorOrgId: e.actorOrgId,
    action: e.action, fromStatus: e.fromStatus, toStatus: e.toStatus, note: e.note, payload: e.payload,
  });
}

export async function listEvents(ex: Executor, caseId: string) {
  return ex.select().from(caseEvents).where(eq(caseEvents.caseId, caseId)).orderBy(asc(caseEvents.seq));
}

/** A case number's serial, drawn from a sequence inside the INSERT: unique and rising, no lock (a failed report leaves a gap). */
export function nextNumberSql(prefix: string): SQL {
  return sql`${prefix} || lpad(nextval('case_number_seq')::text, 6, '0')`;
}

/**
 * A page of cases, newest first. The page is chosen on `cases` alone (an index walk backwards on
 * created_at, or on the filter's own index), then the names are joined to those rows only.
 */
const casesByIds = perDatabase((db) => selectWithNames(db).where(sql`${cases.id} = any(${sql.placeholder('ids')}::uuid[])`)
  .orderBy(desc(cases.createdAt), desc(cases.id)).prepare('fq_cases_by_ids'));

export async function listCases(db: Db, where: SQL, limit: number, after?: { createdAt: string; id: string }): Promise<CaseWithNames[]> {
  const ex = db;
  const cursor = after
    ? or(lt(cases.createdAt, new Date(after.createdAt)), and(eq(cases.createdAt, new Date(after.createdAt)), lt(cases.id, after.id)))
    : undefined;
  const page = await ex.select({ id: cases.id }).from(cases).where(and(where, cursor)).orderBy(desc(cases.createdAt), desc(cases.id)).limit(limit);
  if (!page.length) return [];
  const rows = await casesByIds(db).execute({ ids: page.map((p) => p.id) });
  return rows;
}

/**
 * Cases matching a search, the best matches first. The newest 500 matches under `path` are taken from the search
 * table alone (its copy of each case's area path and time), then narrowed by the caller's scope and filters and
 * ranked by ts_rank_cd (how often and how close together the case says the words) — so a word that a
 * tenth of the cases say still answers quickly. `path` null: the matches of the scope and filters (a department).
 */
export async function searchCases(db: Db, where: SQL, tsq: string, path: string | null, limit: number, offset: number): Promise<CaseWithNames[]> {
  const window = path !== null
    ? sql`select case_id as id, created_at, doc from case_search where doc @@ ${tsq}::tsquery and area_path like ${`${path}%`} order by created_at desc limit 500`
    : sql`select s.case_id as id, s.created_at, s.doc from case_search s join ${cases} on ${cases.id} = s.case_id
        where s.doc @@ ${tsq}::tsquery and ${where} order by s.created_at desc limit 500`;
  const r = (await db.execute(sql`select m.id from (${window}) m join ${cases} on ${cases.id} = m.id where ${where}
    order by ts_rank_cd(m.doc, ${tsq}::tsquery) desc, m.created_at desc, m.id desc limit ${limit} offset ${offset}`)) as unknown as { rows: { id: string }[] };
  if (!r.rows.length) return [];
  const rows = await casesByIds(db).execute({ ids: r.rows.map((x) => x.id) });
  const order = new Map(r.rows.map((x, i) => [x.id, i]));
  return rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
}
/** Adds words to a case's search document (a note, a reply), in the caller's transaction. */
export async function addSearchWords(ex: Executor, caseId: string, doc: string): Promise<void> {
  if (!doc) return;
  await ex.execute(sql`insert into case_search (case_id, area_path, created_at, doc) select id, area_path, created_at, ${doc}::tsvector from ${cases} where id = ${caseId}
    on conflict (case_id) do update set doc = case_search.doc || excluded.doc`);
}

/** How many cases have no search words (cases less search documents: the indexer's work, if any). */
export async function searchBacklog(db: Db): Promise<number> {
  const r = (await db.execute(sql`select (select count(*) from ${cases}) - (select count(*) from case_search) as n`)) as unknown as { rows: { n: number | string }[] };
  return Number(r.rows[0]!.n);
}
/** The next cases after an id, with whether they have search words and, if not, what their timeline said. */
export async function casesToIndex(db: Db, after: string, batch: number) {
  const r = (await db.execute(sql`select c.id, c.area_path, c.created_at, c.description, c.address, s.case_id is not null as done,
      (select string_agg(e.note, ' ') from case_events e where e.case_id = c.id and e.action <> 'return_visit' and s.case_id is null) as said
    from ${cases} c left join case_search s on s.case_id = c.id where c.id > ${after}::uuid order by c.id limit ${batch}`)) as unknown as
    { rows: { id: string; area_path: string; created_at: Date | string; description: string; address: string | null; done: boolean; said: string | null }[] };
  return r.rows.map((x) => ({ id: x.id, areaPath: x.area_path, createdAt: x.created_at, description: x.description, address: x.address, done: x.done, said: x.said }));
}
export async function insertSearchDocs(db: Db, docs: { id: string; path: string; at: string; doc: string }[]): Promise<void> {
  if (!docs.length) return;
  await db.execute(sql`insert into case_search (case_id, area_path, created_at, doc)
    select d.id, d.path, d.at, d.doc::tsvector from jsonb_to_recordset(${JSON.stringify(docs)}::jsonb) as d(id uuid, path text, at timestamptz, doc text)
    on conflict (case_id) do nothing`);
}

/** The reporter's phone and tracking secret (both encrypted), for a text at delivery time. */
export async function findReporterContact(ex: Executor, id: string) {
  const [c] = await ex.select({ phoneEnc: cases.reporterPhoneEnc, secretEnc: cases.trackingSecretEnc }).from(cases).where(eq(cases.id, id));
  return c;
}

/** Cases whose clock is due by `limitAt` and not yet flagged, in a bounded batch (the deadline job). */
export async function dueForWarning(ex: Executor, where: SQL, limit: number): Promise<CaseRow[]> {
  return ex.select().from(cases).where(where).limit(limit);
}

/** Runs a statement of counts (queue counts) and returns its one row. */
export async function countRow(ex: Executor, statement: SQL): Promise<Record<string, number>> {
  const r = await ex.execute(statement);
  return ((r as unknown as { rows: Record<string, number>[] }).rows[0] ?? {}) as Record<string, number>;
}

/** Open cases of a subtree, newest first, for the grid page (within the reader's view). */
export async function listOpenBrief(ex: Executor, where: SQL, limit: number) {
  return ex.select({ id: cases.id, number: cases.number, status: cases.status, description: cases.description, createdAt: cases.createdAt })
    .from(cases).where(where).orderBy(desc(cases.createdAt)).limit(limit);
}

export async function countWhere(ex: Executor, where: SQL): Promise<number> {
  const [r] = await ex.select({ n: sql<number>`count(*)::int` }).from(cases).where(where);
  return Number(r?.n ?? 0);
}

/** Counts by the case's area path (the map sums them per grid). */
export async function countByAreaPath(ex: Executor, where: SQL) {
  return ex.select({ areaPath: cases.areaPath, n: sql<number>`count(*)::int` }).from(cases).where(where).groupBy(cases.areaPath);
}

/** Located cases' points, bounded. */
export async function listPoints(ex: Executor, where: SQL, limit: number) {
  return ex.select({ lon: cases.lon, lat: cases.lat }).from(cases).where(and(where, isNotNull(cases.lon), isNotNull(cases.lat))).limit(limit);
}

