/** The case loop's tables: categories, deadline policies, the calendar, cases and their timeline, the outbox and what it delivers, attachments. */
import { sql } from 'drizzle-orm';
import { pgTable, integer, text, boolean, timestamp, uuid, jsonb, bigint, index, uniqueIndex, check, doublePrecision, pgSequence, date, primaryKey } from 'drizzle-orm/pg-core';
import { CaseStatuses, RunningStatuses, WorkInHandStatuses } from '@fengqiao/contracts';
import { areas, organizations } from './foundation.ts';
/** Category tree (configurable); each leaf knows whether it is an appeal, a hazard or a dispute. */
export const categories = pgTable('categories', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  parentId: integer('parent_id').references((): any => categories.id),
  code: text('code').notNull(),
  name: text('name').notNull(),
  nameEn: text('name_en').notNull(),
  caseType: text('case_type').notNull(),
  active: boolean('active').notNull().default(true),
  sortOrder: integer('sort_order').notNull().default(0),
}, (t) => [
  uniqueIndex('categories_code_key').on(t.code),
  check('categories_case_type_check', sql`${t.caseType} in ('appeal','hazard','dispute')`),
]);

/** Deadline policy per category × tier (null = any); the most specific one applies. Units: hours or working days. */
export const deadlinePolicies = pgTable('deadline_policies', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  categoryId: integer('category_id').references(() => categories.id),
  tier: text('tier'),
  contactAmount: integer('contact_amount').notNull(),
  contactUnit: text('contact_unit').notNull(),
  handleAmount: integer('handle_amount').notNull(),
  handleUnit: text('handle_unit').notNull(),
  replyAmount: integer('reply_amount').notNull(),
  replyUnit: text('reply_unit').notNull(),
  /** Dispute mediation (null: a less specific policy's, else the installation default): deciding on an application, and mediating. */
  mediationAcceptAmount: integer('mediation_accept_amount'),
  mediationAcceptUnit: text('mediation_accept_unit'),
  mediationAmount: integer('mediation_amount'),
  mediationUnit: text('mediation_unit'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('deadline_policies_scope_key').on(sql`coalesce(${t.categoryId}, 0)`, sql`coalesce(${t.tier}, '')`),
  check('deadline_policies_units_check', sql`${t.contactUnit} in ('hours','working_days') and ${t.handleUnit} in ('hours','working_days') and ${t.replyUnit} in ('hours','working_days')`),
  check('deadline_policies_mediation_check', sql`(${t.mediationAcceptUnit} is null or ${t.mediationAcceptUnit} in ('days','working_days')) and (${t.mediationUnit} is null or ${t.mediationUnit} in ('days','working_days'))
    and (${t.mediationAcceptAmount} is null) = (${t.mediationAcceptUnit} is null) and (${t.mediationAmount} is null) = (${t.mediationUnit} is null)`),
]);

