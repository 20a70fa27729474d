/**
 * Command-center benchmark on PostgreSQL (or PGlite: BENCH_PGLITE=1), in one run:
 *  1. a city of several districts (长春市's real divisions imported beside the demo district) and N cases over
 *     three years, generated in SQL through the same triggers that keep the rollups, then folded;
 *  2. every dashboard API for the city, a district and a township, p50/p95/p99 one request at a time — and
 *     beside each figure the naive GROUP BY over `cases` that would compute it at request time (the ratio);
 *  3. intake with the rollup and repeat triggers, and with them disabled, alternating (the share kept);
 *  4. warnings raised while 100 new cases a second arrive: the time from a report's acknowledgement to its warning.
 *
 *   npm run bench:command-center          BENCH_CC_CASES=1000000 BENCH_SECONDS=10 BENCH_CC_FOLD=100000
 *
 * PostgreSQL runs with the settings docs/operations.md gives a city's server, scaled to this machine's memory.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import { systemActor } from '../packages/server/src/access/actor.ts';
import { importDivisions } from '../packages/server/src/modules/areas/divisions.ts';
import { findPgBin, withPostgres } from '../scripts/lib/throwaway-postgres.ts';
import { listenApi, openBenchStack } from './stack.ts';
import { generateCases } from './generate-cases.ts';
import { pct, rows, sample } from './sampling.ts';

const CASES = Number(process.env.BENCH_CC_CASES ?? 1_000_000);
/**
 * `warnings`: only the warnings measurement (results/command-center-warnings.md); `intake`: only intake with and
 * without the rollup triggers (results/command-center-intake.md), BENCH_ROUNDS rounds of each.
 */
const ONLY = process.env.BENCH_CC_ONLY ?? '';
const INTAKE_ROUNDS = Number(process.env.BENCH_ROUNDS ?? (ONLY === 'intake' ? 4 : 2));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
/** 长春市's districts besides 南关区 (the demo): the city the figures are read for. */
const DISTRICTS = ['220103', '220104', '220105', '220106'];


/** BENCH_PGLITE=1: the embedded database in a throwaway data directory instead of a PostgreSQL server. */
const PGLITE = process.env.BENCH_PGLITE === '1';

