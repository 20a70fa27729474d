/**
 * Triage: the category models learned from the installation's closed cases (or a labelled file), one row per
 * version — its vocabulary, weights and evaluation figures — what staff chose after each suggestion, and the
 * words of each case for full-text search.
 */
import { sql } from 'drizzle-orm';
import { pgTable, integer, text, jsonb, timestamp, uuid, boolean, index, uniqueIndex, customType } from 'drizzle-orm/pg-core';
import { cases } from './cases.ts';
import { users } from './foundation.ts';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => Buffer.from(v),
});

export const triageModels = pgTable('triage_models', {
  version: integer('version').primaryKey().generatedAlwaysAsIdentity(),
  /** `cases` (the installation's closed cases) or `file` (a labelled JSON-lines file). */
  source: text('source').notNull(),
  kind: text('kind').notNull(),
  /** Features, labels (category ids as text), vocabulary, IDF and temperature: the model but its weights. */
  model: jsonb('model').$type<Record<string, unknown>>().notNull(),
  /** The weights, float32 little-endian, labels × (vocabulary + 1). */
  weights: bytea('weights').notNull(),
  examples: integer('examples').notNull(),
  /** top-1, top-3, macro-F1 on a stratified tenth held out while training, and the training seconds. */
  evaluation: jsonb('evaluation').$type<Record<string, unknown>>().notNull(),
  active: boolean('active').notNull().default(false),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  // one active model at a time
  uniqueIndex('triage_models_active_idx').on(t.active).where(sql`${t.active}`),
]);

/** What staff chose after a suggestion: the model's feedback, and its figure of how often it was right. */
export const triageFeedback = pgTable('triage_feedback', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  caseId: uuid('case_id').notNull().references(() => cases.id),
  modelVersion: integer('model_version').notNull(),
  /** The suggested category ids, most likely first. */
  suggested: integer('suggested').array().notNull(),
  chosen: integer('chosen').notNull(),
  userId: uuid('user_id').references(() => users.id),
  /** The model chose (a platform's report without a category) and no clerk has accepted the case yet: not counted. */
  pending: boolean('pending').notNull().default(false),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  // one choice per case: a retried intake records it once
  uniqueIndex('triage_feedback_case_idx').on(t.caseId),
  index('triage_feedback_model_idx').on(t.modelVersion),
]);

/**
 * Full-text search of cases: each case's words — its description, address, and the notes and replies of its
 * timeline — segmented by jieba in the server and stored as a `simple` tsvector (no stemming, no dictionary: the
 * same on PGlite and PostgreSQL), with a GIN index. Written in the transaction that writes the text.
 */
export const caseSearch = pgTable('case_search', {
  caseId: uuid('case_id').primaryKey().references(() => cases.id),
  /** The case's area path and time, copied: a search narrows to an area's newest matches in this table alone. */
  areaPath: text('area_path').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  doc: tsvector('doc').notNull(),
  /**
   * The departments and committees that see the case (its assignee, co-handlers — by organisation, not area): a
   * department's search is an intersection of two GIN indexes. Kept by fq_search_orgs (at intake, and by a trigger
   * when the case's organisations change).
   */
  orgs: integer('orgs').array().notNull().default(sql`'{}'::integer[]`),
  /** The centers that see the case from outside their area (a district sent it to another township): almost always none. */
  centers: integer('centers').array().notNull().default(sql`'{}'::integer[]`),
}, (t) => [
  // no pending list (fastupdate off): an insert that fills it would merge it into the index while the other
  // intakes wait — stalls of 150–250 ms every few seconds at 500 reports a second (docs/operations.md)
  index('case_search_doc_idx').using('gin', t.doc).with({ fastupdate: false }),
  index('case_search_orgs_idx').using('gin', t.orgs).with({ fastupdate: false }),
  index('case_search_centers_idx').using('gin', t.centers).with({ fastupdate: false }).where(sql`${t.centers} <> '{}'::integer[]`),
  // a word many cases say: the newest matches by walking back in time, instead of every match through the GIN index
  index('case_search_recent_idx').on(t.createdAt),
]);
