import { and, desc, eq, gte, inArray, like, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { areas, auditLog, cases, categories, organizations, people } from '../../db/schema.ts';

export type AuditRow = typeof auditLog.$inferSelect;
export type NewAuditRow = typeof auditLog.$inferInsert;

export async function insertAudit(ex: Executor, row: NewAuditRow): Promise<number> {
  const [r] = await ex.insert(auditLog).values(row).returning({ id: auditLog.id });
  return r!.id;
}

export interface AuditFilters {
  action?: string; actorId?: string; targetType?: string; targetId?: string;
  /** Everything about one target: a case (its reporter, its mediation and its parties) or any other record's id. */
  targetIds?: string[];
  since?: Date; until?: Date; beforeId?: number; limit: number;
}

export async function listAudit(ex: Executor, where: SQL, f: AuditFilters): Promise<AuditRow[]> {
  const conds: (SQL | undefined)[] = [where];
  if (f.action) conds.push(eq(auditLog.action, f.action));
  if (f.actorId) conds.push(eq(auditLog.actorId, f.actorId));
  if (f.targetType) conds.push(eq(auditLog.targetType, f.targetType));
  if (f.targetId) conds.push(eq(auditLog.targetId, f.targetId));
  if (f.targetIds) conds.push(f.targetIds.length ? or(inArray(auditLog.targetId, f.targetIds), ...f.targetIds.map((id) => like(auditLog.targetId, `${id}/%`))) : sql`false`);
  if (f.since) conds.push(gte(auditLog.at, f.since));
  if (f.until) conds.push(lt(auditLog.at, f.until));
  if (f.beforeId !== undefined) conds.push(lt(auditLog.id, f.beforeId));
  return ex.select().from(auditLog).where(and(...conds)).orderBy(desc(auditLog.id)).limit(f.limit);
}

/** The case a case number names (a security officer types the number; the log holds the id). */
export async function caseIdsByNumber(ex: Executor, number: string): Promise<string[]> {
  return (await ex.select({ id: cases.id }).from(cases).where(eq(cases.number, number))).map((r) => r.id);
}

/** What the log's targets are called: case numbers, names of areas, organisations and categories, people's (encrypted) names. */
export async function targetNames(ex: Executor, ids: { cases: string[]; areas: number[]; orgs: number[]; categories: number[]; people: string[] }) {
  const q = async <T>(run: () => Promise<T[]>, n: number) => (n ? run() : []);
  const [cs, as, os, cats, ps] = await Promise.all([
    q(() => ex.select({ id: cases.id, name: cases.number }).from(cases).where(inArray(cases.id, ids.cases)), ids.cases.length),
    q(() => ex.select({ id: areas.id, name: areas.name }).from(areas).where(inArray(areas.id, ids.areas)), ids.areas.length),
    q(() => ex.select({ id: organizations.id, name: organizations.name }).from(organizations).where(inArray(organizations.id, ids.orgs)), ids.orgs.length),
    q(() => ex.select({ id: categories.id, name: categories.name }).from(categories).where(inArray(categories.id, ids.categories)), ids.categories.length),
    q(() => ex.select({ id: people.id, nameEnc: people.nameEnc }).from(people).where(inArray(people.id, ids.people)), ids.people.length),
  ]);
  return { cases: cs, areas: as, orgs: os, categories: cats, people: ps };
}
