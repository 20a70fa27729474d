import { and, asc, desc, eq, getTableColumns, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import { alias, type PgInsertValue } from 'drizzle-orm/pg-core';
import type { Db, Executor } from '../../db/database.ts';
import { perDatabase } from '../../db/prepared.ts';
import { areas, caseEvents, cases, categories, organizations, places } from '../../db/schema.ts';

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

export async function insertEvent(ex: Executor, v: typeof caseEvents.$inferInsert): Promise<void> {
  await ex.insert(caseEvents).values(v);
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

/** Centers at or above an area (deepest first), with their area's level. */
export async function centersAbove(ex: Executor, areaPath: string) {
  return ex.select({ id: organizations.id, name: organizations.name, areaPath: organizations.areaPath, level: areas.level, depth: areas.depth })
    .from(organizations).innerJoin(areas, eq(areas.id, organizations.areaId))
    .where(and(eq(organizations.kind, 'center'), eq(organizations.active, true), sql`${areaPath} like ${areas.path} || '%'`))
    .orderBy(desc(areas.depth), asc(organizations.id));
}

export async function findOrg(ex: Executor, id: number) {
  const [r] = await ex.select().from(organizations).where(eq(organizations.id, id));
  return r;
}

export async function findOrgWithLevel(ex: Executor, id: number) {
  const [r] = await ex.select({ id: organizations.id, name: organizations.name, kind: organizations.kind, areaPath: organizations.areaPath, level: areas.level })
    .from(organizations).innerJoin(areas, eq(areas.id, organizations.areaId)).where(eq(organizations.id, id));
  return r;
}

export async function findAreaById(ex: Executor, id: number) {
  const [r] = await ex.select().from(areas).where(eq(areas.id, id));
  return r;
}

/** A QR code's place and its area (the place decides the area of what is reported there). */
export async function findPlaceWithArea(ex: Executor, code: string) {
  const [r] = await ex.select({ place: places, area: areas }).from(places).innerJoin(areas, eq(areas.id, places.areaId))
    .where(and(eq(places.code, code), eq(places.active, true)));
  return r;
}

export async function findAreaByCode(ex: Executor, code: string) {
  const [r] = await ex.select().from(areas).where(eq(areas.code, code));
  return r;
}

/** Areas on the path, to find the deepest official division code for case numbers. */
export async function areasOnPath(ex: Executor, path: string) {
  const ids = path.split('/').filter(Boolean).map(Number);
  return ex.select().from(areas).where(sql`${areas.id} in (${sql.join(ids.map((i) => sql`${i}`), sql`, `)})`).orderBy(desc(areas.depth));
}

/** Organisations a case owned by `ownerAreaPath` may go to: everything below the owner, and departments above it. */
export async function targetsFor(ex: Executor, ownerAreaPath: string) {
  return ex.select({
    id: organizations.id, name: organizations.name, kind: organizations.kind, departmentType: organizations.departmentType,
    areaId: areas.id, areaName: areas.name, areaLevel: areas.level, areaPath: areas.path,
  }).from(organizations).innerJoin(areas, eq(areas.id, organizations.areaId))
    .where(and(eq(organizations.active, true), or(
      sql`${organizations.areaPath} like ${ownerAreaPath} || '%'`,
      and(eq(organizations.kind, 'department'), sql`${ownerAreaPath} like ${organizations.areaPath} || '%'`),
    )))
    .orderBy(asc(areas.depth), asc(areas.path), asc(organizations.kind), asc(organizations.id)).limit(2000);
}
