import { and, asc, desc, eq, getTableColumns, isNotNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { alias, type PgInsertValue } from 'drizzle-orm/pg-core';
import { rowsOf } from '../../db/rows.ts';
import { underPath } from '../../access/scope.ts';
import { CHINA_OFFSET_MS, chinaDay } from '../calendar/working-time.ts';
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

/** A match as a search reads it: the case, its time, its score. */
interface Found { id: string; at: Date | string; rank: number | string }
/** How many of the newest matches a search ranks. */
const SEARCH_WINDOW = 500;
const DAY = 86_400_000;
const CHINA = CHINA_OFFSET_MS;
/** China-time day, month or year as a search document's time terms name it (fq_search_facets): 20261201, 202612, 2026. */
const chinaStamp = (t: number, chars: number) => chinaDay(new Date(t)).replace(/-/g, '').slice(0, chars);
/**
 * The stretches of time a search looks in, newest first, as tsquery terms of an area's time or an organisation's
 * (fq_search_facets: '@a2d20261201' is area 2's 1 December, '@d…' the whole installation's; fq_search_org_facets:
 * '@o12d20261201' department 12's), each with when it starts: today and yesterday, the last seven days, this month,
 * this month and the last, this year, this year and the last; then all time ('@o12': all the organisation's cases;
 * an area's: none, its path narrows). Each stretch holds every case newer than its start, so one that holds the
 * whole window holds exactly the window an unbounded search would give. A stretch of one term comes before the
 * same stretch widened by a second: the GIN index intersects the words with one posting list more cheaply than
 * with the union of two (a rare pair of words and this year: 5 ms; this year or the last: 14 ms). A stretch no
 * longer than the one before it (this month in its first days) is left out.
 */
export function searchStages(of: { area: string } | { org: number }, now: number): { terms: string | null; since: number }[] {
  const key = 'org' in of ? `o${of.org}` : of.area.split('/').filter(Boolean).map((a) => `a${a}`).at(-1) ?? '';
  const at = (grain: string, stamp: string) => `'@${key}${grain}${stamp}'`;
  const china = new Date(now + CHINA);
  const [y, m, d] = [china.getUTCFullYear(), china.getUTCMonth(), china.getUTCDate()];
  const days = Array.from({ length: 7 }, (_, i) => at('d', chinaStamp(now - i * DAY, 8)));
  const month = at('m', chinaStamp(now, 6));
  const stages = [
    { terms: days.slice(0, 2).join(' | '), since: Date.UTC(y, m, d - 1) - CHINA },
    { terms: days.join(' | '), since: Date.UTC(y, m, d - 6) - CHINA },
    { terms: month, since: Date.UTC(y, m, 1) - CHINA },
    { terms: `${month} | ${at('m', chinaStamp(Date.UTC(y, m - 1, 15), 6))}`, since: Date.UTC(y, m - 1, 1) - CHINA },
    { terms: at('y', String(y)), since: Date.UTC(y, 0, 1) - CHINA },
    { terms: `${at('y', String(y))} | ${at('y', String(y - 1))}`, since: Date.UTC(y - 1, 0, 1) - CHINA },
    { terms: 'org' in of ? `'@${key}'` : null, since: -Infinity },
  ];
  return stages.filter((st, i) => stages.slice(0, i).every((before) => st.since < before.since));
}

/**
 * Cases matching a search, the best matches first. The newest 500 matches under the scope's area, and the newest
 * 500 among its organisation's own cases (a department's or committee's: case_search.orgs) — each the words and a
 * stretch of that area's or organisation's time asked of the GIN index together, the shortest stretch that holds
 * 500 — and the few a center sees from outside its area (case_search.centers) are taken from the search table
 * alone, then narrowed by the caller's scope and filters (`where`) and ranked by ts_rank_cd (how often and how
 * close together the case says the words).
 */
export async function searchCases(db: Db, where: SQL, tsq: { match: string; rank: string }, scope: { path: string | null; org: number | null }, limit: number, offset: number,
  o: { now: number; window?: number; staged?: boolean; chunk?: number }): Promise<CaseWithNames[]> {
  const size = o.window ?? SEARCH_WINDOW;
  // the newest `size` matches of a condition, each scored as it is read (the score on those rows only)
  const newest = async (q: string, seen: SQL) => rowsOf<Found>(await db.execute(sql`select id, at, ts_rank_cd(doc, ${tsq.rank}::tsquery) as rank
    from (select case_id as id, created_at as at, doc from case_search where doc @@ ${q}::tsquery and ${seen} order by created_at desc limit ${size}) w`));
  // the shortest recent stretch holding `size` matches, moving on at the rate each stretch found (a rare word goes far at once)
  const staged = async (of: { area: string } | { org: number }, seen: SQL) => {
    const stages = o.staged === false ? [{ terms: 'org' in of ? `'@o${of.org}'` : null, since: -Infinity }] : searchStages(of, o.now);
    let found: Found[] = [];
    for (let i = 0; i < stages.length;) {
      const { terms, since } = stages[i]!;
      found = await newest(terms ? `(${tsq.match}) & (${terms})` : tsq.match, seen);
      if (found.length === size || since === -Infinity) break;
      const needed = ((o.now - since) * size) / Math.max(found.length, 0.5);
      const next = stages.findIndex((st, j) => j > i && o.now - st.since >= needed);
      i = next < 0 ? stages.length - 1 : next;
    }
    return found;
  };
  const inArea = scope.path !== null ? await staged({ area: scope.path }, underPath(sql`area_path`, scope.path)) : [];
  let outside: Found[] = [];
  if (scope.org !== null && Number.isSafeInteger(scope.org)) {
    // a department's or committee's cases (their terms), or the few a center sees from outside its area
    // (centers: a partial index of the rows that have any); the organisation as a literal, so the planner weighs its own share
    outside = scope.path === null ? await staged({ org: scope.org }, sql`true`)
      : await newest(tsq.match, sql`centers <> '{}'::integer[] and centers && ${sql.raw(`array[${scope.org}]::integer[]`)}`);
  }
  // the best score first, then the newest; the caller's scope and filters decide which count, asked in that
  // order a stretch at a time until the page is full (without filters, the first stretch fills it)
  const ranked = [...new Map([...inArea, ...outside].map((f) => [f.id, f])).values()]
    .sort((a, b) => Number(b.rank) - Number(a.rank) || new Date(b.at).getTime() - new Date(a.at).getTime() || (a.id < b.id ? 1 : -1));
  const allowed: string[] = [];
  for (let from = 0, step = Math.max(2 * (offset + limit), o.chunk ?? 100); from < ranked.length && allowed.length < offset + limit; from += step, step *= 2) {
    const ids = ranked.slice(from, from + step).map((f) => f.id);
    const ok = new Set(rowsOf<{ id: string }>(await db.execute(sql`select ${cases.id} as id from ${cases} where ${cases.id} = any(${`{${ids.join(',')}}`}::uuid[]) and ${where}`)).map((x) => x.id));
    allowed.push(...ids.filter((id) => ok.has(id)));
  }
  const page = allowed.slice(offset, offset + limit);
  if (!page.length) return [];
  const rows = await casesByIds(db).execute({ ids: page });
  const order = new Map(page.map((id, i) => [id, i]));
  return rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
}
/** Adds words to a case's search document (a note, a reply), in the caller's transaction. */
export async function addSearchWords(ex: Executor, caseId: string, doc: string): Promise<void> {
  if (!doc) return;
  await ex.execute(sql`insert into case_search (case_id, area_path, created_at, doc, orgs, centers)
    select id, area_path, created_at, ${doc}::tsvector || fq_search_facets(area_path, created_at), fq_search_orgs(owning_org_id, assignee_org_id, co_handler_org_ids),
      fq_search_centers(area_path, owning_org_id, assignee_org_id, co_handler_org_ids) from ${cases} where id = ${caseId}
    on conflict (case_id) do update set doc = case_search.doc || excluded.doc`);
}

/** How many cases have no search words (cases less search documents: the indexer's work, if any). */
export async function searchBacklog(db: Db): Promise<number> {
  const r = (await db.execute(sql`select (select count(*) from ${cases}) - (select count(*) from case_search) as n`)) as unknown as { rows: { n: number | string }[] };
  return Number(r.rows[0]!.n);
}
/**
 * The next cases after one, oldest first (cases_created_idx), with whether they have search words and, if not,
 * what their timeline said: documents written in time order lie in neighbouring pages, as intake writes them, so a
 * search of a recent stretch reads few pages.
 */
export async function casesToIndex(db: Db, after: { at: string; id: string }, batch: number) {
  const r = (await db.execute(sql`select c.id, c.area_path, c.created_at, c.created_at::text as at_exact, c.description, c.address, s.case_id is not null as done,
      (select string_agg(e.note, ' ') from case_events e where e.case_id = c.id and e.action <> 'return_visit' and s.case_id is null) as said
    from ${cases} c left join case_search s on s.case_id = c.id where (c.created_at, c.id) > (${after.at}::timestamptz, ${after.id}::uuid)
    order by c.created_at, c.id limit ${batch}`)) as unknown as
    { rows: { id: string; area_path: string; created_at: Date | string; at_exact: string; description: string; address: string | null; done: boolean; said: string | null }[] };
  // the cursor keeps the time to the microsecond (a bulk import writes thousands of cases in one millisecond)
  return r.rows.map((x) => ({ id: x.id, areaPath: x.area_path, createdAt: x.created_at, atExact: x.at_exact, description: x.description, address: x.address, done: x.done, said: x.said }));
}
export async function insertSearchDocs(db: Db, docs: { id: string; path: string; at: string; doc: string }[]): Promise<void> {
  if (!docs.length) return;
  await db.execute(sql`insert into case_search (case_id, area_path, created_at, doc, orgs, centers)
    select d.id, d.path, d.at, d.doc::tsvector || fq_search_facets(d.path, d.at), fq_search_orgs(c.owning_org_id, c.assignee_org_id, c.co_handler_org_ids),
      fq_search_centers(c.area_path, c.owning_org_id, c.assignee_org_id, c.co_handler_org_ids)
    from jsonb_to_recordset(${JSON.stringify(docs)}::jsonb) as d(id uuid, path text, at timestamptz, doc text) join ${cases} c on c.id = d.id
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

