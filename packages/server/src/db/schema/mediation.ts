/** Dispute mediation's tables: the mediation record of a dispute case, its parties, the mediator pool, rooms, sessions, sweeps. */
import { sql } from 'drizzle-orm';
import { pgTable, integer, text, boolean, timestamp, uuid, jsonb, bigint, index, uniqueIndex, check, date, primaryKey } from 'drizzle-orm/pg-core';
import { MediationStatuses } from '@fengqiao/contracts';
import { areas, organizations, users } from './foundation.ts';
import { cases } from './cases.ts';
import { timestamps } from './columns.ts';

const statusList = sql.raw(MediationStatuses.map((s) => `'${s}'`).join(','));

/**
 * The mediation record of a dispute case: one per case, scoped like it (`area_path`), held by the committee or
 * center that mediates. Its transitions bump the case's version and write to the case's timeline (case_events).
 */
export const mediations = pgTable('mediations', {
  caseId: uuid('case_id').primaryKey().references(() => cases.id),
  areaPath: text('area_path').notNull(),
  committeeOrgId: integer('committee_org_id').notNull().references(() => organizations.id),
  status: text('status').notNull(),
  disputeType: text('dispute_type').notNull(),
  /** Amount in dispute in fen (分): exact, no floating point. */
  amountFen: bigint('amount_fen', { mode: 'number' }),
  peopleInvolved: integer('people_involved').notNull().default(2),
  riskLevel: text('risk_level').notNull().default('low'),
  mode: text('mode').notNull().default('people'),
  source: text('source').notNull(),
  sourceRef: text('source_ref'),
  leadMediatorId: integer('lead_mediator_id').references(() => mediators.id),
  teamIds: integer('team_ids').array().notNull().default(sql`'{}'::integer[]`),
  /** An application's deadline to be accepted or declined (the deadline policy's mediation-accept span). */
  acceptDueAt: timestamp('accept_due_at', { withTimezone: true }),
  /** The mediation's own deadline from acceptance (the policy's mediation span, 30 days by default), moved by extensions. */
  dueAt: timestamp('due_at', { withTimezone: true }),
  assessment: jsonb('assessment').$type<{ participants: string[]; opinion: string; at: string }>(),
  outcome: text('outcome'),
  outcomeReason: text('outcome_reason'),
  agreementNo: text('agreement_no'),
  agreementTerms: text('agreement_terms'),
  performBy: date('perform_by', { mode: 'string' }),
  agreedAt: timestamp('agreed_at', { withTimezone: true }),
  performance: jsonb('performance').$type<{ at: string; performed: string; note: string }[]>().notNull().default([]),
  confirmation: jsonb('confirmation').$type<{ courtOrgId: number; requestedAt: string; deadline: string; lateReason: string | null; ruling: 'confirmed' | 'rejected' | null; rulingNo: string | null; ruledAt: string | null }>(),
  /** The agreement signed by the parties and mediators, scanned and uploaded back (attachment ids). */
  signedScan: jsonb('signed_scan').$type<{ attachmentIds: string[]; at: string }>(),
  referral: jsonb('referral').$type<{ to: 'arbitration' | 'court' | 'administrative'; organizationId: number | null; note: string; at: string }>(),
  openedAt: timestamp('opened_at', { withTimezone: true }).notNull(),
  closedAt: timestamp('closed_at', { withTimezone: true }),
  ...timestamps,
}, (t) => [
  index('mediations_area_path_idx').on(t.areaPath.op('text_pattern_ops')),
  index('mediations_committee_idx').on(t.committeeOrgId, t.status),
  check('mediations_status_check', sql`${t.status} in (${statusList})`),
]);

/** 申请人 / 被申请人 / 第三人: personal data encrypted (db/encrypted-columns.ts), the ID number with a blind index. */
export const mediationParties = pgTable('mediation_parties', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  caseId: uuid('case_id').notNull().references(() => mediations.caseId),
  role: text('role').notNull(),
  kind: text('kind').notNull(),
  nameEnc: text('name_enc').notNull(),
  idType: text('id_type'),
  idNumberEnc: text('id_number_enc'),
  idNumberBidx: text('id_number_bidx'),
  phoneEnc: text('phone_enc'),
  addressEnc: text('address_enc'),
  agentNameEnc: text('agent_name_enc'),
  agentPhoneEnc: text('agent_phone_enc'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('mediation_parties_case_idx').on(t.caseId), index('mediation_parties_id_bidx_idx').on(t.idNumberBidx)]);

