/** Triage's SQL: model versions, the closed cases a model learns from, the organisations that handle a category, feedback. */
import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { cases, organizations, triageFeedback, triageModels } from '../../db/schema.ts';
import { rowsOf } from '../../db/rows.ts';

export type ModelRow = typeof triageModels.$inferSelect;

/** Stores a new version and makes it the active one (the partial unique index allows one). */
export async function insertActiveModel(ex: Executor, v: Omit<typeof triageModels.$inferInsert, 'active' | 'version'>): Promise<number> {
  await ex.update(triageModels).set({ active: false }).where(eq(triageModels.active, true));
  const [r] = await ex.insert(triageModels).values({ ...v, active: true }).returning({ version: triageModels.version });
  return r!.version;
}
export async function activate(ex: Executor, version: number): Promise<boolean> {
  const [found] = await ex.select({ version: triageModels.version }).from(triageModels).where(eq(triageModels.version, version));
  if (!found) return false;
  await ex.update(triageModels).set({ active: false }).where(eq(triageModels.active, true));
  await ex.update(triageModels).set({ active: true }).where(eq(triageModels.version, version));
  return true;
}
/** The active version's number: what each server compares with the model it holds. */
export async function activeVersion(ex: Executor): Promise<number | null> {
  const [r] = await ex.select({ version: triageModels.version }).from(triageModels).where(eq(triageModels.active, true));
  return r?.version ?? null;
}
export async function loadModel(ex: Executor, version: number): Promise<ModelRow | undefined> {
  const [r] = await ex.select().from(triageModels).where(eq(triageModels.version, version));
  return r;
}
export async function listModels(ex: Executor, limit = 20) {
  return ex.select({
    version: triageModels.version, source: triageModels.source, kind: triageModels.kind, examples: triageModels.examples,
    evaluation: triageModels.evaluation, active: triageModels.active, createdBy: triageModels.createdBy, createdAt: triageModels.createdAt,
  }).from(triageModels).orderBy(desc(triageModels.version)).limit(limit);
}
export async function lastModelAt(ex: Executor): Promise<Date | null> {
  const [r] = await ex.select({ at: triageModels.createdAt }).from(triageModels).orderBy(desc(triageModels.version)).limit(1);
  return r?.at ?? null;
}

/**
 * The most recent closed cases, as a model learns from them: the description and the category the case ended in
 * (after any reclassification by staff). Rejected and merged cases do not teach.
 */
export async function trainingCases(ex: Executor, limit: number): Promise<{ text: string; label: string }[]> {
  const r = await ex.execute(sql`select description as text, category_id::text as label from cases
    where status in ('closed', 'archived') order by created_at desc limit ${limit}`);
  return rowsOf<{ text: string; label: string }>(r);
}
/** Closed cases since a time: whether a scheduled retraining has anything new to learn. */
export async function closedSince(ex: Executor, since: Date): Promise<number> {
  const r = await ex.execute(sql`select count(*)::int as n from (select 1 from cases where status in ('closed', 'archived') and updated_at > ${since.toISOString()} limit 100000) x`);
  return Number(rowsOf<{ n: number }>(r)[0]!.n);
}

/**
 * The organisations that handled closed cases of a category under an area — of the cases the caller may see — most
 * often first, counted over the latest 500 such cases, so the answer stays quick however long the history.
 */
export async function usualHandlers(ex: Executor, visible: SQL, categoryId: number, areaPath: string): Promise<{ id: number; name: string; n: number }[]> {
  const r = await ex.execute(sql`select o.id, o.name, count(*)::int as n from (
      select assignee_org_id from ${cases} where ${visible} and category_id = ${categoryId} and area_path like ${`${areaPath}%`}
        and status in ('closed', 'archived') and assignee_org_id is not null order by created_at desc limit 500) c
    join ${organizations} o on o.id = c.assignee_org_id group by o.id, o.name order by n desc, o.id limit 3`);
  return rowsOf<{ id: number; name: string; n: number }>(r).map((x) => ({ id: Number(x.id), name: x.name, n: Number(x.n) }));
}

export async function recordFeedback(ex: Executor, v: typeof triageFeedback.$inferInsert): Promise<void> {
  await ex.insert(triageFeedback).values(v).onConflictDoNothing();
}
/** A clerk accepted a case whose category the model chose: their category (kept or corrected) is the feedback. */
export async function confirmFeedback(ex: Executor, caseId: string, chosen: number, userId: string | null): Promise<void> {
  await ex.update(triageFeedback).set({ chosen, userId, pending: false, at: sql`now()` }).where(and(eq(triageFeedback.caseId, caseId), eq(triageFeedback.pending, true)));
}
/** How often the model's first suggestion was what staff chose, and any of the three, for each of some versions. */
export async function feedbackFigures(ex: Executor, versions: number[]): Promise<Map<number, { n: number; first: number; any: number }>> {
  if (!versions.length) return new Map();
  const r = await ex.execute(sql`select model_version as v, count(*)::int as n, count(*) filter (where suggested[1] = chosen)::int as first,
    count(*) filter (where chosen = any(suggested))::int as any from ${triageFeedback}
    where not pending and model_version in (select value::int from jsonb_array_elements_text(${JSON.stringify(versions)}::jsonb)) group by model_version`);
  return new Map(rowsOf<{ v: number; n: number; first: number; any: number }>(r).map((x) => [Number(x.v), { n: Number(x.n), first: Number(x.first), any: Number(x.any) }]));
}
