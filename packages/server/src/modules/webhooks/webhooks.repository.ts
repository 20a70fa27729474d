/** The SQL of outbound webhooks: subscriptions, the trigger-filled queue, deliveries and their log. */
import { and, desc, eq, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { areas, caseEvents, cases, categories, organizations, warnings, webhookDeliveries, webhookQueue, webhookSubscriptions } from '../../db/schema.ts';

export type SubscriptionRow = typeof webhookSubscriptions.$inferSelect;
export type DeliveryRow = typeof webhookDeliveries.$inferSelect;

export async function insertSubscription(ex: Executor, v: typeof webhookSubscriptions.$inferInsert): Promise<SubscriptionRow> {
  const [r] = await ex.insert(webhookSubscriptions).values(v).returning();
  return r!;
}
export async function updateSubscription(ex: Executor, id: string, patch: Partial<typeof webhookSubscriptions.$inferInsert>) {
  await ex.update(webhookSubscriptions).set(patch).where(eq(webhookSubscriptions.id, id));
}
export async function findSubscription(ex: Executor, id: string, where: SQL = sql`true`) {
  const [r] = await ex.select().from(webhookSubscriptions).where(and(eq(webhookSubscriptions.id, id), where));
  return r;
}

/** Subscriptions with their organisation and delivery figures, within a scope condition. */
export async function listSubscriptions(ex: Executor, where: SQL) {
  const count = (status: string) => sql<number>`(select count(*) from webhook_deliveries d where d.subscription_id = ${webhookSubscriptions.id} and d.status = ${status})`.mapWith(Number);
  return ex.select({ s: webhookSubscriptions, organizationName: organizations.name, pending: count('pending'), dead: count('dead'), delivered: count('delivered') })
    .from(webhookSubscriptions).innerJoin(organizations, eq(organizations.id, webhookSubscriptions.organizationId))
    .where(where).orderBy(desc(webhookSubscriptions.createdAt)).limit(500);
}

/** Active subscriptions with their organisation's kind: whom the fan-out asks the scope function about. */
export async function activeSubscriptions(ex: Executor) {
  return ex.select({ s: webhookSubscriptions, organizationKind: organizations.kind }).from(webhookSubscriptions)
    .innerJoin(organizations, eq(organizations.id, webhookSubscriptions.organizationId)).where(eq(webhookSubscriptions.active, true));
}

/** The queue's oldest rows, taken: deleted in the caller's transaction, so each is fanned out exactly once. */
export async function takeQueue(ex: Executor, limit: number) {
  return ex.delete(webhookQueue)
    .where(inArray(webhookQueue.id, sql`(select id from webhook_queue order by id limit ${limit} for update skip locked)`))
    .returning();
}

/** Case events with what a subscriber is told about the case. */
export async function eventsWithCases(ex: Executor, ids: number[]) {
  if (!ids.length) return [];
  return ex.select({
    id: caseEvents.id, caseId: caseEvents.caseId, seq: caseEvents.seq, at: caseEvents.at, action: caseEvents.action, fromStatus: caseEvents.fromStatus,
    toStatus: caseEvents.toStatus, note: caseEvents.note, number: cases.number, caseType: cases.caseType, channel: cases.channel, status: cases.status,
    tier: cases.tier, categoryCode: categories.code, categoryName: categories.name, areaCode: areas.code, areaName: areas.name, areaPath: cases.areaPath,
    owningOrgId: cases.owningOrgId, assigneeOrgId: cases.assigneeOrgId, description: cases.description, address: cases.address,
    lon: cases.lon, lat: cases.lat, createdAt: cases.createdAt, handleDueAt: cases.handleDueAt,
  }).from(caseEvents).innerJoin(cases, eq(cases.id, caseEvents.caseId)).innerJoin(categories, eq(categories.id, cases.categoryId))
    .innerJoin(areas, eq(areas.id, cases.areaId)).where(inArray(caseEvents.id, ids)).orderBy(caseEvents.id);
}

export async function warningsByIds(ex: Executor, ids: number[]) {
  if (!ids.length) return [];
  return ex.select({ w: warnings, areaCode: areas.code, areaName: areas.name }).from(warnings).innerJoin(areas, eq(areas.id, warnings.areaId))
    .where(inArray(warnings.id, ids)).orderBy(warnings.id);
}

/** Of some cases, those a condition (the scope function for a subscriber) lets through. */
export async function casesWithin(ex: Executor, ids: string[], where: SQL): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await ex.select({ id: cases.id }).from(cases).where(and(inArray(cases.id, ids), where));
  return new Set(rows.map((r) => r.id));
}
export async function warningsWithin(ex: Executor, ids: number[], where: SQL): Promise<Set<number>> {
  if (!ids.length) return new Set();
  const rows = await ex.select({ id: warnings.id }).from(warnings).where(and(inArray(warnings.id, ids), where));
  return new Set(rows.map((r) => r.id));
}

export async function insertDeliveries(ex: Executor, rows: (typeof webhookDeliveries.$inferInsert)[]) {
  if (!rows.length) return [];
  return ex.insert(webhookDeliveries).values(rows).returning({ id: webhookDeliveries.id });
}

/**
 * Takes a delivery to send: pending, or left "sending" by a server that stopped five minutes ago. Undefined when
 * it is delivered, dead, or being sent elsewhere.
 */
export async function claimDelivery(ex: Executor, id: number, now: Date) {
  const [r] = await ex.update(webhookDeliveries).set({ status: 'sending', sendingSince: now })
    .where(and(eq(webhookDeliveries.id, id), or(eq(webhookDeliveries.status, 'pending'),
      and(eq(webhookDeliveries.status, 'sending'), lt(webhookDeliveries.sendingSince, new Date(now.getTime() - 5 * 60_000))))))
    .returning();
  return r;
}
export async function findDelivery(ex: Executor, id: number) {
  const [r] = await ex.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id));
  return r;
}

/** An earlier delivery of the same case to the same subscriber that has not gone out yet: this one waits for it. */
export async function earlierWaiting(ex: Executor, d: DeliveryRow): Promise<boolean> {
  if (!d.caseId) return false;
  const [r] = await ex.select({ id: webhookDeliveries.id }).from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.subscriptionId, d.subscriptionId), eq(webhookDeliveries.caseId, d.caseId), lt(webhookDeliveries.id, d.id),
      inArray(webhookDeliveries.status, ['pending', 'sending']))).limit(1);
  return Boolean(r);
}

export async function finishDelivery(ex: Executor, id: number, patch: Partial<typeof webhookDeliveries.$inferInsert>) {
  await ex.update(webhookDeliveries).set({ ...patch, sendingSince: null }).where(eq(webhookDeliveries.id, id));
}

export async function listDeliveries(ex: Executor, subscriptionId: string, f: { status?: string; beforeId?: number; limit: number }) {
  return ex.select().from(webhookDeliveries).where(and(eq(webhookDeliveries.subscriptionId, subscriptionId),
    f.status ? eq(webhookDeliveries.status, f.status) : undefined, f.beforeId ? lt(webhookDeliveries.id, f.beforeId) : undefined))
    .orderBy(desc(webhookDeliveries.id)).limit(f.limit);
}
