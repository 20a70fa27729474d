/**
 * Foundation benchmark: an authenticated read endpoint (API token and console session) and sign-in
 * (argon2id at production cost), over HTTP with autocannon, on PGlite and on PostgreSQL.
 * The demo jurisdiction (长春市南关区: 14 townships, 70 communities, 140 grids) is the data.
 *
 *   npm run bench            # both databases (PostgreSQL when its server binaries are installed)
 *   BENCH_SECONDS=5 npm run bench
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { parseConfig } from '../packages/server/src/config.ts';
import { openDatabase } from '../packages/server/src/db/database.ts';
import { createServices } from '../packages/server/src/services.ts';
import { buildApp } from '../packages/server/src/http/app.ts';
import { seedDemo } from '../packages/server/src/demo/seed-demo.ts';
import { systemActor } from '../packages/server/src/access/actor.ts';
import { findPgBin, withPostgres } from '../scripts/lib/throwaway-postgres.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PASSWORD = 'Bench-password-2026';

interface Row { database: string; scenario: string; connections: number; rps: number; p50: number; p99: number; errors: number }

async function benchOn(label: string, databaseUrl: string | null): Promise<Row[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fq-bench-'));
  const config = parseConfig({}, { secret: 'bench-secret-bench-secret-bench-secret-01', logLevel: 'silent' }, { cookieSecure: false });
  const database = await openDatabase({ databaseUrl, dataDir: databaseUrl ? null : dataDir, poolSize: 20 });
  try {
    await database.migrate();
    const services = createServices(database.db, config);
    await seedDemo(services, PASSWORD);
    const app = await buildApp({ services, database, logger: false, rateLimitMultiplier: 1_000_000 });
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const intake = (await services.users.list(systemActor(), { q: 'intake' })).items.find((u) => u.username === 'intake')!;
    const { token } = await services.tokens.create(systemActor(), { userId: intake.id, name: 'bench' });
    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;

    const scenarios = [
      { scenario: 'GET /api/v1/areas (API token, township scope)', connections: 32, opts: { url: `${base}/api/v1/areas?limit=50`, headers: { authorization: `Bearer ${token}` } } },
      { scenario: 'GET /api/v1/users (session cookie, district scope, masked)', connections: 32, opts: { url: `${base}/api/v1/users?limit=50`, headers: { cookie } } },
      { scenario: 'POST /api/v1/auth/login (argon2id 19 MiB, t=2)', connections: 8, opts: { url: `${base}/api/v1/auth/login`, method: 'POST' as const, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'village', password: PASSWORD }) } },
    ];
    const rows: Row[] = [];
    for (const s of scenarios) {
      // load is generated in a worker thread, so that the server keeps the main thread to itself
      await autocannon({ ...s.opts, connections: s.connections, duration: 2, workers: 1 }); // warm-up
      const r = await autocannon({ ...s.opts, connections: s.connections, duration: SECONDS, workers: 1 });
      rows.push({ database: label, scenario: s.scenario, connections: s.connections, rps: Math.round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx });
      console.log(`${label.padEnd(12)} ${s.scenario.padEnd(60)} ${String(Math.round(r.requests.average)).padStart(6)} req/s  p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms  errors ${r.errors + r.non2xx}`);
    }
    await app.close();
    return rows;
  } finally {
    await database.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const rows: Row[] = [];
rows.push(...(await benchOn('PGlite', null)));
const pgBin = findPgBin();
if (pgBin) rows.push(...(await withPostgres(pgBin, (url) => benchOn('PostgreSQL', url), { durable: true })));
else console.log('PostgreSQL skipped: no server binaries');

const table = [
  `Foundation benchmark — ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, Node ${process.version}, ${SECONDS} s per scenario after a 2 s warm-up`,
  '',
  '| database | scenario | connections | req/s | p50 ms | p99 ms | errors |',
  '|---|---|---:|---:|---:|---:|---:|',
  ...rows.map((r) => `| ${r.database} | ${r.scenario} | ${r.connections} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.errors} |`),
].join('\n');
fs.writeFileSync(path.join(import.meta.dirname, 'results', 'foundation.md'), `${table}\n`);
console.log(`\n${table}`);
