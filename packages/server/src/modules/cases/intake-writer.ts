/**
 * Writes new cases that come without attachments: each case, its first event, its outbox row and its search
 * words are four inserts of one WITH statement — atomic like a transaction, one round trip instead of five, built once and
 * run as a prepared statement.
 *
 * Group commit: reports read in the same turn of the event loop, or arriving while four statements are being
 * written, go together in the next statement (up to 100). A quiet server writes a report at once (one tick
 * later); a busy one writes many per round trip and per commit. A report is acknowledged only after the
 * statement holding it has committed. A report whose Idempotency-Key is already taken is left out by the insert
 * itself (ON CONFLICT DO NOTHING: no lookup before the write, and a retry racing its twin cannot fail the batch);
 * the caller then reads the case that holds the key. When a statement fails, each report of it is written again
 * alone, so that only the one at fault gets the error.
 *
 * A batch travels as one JSON parameter, `[[meta, row], …]`, read once as jsonb and unpacked by
 * jsonb_to_record into typed columns: JSON.stringify is native and fast, where thirty text arrays cost the
 * driver an escape per value; and jsonb is parsed once, where json is parsed again at every `->` (PostgreSQL
 * spent 270 µs per report with json, 195 µs with jsonb). Every
 * column of the case is given (the row holds them all), none left to the database's defaults, and the first
 * event's patch is made from the same JSON: the snapshot is the row exactly as inserted.
 */
import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { cases } from '../../db/schema.ts';
import { preparedSql } from '../../db/prepared.ts';
import type { Tx } from '../../db/database.ts';
import type { CaseRow } from './cases.repository.ts';
import { NOT_IN_SNAPSHOT } from './case-record.ts';

/** What the first event and the notification of a report need besides the case itself. */
export interface IntakeMeta {
  numberPrefix: string;
  eventAt: Date; actorId: string | null; actorName: string; actorOrgId: number | null;
  /** The notification's payload; the statement fills in `params.number`. */
  notify: Record<string, unknown>;
  /** Photos and documents linked to the case in the same transaction, named by the first event. */
  attachments?: string[] | null;
  /** The case's search document (description and address, a tsvector literal: search-terms.ts), indexed in the same statement. */
  search: string;
}

export interface NewCase {
  /** Every column of the case; `number` is drawn by the statement from the sequence. */
  row: CaseRow;
  meta: IntakeMeta;
}

const columns = getTableColumns(cases);
/** Every column but the number, by the property name the row object has. */
const ROW_KEYS = (Object.keys(columns) as (keyof typeof columns)[]).filter((k) => k !== 'number');
const META: [keyof IntakeMeta, string][] = [
  ['numberPrefix', 'text'], ['eventAt', 'timestamptz'], ['actorId', 'uuid'], ['actorName', 'text'], ['actorOrgId', 'integer'],
  ['notify', 'jsonb'], ['attachments', 'jsonb'], ['search', 'text'],
];

/**
 * The one definition of a new case and its first event: the case as given, the `create` event whose patch is the
 * row less NOT_IN_SNAPSHOT (the same list snapshotOf uses), and the new-case notice.
 */
function intakeSql(batch: unknown): SQL {
  const ident = (s: string) => sql.identifier(s);
  const rowDefs = sql.join(ROW_KEYS.map((k) => sql`${ident(k)} ${sql.raw(columns[k].getSQLType())}`), sql`, `);
  const metaDefs = sql.join(META.map(([k, t]) => sql`${ident(k)} ${sql.raw(t)}`), sql`, `);
  const insertCols = sql.join([...ROW_KEYS.map((k) => ident(columns[k].name)), ident(cases.number.name)], sql`, `);
  const selectCols = sql.join(ROW_KEYS.map((k) => sql`v.${ident(k)}`), sql`, `);
  return sql`with v as (select i.ord, i.item->1 as item, r.*, m.* from jsonb_array_elements(${batch}::jsonb) with ordinality as i(item, ord),
        jsonb_to_record(i.item->0) as m(${metaDefs}), jsonb_to_record(i.item->1) as r(${rowDefs})),
      c as (insert into ${cases} (${insertCols})
        select ${selectCols}, v."numberPrefix" || lpad(nextval('case_number_seq')::text, 6, '0') from v order by v.ord
        on conflict (idempotency_key) do nothing
        returning id, number),
      e as (insert into case_events (case_id, seq, at, actor_id, actor_name, actor_org_id, action, from_status, to_status, payload)
        select c.id, 1, v."eventAt", v."actorId", v."actorName", v."actorOrgId", 'create', null, 'pending_acceptance',
          jsonb_build_object('patch', v.item - ${sql.raw(`array[${NOT_IN_SNAPSHOT.map((k) => `'${k}'`).join(', ')}]`)})
            || jsonb_strip_nulls(jsonb_build_object('attachments', v."attachments"))
        from c join v on v.id = c.id),
      o as (insert into outbox (topic, payload)
        select 'notify', jsonb_set(v.notify, '{params,number}', to_jsonb(c.number)) from c join v on v.id = c.id),
      s as (insert into case_search (case_id, area_path, created_at, doc, orgs, centers)
        select c.id, v."areaPath", v."createdAt", v.search::tsvector || fq_search_facets(v."areaPath", v."createdAt"), fq_search_orgs(v."owningOrgId", v."assigneeOrgId", v."coHandlerOrgIds"),
          fq_search_centers(v."areaPath", v."owningOrgId", v."assigneeOrgId", v."coHandlerOrgIds")
        from c join v on v.id = c.id)
      select id, number from c` as SQL;
}
const statement = preparedSql<{ id: string; number: string }>('fq_intake', () => intakeSql(sql.placeholder('batch')));
const encode = (items: NewCase[]) => JSON.stringify(items.map((c) => [c.meta, c.row]));

/**
 * Writes one new case inside the caller's transaction (intake with attachments, which links them in it too): its
 * number, or null when a case with its Idempotency-Key is already there.
 */
export async function writeCaseInTransaction(tx: Tx, c: NewCase): Promise<string | null> {
  const r = await tx.execute(intakeSql(sql`${encode([c])}`));
  const row = (r as unknown as { rows: { number: string }[] }).rows[0];
  return row ? String(row.number) : null;
}

export function createIntakeWriter(db: Db, opts: { maxBatch?: number; maxInFlight?: number } = {}) {
  const maxBatch = opts.maxBatch ?? 100;
  const maxInFlight = opts.maxInFlight ?? 4;
  type Item = { c: NewCase; resolve: (number: string | null) => void; reject: (e: unknown) => void };
  let queue: Item[] = [];
  let inFlight = 0;
  let scheduled = false;

  async function run(batch: Item[]): Promise<void> {
    try {
      const rows = await statement(db, { batch: encode(batch.map((i) => i.c)) });
      const numbers = new Map(rows.map((r) => [String(r.id), String(r.number)]));
      // a report left out had an Idempotency-Key already taken (its twin written earlier, or earlier in this batch)
      for (const i of batch) i.resolve(numbers.get(i.c.row.id) ?? null);
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
   * Writes one new case; resolves with its number once committed, or with null when a case with its
   * Idempotency-Key is already there (nothing written). The write starts once the requests read
   * in the same turn of the event loop have been handled (setImmediate runs after the I/O callbacks), so that
   * reports arriving together go together even when the database answers within the turn, as PGlite does.
   */
  function write(c: NewCase): Promise<string | null> {
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