/** Days that differ from "Monday–Friday work": official holidays and make-up working days (调休). */
export const calendarDays = pgTable('calendar_days', {
  day: text('day').primaryKey(), // YYYY-MM-DD, China time
  kind: text('kind').notNull(),
  name: text('name').notNull(),
  source: text('source').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [check('calendar_days_kind_check', sql`${t.kind} in ('holiday','workday')`)]);

/**
 * A case: one row, its workflow state in `status` (changed only by the state machine), `version` for
 * optimistic concurrency, `area_path` copied from its area (the scope and future shard key).
 */
/** A literal list for CHECK constraints and partial indexes: `('a','b')`, written from the contracts' one definition. */
const inList = (values: readonly string[]) => sql.raw(`(${values.map((v) => `'${v}'`).join(',')})`);

export const cases = pgTable('cases', {
  id: uuid('id').primaryKey().defaultRandom(),
  number: text('number').notNull(),
  version: integer('version').notNull().default(1),
  caseType: text('case_type').notNull(),
  channel: text('channel').notNull(),
  status: text('status').notNull(),
  tier: text('tier'),
  categoryId: integer('category_id').notNull().references(() => categories.id),
  areaId: integer('area_id').notNull().references(() => areas.id),
  areaPath: text('area_path').notNull(),
  owningOrgId: integer('owning_org_id').notNull().references(() => organizations.id),
  assigneeOrgId: integer('assignee_org_id').references(() => organizations.id),
  dispatchOrgId: integer('dispatch_org_id').references(() => organizations.id),
  coHandlerOrgIds: integer('co_handler_org_ids').array().notNull().default(sql`'{}'::integer[]`),
  description: text('description').notNull(),
  peopleInvolved: integer('people_involved').notNull().default(1),
  address: text('address'),
  lon: doublePrecision('lon'),
  lat: doublePrecision('lat'),
  reporterNameEnc: text('reporter_name_enc'),
  reporterPhoneEnc: text('reporter_phone_enc'),
  reporterPhoneBidx: text('reporter_phone_bidx'),
  anonymous: boolean('anonymous').notNull().default(false),
  trackingSecretEnc: text('tracking_secret_enc'),
  idempotencyKey: text('idempotency_key'),
  /** A keyed hash of the request that used the key: the same key with another body is refused, not answered with this case. */
  idempotencyHash: text('idempotency_hash'),
  createdBy: uuid('created_by'),
  returnCount: integer('return_count').notNull().default(0),
  reopenCount: integer('reopen_count').notNull().default(0),
  finalAssignment: boolean('final_assignment').notNull().default(false),
  resumeStatus: text('resume_status'),
  suspendedAt: timestamp('suspended_at', { withTimezone: true }),
  leaderUserId: uuid('leader_user_id'),
  supervisionLevel: text('supervision_level'),
  supervisionDueAt: timestamp('supervision_due_at', { withTimezone: true }),
  extensionRequest: jsonb('extension_request').$type<{ workingDays: number; reason: string; by: string } | null>(),
  mergedIntoId: uuid('merged_into_id'),
  acceptedAt: timestamp('accepted_at', { withTimezone: true }),
  contactDueAt: timestamp('contact_due_at', { withTimezone: true }),
  contactedAt: timestamp('contacted_at', { withTimezone: true }),
  handleDueAt: timestamp('handle_due_at', { withTimezone: true }),
  /** The deadline the sending platform set (a 12345 work order's 办理时限): the handle clock never runs past it. */
  dueBy: timestamp('due_by', { withTimezone: true }),
  repliedAt: timestamp('replied_at', { withTimezone: true }),
  replyDueAt: timestamp('reply_due_at', { withTimezone: true }),
  resultText: text('result_text'),
  visitResult: text('visit_result'),
  closedAt: timestamp('closed_at', { withTimezone: true }),
  /** Deadline warnings already raised, so the periodic job never raises one twice: contact_soon, handle_overdue … */
  warnings: text('warnings').array().notNull().default(sql`'{}'::text[]`),
  /**
   * 重复诉求: an earlier case within 30 days from the same reporter (blind index) or at the same place (area) in
   * the same category — set by the database when the case is inserted (migration 0013), whatever the path.
   */
  repeatOf: uuid('repeat_of'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('cases_number_key').on(t.number),
  uniqueIndex('cases_idempotency_key').on(t.idempotencyKey),
  index('cases_area_path_idx').on(t.areaPath.op('text_pattern_ops'), t.createdAt, t.id),
  // ascending on purpose: scanned backwards it yields ORDER BY created_at DESC, id DESC (nulls first) exactly
  index('cases_created_idx').on(t.createdAt, t.id),
  // lists filtered by status, and the overdue list, walk these backwards instead of filtering the whole history
  index('cases_status_created_idx').on(t.status, t.createdAt, t.id),
  index('cases_overdue_created_idx').on(t.createdAt, t.id).where(sql`${t.warnings} && array['contact_overdue','handle_overdue','reply_overdue']::text[]`),
  // an organisation's work in hand, with what its queue counts need: counted by an index-only scan
  index('cases_assigned_work_idx').on(t.assigneeOrgId, t.status, t.supervisionLevel, t.warnings).where(sql`${t.status} in ${inList(WorkInHandStatuses)}`),
  index('cases_owner_status_idx').on(t.owningOrgId, t.status, t.createdAt),
  index('cases_assignee_status_idx').on(t.assigneeOrgId, t.status, t.createdAt),
  index('cases_dispatch_status_idx').on(t.dispatchOrgId, t.status),
  // 共反映 N 次: the cases merged into one
  index('cases_merged_into_idx').on(t.mergedIntoId).where(sql`${t.mergedIntoId} is not null`),
  index('cases_leader_idx').on(t.leaderUserId).where(sql`${t.leaderUserId} is not null`),
  index('cases_open_due_idx').on(t.handleDueAt).where(sql`${t.status} in ${inList(RunningStatuses)}`),
  // a reporter's cases newest first: lookups by phone, and the repeat test's walk back that stops at the first hit
  index('cases_reporter_phone_idx').on(t.reporterPhoneBidx, t.createdAt),
  index('cases_place_category_idx').on(t.areaId, t.categoryId, t.createdAt),
  check('cases_status_check', sql`${t.status} in ${inList(CaseStatuses)}`),
  check('cases_tier_check', sql`${t.tier} is null or ${t.tier} in ('general','major','difficult','cross_region')`),
  check('cases_type_check', sql`${t.caseType} in ('appeal','hazard','dispute')`),
]);

/** Append-only timeline: one row per state change, written in the same transaction as the change. */
export const caseEvents = pgTable('case_events', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  caseId: uuid('case_id').notNull().references(() => cases.id),
  /** The case's version after this event: events replay in this order. */
  seq: integer('seq').notNull(),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  actorId: uuid('actor_id'),
  actorName: text('actor_name').notNull(),
  actorOrgId: integer('actor_org_id'),
  action: text('action').notNull(),
  fromStatus: text('from_status'),
  toStatus: text('to_status').notNull(),
  note: text('note'),
  /** `patch`: the columns this event set, so that replaying the events rebuilds the case. */
  payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
}, (t) => [
  uniqueIndex('case_events_case_seq_key').on(t.caseId, t.seq),
  index('case_events_actor_idx').on(t.actorId, t.action).where(sql`${t.action} in ('instruct','supervise','take_ownership')`),
  // the mediation figures read only these events, by time (modules/mediation/mediation.repository.ts FIGURE_EVENTS)
  index('case_events_mediation_figures_idx').on(t.at).where(sql`${t.action} in ('mediation_open','mediation_conclude','mediation_refer_confirmation','mediation_record_ruling')`),
]);

/**
 * Serial part of case numbers (220102200001-20261122-000123). A sequence, not a counter row: a row would
 * make every report of an area wait for the previous one's commit.
 */
export const caseNumberSeq = pgSequence('case_number_seq', { startWith: 1, cache: 1 });

/** Transactional outbox: side effects written with the change; a worker delivers them with retries. */
export const outbox = pgTable('outbox', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  topic: text('topic').notNull(),
  payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
  status: text('status').notNull().default('pending'),
  attempts: integer('attempts').notNull().default(0),
  availableAt: timestamp('available_at', { withTimezone: true }).notNull().defaultNow(),
  lockedAt: timestamp('locked_at', { withTimezone: true }),
  lastError: text('last_error'),
  dedupeKey: text('dedupe_key'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  deliveredAt: timestamp('delivered_at', { withTimezone: true }),
}, (t) => [
  index('outbox_pending_idx').on(t.availableAt, t.id).where(sql`${t.status} = 'pending'`),
  // housekeeping deletes the delivered ones by age: without it each hourly purge would read the whole table
  index('outbox_delivered_idx').on(t.deliveredAt).where(sql`${t.status} = 'done'`),
  uniqueIndex('outbox_dedupe_key').on(t.dedupeKey),
  check('outbox_status_check', sql`${t.status} in ('pending','processing','done','failed')`),
]);

/** In-app inbox: a message to an organisation (everyone in it) or to one user. */
export const notifications = pgTable('notifications', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  organizationId: integer('organization_id'),
  userId: uuid('user_id'),
  caseId: uuid('case_id'),
  kind: text('kind').notNull(),
  title: text('title').notNull(),
  body: text('body').notNull(),
  /** The catalog template of the title and its parameters: the title is shown in the reader's language. */
  template: text('template'),
  params: jsonb('params').$type<Record<string, unknown>>(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  /** Kept from before reading was per person; each reader's state is in notification_reads. */
  readAt: timestamp('read_at', { withTimezone: true }),
  /** Who caused it: never shown in their own inbox. */
  actorUserId: uuid('actor_user_id'),
}, (t) => [
  index('notifications_org_idx').on(t.organizationId, t.id),
  index('notifications_user_idx').on(t.userId, t.id),
  index('notifications_created_idx').on(t.createdAt), // housekeeping: the oldest first
]);

/** What each person has read: one row per message read, and a mark below which everything is read ("all read"). */
export const notificationReads = pgTable('notification_reads', {
  userId: uuid('user_id').notNull(),
  notificationId: bigint('notification_id', { mode: 'number' }).notNull(),
  readAt: timestamp('read_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.userId, t.notificationId] })]);

export const notificationReadMarks = pgTable('notification_read_marks', {
  userId: uuid('user_id').primaryKey(),
  /** Every message with an id up to this one is read. */
  upToId: bigint('up_to_id', { mode: 'number' }).notNull(),
  readAt: timestamp('read_at', { withTimezone: true }).notNull().defaultNow(),
});

/** SMS as handed to the sender (reporter acknowledgements, replies); phone encrypted like all personal data. */
export const smsMessages = pgTable('sms_messages', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  phoneEnc: text('phone_enc').notNull(),
  body: text('body').notNull(),
  caseId: uuid('case_id'),
  provider: text('provider').notNull(),
  sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
  /** The template it was sent under (a real gateway sends templates only) and the provider's id of the message. */
  template: text('template'),
  providerMessageId: text('provider_message_id'),
  /** sent → delivered or failed, from the provider's delivery receipt ("log": recorded only). */
  status: text('status').notNull().default('sent'),
  receiptAt: timestamp('receipt_at', { withTimezone: true }),
  receiptCode: text('receipt_code'),
}, (t) => [index('sms_messages_provider_idx').on(t.provider, t.providerMessageId)]);

/**
 * Photos and documents of a case. Bytes live in a blob store (the data directory by default), never in
 * the database. A file is uploaded first, unlinked (`case_id` null), and linked by the intake that names
 * it; unlinked uploads are purged after a day. `area_path` copies the case's, for scoped reads.
 */
export const attachments = pgTable('attachments', {
  id: uuid('id').primaryKey().defaultRandom(),
  caseId: uuid('case_id').references(() => cases.id),
  areaPath: text('area_path'),
  storageKey: text('storage_key').notNull(),
  contentType: text('content_type').notNull(),
  size: integer('size').notNull(),
  sha256: text('sha256').notNull(),
  fileName: text('file_name').notNull(),
  /** The staff member who uploaded it; null for a resident's upload. */
  uploadedBy: uuid('uploaded_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index('attachments_case_idx').on(t.caseId),
  index('attachments_unlinked_idx').on(t.createdAt).where(sql`${t.caseId} is null`),
  check('attachments_type_check', sql`${t.contentType} in ('image/jpeg','image/png','image/webp','application/pdf')`),
]);

/**
 * Bytes stored from residents' public uploads per client address (a keyed hash) and UTC day: the daily
 * budget of one address, kept after the files themselves expire so that expiry does not reset it.
 */
export const uploadUsage = pgTable('upload_usage', {
  addressHash: text('address_hash').notNull(),
  day: date('day', { mode: 'string' }).notNull(),
  bytes: bigint('bytes', { mode: 'number' }).notNull(),
}, (t) => [primaryKey({ columns: [t.addressHash, t.day] }), index('upload_usage_day_idx').on(t.day)]);

/* ───────────────────────────── the grid registry (GB/T 31000-2015) ───────────────────────────── */

