/**
 * Does partitioning `case_events` by month pay? `npm run bench:partitioning` — on PostgreSQL 15, side by side in
 * one run: the table as it is, and the same table partitioned by month on `at` (36 monthly partitions, native range
 * partitioning; its unique key must then carry `at`), both loaded with the same BENCH_EVENT_CASES cases' events
 * (1,000,000 cases × 6 events over three years, each case's events within a few days). Measured on each, in turn:
 * - a case's timeline (`where case_id = $1 order by seq`, what every case page reads), 3,000 random cases;
 * - one month's events of one action (`at` in a month: what the mediation figures and a rollup rebuild of a
 *   month read);
 * - appending the events of 20,000 new cases (this month's partition), and the size on disk.
 * Written to bench/results/partitioning.md.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { findPgBin, withPostgres } from '../scripts/lib/throwaway-postgres.ts';

const CASES = Number(process.env.BENCH_EVENT_CASES ?? 1_000_000);
const MONTHS = 36;
const COLUMNS = `case_id uuid not null, seq integer not null, at timestamptz not null, actor_id uuid, actor_name text not null,
  actor_org_id integer, action text not null, from_status text, to_status text not null, note text, payload jsonb not null default '{}'::jsonb`;
const pct = (xs: number[], q: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(q * s.length))]!; };
const ms = (n: number) => Math.round(n * 100) / 100;

/**
 * `count` cases' events from case number `from`: six each, seven hours apart, the cases spread evenly over `spread`
 * before `end` in the order of their numbers (as a table filled over the years lies on disk: roughly by time).
 */
const fill = (table: string, from: number, count: number, end: string, spread: string, total = CASES) => `insert into ${table} (case_id, seq, at, actor_name, action, from_status, to_status, payload)
  select md5('case' || g)::uuid, s, t.created + (s - 1) * interval '7 hours', 'bench', (array['create','accept','dispatch','sign_for','reply','return_visit'])[s],
    (array[null,'pending_acceptance','pending_dispatch','pending_signoff','in_progress','replied'])[s],
    (array['pending_acceptance','pending_dispatch','pending_signoff','in_progress','replied','closed'])[s],
    jsonb_build_object('patch', jsonb_build_object('status', (array['pending_acceptance','pending_dispatch','pending_signoff','in_progress','replied','closed'])[s], 'version', s))
  from generate_series(${from}, ${from + count - 1}) g
  cross join lateral (select timestamptz '${end}' - (${total} - least(g, ${total})) * (${spread} / ${total}.0) as created) t
  cross join generate_series(1, 6) s`;

