/**
 * Writes new cases that come without attachments: each case, its first event and its outbox row are three
 * inserts of one WITH statement — atomic like a transaction, one round trip instead of five, built once and
 * run as a prepared statement.
 *
 * Group commit: reports read in the same turn of the event loop, or arriving while four statements are being
 * written, go together in the next statement (up to 100), their values passed as arrays and unnested. A quiet
 * server writes a report at once (one tick later); a busy one writes many per round trip and per commit. A report is acknowledged only after the statement
 * holding it has committed. When a statement fails (a repeated Idempotency-Key racing its twin, say), each
 * report of it is written again alone, so that only the one at fault gets the error.
 *
 * The event's snapshot is the row exactly as inserted: every column is given (INTAKE_DEFAULTS as constants,
 * the rest per row), none left to the database's defaults.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { cases } from '../../db/schema.ts';
import { preparedSql } from '../../db/prepared.ts';

/** Every column of a new case that intake does not set itself, with the value a new case has. */
export const INTAKE_DEFAULTS = {
  tier: null, assigneeOrgId: null, dispatchOrgId: null, coHandlerOrgIds: [] as number[], returnCount: 0, reopenCount: 0, finalAssignment: false,
  resumeStatus: null, suspendedAt: null, leaderUserId: null, supervisionLevel: null, supervisionDueAt: null, extensionRequest: null,
  mergedIntoId: null, acceptedAt: null, contactDueAt: null, contactedAt: null, handleDueAt: null, repliedAt: null, replyDueAt: null,
  resultText: null, visitResult: null, closedAt: null, warnings: [] as string[],
};

/** The columns every report sets for itself. */
export const ROW_COLUMNS = ['id', 'version', 'updatedAt', 'caseType', 'channel', 'status', 'categoryId', 'areaId', 'areaPath', 'owningOrgId',
  'description', 'peopleInvolved', 'address', 'lon', 'lat', 'reporterNameEnc', 'reporterPhoneEnc', 'reporterPhoneBidx', 'anonymous',
  'trackingSecretEnc', 'idempotencyKey', 'createdBy', 'createdAt'] as const;
type RowColumn = (typeof ROW_COLUMNS)[number];
const CONSTANT_COLUMNS = Object.keys(INTAKE_DEFAULTS) as (keyof typeof INTAKE_DEFAULTS)[];

/** Besides its columns, what the event and the notification of a report need. */
const EXTRA = ['numberPrefix', 'eventAt', 'actorId', 'actorName', 'actorOrgId', 'payload', 'notify', 'title'] as const;

export interface NewCase {
  /** The case's own columns (ROW_COLUMNS), as the application holds them. */
  row: Record<RowColumn, unknown>;
  numberPrefix: string;
  eventAt: Date; actorId: string | null; actorName: string; actorOrgId: number | null;
  /** The first event's payload and the notification, as JSON text; the notification's title gets the number appended. */
  payload: string; notify: string; title: string;
}

type Column = { name: string; getSQLType(): string; mapToDriverValue(v: unknown): unknown };
const column = (k: string) => (cases as unknown as Record<string, Column>)[k]!;
const driverValue = (k: string, v: unknown) => (v === null || v === undefined ? null : column(k).mapToDriverValue(v));

