/** The SQL of the Open311 interface: cases as service requests, read through the one scope function. */
import { and, desc, eq, gte, inArray, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '../../db/database.ts';
import { areas, cases, categories, organizations } from '../../db/schema.ts';
import { casesVisibleTo, underPath } from '../../access/scope.ts';
import type { Actor } from '../../access/actor.ts';

const owner = alias(organizations, 'owner_org');
const assignee = alias(organizations, 'assignee_org');
const merged = alias(cases, 'merged_case');

/**
 * Who reads what. Anyone: the cases a public page may name (appeals and hazards — never a dispute between
 * people), with the tracking page's fields only. An API key's account: besides, the cases the scope function
 * lets it see through the JSON API and the ones it filed itself, with their full fields.
 */
export function readerConditions(actor: Actor | null, publicReads = true): { where: SQL; full: SQL } {
  const isPublic = publicReads ? ne(cases.caseType, 'dispute') : sql`false`;
  if (!actor) return { where: isPublic, full: sql`false` };
  const own = eq(cases.createdBy, actor.userId ?? '00000000-0000-0000-0000-000000000000');
  const keyed = or(casesVisibleTo(actor, cases), own)!;
  return { where: or(isPublic, keyed)!, full: keyed };
}

export interface RequestFilter {
  jurisdictionPath: string | null;
  numbers?: string[];
  categoryIds?: number[];
  statuses?: readonly string[];
  from?: Date;
  to?: Date;
  limit: number;
}

export type RequestRow = Awaited<ReturnType<typeof listRequests>>[number];

/** Service requests newest first: by number (overriding the other filters), or by category, status and time. */
export async function listRequests(ex: Executor, reader: { where: SQL; full: SQL }, f: RequestFilter) {
  const conds: (SQL | undefined)[] = [reader.where];
  if (f.jurisdictionPath) conds.push(underPath(cases.areaPath, f.jurisdictionPath));
  if (f.numbers) conds.push(inArray(cases.number, f.numbers));
  else {
    if (f.categoryIds) conds.push(inArray(cases.categoryId, f.categoryIds));
    if (f.statuses) conds.push(inArray(cases.status, [...f.statuses]));
    if (f.from) conds.push(gte(cases.createdAt, f.from));
    if (f.to) conds.push(lte(cases.createdAt, f.to));
  }
  return ex.select({
    id: cases.id, number: cases.number, status: cases.status, caseType: cases.caseType, description: cases.description,
    address: cases.address, lon: cases.lon, lat: cases.lat, resultText: cases.resultText, handleDueAt: cases.handleDueAt,
    createdAt: cases.createdAt, updatedAt: cases.updatedAt, closedAt: cases.closedAt,
    categoryCode: categories.code, categoryName: categories.name, categoryNameEn: categories.nameEn, areaName: areas.name,
    owningOrgName: owner.name, assigneeOrgName: assignee.name, mergedIntoNumber: merged.number,
    full: sql<boolean>`(${reader.full})`.mapWith(Boolean),
  }).from(cases)
    .innerJoin(categories, eq(categories.id, cases.categoryId))
    .innerJoin(areas, eq(areas.id, cases.areaId))
    .innerJoin(owner, eq(owner.id, cases.owningOrgId))
    .leftJoin(assignee, eq(assignee.id, cases.assigneeOrgId))
    .leftJoin(merged, eq(merged.id, cases.mergedIntoId))
    .where(and(...conds))
    .orderBy(desc(cases.createdAt), desc(cases.id))
    .limit(f.limit);
}

/** A case's number by its id (a token answered by a POST in batch mode). */
export async function numberOfCase(ex: Executor, id: string): Promise<string | undefined> {
  const [r] = await ex.select({ number: cases.number }).from(cases).where(eq(cases.id, id));
  return r?.number;
}

/** An official area by its division code: the jurisdiction a client names. */
export async function jurisdictionByCode(ex: Executor, code: string) {
  const [r] = await ex.select({ id: areas.id, path: areas.path, name: areas.name }).from(areas)
    .where(and(eq(areas.code, code), eq(areas.official, true)));
  return r;
}

/** The installation's top areas (one for most): the default jurisdiction's name in the discovery document. */
export async function topAreas(ex: Executor) {
  return ex.select({ id: areas.id, code: areas.code, name: areas.name, path: areas.path }).from(areas)
    .where(sql`${areas.parentId} is null`).orderBy(areas.id).limit(20);
}
