/**
 * Inbound feeds: the platforms that send reports in (12345 hotline work orders, police incidents, petitions,
 * IoT alarms), each with its secret for signed messages and the account its cases are filed as; every message
 * received, by the sender's own id (idempotency, replays refused); the devices registered to places.
 */
import { sql } from 'drizzle-orm';
import { pgTable, integer, text, timestamp, uuid, boolean, index, uniqueIndex, primaryKey, check, jsonb } from 'drizzle-orm/pg-core';
import { areas, organizations, users } from './foundation.ts';
import { cases, categories } from './cases.ts';
import { places } from './registry.ts';

export const feedSources = pgTable('feed_sources', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** hotline (12345 work orders) · police (警情, 警调对接) · petition (信访件, 访调对接) · iot (device alarms). */
  kind: text('kind').notNull(),
  name: text('name').notNull(),
  /** The integration account the cases are filed as: its organisation receives them, its area bounds them. */
  userId: uuid('user_id').notNull().references(() => users.id),
  organizationId: integer('organization_id').notNull().references(() => organizations.id),
  areaPath: text('area_path').notNull(),
  /** The HMAC-SHA256 key of the messages, encrypted (feed_sources.secret). */
  secretEnc: text('secret_enc').notNull(),
  /** When a message names no category the center knows (and the category model is not confident). */
  defaultCategoryId: integer('default_category_id').references(() => categories.id),
  /** Where status changes of the platform's cases are sent back (12345: accepted, replied, closed). */
  callbackUrl: text('callback_url'),
  /** IoT: alarms of one device within this many minutes of the last one join its open case. */
  alarmWindowMinutes: integer('alarm_window_minutes').notNull().default(60),
  active: boolean('active').notNull().default(true),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  check('feed_sources_kind_check', sql`${t.kind} in ('hotline','police','petition','iot')`),
  index('feed_sources_area_idx').on(t.areaPath.op('text_pattern_ops')),
]);

/** Every message taken in, by the sender's id: a second one with the same id is refused, nothing written twice. */
export const feedMessages = pgTable('feed_messages', {
  sourceId: uuid('source_id').notNull().references(() => feedSources.id),
  externalId: text('external_id').notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  /** created (a new case) · joined (a repeated alarm on the device's open case) · cleared (an alarm's clear message). */
  outcome: text('outcome').notNull(),
  caseId: uuid('case_id').references(() => cases.id),
  /** A device's message: the device and its alarm episode (the case of an episode is filled in once it exists). */
  deviceId: uuid('device_id'),
  episode: integer('episode'),
  /** What the device reported (free text from the platform). */
  detail: text('detail'),
}, (t) => [
  primaryKey({ columns: [t.sourceId, t.externalId] }),
  index('feed_messages_case_idx').on(t.caseId),
  index('feed_messages_episode_idx').on(t.deviceId, t.episode).where(sql`${t.caseId} is null`),
]);

export const feedDevices = pgTable('feed_devices', {
  id: uuid('id').primaryKey().defaultRandom(),
  sourceId: uuid('source_id').notNull().references(() => feedSources.id),
  /** The device's own id as the platform sends it. */
  code: text('code').notNull(),
  /** smoke · access_control · elevator · ebike_charging · high_altitude_throwing */
  kind: text('kind').notNull(),
  name: text('name').notNull(),
  placeId: integer('place_id').notNull().references(() => places.id),
  areaId: integer('area_id').notNull().references(() => areas.id),
  areaPath: text('area_path').notNull(),
  categoryId: integer('category_id').notNull().references(() => categories.id),
  /** The case its alarms join while it is open and the alarms keep coming within the source's window. */
  openCaseId: uuid('open_case_id').references(() => cases.id),
  lastAlarmAt: timestamp('last_alarm_at', { withTimezone: true }),
  /** Alarms joined to the open case since it was opened. */
  alarmCount: integer('alarm_count').notNull().default(0),
  /** Counts the device's runs of alarms: each run is one case, filed under a key made of the device and its episode. */
  episode: integer('episode').notNull().default(0),
  attributes: jsonb('attributes').$type<Record<string, unknown>>().notNull().default({}),
  active: boolean('active').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('feed_devices_code_key').on(t.sourceId, t.code),
  check('feed_devices_kind_check', sql`${t.kind} in ('smoke','access_control','elevator','ebike_charging','high_altitude_throwing')`),
  index('feed_devices_area_idx').on(t.areaPath.op('text_pattern_ops')),
]);
