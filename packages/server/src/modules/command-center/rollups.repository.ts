/**
 * The rollups' SQL. The database queues each case's facts as it changes (migration 0013: statement triggers
 * on `cases` call fq_case_facts); here the queue is folded into `case_rollups` — per grain (day, month) ×
 * bucket × area × dimension value — and the rollups are summed for the figures.
 */
import { sql, type SQL } from 'drizzle-orm';
import { RollupCounters, type RollupCounter } from '@fengqiao/contracts';
import type { Executor, Tx } from '../../db/database.ts';

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const COLS = RollupCounters.map(snake);
const list = (xs: string[], prefix = '') => sql.raw(xs.map((c) => `${prefix}${c}`).join(', '));
/** Each case counts once in each dimension; `org` is the organisation handling it (0 before dispatch). */
export const DIMS = ['channel', 'category', 'tier', 'status', 'org'] as const;
export type Dim = (typeof DIMS)[number];

/**
 * Folds facts (a relation with sign, day, area_id, area_path, channel, category_id, tier, status, org_id and
 * the counters) into the rollups: every fact into its day, its month and the all-time row, once per dimension,
 * for its area and every area above it (the path's ids) — so that any area's figures are its own few rows,
 * never a scan of its subtree — summed per cell.
 */
function foldSql(facts: SQL): SQL {
  return sql`with q as (${facts}),
    x as (select g.grain, d.dim,
      case g.grain when 'day' then q.day when 'month' then date_trunc('month', q.day)::date else date '1970-01-01' end as bucket,
      a.anc::int as area_id, d.val, substring(q.area_path from ('^/(?:[^/]+/){' || a.depth || '}')) as area_path,
      ${sql.raw(COLS.map((c) => `q.sign * q.${c} as ${c}`).join(', '))}
      from q cross join lateral unnest(string_to_array(trim(both '/' from q.area_path), '/')) with ordinality as a(anc, depth)
      cross join (values ('day'), ('month'), ('all')) as g(grain)
      cross join lateral (values ('channel', q.channel), ('category', q.category_id::text), ('tier', q.tier), ('status', q.status), ('org', q.org_id::text)) as d(dim, val)),
    ins as (insert into case_rollups (grain, dim, bucket, area_id, val, area_path, ${list(COLS)})
      select grain, dim, bucket, area_id, val, max(area_path), ${sql.raw(COLS.map((c) => `sum(${c})`).join(', '))}
      from x group by grain, dim, bucket, area_id, val order by grain, dim, bucket, area_id, val
      on conflict (grain, dim, bucket, area_id, val) do update set area_path = excluded.area_path,
        ${sql.raw(COLS.map((c) => `${c} = case_rollups.${c} + excluded.${c}`).join(', '))}
      returning 1)
    select (select count(*) from q)::int as n, (select count(*) from ins)::int as cells`;
}

/** One applier at a time across all servers (a transaction-scoped advisory lock); false when another holds it. */
export async function tryLock(tx: Tx, wait: boolean): Promise<boolean> {
  if (wait) { await tx.execute(sql`select pg_advisory_xact_lock(hashtext('fengqiao.rollups'))`); return true; }
  const r = (await tx.execute(sql`select pg_try_advisory_xact_lock(hashtext('fengqiao.rollups')) as ok`)) as unknown as { rows: { ok: boolean }[] };
  return Boolean(r.rows[0]?.ok);
}

/** Consumes up to `limit` queued facts, oldest first, into the rollups — in the caller's transaction, so exactly once. */
export async function foldQueued(tx: Tx, limit: number): Promise<number> {
  const r = (await tx.execute(foldSql(sql`delete from rollup_queue where id in (select id from rollup_queue order by id limit ${limit}) returning *`))) as unknown as { rows: { n: number }[] };
  return r.rows[0]?.n ?? 0;
}

export async function queued(ex: Executor): Promise<number> {
  const r = (await ex.execute(sql`select count(*)::int as n from rollup_queue`)) as unknown as { rows: { n: number }[] };
  return r.rows[0]!.n;
}

