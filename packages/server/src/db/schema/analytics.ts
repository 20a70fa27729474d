/**
 * The command center's tables: rollups of the cases (maintained from a queue the database fills in the same
 * transaction as each change to a case), assessment formulas, early-warning rules and the warnings they raise.
 */
import { sql } from 'drizzle-orm';
import { pgTable, integer, text, bigint, smallint, date, index, primaryKey, check, jsonb, timestamp, uuid, boolean, uniqueIndex } from 'drizzle-orm/pg-core';
import { areas, organizations } from './foundation.ts';
import { RollupCounters } from '@fengqiao/contracts';

/** One integer column per counter of a case's facts (contracts' RollupCounters, named in snake case). */
const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const counters = () => Object.fromEntries(RollupCounters.map((k) => [k, bigint(snake(k), { mode: 'number' }).notNull().default(0)])) as
  Record<(typeof RollupCounters)[number], ReturnType<typeof bigint<string, 'number'>>>;
/** In the queue a counter is one case's: 0 or 1 (or a number of working days). */
const caseCounters = () => Object.fromEntries(RollupCounters.map((k) => [k, integer(snake(k)).notNull()])) as
  Record<(typeof RollupCounters)[number], ReturnType<typeof integer<string>>>;

/**
 * A case's facts as one row: the day it came in (China time), its area, channel, category, tier, status and the
 * organisation handling it, and its counters (each 0 or 1, but `handleWorkingDays`). Written by the database's
 * statement triggers on `cases` (migration 0013): +1 for each new case, −1 old and +1 new for each change that
 * moves a fact. The rollup worker consumes the queue exactly once (DELETE … RETURNING in its transaction).
 */
export const rollupQueue = pgTable('rollup_queue', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  sign: smallint('sign').notNull(),
  day: date('day', { mode: 'string' }).notNull(),
  areaId: integer('area_id').notNull(),
  areaPath: text('area_path').notNull(),
  channel: text('channel').notNull(),
  categoryId: integer('category_id').notNull(),
  tier: text('tier').notNull(),
  status: text('status').notNull(),
  orgId: integer('org_id').notNull(),
  ...caseCounters(),
});

/**
 * The rollups: per grain (day, month, or all time in one bucket) × bucket × area × dimension value, the sums of
 * the counters — what is open now is one row per area and value, whatever the history. A case counts in its
 * area and in every area above it, so an area's figures are its own rows, however large its subtree. Each case
 * counts once in each dimension (`channel`, `category`, `tier`, `status`, `org` — the organisation handling
 * it, 0 before dispatch), so any one-dimensional breakdown, and every total, is a sum of rows.
 */
export const caseRollups = pgTable('case_rollups', {
  grain: text('grain').notNull(),
  dim: text('dim').notNull(),
  bucket: date('bucket', { mode: 'string' }).notNull(),
  areaId: integer('area_id').notNull(),
  val: text('val').notNull(),
  areaPath: text('area_path').notNull(),
  ...counters(),
}, (t) => [
  primaryKey({ columns: [t.grain, t.dim, t.bucket, t.areaId, t.val] }),
  // an area's own rows: every read names its areas
  index('case_rollups_area_idx').on(t.areaId, t.grain, t.dim, t.bucket),
  check('case_rollups_grain_check', sql`${t.grain} in ('day','month','all')`),
]);

/** 考评: a year's formula — points per rate — and the volume below which a unit is listed but not ranked. */
export const assessmentFormulas = pgTable('assessment_formulas', {
  year: integer('year').primaryKey(),
  weights: jsonb('weights').$type<Record<string, number>>().notNull(),
  minVolume: integer('min_volume').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Cases to look at for early warnings: queued by the database with each new case and each change of status, clocks or supervision. */
export const warningQueue = pgTable('warning_queue', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  caseId: uuid('case_id').notNull(),
  /** new: the case was just received (the rules of arrival look at it); change: its status, clocks or supervision moved. */
  reason: text('reason').notNull().default('change'),
});

/**
 * 四色预警 rules as data: installation-wide (no organisation) or a center's own, for the cases of its area;
 * a kind (cluster, repeat, group, spike, overdue, supervision, special_population), its level, its thresholds
 * and who is told.
 */
export const warningRules = pgTable('warning_rules', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  organizationId: integer('organization_id').references(() => organizations.id),
  areaPath: text('area_path').notNull(),
  kind: text('kind').notNull(),
  name: text('name').notNull(),
  level: text('level').notNull(),
  params: jsonb('params').$type<Record<string, unknown>>().notNull(),
  notifyOrgIds: integer('notify_org_ids').array().notNull().default(sql`'{}'::integer[]`),
  active: boolean('active').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  check('warning_rules_level_check', sql`${t.level} in ('red','orange','yellow','blue')`),
  check('warning_rules_kind_check', sql`${t.kind} in ('cluster','repeat','group','spike','overdue','supervision','special_population')`),
]);

/** A warning: rule, level, area, the cases that are its evidence; open → acknowledged → resolved, each by whom. */
export const warnings = pgTable('warnings', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  ruleId: integer('rule_id').notNull().references(() => warningRules.id),
  kind: text('kind').notNull(),
  level: text('level').notNull(),
  areaId: integer('area_id').notNull().references(() => areas.id),
  areaPath: text('area_path').notNull(),
  /** One open warning per rule × area × window key: later cases join it as evidence. */
  windowKey: text('window_key').notNull(),
  /** The warning in words (zh-CN, for notices and ledgers); `facts` holds its numbers for other languages. */
  title: text('title').notNull(),
  facts: jsonb('facts').$type<Record<string, unknown>>().notNull().default({}),
  caseIds: uuid('case_ids').array().notNull(),
  status: text('status').notNull().default('open'),
  raisedAt: timestamp('raised_at', { withTimezone: true }).notNull(),
  acknowledgedBy: uuid('acknowledged_by'),
  acknowledgedByName: text('acknowledged_by_name'),
  acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
  resolvedBy: uuid('resolved_by'),
  resolvedByName: text('resolved_by_name'),
  resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  resolution: text('resolution'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('warnings_open_key').on(t.ruleId, t.areaId, t.windowKey).where(sql`${t.status} <> 'resolved'`),
  index('warnings_area_idx').on(t.areaPath.op('text_pattern_ops'), t.raisedAt),
  index('warnings_open_idx').on(t.raisedAt).where(sql`${t.status} <> 'resolved'`),
  check('warnings_status_check', sql`${t.status} in ('open','acknowledged','resolved')`),
  check('warnings_level_check', sql`${t.level} in ('red','orange','yellow','blue')`),
]);