async function run(databaseUrl: string | null) {
  const dataDir = databaseUrl ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'fengqiao-cc-'));
  const stack = await openBenchStack(databaseUrl, { dataDir });
  const { database, services: s } = stack;
  const out = { dashboards: [] as Record<string, string | number>[], intake: [] as Record<string, string | number>[], warnings: {} as Record<string, number>, setup: {} as Record<string, number> };
  try {
    const sys = systemActor();
    for (const code of DISTRICTS) await importDivisions(s.db, s.areas, sys, code);
    const api = await listenApi(stack);
    const base = api.base;
    const users = (await s.users.list(sys, { limit: 500 })).items;
    const token = async (u: string) => ({ authorization: `Bearer ${(await s.tokens.create(sys, { userId: users.find((x) => x.username === u)!.id, name: 'bench' })).token}` });

    // the history as an installation importing it would load it: triggers off, then `fengqiao rollups rebuild`
    const triggers = async (on: boolean) => {
      for (const trg of ['cases_rollup_insert', 'cases_rollup_update', 'cases_repeat']) await database.db.execute(sql.raw(`alter table cases ${on ? 'enable' : 'disable'} trigger ${trg}`));
    };
    await triggers(false);
    let t = performance.now();
    await generateCases(database.db, CASES, console.log, { days: 3 * 365 });
    out.setup.generateSeconds = Math.round((performance.now() - t) / 1000);
    await triggers(true);
    t = performance.now();
    await s.commandCenter.rollups.rebuild();
    out.setup.rebuildSeconds = Math.round((performance.now() - t) / 1000);
    // then day-to-day: cases written through the triggers, folded by the worker's path
    const FOLD_SAMPLE = Number(process.env.BENCH_CC_FOLD ?? (ONLY ? 10_000 : 100_000));
    t = performance.now();
    await generateCases(database.db, FOLD_SAMPLE, console.log, { days: 3 * 365, offset: CASES });
    out.setup.triggeredSeconds = Math.round((performance.now() - t) / 1000);
    t = performance.now();
    const folded = await s.commandCenter.rollups.catchUp();
    out.setup.foldSeconds = Math.round((performance.now() - t) / 1000);
    out.setup.foldedFacts = folded;
    out.setup.foldSample = FOLD_SAMPLE;
    out.setup.rollupRows = Number(rows(await database.db.execute(sql`select count(*)::int as n from case_rollups`))[0]!.n);
    out.setup.areas = Number(rows(await database.db.execute(sql`select count(*)::int as n from areas`))[0]!.n);
    await database.db.execute(sql`vacuum analyze case_rollups`);
    console.log('setup', out.setup);

    // the three levels: the city (an account at the city center), the demo district, a township of it
    const city = await token('city');
    const district = await token('dispatcher');
    const township = await token('intake');
    const areaOf = async (code: string) => rows(await database.db.execute(sql`select id, path from areas where code = ${code}`))[0]! as { id: number; path: string };
    const levels = [
      { level: 'city', headers: city, area: await areaOf('220100') },
      { level: 'district', headers: district, area: await areaOf('220102') },
      { level: 'township', headers: township, area: await areaOf('220102200') },
    ];
    const year = new Date().getFullYear();
    for (const l of ONLY ? [] : levels) {
      const apis = [
        { api: 'figures, this month', url: `/api/v1/figures?period=month` },
        { api: 'figures, this year', url: `/api/v1/figures?period=year` },
        { api: 'figures, three years', url: `/api/v1/figures?period=range&from=${year - 3}-01-01&to=${year}-12-31` },
        { api: 'ranking, this year', url: `/api/v1/figures/ranking?period=year` },
        { api: 'warnings, active', url: '/api/v1/warnings?status=active&limit=50' },
        { api: 'big screen picture', url: '/api/v1/figures/stream?once=true' },
      ];
      for (const a of apis) {
        const r = await sample(`${base}${a.url}`, l.headers);
        out.dashboards.push({ level: l.level, api: a.api, ...r });
        console.log(l.level, a.api, r);
      }
      // the naive way: this year's received, on-time and satisfied counts by GROUP BY over the cases, at request time
      const naive: number[] = [];
      for (let i = 0; i < 20; i++) {
        const s0 = performance.now();
        await database.db.execute(sql`select channel, count(*), count(*) filter (where (fq_case_facts(c)).handle_met > 0), count(*) filter (where visit_result in ('satisfied','basically_satisfied'))
          from cases c where area_path like ${`${l.area.path}%`} and created_at >= ${`${year}-01-01T00:00:00+08:00`}::timestamptz group by channel`);
        naive.push(performance.now() - s0);
      }
      out.dashboards.push({ level: l.level, api: 'naive GROUP BY over cases (one figure set, this year)', p50: Math.round(pct(naive, 50)), p95: Math.round(pct(naive, 95)), p99: Math.round(pct(naive, 99)), busyP95: '', busyP99: '' });
    }

    // intake with the rollup triggers and without them, alternating (the repeat test stays on in both)
    const village = await areaOf('220102200001');
    const category = (await s.categories.byCode('A02'))!;
    const body = JSON.stringify({ channel: 'window', areaId: village.id, categoryId: category.id, description: '小区路灯损坏，夜间出行不便', reporter: { name: '张三', phone: '13812345678' } });
    const intake = await token('intake');
    // without rollup maintenance, new cases are still queued for the warning rules (the insert trigger does both;
    // a stand-in does only the latter): the difference is the rollups' cost alone
    await database.db.execute(sql.raw(`create or replace function bench_warning_queue_only() returns trigger language plpgsql as $$
      begin insert into warning_queue (case_id, reason) select id, 'new' from new_rows; return null; end $$`));
    await database.db.execute(sql.raw(`create trigger bench_warning_queue_only after insert on cases referencing new table as new_rows
      for each statement execute function bench_warning_queue_only()`));
    const rollupTriggers = async (on: boolean) => {
      for (const trg of ['cases_rollup_insert', 'cases_rollup_update']) await database.db.execute(sql.raw(`alter table cases ${on ? 'enable' : 'disable'} trigger ${trg}`));
      await database.db.execute(sql.raw(`alter table cases ${on ? 'disable' : 'enable'} trigger bench_warning_queue_only`));
    };
    const rounds: Record<string, number[]> = { with: [], without: [] };
    for (let round = 0; round < (ONLY === 'warnings' ? 0 : INTAKE_ROUNDS); round++) {
      for (const mode of round % 2 ? ['with', 'without'] as const : ['without', 'with'] as const) {
        await rollupTriggers(mode === 'with');
        const opts = { url: `${base}/api/v1/cases`, method: 'POST' as const, headers: { 'content-type': 'application/json', ...intake }, body, connections: 50 };
        await autocannon({ ...opts, duration: 2 });
        const r = await autocannon({ ...opts, duration: SECONDS });
        rounds[mode]!.push(r.requests.average);
        console.log(`intake ${mode} rollups`, Math.round(r.requests.average), 'req/s', r.errors + r.non2xx, 'errors');
      }
    }
    await rollupTriggers(true);
    // the median round of each (the mean of the middle two for an even count): one slow round on shared cores moves a mean
    const median = (xs: number[]) => { const v = [...xs].sort((a, b) => a - b); return Math.round((v[Math.floor((v.length - 1) / 2)]! + v[Math.ceil((v.length - 1) / 2)]!) / 2); };
    if (ONLY !== 'warnings') out.intake.push({ mode: 'without the rollup triggers', rps: median(rounds.without!), rounds: rounds.without!.map(Math.round).join(', ') }, { mode: 'with them', rps: median(rounds.with!), rounds: rounds.with!.map(Math.round).join(', ') });
    if (ONLY === 'intake') { await api.close(); return out; }
    await s.commandCenter.rollups.catchUp();
    // the generated history and the intake rounds are not looked at by the rules: the measurement starts empty
    await database.db.execute(sql`delete from warning_queue`);

    // warnings at 100 new cases a second for 60 s (an open-loop sender in a worker thread), one in ten a
    // group-incident sign: from the report's acknowledgement to its warning, as a reader of the warnings sees it
    const logError = (e: unknown) => console.error('background loop failed', e);
    const stops = [s.commandCenter.rollups.start(1000, logError), s.commandCenter.warnings.start(250, logError)];
    const load = { rate: 100, count: Number(process.env.BENCH_CC_WARNING_CASES ?? 6000), groupEvery: 10 };
    const sender = new Worker(new URL('./open-loop-intake.mjs', import.meta.url), {
      workerData: { url: `${base}/api/v1/cases`, headers: intake, areaId: village.id, categoryId: category.id, ...load },
    });
    let result: { acked: { id: string; at: number }[]; errors: number; rate: number } | null = null;
    sender.once('message', (m) => { result = m; });
    const seen = new Map<string, number>();
    const look = async () => {
      for (const r of rows(await database.db.execute(sql`select unnest(case_ids)::text as id from warnings where kind = 'group' and status = 'open'`))) {
        if (!seen.has(String(r.id))) seen.set(String(r.id), Date.now());
      }
    };
    while (!result) { await look(); await new Promise((r) => setTimeout(r, 50)); }
    const done = result as { acked: { id: string; at: number }[]; errors: number; rate: number };
    const deadline = Date.now() + 30_000;
    while (done.acked.some((a) => !seen.has(a.id)) && Date.now() < deadline) { await look(); await new Promise((r) => setTimeout(r, 50)); }
    for (const stop of stops) await stop();
    const lags = done.acked.filter((a) => seen.has(a.id)).map((a) => Math.max(0, seen.get(a.id)! - a.at));
    out.warnings = {
      sent: load.count, rate: done.rate, errors: done.errors, expected: done.acked.length, raised: lags.length,
      p50: Math.round(pct(lags, 50)), p95: Math.round(pct(lags, 95)), p99: Math.round(pct(lags, 99)), max: Math.round(Math.max(...lags)),
    };
    console.log('warnings', out.warnings);
    await api.close();
  } finally {
    await stack.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return out;
}