async function main() {
  const pgBin = findPgBin();
  if (!pgBin) { console.log('partitioning benchmark: no PostgreSQL server binaries; skipped'); return; }
  const lines = await withPostgres(pgBin, async (url) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await c.query(`set max_parallel_workers_per_gather = 0`);
      const end = new Date(); end.setUTCDate(1); end.setUTCHours(0, 0, 0, 0); end.setUTCMonth(end.getUTCMonth() + 1);
      const endIso = end.toISOString();
      const spread = `interval '${MONTHS * 30 - 10} days'`;
      await c.query(`create table ev_plain (id bigint generated always as identity primary key, ${COLUMNS})`);
      await c.query(`create table ev_part (id bigint generated always as identity, ${COLUMNS}) partition by range (at)`);
      for (let m = MONTHS; m >= 0; m--) {
        const a = new Date(end); a.setUTCMonth(a.getUTCMonth() - m - 1);
        const b = new Date(end); b.setUTCMonth(b.getUTCMonth() - m);
        await c.query(`create table ev_part_${MONTHS - m} partition of ev_part for values from ('${a.toISOString()}') to ('${b.toISOString()}')`);
      }
      await c.query(`create table ev_part_next partition of ev_part for values from ('${endIso}') to (maxvalue)`);
      const out: string[] = [];
      const t0 = performance.now();
      for (let from = 1; from <= CASES; from += 250_000) {
        const n = Math.min(250_000, CASES - from + 1);
        await c.query(fill('ev_plain', from, n, endIso, spread));
        await c.query(fill('ev_part', from, n, endIso, spread));
        console.log(`  loaded ${(from + n - 1).toLocaleString('en-US')} cases' events into each, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
      }
      // the indexes case_events has, the unique one carrying the partition key where it must
      await c.query(`create unique index on ev_plain (case_id, seq)`);
      await c.query(`create unique index on ev_part (case_id, seq, at)`);
      for (const t of ['ev_plain', 'ev_part']) await c.query(`create index on ${t} (at) where action in ('reply', 'return_visit')`);
      await c.query(`alter table ev_part add primary key (id, at)`);
      await c.query(`vacuum analyze ev_plain`);
      await c.query(`vacuum analyze ev_part`);
      const results: Record<string, Record<string, number | string>> = { ev_plain: {}, ev_part: {} };
      // a case's timeline, warm: each table read in turn in rounds, the same random cases
      const ids = Array.from({ length: 3000 }, (_, i) => 1 + ((i * 104_729) % CASES));
      for (const t of ['ev_plain', 'ev_part']) {
        const times: number[] = [];
        for (const id of ids) {
          const s = performance.now();
          const r = await c.query({ name: `tl_${t}`, text: `select * from ${t} where case_id = $1 order by seq`, values: [md5uuid(id)] });
          times.push(performance.now() - s);
          if (r.rowCount !== 6) throw new Error(`timeline of case ${id} in ${t}: ${r.rowCount} events`);
        }
        results[t]!.timelineP50 = ms(pct(times, 0.5)); results[t]!.timelineP95 = ms(pct(times, 0.95));
      }
      // one month's replies
      const a = new Date(end); a.setUTCMonth(a.getUTCMonth() - 7);
      const b = new Date(end); b.setUTCMonth(b.getUTCMonth() - 6);
      for (const t of ['ev_plain', 'ev_part']) {
        const times: number[] = [];
        for (let i = 0; i < 20; i++) {
          const s = performance.now();
          await c.query(`select count(*), count(distinct case_id) from ${t} where action = 'reply' and at >= $1 and at < $2`, [a.toISOString(), b.toISOString()]);
          times.push(performance.now() - s);
        }
        results[t]!.monthP50 = ms(pct(times, 0.5));
      }
      // appending this month's events of 20,000 new cases, 500 cases' events a statement
      for (const t of ['ev_plain', 'ev_part']) {
        const s = performance.now();
        for (let from = CASES + 1; from <= CASES + 20_000; from += 500) await c.query(fill(t, from, 500, endIso, `interval '20 days'`, CASES + 20_000));
        results[t]!.append = ms((performance.now() - s) / 20_000 * 1000); // µs per case (six events)
      }
      for (const t of ['ev_plain', 'ev_part']) {
        const r = await c.query(`select sum(pg_total_relation_size(x))::bigint as bytes from (select '${t}'::regclass as x union all select inhrelid::regclass from pg_inherits where inhparent = '${t}'::regclass) p`);
        results[t]!.bytes = Number(r.rows[0].bytes);
      }
      const row = (label: string, k: string, unit: string) => `| ${label} | ${results.ev_plain![k]} ${unit} | ${results.ev_part![k]} ${unit} |`;
      out.push(`case_events as it is and partitioned by month, PostgreSQL 15 (${new Date().toISOString().slice(0, 10)}): ${CASES.toLocaleString('en-US')} cases × 6 events over ${MONTHS} months in each, side by side in one run.`, '',
        '| | one table | 37 monthly partitions |', '|---|---:|---:|',
        row('a case’s timeline, p50', 'timelineP50', 'ms'), row('a case’s timeline, p95', 'timelineP95', 'ms'),
        row('one month’s replies counted, p50', 'monthP50', 'ms'), row('appending a case’s six events (500 cases a statement)', 'append', 'µs'),
        `| size on disk | ${(Number(results.ev_plain!.bytes) / 2 ** 20).toFixed(0)} MiB | ${(Number(results.ev_part!.bytes) / 2 ** 20).toFixed(0)} MiB |`);
      return out;
    } finally {
      await c.end();
    }
  });
  if (!lines) return;
  const text = lines.join('\n');
  console.log(`\n${text}`);
  fs.writeFileSync(path.join(import.meta.dirname, 'results', 'partitioning.md'), `${text}\n`);
}

/** The id the loading SQL gives case `g`: md5('case' || g) read as a uuid. */
function md5uuid(g: number): string {
  const h = crypto.createHash('md5').update(`case${g}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
await main();
