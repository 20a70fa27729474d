/**
 * Outbound webhooks: an organisation's subscriptions (a URL, a secret, the events it wants), the queue the
 * triggers on case events and warnings fill while any subscription is active, and one delivery row per event
 * and subscription — the delivery log, with its attempts, its last answer, and a dead-letter state.
 */
import { sql } from 'drizzle-orm';
import { pgTable, integer, text, timestamp, uuid, boolean, index, bigint, jsonb, check } from 'drizzle-orm/pg-core';
import { organizations } from './foundation.ts';

export const webhookSubscriptions = pgTable('webhook_subscriptions', {
  id: uuid('id').primaryKey().defaultRandom(),
  organizationId: integer('organization_id').notNull().references(() => organizations.id),
  areaPath: text('area_path').notNull(),
  name: text('name').notNull(),
  url: text('url').notNull(),
  /** The HMAC-SHA256 key of the deliveries, encrypted (webhook_subscriptions.secret). */
  secretEnc: text('secret_enc').notNull(),
  /** case.created · case.status_changed · case.supervised · warning.raised */
  events: text('events').array().notNull(),
  active: boolean('active').notNull().default(true),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('webhook_subscriptions_area_idx').on(t.areaPath.op('text_pattern_ops'))]);

/** Filled by triggers in the writer's transaction; the fan-out takes each row exactly once (DELETE … RETURNING). */
export const webhookQueue = pgTable('webhook_queue', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  kind: text('kind').notNull(),
  eventId: bigint('event_id', { mode: 'number' }),
  warningId: integer('warning_id'),
});

export const webhookDeliveries = pgTable('webhook_deliveries', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  subscriptionId: uuid('subscription_id').notNull().references(() => webhookSubscriptions.id),
  event: text('event').notNull(),
  /** Deliveries of one case to one subscription go out in this order (the case's event order). */
  caseId: uuid('case_id'),
  payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
  /** pending → sending → delivered; back to pending after a failed try; dead after the last. */
  status: text('status').notNull().default('pending'),
  attempts: integer('attempts').notNull().default(0),
  lastStatusCode: integer('last_status_code'),
  lastError: text('last_error'),
  sendingSince: timestamp('sending_since', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  deliveredAt: timestamp('delivered_at', { withTimezone: true }),
}, (t) => [
  check('webhook_deliveries_status_check', sql`${t.status} in ('pending','sending','delivered','dead')`),
  index('webhook_deliveries_subscription_idx').on(t.subscriptionId, t.id),
  index('webhook_deliveries_chain_idx').on(t.subscriptionId, t.caseId, t.id).where(sql`${t.status} in ('pending','sending')`),
]);