/** Recomputes every rollup from the cases (each case's row is the fold of its events), with writers held off. */
export async function rebuild(tx: Tx): Promise<number> {
  await tx.execute(sql`lock table cases in share mode`);
  await tx.execute(sql`delete from rollup_queue`);
  await tx.execute(sql`truncate case_rollups`);
  // the facts once; then per grain and dimension one plain insert into the empty table, in two steps: the facts summed
  // per bucket, place and value (cases share those cells), and only those sums counted again for each area above
  // the place — an area's path is the prefix of its places' paths, so it is cut once per cell, not once per case.
  // The table's indexes and key (as the catalog defines them) are dropped for the load and built once after it:
  // sorted builds instead of tens of millions of scattered index inserts.
  await tx.execute(sql`set local work_mem = '128MB'`);
  await tx.execute(sql`select set_config('maintenance_work_mem', '256MB', true) where pg_size_bytes(current_setting('maintenance_work_mem')) < pg_size_bytes('256MB')`);
  const indexes = rows(await tx.execute(sql`select indexname as name, indexdef as def from pg_indexes where schemaname = current_schema() and tablename = 'case_rollups'
    and indexname not in (select conname from pg_constraint where conrelid = 'case_rollups'::regclass)`));
  for (const i of indexes) await tx.execute(sql.raw(`drop index ${i.name}`));
  const pk = rows(await tx.execute(sql`select conname as name, pg_get_constraintdef(oid) as def from pg_constraint where conrelid = 'case_rollups'::regclass and contype = 'p'`))[0]!;
  await tx.execute(sql.raw(`alter table case_rollups drop constraint ${pk.name}`));
  await tx.execute(sql`create temporary table fq_rebuild_facts on commit drop as select (f).* from (select fq_case_facts(c) as f from cases c) s`);
  const valOf: Record<Dim, string> = { channel: 'channel', category: 'category_id::text', tier: 'tier', status: 'status', org: 'org_id::text' };
  const bucketOf = { day: 'day', month: `date_trunc('month', day)::date`, all: `date '1970-01-01'` } as const;
  for (const grain of ['day', 'month', 'all'] as const) {
    for (const dim of DIMS) {
      await tx.execute(sql.raw(`insert into case_rollups (grain, dim, bucket, area_id, val, area_path, ${COLS.join(', ')})
        select '${grain}', '${dim}', g.bucket, a.anc::int, g.val, substring(min(g.area_path) from ('^/(?:[^/]+/){' || min(a.depth) || '}')),
          ${COLS.map((c) => `sum(g.${c})`).join(', ')}
        from (select ${bucketOf[grain]} as bucket, area_path, ${valOf[dim]} as val, ${COLS.map((c) => `sum(${c}) as ${c}`).join(', ')}
              from fq_rebuild_facts group by 1, 2, 3) g
          cross join lateral unnest(string_to_array(trim(both '/' from g.area_path), '/')) with ordinality as a(anc, depth)
        group by g.bucket, a.anc, g.val`));
    }
  }
  await tx.execute(sql.raw(`alter table case_rollups add constraint ${pk.name} ${pk.def}`));
  for (const i of indexes) await tx.execute(sql.raw(String(i.def)));
  const r = (await tx.execute(sql`select count(*)::int as n from fq_rebuild_facts`)) as unknown as { rows: { n: number }[] };
  return r.rows[0]?.n ?? 0;
}

export type Sums = Record<RollupCounter, number>;
export interface SumQuery {
  grain: 'day' | 'month' | 'all'; from: string; to: string; dim: Dim;
  /** The areas whose own rows are read (each holds its whole subtree). */
  areaIds: number[];
  /** One value of the dimension (an organisation, a category). */
  val?: string;
  groupBy?: 'val' | 'area' | 'bucket';
}

/** Sums of the counters over the rows of some areas, one dimension, a grain between two buckets (inclusive). */
export async function sums(ex: Executor, q: SumQuery): Promise<(Sums & { key: string })[]> {
  if (!q.areaIds.length) return [];
  const where = [sql`area_id in (${sql.join(q.areaIds.map((id) => sql`${id}`), sql`, `)})`, sql`grain = ${q.grain}`, sql`dim = ${q.dim}`,
    sql`bucket >= ${q.from}::date`, sql`bucket <= ${q.to}::date`];
  if (q.val !== undefined) where.push(sql`val = ${q.val}`);
  const key = q.groupBy === 'bucket' ? sql`bucket::text` : q.groupBy === 'val' ? sql`val` : q.groupBy === 'area' ? sql`area_id::text` : sql`''`;
  const r = (await ex.execute(sql`select ${key} as key, ${sql.raw(COLS.map((c) => `coalesce(sum(${c}), 0)::float8 as ${c}`).join(', '))}
    from case_rollups where ${sql.join(where, sql` and `)} group by 1`)) as unknown as { rows: Record<string, number | string>[] };
  return r.rows.map((row) => {
    const out = { key: String(row.key) } as Sums & { key: string };
    RollupCounters.forEach((c, i) => { out[c] = Number(row[COLS[i]!]); });
    return out;
  });
}

/** The areas directly below one (a breakdown by area), and the roots (the whole installation). */
export async function childAreaIds(ex: Executor, parentId: number): Promise<number[]> {
  return rows(await ex.execute(sql`select id from areas where parent_id = ${parentId}`)).map((r) => Number(r.id));
}
export async function rootAreaIds(ex: Executor): Promise<number[]> {
  return rows(await ex.execute(sql`select id from areas where parent_id is null`)).map((r) => Number(r.id));
}
const rows = (r: unknown) => (r as { rows: Record<string, unknown>[] }).rows;
