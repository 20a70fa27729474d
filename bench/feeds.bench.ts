/**
 * Inbound alarm ingestion on PostgreSQL, beside plain staff intake in the same run: device alarms signed as a
 * platform signs them (HMAC-SHA256 over timestamp and body), each with its own message id, from 200 registered
 * devices in turn — the first alarm of each device opens a case, the rest join it (the dedupe path: the device
 * row locked, the message recorded, the count moved) — and POST /api/v1/cases with an API token.
 *
 *   npm run bench:feeds            BENCH_SECONDS=10 BENCH_DEVICES=200
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { systemActor } from '../packages/server/src/access/actor.ts';
import { findPgBin, withPostgres } from '../scripts/lib/throwaway-postgres.ts';
import { BENCH_PASSWORD, demoFixtures, intakeBody, listenApi, openBenchStack } from './stack.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const DEVICES = Number(process.env.BENCH_DEVICES ?? 200);
type Row = { scenario: string; rps: number; p50: number; p99: number; errors: number };

async function run(databaseUrl: string): Promise<{ rows: Row[]; cases: number; alarms: number }> {
  const stack = await openBenchStack(databaseUrl);
  try {
    const { services: s, database } = stack;
    const api = await listenApi(stack);
    const base = api.base;
    const sys = systemActor();
    const f = await demoFixtures(s);
    const intakeUser = f.user('intake');
    const { village, category } = f;
    // the platform's account: an integration account of the district center
    const account = await s.users.create(sys, { username: 'iot.platform', displayName: '消防物联网平台', organizationId: intakeUser.organizationId, roles: ['integration'], password: BENCH_PASSWORD });
    const { source, secret } = await s.feeds.create(sys, { kind: 'iot', name: '消防物联网平台', userId: account.id, alarmWindowMinutes: 600 });
    for (let i = 0; i < DEVICES; i++) {
      const place = await s.registry.createPlace(sys, { kind: 'residential', name: `测试楼${i}`, areaId: village.id });
      await s.feeds.createDevice(sys, source.id, { code: `D-${i}`, kind: 'smoke', name: `测试楼${i}烟感`, placeCode: (await s.registry.getPlace(sys, place.id)).code, categoryId: category.id });
    }
    const token = await f.token('intake');

    // requests are made in autocannon's worker thread (bench/feeds-request.cjs), not on the server's thread
    const scenarios = [
      { name: 'POST /api/v1/cases (staff intake)', url: `${base}/api/v1/cases`, request: { kind: 'intake', token, body: intakeBody(f) } },
      { name: `POST /api/v1/feeds/{id}/messages (signed alarm, ${DEVICES} devices, dedupe)`, url: `${base}/api/v1/feeds/${source.id}/messages`, request: { kind: 'alarm', secret, devices: DEVICES } },
    ];
    const rounds = scenarios.map(() => [] as autocannon.Result[]);
    for (let round = 0; round < 2; round++) {
      for (const [i, sc] of scenarios.entries()) {
        process.env.FQ_BENCH_REQUEST = JSON.stringify(sc.request);
        const opts = {
          url: sc.url, method: 'POST' as const, connections: 50, workers: 1,
          requests: [{ method: 'POST' as const, setupRequest: fileURLToPath(new URL('./feeds-request.cjs', import.meta.url)) as never }],
        };
        await autocannon({ ...opts, duration: 2 });
        const r = await autocannon({ ...opts, duration: SECONDS });
        rounds[i]!.push(r);
        console.log(`round ${round + 1}`, sc.name, Math.round(r.requests.average), 'req/s p99', r.latency.p99, 'ms errors', r.errors + r.non2xx);
      }
    }
    await api.close();
    const count = async (q: string) => Number(((await database.db.execute(q as never)) as unknown as { rows: { n: string }[] }).rows[0]!.n);
    return {
      rows: scenarios.map((sc, i) => {
        const rs = rounds[i]!;
        return {
          scenario: sc.name, rps: Math.round(rs.reduce((a, r) => a + r.requests.average, 0) / rs.length),
          p50: Math.max(...rs.map((r) => r.latency.p50)), p99: Math.max(...rs.map((r) => r.latency.p99)), errors: rs.reduce((a, r) => a + r.errors + r.non2xx, 0),
        };
      }),
      cases: await count(`select count(*) as n from cases where channel = 'iot_alarm'`),
      alarms: await count('select count(*) as n from feed_messages'),
    };
  } finally {
    await stack.close();
  }
}

const pgBin = findPgBin();
if (!pgBin) { console.log('PostgreSQL is not installed here: skipped'); process.exit(0); }
const r = await withPostgres(pgBin, run, { durable: true });
const md = [
  `Inbound alarm ingestion — ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, Node ${process.version}, PostgreSQL with durable settings; server in one process, the load generator in a worker thread of it; two rounds of ${SECONDS} s at 50 connections after a 2 s warm-up each, the scenarios alternating (mean req/s, the worse round's latencies)`,
  '',
  '| scenario | req/s | p50 ms | p99 ms | errors |', '|---|---:|---:|---:|---:|',
  ...r.rows.map((x) => `| ${x.scenario} | ${x.rps} | ${x.p50} | ${x.p99} | ${x.errors} |`),
  '',
  `Alarms taken in: ${r.alarms.toLocaleString('en')}; cases they opened: ${r.cases} (one per device: every later alarm joined its device's case).`,
].join('\n');
fs.writeFileSync(path.join(import.meta.dirname, 'results', 'feeds.md'), `${md}\n`);
console.log(`\n${md}`);
