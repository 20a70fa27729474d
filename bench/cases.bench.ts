/**
 * Case-loop benchmark, on PGlite and on PostgreSQL, in one run:
 *  1. intake over HTTP (POST /api/v1/cases, API token, 50 connections) beside a bare Fastify route that
 *     inserts one row into the same database — the cost of everything intake does on top of one insert;
 *  2. queue and list queries with 1,000,000 generated cases on PostgreSQL (100,000 on PGlite), p50/p95/p99
 *     one request at a time, and p95/p99 with 4 requests in flight.
 *
 *   npm run bench:cases            BENCH_SECONDS=10 BENCH_CASES_PG=1000000 BENCH_CASES_PGLITE=100000
 *   intake only, PostgreSQL only:  BENCH_SKIP_PGLITE=1 BENCH_CASES_PG=0
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { findPgBin, withPostgres } from '../scripts/lib/throwaway-postgres.ts';
import { generateCases } from './generate-cases.ts';
import { sample } from './sampling.ts';
import { demoFixtures, intakeBody, listenApi, listenBareInsert, openBenchStack } from './stack.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
type Row = Record<string, string | number>;

async function run(label: string, databaseUrl: string | null, caseCount: number) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fq-bench-cases-'));
  const stack = await openBenchStack(databaseUrl, { dataDir });
  const intake: Row[] = [];
  const queries: Row[] = [];
  try {
    const { services: s, database } = stack;
    const api = await listenApi(stack);
    const base = api.base;
    const f = await demoFixtures(s);
    const token = f.token;
    const bare = await listenBareInsert(stack);
    const body = intakeBody(f);
    const intakeToken = await token('intake');
    const scenarios = [
      { name: 'bare Fastify route: INSERT one row', url: bare.url, headers: { 'content-type': 'application/json' } },
      { name: 'POST /api/v1/cases (intake: auth, scope, number, case, event, outbox, detail)', url: `${base}/api/v1/cases`, headers: { 'content-type': 'application/json', authorization: `Bearer ${intakeToken}` } },
    ];
    // two rounds, the scenarios alternating, so that a slow spell of a shared machine falls on both; the table
    // shows the mean throughput and the worse of the two rounds' latencies
    const rounds = scenarios.map(() => [] as autocannon.Result[]);
    for (let round = 0; round < 2; round++) {
      for (const [i, sc] of scenarios.entries()) {
        const opts = { url: sc.url, method: 'POST' as const, headers: sc.headers, body, connections: 50, workers: 1 };
        await autocannon({ ...opts, duration: 2 });
        const r = await autocannon({ ...opts, duration: SECONDS });
        rounds[i]!.push(r);
        console.log(label, `round ${round + 1}`, sc.name, Math.round(r.requests.average), 'req/s p99', r.latency.p99, 'ms errors', r.errors + r.non2xx);
      }
    }
    for (const [i, sc] of scenarios.entries()) {
      const rs = rounds[i]!;
      intake.push({
        database: label, scenario: sc.name, rps: Math.round(rs.reduce((a, r) => a + r.requests.average, 0) / rs.length),
        p50: Math.max(...rs.map((r) => r.latency.p50)), p99: Math.max(...rs.map((r) => r.latency.p99)), errors: rs.reduce((a, r) => a + r.errors + r.non2xx, 0),
      });
    }
    await bare.close();
    if (caseCount === 0) { await api.close(); return { intake, queries }; }

    console.log(`${label}: generating ${caseCount.toLocaleString()} cases…`);
    const t = performance.now();
    await generateCases(database.db, caseCount, console.log);
    console.log(`${label}: generated in ${((performance.now() - t) / 1000).toFixed(0)} s`);
    const auth = async (u: string) => ({ authorization: `Bearer ${await token(u)}` });
    const dispatcher = await auth('dispatcher');
    const villageStaff = await auth('village');
    const housing = await auth('housing');
    const checks = [
      { name: 'district: newest 50 cases', url: '/api/v1/cases?limit=50', headers: dispatcher },
      { name: 'district: 50 in progress, one category group', url: `/api/v1/cases?limit=50&status=in_progress&categoryId=${(await s.categories.byCode('A'))!.id}`, headers: dispatcher },
      { name: 'district: queue 待派单', url: '/api/v1/cases?queue=to_dispatch&limit=50', headers: dispatcher },
      { name: 'district: overdue, 50', url: '/api/v1/cases?overdue=true&limit=50', headers: dispatcher },
      { name: 'community: newest 50 cases', url: '/api/v1/cases?limit=50', headers: villageStaff },
      { name: 'community: all nine queue counts', url: '/api/v1/cases/queues', headers: villageStaff },
      { name: 'department: queue 办理中', url: '/api/v1/cases?queue=in_progress&limit=50', headers: housing },
      { name: 'department: all nine queue counts', url: '/api/v1/cases/queues', headers: housing },
    ];
    for (const c of checks) {
      const r = await sample(`${base}${c.url}`, c.headers, 400);
      queries.push({ database: label, cases: caseCount, query: c.name, ...r });
      console.log(label, c.name, r);
    }
    await api.close();
  } finally {
    await stack.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return { intake, queries };
}

type Results = Awaited<ReturnType<typeof run>>;
/**
 * Each database is measured in a process of its own, as a server runs one: PGlite's WebAssembly heap and the
 * code warmed on its driver would otherwise stay in the process measuring PostgreSQL.
 */