const statement = preparedSql<{ id: string; number: string }>('fq_intake', () => {
  const p = (name: string) => sql.placeholder(name);
  const slots = [...ROW_COLUMNS, ...EXTRA];
  const ident = (s: string) => sql.identifier(s);
  // every per-report value arrives as one text array per column; the select casts each back to its column's type
  const unnest = sql.join(slots.map((k) => sql`${p(k)}::text[]`), sql`, `);
  const aliases = sql.join([...slots.map((k) => ident(`v_${k.toLowerCase()}`)), ident('ord')], sql`, `);
  const insertCols = sql.join([...CONSTANT_COLUMNS, ...ROW_COLUMNS].map((k) => ident(column(k).name)), sql`, `);
  const selectCols = sql.join([
    ...CONSTANT_COLUMNS.map((k) => sql`${p(`const_${k}`)}::${sql.raw(column(k).getSQLType())}`),
    ...ROW_COLUMNS.map((k) => sql`v.${ident(`v_${k.toLowerCase()}`)}::${sql.raw(column(k).getSQLType())}`),
  ], sql`, `);
  const id = sql`v.v_id::uuid`;
  return sql`with v as (select * from unnest(${unnest}) with ordinality as v(${aliases})),
      c as (insert into ${cases} (${insertCols}, ${ident(cases.number.name)})
        select ${selectCols}, v.v_numberprefix || lpad(nextval('case_number_seq')::text, 6, '0') from v order by v.ord
        returning id, number),
      e as (insert into case_events (case_id, seq, at, actor_id, actor_name, actor_org_id, action, from_status, to_status, payload)
        select c.id, 1, v.v_eventat::timestamptz, v.v_actorid::uuid, v.v_actorname, v.v_actororgid::integer,
          'create', null, 'pending_acceptance', v.v_payload::jsonb from c join v on ${id} = c.id),
      o as (insert into outbox (topic, payload)
        select 'notify', jsonb_set(v.v_notify::jsonb, '{title}', to_jsonb(v.v_title || c.number)) from c join v on ${id} = c.id)
      select id, number from c` as SQL;
});

const CONSTANTS = Object.fromEntries(CONSTANT_COLUMNS.map((k) => [`const_${k}`, driverValue(k, INTAKE_DEFAULTS[k])]));

function asArrays(batch: NewCase[]): Record<string, unknown> {
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  const values: Record<string, unknown> = { ...CONSTANTS };
  for (const k of ROW_COLUMNS) values[k] = batch.map((c) => text(driverValue(k, c.row[k])));
  values.numberPrefix = batch.map((c) => c.numberPrefix);
  values.eventAt = batch.map((c) => c.eventAt.toISOString());
  values.actorId = batch.map((c) => c.actorId);
  values.actorName = batch.map((c) => c.actorName);
  values.actorOrgId = batch.map((c) => text(c.actorOrgId));
  values.payload = batch.map((c) => c.payload);
  values.notify = batch.map((c) => c.notify);
  values.title = batch.map((c) => c.title);
  return values;
}

export function createIntakeWriter(db: Db, opts: { maxBatch?: number; maxInFlight?: number } = {}) {
  const maxBatch = opts.maxBatch ?? 100;
  const maxInFlight = opts.maxInFlight ?? 4;
  type Item = { c: NewCase; resolve: (number: string) => void; reject: (e: unknown) => void };
  let queue: Item[] = [];
  let inFlight = 0;
  let scheduled = false;

  async function run(batch: Item[]): Promise<void> {
    try {
      const rows = await statement(db, asArrays(batch.map((i) => i.c)));
      const numbers = new Map(rows.map((r) => [String(r.id), String(r.number)]));
      for (const i of batch) {
        const n = numbers.get(String(i.c.row.id));
        if (n) i.resolve(n); else i.reject(new Error('case not written'));
      }
    } catch (e) {
      if (batch.length === 1) { batch[0]!.reject(e); return; }
      await Promise.all(batch.map((i) => run([i])));
    }
  }

  function pump() {
    while (queue.length && inFlight < maxInFlight) {
      const batch = queue.length <= maxBatch ? queue : queue.slice(0, maxBatch);
      queue = queue.length <= maxBatch ? [] : queue.slice(maxBatch);
      inFlight++;
      void run(batch).finally(() => { inFlight--; pump(); });
    }
  }

  /**
   * Writes one new case; resolves with its number once committed. The write starts once the requests read
   * in the same turn of the event loop have been handled (setImmediate runs after the I/O callbacks), so that
   * reports arriving together go together even when the database answers within the turn, as PGlite does.
   */
  function write(c: NewCase): Promise<string> {
    return new Promise((resolve, reject) => {
      queue.push({ c, resolve, reject });
      if (!scheduled) {
        scheduled = true;
        setImmediate(() => { scheduled = false; pump(); });
      }
    });
  }

  return { write };
}
export type IntakeWriter = ReturnType<typeof createIntakeWriter>;
