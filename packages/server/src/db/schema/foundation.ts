/** The platform's tables: the area tree, organisations, users, sessions, tokens, audit, installation state. */
import { sql } from 'drizzle-orm';
import { pgTable, integer, text, boolean, timestamp, uuid, jsonb, bigint, index, uniqueIndex, check, smallint, primaryKey } from 'drizzle-orm/pg-core';
import { timestamps } from './columns.ts';

/**
 * The area tree: city → county → township → village → grid.
 * `path` is the chain of ids ("/1/4/17/"): "everything under X" is `path LIKE X.path || '%'`,
 * one indexed condition (text_pattern_ops), and the column every scoped row copies (a future shard key).
 */
export const areas = pgTable('areas', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  parentId: integer('parent_id').references((): any => areas.id),
  level: text('level').notNull(),
  code: text('code'),
  official: boolean('official').notNull().default(false),
  name: text('name').notNull(),
  path: text('path').notNull(),
  depth: smallint('depth').notNull(),
  /** Boundary in WGS-84 (GeoJSON Polygon or MultiPolygon); grids have one, other levels may. */
  boundary: jsonb('boundary'),
  ...timestamps,
}, (t) => [
  uniqueIndex('areas_code_key').on(t.code),
  uniqueIndex('areas_path_key').on(t.path.op('text_pattern_ops')),
  index('areas_parent_idx').on(t.parentId),
  check('areas_level_check', sql`${t.level} in ('city','county','township','village','grid')`),
]);

export const organizations = pgTable('organizations', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  kind: text('kind').notNull(),
  departmentType: text('department_type'),
  name: text('name').notNull(),
  areaId: integer('area_id').notNull().references(() => areas.id),
  areaPath: text('area_path').notNull(),
  active: boolean('active').notNull().default(true),
  ...timestamps,
}, (t) => [
  index('organizations_area_path_idx').on(t.areaPath.op('text_pattern_ops')),
  index('organizations_area_idx').on(t.areaId),
  check('organizations_kind_check', sql`${t.kind} in ('center','department','mediation_committee')`),
  check('organizations_department_type_check', sql`(${t.kind} = 'department') = (${t.departmentType} is not null)`),
]);

export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  username: text('username').notNull(),
  /** Personal data: AES-256-GCM ciphertext; `phone_bidx` is the keyed blind index for exact lookup. */
  displayNameEnc: text('display_name_enc').notNull(),
  phoneEnc: text('phone_enc'),
  phoneBidx: text('phone_bidx'),
  organizationId: integer('organization_id').notNull().references(() => organizations.id),
  areaPath: text('area_path').notNull(),
  roles: text('roles').array().notNull(),
  passwordHash: text('password_hash').notNull(),
  failedLogins: integer('failed_logins').notNull().default(0),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
  passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }).notNull().defaultNow(),
  lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
  disabled: boolean('disabled').notNull().default(false),
  locale: text('locale').notNull().default('zh-CN'),
  ...timestamps,
}, (t) => [
  uniqueIndex('users_username_key').on(t.username),
  index('users_area_path_idx').on(t.areaPath.op('text_pattern_ops')),
  index('users_org_idx').on(t.organizationId),
  index('users_phone_bidx_idx').on(t.phoneBidx),
]);

/** Console sessions: the cookie carries a random id; only its SHA-256 is stored. */
export const sessions = pgTable('sessions', {
  idHash: text('id_hash').primaryKey(),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  csrfToken: text('csrf_token').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
  ip: text('ip'),
  userAgent: text('user_agent'),
}, (t) => [index('sessions_user_idx').on(t.userId)]);

/**
 * Failed sign-ins counted per account name *and* address, so that one address cannot lock staff out of
 * their own center: a wrong password from elsewhere pauses only that address. Both keys are keyed hashes
 * (an unknown name is counted like a real one, so answers never tell them apart); `users.failed_logins`
 * and `users.locked_until` keep the account's own ceiling over every address.
 */
export const loginThrottle = pgTable('login_throttle', {
  nameHash: text('name_hash').notNull(),
  addressHash: text('address_hash').notNull(),
  failures: integer('failures').notNull(),
  lastFailedAt: timestamp('last_failed_at', { withTimezone: true }).notNull(),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
}, (t) => [primaryKey({ columns: [t.nameHash, t.addressHash] }), index('login_throttle_last_failed_idx').on(t.lastFailedAt)]);

/** API tokens for integrations and scripts; only a keyed hash of the token is stored. */
export const apiTokens = pgTable('api_tokens', {
  id: uuid('id').primaryKey().defaultRandom(),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  prefix: text('prefix').notNull(),
  tokenHash: text('token_hash').notNull(),
  createdBy: uuid('created_by').references(() => users.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  expiresAt: timestamp('expires_at', { withTimezone: true }),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
}, (t) => [uniqueIndex('api_tokens_hash_key').on(t.tokenHash), index('api_tokens_user_idx').on(t.userId)]);

/** Append-only audit log: who, when, what, which record, from where. */
export const auditLog = pgTable('audit_log', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  actorId: uuid('actor_id'),
  actorName: text('actor_name'),
  action: text('action').notNull(),
  targetType: text('target_type'),
  targetId: text('target_id'),
  /** Area the entry belongs to, so that the log is scoped like everything else ('/' = system-wide). */
  areaPath: text('area_path').notNull(),
  organizationId: integer('organization_id'),
  ip: text('ip'),
  userAgent: text('user_agent'),
  requestId: text('request_id'),
  detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
}, (t) => [
  index('audit_area_path_idx').on(t.areaPath.op('text_pattern_ops'), t.id),
  index('audit_target_idx').on(t.targetType, t.targetId),
  index('audit_actor_idx').on(t.actorId, t.id),
]);

/** Key/value facts about the installation (demo seeded, key generation in use …). */
export const systemState = pgTable('system_state', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/* ───────────────────────────── the case loop ───────────────────────────── */

