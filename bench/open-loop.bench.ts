/**
 * Latency under a fixed load, on PostgreSQL (durable defaults): intakes sent open-loop at fixed rates (100, 250, 500,
 * 1,000 a second), the bare Fastify route that inserts one row into the same database at the same rates in the same
 * run, alternating; p50 / p99 / p99.9 and errors at each rate, and the rate where intake's p99 passes 100 ms.
 *
 * Each rate runs BENCH_ROUNDS times (the routes alternating, which goes first swapped each round), and the round
 * with the median intake p99 is reported beside the bare insert's median round: on shared cores one stall of a
 * quarter second moves a single ten-second p99 several-fold, in either route.
 *
 *   npm run bench:open-loop         BENCH_SECONDS=10 BENCH_RATES=100,250,500,1000 BENCH_ROUNDS=3
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { findPgBin, withPostgres } from '../scripts/lib/throwaway-postgres.ts';
import { demoFixtures, intakeBody, listenApi, listenBareInsert, openBenchStack } from './stack.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const RATES = (process.env.BENCH_RATES ?? '100,250,500,1000').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
interface Result { sent: number; ok: number; errors: number; achieved: number; p50: number | null; p99: number | null; p999: number | null; max: number | null }

function send(url: string, headers: Record<string, string>, body: string, rate: number, seconds: number, keyPrefix: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL('./open-loop-sender.mjs', import.meta.url), { workerData: { url, headers, body, rate, seconds, keyPrefix } });
    w.once('message', resolve);
    w.once('error', reject);
  });
}

async function main() {
  const pgBin = findPgBin();
  if (!pgBin) { console.log('open-loop benchmark: no PostgreSQL server binaries; skipped'); return; }
  const rows = await withPostgres(pgBin, async (databaseUrl) => {
    const stack = await openBenchStack(databaseUrl);
    try {
      const api = await listenApi(stack);
      const f = await demoFixtures(stack.services);
      const token = await f.token('intake');
      const bare = await listenBareInsert(stack);
      const body = intakeBody(f);
      const routes: { name: string; url: string; headers: Record<string, string> }[] = [
        { name: 'bare INSERT', url: bare.url, headers: {} },
        { name: 'intake', url: `${api.base}/api/v1/cases`, headers: { authorization: `Bearer ${token}` } },
      ];
      await send(routes[1]!.url, routes[1]!.headers, body, 100, 3, 'warm'); // warm the pools and the JIT
      const out: (Result & { route: string; rate: number; p99s: (number | null)[] })[] = [];
      for (const rate of RATES) {
        const runs = new Map<string, Result[]>(routes.map((r) => [r.name, []]));
        for (let round = 0; round < ROUNDS; round++) {
          for (const r of round % 2 ? routes : [...routes].reverse()) {
            // every request its own key: a key sent before would be answered with the earlier case, not written
            const res = await send(r.url, r.headers, body, rate, SECONDS, `${r.name}-${rate}-${round}`);
            runs.get(r.name)!.push(res);
            console.log(`${String(rate).padStart(5)}/s ${r.name.padEnd(12)} round ${round + 1}: achieved ${res.achieved}/s ok ${res.ok} errors ${res.errors} p50 ${res.p50} ms p99 ${res.p99} ms p99.9 ${res.p999} ms max ${res.max} ms`);
          }
        }
        for (const r of routes) {
          const all = runs.get(r.name)!;
          const byP99 = [...all].sort((a, b) => (a.p99 ?? Infinity) - (b.p99 ?? Infinity));
          out.push({ route: r.name, rate, ...byP99[Math.floor((byP99.length - 1) / 2)]!, errors: all.reduce((n, x) => n + x.errors, 0), p99s: all.map((x) => x.p99) });
        }
      }
      await bare.close();
      await api.close();
      return out;
    } finally {
      await stack.close();
    }
  }, { durable: true });
  if (!rows) return;
  const table = ['| rate (/s) | route | achieved (/s) | ok | errors (all rounds) | p50 (ms) | p99 (ms) | p99.9 (ms) | max (ms) | p99 of each round (ms) |', '|---:|---|---:|---:|---:|---:|---:|---:|---:|---|',
    ...rows.map((r) => `| ${r.rate} | ${r.route} | ${r.achieved} | ${r.ok} | ${r.errors} | ${r.p50} | ${r.p99} | ${r.p999} | ${r.max} | ${r.p99s.join(', ')} |`)];
  const ratio = RATES.map((rate) => {
    const i = rows.find((r) => r.rate === rate && r.route === 'intake')!;
    const b = rows.find((r) => r.rate === rate && r.route === 'bare INSERT')!;
    return `${rate}/s: intake p99 ${i.p99} ms = ${((i.p99 ?? 0) / Math.max(0.1, b.p99 ?? 0)).toFixed(2)} × the bare insert's ${b.p99} ms`;
  });
  const passes = rows.filter((r) => r.route === 'intake' && ((r.p99 ?? 0) > 100 || r.errors > 0)).map((r) => r.rate);
  const text = [`Open-loop latency on PostgreSQL, ${SECONDS} s at each rate, ${ROUNDS} rounds each, the round of the median p99 shown (${new Date().toISOString().slice(0, 10)}, ${(await import('node:os')).cpus().length} cores):`, '', ...table, '', ...ratio.map((x) => `- ${x}`),
    `- intake's p99 passes 100 ms at: ${passes.length ? `${Math.min(...passes)}/s` : `none of the rates tried (up to ${Math.max(...RATES)}/s)`}`].join('\n');
  console.log(`\n${text}`);
  fs.writeFileSync(path.join(import.meta.dirname, 'results', 'open-loop.md'), `${text}\n`);
}
await main();
