/** The grid registry's tables (GB/T 31000-2015): grid workers, places, people and their groups, organisations, visits. */
import { sql } from 'drizzle-orm';
import { pgTable, integer, text, boolean, timestamp, uuid, jsonb, bigint, index, uniqueIndex, check, smallint, doublePrecision } from 'drizzle-orm/pg-core';
import { timestamps } from './columns.ts';
import { areas, users } from './foundation.ts';
/** Grid workers (网格员) assigned to grids; a worker may serve more than one grid. */
export const gridWorkers = pgTable('grid_workers', {
  areaId: integer('area_id').notNull().references(() => areas.id),
  userId: uuid('user_id').notNull().references(() => users.id),
  areaPath: text('area_path').notNull(),
  assignedAt: timestamp('assigned_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('grid_workers_key').on(t.areaId, t.userId),
  index('grid_workers_user_idx').on(t.userId),
]);

/**
 * Places (地): buildings, shops, schools, facilities, protected lines. `code` is stable and printed in the
 * place's QR code; `attributes` holds the fields the code tables define for the kind (a school's pupils …).
 */
export const places = pgTable('places', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  code: text('code').notNull(),
  kind: text('kind').notNull(),
  name: text('name').notNull(),
  address: text('address'),
  lon: doublePrecision('lon'),
  lat: doublePrecision('lat'),
  areaId: integer('area_id').notNull().references(() => areas.id),
  areaPath: text('area_path').notNull(),
  attributes: jsonb('attributes').$type<Record<string, unknown>>().notNull().default({}),
  active: boolean('active').notNull().default(true),
  ...timestamps,
}, (t) => [
  uniqueIndex('places_code_key').on(t.code),
  index('places_area_path_idx').on(t.areaPath.op('text_pattern_ops'), t.id),
]);

/**
 * People (人, 实有人口). Name, ID number, phone and address are encrypted; the ID number and the phone have
 * keyed blind indexes for exact lookups and duplicate checks. Purging clears every personal field and
 * keeps gender, birth year, residency type and area for anonymous statistics.
 */
export const people = pgTable('people', {
  id: uuid('id').primaryKey().defaultRandom(),
  residency: text('residency').notNull(),
  nameEnc: text('name_enc'),
  idNumberEnc: text('id_number_enc'),
  idNumberBidx: text('id_number_bidx'),
  phoneEnc: text('phone_enc'),
  phoneBidx: text('phone_bidx'),
  addressEnc: text('address_enc'),
  gender: text('gender'),
  birthYear: smallint('birth_year'),
  householdNo: text('household_no'),
  relationToHead: text('relation_to_head'),
  room: text('room'),
  placeId: integer('place_id').references(() => places.id),
  areaId: integer('area_id').notNull().references(() => areas.id),
  areaPath: text('area_path').notNull(),
  attributes: jsonb('attributes').$type<Record<string, unknown>>().notNull().default({}),
  status: text('status').notNull().default('active'),
  archivedAt: timestamp('archived_at', { withTimezone: true }),
  purgedAt: timestamp('purged_at', { withTimezone: true }),
  createdBy: uuid('created_by'),
  ...timestamps,
}, (t) => [
  uniqueIndex('people_id_number_key').on(t.idNumberBidx),
  index('people_phone_idx').on(t.phoneBidx),
  index('people_area_path_idx').on(t.areaPath.op('text_pattern_ops'), t.id),
  index('people_place_idx').on(t.placeId),
  check('people_status_check', sql`${t.status} in ('active','archived','purged')`),
]);

/**
 * Special populations and key youth (特殊人群, 重点青少年): one row per person and group, with the attention
 * level (关注程度) and the group's follow-up fields, encrypted as one JSON document.
 */
export const personGroups = pgTable('person_groups', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  personId: uuid('person_id').notNull().references(() => people.id),
  areaPath: text('area_path').notNull(),
  kind: text('kind').notNull(),
  attentionLevel: text('attention_level').notNull(),
  detailsEnc: text('details_enc'),
  nextFollowUpOn: text('next_follow_up_on'),
  ...timestamps,
}, (t) => [
  uniqueIndex('person_groups_key').on(t.personId, t.kind),
  index('person_groups_area_path_idx').on(t.areaPath.op('text_pattern_ops'), t.kind),
]);

/** Non-public economic and social organisations (非公有制经济组织和社会组织, 组织). */
export const registryOrganizations = pgTable('registry_organizations', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  kind: text('kind').notNull(),
  name: text('name').notNull(),
  creditCode: text('credit_code'),
  contactNameEnc: text('contact_name_enc'),
  contactPhoneEnc: text('contact_phone_enc'),
  address: text('address'),
  placeId: integer('place_id').references(() => places.id),
  areaId: integer('area_id').notNull().references(() => areas.id),
  areaPath: text('area_path').notNull(),
  attributes: jsonb('attributes').$type<Record<string, unknown>>().notNull().default({}),
  ...timestamps,
}, (t) => [
  uniqueIndex('registry_organizations_credit_code_key').on(t.creditCode),
  index('registry_organizations_area_path_idx').on(t.areaPath.op('text_pattern_ops'), t.id),
]);

/** Visits and follow-ups (走访记录) by grid workers on people, places and organisations. */
export const visits = pgTable('visits', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  subjectType: text('subject_type').notNull(),
  subjectId: text('subject_id').notNull(),
  areaPath: text('area_path').notNull(),
  kind: text('kind').notNull(),
  visitedAt: timestamp('visited_at', { withTimezone: true }).notNull(),
  visitorId: uuid('visitor_id'),
  visitorName: text('visitor_name').notNull(),
  note: text('note').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index('visits_subject_idx').on(t.subjectType, t.subjectId, t.visitedAt),
  index('visits_area_path_idx').on(t.areaPath.op('text_pattern_ops'), t.visitedAt),
  check('visits_subject_type_check', sql`${t.subjectType} in ('person','place','organization')`),
]);

