/**
 * The registry's SQL: people and their special groups, places, organisations, visits, and the grid page's
 * counts. Every read takes the caller's scope condition (access/scope.ts) as `scope`.
 */
import { and, desc, eq, gt, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { areas, people, personGroups, places, registryOrganizations, visits } from '../../db/schema.ts';
import { underPath } from '../../access/scope.ts';

export type PersonRow = typeof people.$inferSelect;
export type GroupRow = typeof personGroups.$inferSelect;
export type PlaceRow = typeof places.$inferSelect;
export type RegistryOrgRow = typeof registryOrganizations.$inferSelect;
export type VisitRow = typeof visits.$inferSelect;

/** The scope condition of each registry table for an actor (scope.ts's visibleTo on its area path). */
export const scopeColumns = {
  people: { areaPath: people.areaPath }, groups: { areaPath: personGroups.areaPath }, places: { areaPath: places.areaPath },
  organizations: { areaPath: registryOrganizations.areaPath }, visits: { areaPath: visits.areaPath },
} as const;

/* ───── people ───── */

export async function findPersonByBlindIndex(ex: Executor, indexes: string[]) {
  const [row] = await ex.select({ id: people.id }).from(people).where(inArray(people.idNumberBidx, indexes));
  return row;
}
/** Which of these ID-number blind indexes are already in the registry. */
export async function knownIdIndexes(ex: Executor, indexes: string[]): Promise<Set<string>> {
  const known = new Set<string>();
  for (let i = 0; i < indexes.length; i += 1000) {
    for (const r of await ex.select({ b: people.idNumberBidx }).from(people).where(inArray(people.idNumberBidx, indexes.slice(i, i + 1000)))) known.add(r.b!);
  }
  return known;
}
export async function findPerson(ex: Executor, scope: SQL, id: string): Promise<PersonRow | undefined> {
  const [row] = await ex.select().from(people).where(and(eq(people.id, id), scope));
  return row;
}
export async function insertPeople(ex: Executor, rows: (typeof people.$inferInsert)[]): Promise<PersonRow[]> {
  const out: PersonRow[] = [];
  for (let i = 0; i < rows.length; i += 500) out.push(...await ex.insert(people).values(rows.slice(i, i + 500)).returning());
  return out;
}
export async function updatePerson(ex: Executor, id: string, set: Partial<typeof people.$inferInsert>): Promise<PersonRow> {
  const [row] = await ex.update(people).set(set).where(eq(people.id, id)).returning();
  return row!;
}
export interface PeopleFilter {
  status: string; areaPath?: string; placeId?: number; residency?: string; idIndexes?: string[]; phoneIndexes?: string[];
  group?: string; attention?: string; beforeId?: string;
}
export async function listPeople(ex: Executor, scope: SQL, f: PeopleFilter, limit: number): Promise<PersonRow[]> {
  const where: (SQL | undefined)[] = [scope, eq(people.status, f.status)];
  if (f.areaPath) where.push(underPath(people.areaPath, f.areaPath));
  if (f.placeId) where.push(eq(people.placeId, f.placeId));
  if (f.residency) where.push(eq(people.residency, f.residency));
  if (f.idIndexes) where.push(inArray(people.idNumberBidx, f.idIndexes));
  if (f.phoneIndexes) where.push(inArray(people.phoneBidx, f.phoneIndexes));
  if (f.group || f.attention) {
    where.push(sql`exists (select 1 from ${personGroups} g where g.person_id = ${people.id}${f.group ? sql` and g.kind = ${f.group}` : sql``}${f.attention ? sql` and g.attention_level = ${f.attention}` : sql``})`);
  }
  if (f.beforeId) where.push(lt(people.id, f.beforeId));
  return ex.select().from(people).where(and(...where)).orderBy(desc(people.id)).limit(limit);
}
export async function groupsOf(ex: Executor, personIds: string[]): Promise<GroupRow[]> {
  return personIds.length ? ex.select().from(personGroups).where(inArray(personGroups.personId, personIds)) : [];
}
export async function moveGroups(ex: Executor, personId: string, areaPath: string): Promise<void> {
  await ex.update(personGroups).set({ areaPath }).where(eq(personGroups.personId, personId));
}
export async function upsertGroup(ex: Executor, v: typeof personGroups.$inferInsert & { updatedAt: Date }): Promise<void> {
  await ex.insert(personGroups).values(v).onConflictDoUpdate({
    target: [personGroups.personId, personGroups.kind], set: { attentionLevel: v.attentionLevel, detailsEnc: v.detailsEnc, nextFollowUpOn: v.nextFollowUpOn, updatedAt: v.updatedAt },
  });
}
export async function deleteGroup(ex: Executor, personId: string, kind: string): Promise<void> {
  await ex.delete(personGroups).where(and(eq(personGroups.personId, personId), eq(personGroups.kind, kind)));
}
export async function setGroupFollowUp(ex: Executor, groupId: number, nextFollowUpOn: string, at: Date): Promise<void> {
  await ex.update(personGroups).set({ nextFollowUpOn, updatedAt: at }).where(eq(personGroups.id, groupId));
}
/** A purge: the group details go, the group kinds stay (statistics); the person's visits go. */
export async function eraseGroupDetailsAndVisits(ex: Executor, personId: string, at: Date): Promise<void> {
  await ex.update(personGroups).set({ detailsEnc: null, nextFollowUpOn: null, updatedAt: at }).where(eq(personGroups.personId, personId));
  await ex.delete(visits).where(and(eq(visits.subjectType, 'person'), eq(visits.subjectId, personId)));
}

/* ───── places ───── */

export async function findPlace(ex: Executor, scope: SQL, id: number): Promise<PlaceRow | undefined> {
  const [p] = await ex.select().from(places).where(and(eq(places.id, id), scope));
  return p;
}
/** A place code must not repeat a place's or an area's code (both answer a QR code). */
export async function placeCodeTaken(ex: Executor, code: string): Promise<boolean> {
  const [taken] = await ex.select({ id: places.id }).from(places).where(eq(places.code, code));
  const [area] = await ex.select({ id: areas.id }).from(areas).where(eq(areas.code, code));
  return Boolean(taken || area);
}
export async function insertPlace(ex: Executor, v: typeof places.$inferInsert): Promise<PlaceRow> {
  const [row] = await ex.insert(places).values(v).returning();
  return row!;
}
export async function updatePlace(ex: Executor, id: number, set: Partial<typeof places.$inferInsert>): Promise<PlaceRow> {
  const [row] = await ex.update(places).set(set).where(eq(places.id, id)).returning();
  return row!;
}
export async function listPlaces(ex: Executor, scope: SQL, f: { areaPath?: string; kind?: string; q?: string; afterId?: number }, limit: number): Promise<PlaceRow[]> {
  const where: (SQL | undefined)[] = [scope];
  if (f.areaPath) where.push(underPath(places.areaPath, f.areaPath));
  if (f.kind) where.push(eq(places.kind, f.kind));
  if (f.q) where.push(sql`(${places.name} like ${`%${f.q}%`} or ${places.code} = ${f.q.trim()})`);
  if (f.afterId) where.push(gt(places.id, f.afterId));
  return ex.select().from(places).where(and(...where)).orderBy(places.id).limit(limit);
}
/** Places by their codes, within scope (people import). */
export async function placesByCode(ex: Executor, scope: SQL, codes: string[]): Promise<PlaceRow[]> {
  return codes.length ? ex.select().from(places).where(and(inArray(places.code, codes), scope)) : [];
}
/** A QR code's place and its area (the place decides the area of what is reported there). */
export async function findPlaceWithArea(ex: Executor, code: string) {
  const [r] = await ex.select({ place: places, area: areas }).from(places).innerJoin(areas, eq(areas.id, places.areaId))
    .where(and(eq(places.code, code), eq(places.active, true)));
  return r;
}

/* ───── organisations and visits ───── */

export async function creditCodeTaken(ex: Executor, creditCode: string): Promise<boolean> {
  const [dup] = await ex.select({ id: registryOrganizations.id }).from(registryOrganizations).where(eq(registryOrganizations.creditCode, creditCode));
  return Boolean(dup);
}
export async function insertOrganization(ex: Executor, v: typeof registryOrganizations.$inferInsert): Promise<RegistryOrgRow> {
  const [row] = await ex.insert(registryOrganizations).values(v).returning();
  return row!;
}
export async function findOrganization(ex: Executor, scope: SQL, id: number): Promise<RegistryOrgRow | undefined> {
  const [o] = await ex.select().from(registryOrganizations).where(and(eq(registryOrganizations.id, id), scope));
  return o;
}
export async function listOrganizations(ex: Executor, scope: SQL, f: { areaPath?: string; kind?: string; afterId?: number }, limit: number) {
  const where: (SQL | undefined)[] = [scope];
  if (f.areaPath) where.push(underPath(registryOrganizations.areaPath, f.areaPath));
  if (f.kind) where.push(eq(registryOrganizations.kind, f.kind));
  if (f.afterId) where.push(gt(registryOrganizations.id, f.afterId));
  return ex.select().from(registryOrganizations).where(and(...where)).orderBy(registryOrganizations.id).limit(limit);
}
export async function insertVisit(ex: Executor, v: typeof visits.$inferInsert): Promise<VisitRow> {
  const [row] = await ex.insert(visits).values(v).returning();
  return row!;
}
export async function listVisits(ex: Executor, scope: SQL, f: { subjectType?: string; subjectId?: string; areaPath?: string; beforeId?: number }, limit: number) {
  const where: (SQL | undefined)[] = [scope];
  if (f.subjectType && f.subjectId) where.push(eq(visits.subjectType, f.subjectType), eq(visits.subjectId, f.subjectId));
  if (f.areaPath) where.push(underPath(visits.areaPath, f.areaPath));
  if (f.beforeId) where.push(lt(visits.id, f.beforeId));
  return ex.select().from(visits).where(and(...where)).orderBy(desc(visits.id)).limit(limit);
}

/* ───── the grid page and the map ───── */

/** What a subtree holds (四知四清), each count within the reader's scope of its table. */
export async function countsUnder(ex: Executor, path: string, scope: { people: SQL; groups: SQL; places: SQL; organizations: SQL }) {
  const [counts] = await ex.select({
    people: sql<number>`(select count(*)::int from ${people} where ${underPath(people.areaPath, path)} and ${scope.people} and ${people.status} = 'active')`,
    special: sql<number>`(select count(distinct ${personGroups.personId})::int from ${personGroups} where ${underPath(personGroups.areaPath, path)} and ${scope.groups})`,
    places: sql<number>`(select count(*)::int from ${places} where ${underPath(places.areaPath, path)} and ${scope.places} and ${places.active})`,
    organizations: sql<number>`(select count(*)::int from ${registryOrganizations} where ${underPath(registryOrganizations.areaPath, path)} and ${scope.organizations})`,
  }).from(sql`(select 1) as one`);
  return counts!;
}
/** People of high attention counted by area path (the map colours grids by them). */
export async function highAttentionByAreaPath(ex: Executor, path: string, scope: SQL) {
  return ex.select({ areaPath: personGroups.areaPath, n: sql<number>`count(distinct ${personGroups.personId})::int` }).from(personGroups)
    .where(and(underPath(personGroups.areaPath, path), scope, eq(personGroups.attentionLevel, 'high'))).groupBy(personGroups.areaPath);
}