/** The mediator pool (调解专家库): staff or outside experts (lawyers, industry mediators), with specialties and an area. */
export const mediators = pgTable('mediators', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  name: text('name').notNull(),
  userId: uuid('user_id').references(() => users.id),
  organizationId: integer('organization_id').references(() => organizations.id),
  affiliation: text('affiliation').notNull(),
  specialties: text('specialties').array().notNull(),
  areaId: integer('area_id').notNull().references(() => areas.id),
  areaPath: text('area_path').notNull(),
  certificate: text('certificate'),
  active: boolean('active').notNull().default(true),
  ...timestamps,
}, (t) => [index('mediators_area_path_idx').on(t.areaPath.op('text_pattern_ops')), uniqueIndex('mediators_user_key').on(t.userId)]);

export const mediationRooms = pgTable('mediation_rooms', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  name: text('name').notNull(),
  organizationId: integer('organization_id').notNull().references(() => organizations.id),
  areaPath: text('area_path').notNull(),
  capacity: integer('capacity').notNull().default(10),
  active: boolean('active').notNull().default(true),
  ...timestamps,
}, (t) => [index('mediation_rooms_area_path_idx').on(t.areaPath.op('text_pattern_ops'))]);

export const mediationSessions = pgTable('mediation_sessions', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  caseId: uuid('case_id').notNull().references(() => mediations.caseId),
  startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
  endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
  roomId: integer('room_id').references(() => mediationRooms.id),
  online: boolean('online').notNull().default(false),
  mediatorIds: integer('mediator_ids').array().notNull(),
  status: text('status').notNull().default('scheduled'),
  attendance: text('attendance').array().notNull().default(sql`'{}'::text[]`),
  /** The minutes (笔录) name people and what they said: encrypted at rest like every personal field. */
  minutesEnc: text('minutes_enc'),
  ...timestamps,
}, (t) => [
  index('mediation_sessions_case_idx').on(t.caseId),
  index('mediation_sessions_room_idx').on(t.roomId, t.startsAt),
  check('mediation_sessions_time_check', sql`${t.endsAt} > ${t.startsAt}`),
]);

/** Agreement numbers per committee and year: 〔2026〕幸调字第12号. */
export const agreementCounters = pgTable('mediation_agreement_counters', {
  organizationId: integer('organization_id').notNull().references(() => organizations.id),
  year: integer('year').notNull(),
  last: integer('last').notNull(),
}, (t) => [primaryKey({ columns: [t.organizationId, t.year] })]);

/** A dispute sweep (矛盾纠纷排查) of a center over the grids of an area. */
export const sweeps = pgTable('sweeps', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  /** The center that scheduled it (null: the installation's operator). */
  organizationId: integer('organization_id').references(() => organizations.id),
  areaId: integer('area_id').notNull().references(() => areas.id),
  areaPath: text('area_path').notNull(),
  title: text('title').notNull(),
  kind: text('kind').notNull(),
  dueOn: date('due_on', { mode: 'string' }).notNull(),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('sweeps_area_path_idx').on(t.areaPath.op('text_pattern_ops'))]);

/** One grid's answer to a sweep: the disputes it found (each a case) or a zero report. */
export const sweepReports = pgTable('sweep_reports', {
  sweepId: integer('sweep_id').notNull().references(() => sweeps.id),
  gridId: integer('grid_id').notNull().references(() => areas.id),
  zero: boolean('zero').notNull(),
  caseIds: uuid('case_ids').array().notNull(),
  note: text('note'),
  reportedBy: uuid('reported_by'),
  reportedAt: timestamp('reported_at', { withTimezone: true }).notNull(),
}, (t) => [primaryKey({ columns: [t.sweepId, t.gridId] })]);