const pgBin = findPgBin();
if (!pgBin && !PGLITE) { console.log('command-center benchmark skipped: no PostgreSQL server binaries'); process.exit(0); }
/** docs/operations.md's settings for a city's server, scaled to this machine: a quarter of the memory for shared buffers. */
const memoryMiB = Math.floor(os.totalmem() / 2 ** 20);
const settings = {
  shared_buffers: `${Math.floor(memoryMiB / 4)}MB`, effective_cache_size: `${Math.floor((memoryMiB * 3) / 4)}MB`,
  work_mem: '32MB', maintenance_work_mem: `${Math.min(2048, Math.floor(memoryMiB / 16))}MB`, max_wal_size: '8GB',
};
const r = PGLITE ? await run(null) : await withPostgres(pgBin!, (url) => run(url), { durable: true, settings });
const engine = PGLITE ? 'PGlite' : `PostgreSQL (shared_buffers ${settings.shared_buffers}, work_mem ${settings.work_mem})`;
const md = [
  `Command-center benchmark — ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, Node ${process.version}, ${engine}; ${CASES.toLocaleString('en')} generated cases over three years in a city of ${r.setup.areas} areas (长春市: the demo district and ${DISTRICTS.length} more)`,
  '',
  `Setup: the history generated in SQL in ${r.setup.generateSeconds} s with the triggers off, then \`rollups rebuild\` in ${r.setup.rebuildSeconds} s; ${(r.setup.foldSample ?? 0).toLocaleString('en')} more cases written through the triggers in ${r.setup.triggeredSeconds} s and their ${(r.setup.foldedFacts ?? 0).toLocaleString('en')} queued facts folded by the worker's path in ${r.setup.foldSeconds} s; ${(r.setup.rollupRows ?? 0).toLocaleString('en')} rollup rows in all.`,
  '',
  '| level | API | p50 ms | p95 ms | p99 ms | p95 ms, 4 in flight | p99 ms, 4 in flight |', '|---|---|---:|---:|---:|---:|---:|',
  ...r.dashboards.map((d) => `| ${d.level} | ${d.api} | ${d.p50} | ${d.p95} | ${d.p99} | ${d.busyP95} | ${d.busyP99} |`),
  '',
  r.intake.length ? `Intake (POST /api/v1/cases, 50 connections, ${INTAKE_ROUNDS} rounds of ${SECONDS} s each way, alternating and the first swapped each round; the median round): ${r.intake.map((x) => `${x.mode} ${x.rps} req/s (rounds: ${x.rounds})`).join("; ")} — ${Math.round((Number(r.intake[1]!.rps) / Number(r.intake[0]!.rps)) * 100)} % kept.` : "",
  '',
  `Warnings at ${r.warnings.rate} new cases/s sent open-loop (${r.warnings.sent} cases, ${r.warnings.errors} errors, ${r.warnings.expected} with group-incident signs, and every case of one category in one village — the cluster and spike rules see each): ${r.warnings.raised} raised; from the report's acknowledgement to its warning p50 ${r.warnings.p50} ms, p95 ${r.warnings.p95} ms, p99 ${r.warnings.p99} ms, max ${r.warnings.max} ms.`,
].join('\n');
const warningsLine = md.split('\n').at(-1)!;
const suffix = PGLITE ? '-pglite' : '';
if (ONLY === 'intake') fs.writeFileSync(path.join(import.meta.dirname, 'results', `command-center-intake${suffix}.md`), `Intake with and without the rollup triggers — ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, ${engine}, ${CASES.toLocaleString('en')} cases of history: ${md.split('\n').find((l) => l.startsWith('Intake'))}\n`);
else if (ONLY) fs.writeFileSync(path.join(import.meta.dirname, 'results', `command-center-warnings${suffix}.md`), `Warnings benchmark — ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, ${engine}, ${CASES.toLocaleString('en')} cases of history: ${warningsLine}\n`);
// 1,000,000 cases on PostgreSQL: command-center.md; another size or PGlite beside it (command-center-10m.md, command-center-1m-pglite.md)
else {
  const name = CASES === 1_000_000 && !PGLITE ? 'command-center' : `command-center-${CASES % 1e6 ? CASES : `${CASES / 1e6}m`}${suffix}`;
  fs.writeFileSync(path.join(import.meta.dirname, 'results', `${name}.md`), `${md}\n`);
}
console.log(`\n${md}`);