function inChild(which: 'pglite' | 'postgres'): Promise<Results> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], {
      env: { ...process.env, BENCH_CHILD: which }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let got: Results | undefined;
    child.on('message', (m) => { got = m as Results; });
    child.on('exit', (code) => (code === 0 && got ? resolve(got) : reject(new Error(`${which} benchmark exited with ${code}`))));
  });
}

const pgBin = findPgBin();
if (process.env.BENCH_CHILD) {
  const r = process.env.BENCH_CHILD === 'pglite'
    ? await run('PGlite', null, Number(process.env.BENCH_CASES_PGLITE ?? 100_000))
    : await withPostgres(pgBin!, (url) => run('PostgreSQL', url, Number(process.env.BENCH_CASES_PG ?? 1_000_000)), { durable: true });
  process.send!(r);
  process.exit(0);
}
const results: Results[] = [];
if (!process.env.BENCH_SKIP_PGLITE) results.push(await inChild('pglite'));
if (pgBin) results.push(await inChild('postgres'));

const md = [
  `Case-loop benchmark — ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, Node ${process.version}; each database in its own process; intake: two rounds of ${SECONDS} s at 50 connections, each after a 2 s warm-up, the scenarios alternating (mean req/s, the worse round's latencies); queries sampled 400 times one at a time, then 400 times 4 in flight`,
  '',
  '| database | scenario | req/s | p50 ms | p99 ms | errors |', '|---|---|---:|---:|---:|---:|',
  ...results.flatMap((r) => r.intake).map((r) => `| ${r.database} | ${r.scenario} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.errors} |`),
  '',
  '| database | cases | query | p50 ms | p95 ms | p99 ms | p95 ms, 4 in flight | p99 ms, 4 in flight |', '|---|---:|---|---:|---:|---:|---:|---:|',
  ...results.flatMap((r) => r.queries).map((r) => `| ${r.database} | ${Number(r.cases).toLocaleString('en')} | ${r.query} | ${r.p50} | ${r.p95} | ${r.p99} | ${r.busyP95} | ${r.busyP99} |`),
].join('\n');
// partial runs (BENCH_SKIP_PGLITE, a case count of 0) print their figures but leave the recorded results alone
const partial = Boolean(process.env.BENCH_SKIP_PGLITE) || results.some((r) => !r.queries.length);
if (!partial) fs.writeFileSync(path.join(import.meta.dirname, 'results', 'cases.md'), `${md}\n`);
console.log(`\n${md}`);
