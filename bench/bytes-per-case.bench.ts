/**
 * Bytes per case, for the capacity plan (docs/operations.md): `npm run bench:bytes-per-case`.
 *
 * On PostgreSQL 15, the demo jurisdiction, then BENCH_CASES cases (2,000) reported by residents with a name and a
 * phone, in words of realistic length (test/helpers/paraphrases.ts), in the demo's grids, each taken the whole way
 * through the loop as most cases go — accepted, dispatched to a department, signed for, the resident contacted,
 * replied, visited back — except one in five left open at a random step. The rollups are folded and the warnings
 * evaluated as a running server does. Then VACUUM ANALYZE, and each table's growth (heap, TOAST, indexes) over the
 * demo alone, divided by the number of cases. Written to bench/results/bytes-per-case.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { systemActor } from '../packages/server/src/access/actor.ts';
import { generateReports } from '../packages/server/test/helpers/paraphrases.ts';
import { findPgBin, withPostgres } from '../scripts/lib/throwaway-postgres.ts';
import { openBenchStack } from './stack.ts';

const N = Number(process.env.BENCH_CASES ?? 2_000);
interface Size { table: string; heap: number; toast: number; indexes: number }
const rowsOf = <T>(r: unknown) => (r as { rows: T[] }).rows;

async function main() {
  const pgBin = findPgBin();
  if (!pgBin) { console.log('bytes per case: no PostgreSQL server binaries; skipped'); return; }
  const result = await withPostgres(pgBin, async (databaseUrl) => {
    const stack = await openBenchStack(databaseUrl, { poolSize: 5 });
    const { database, services: s } = stack;
    try {
      const sizes = async (): Promise<Size[]> => {
        await database.db.execute(sql`vacuum analyze`);
        return rowsOf<Size>(await database.db.execute(sql`select c.relname as "table", pg_relation_size(c.oid)::bigint as heap,
            coalesce(pg_total_relation_size(nullif(c.reltoastrelid, 0)), 0)::bigint as toast, pg_indexes_size(c.oid)::bigint as indexes
          from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind = 'r'`))
          .map((x) => ({ table: x.table, heap: Number(x.heap), toast: Number(x.toast), indexes: Number(x.indexes) }));
      };
      const before = await sizes();
      const sys = systemActor();
      const grids = rowsOf<{ id: number }>(await database.db.execute(sql`select id from areas where level = 'grid' order by id`)).map((g) => Number(g.id));
      const department = rowsOf<{ id: number }>(await database.db.execute(sql`select id from organizations where kind = 'department' order by id limit 1`))[0]!.id;
      const categories = rowsOf<{ id: number }>(await database.db.execute(sql`select id from categories where parent_id is not null and active order by id`)).map((c) => Number(c.id));
      const reports = generateReports(7, Math.ceil(N / 3));
      const started = performance.now();
      const steps = [
        { action: 'accept', input: { tier: 'general' } },
        { action: 'dispatch', input: { organizationId: Number(department), note: '请按职责办理' } },
        { action: 'sign_for', input: {} },
        { action: 'contact', input: { note: '已电话联系反映人，约定上门查看时间' } },
        { action: 'reply', input: { result: '已到现场查看并处理完毕，问题已解决，反映人表示认可。' } },
        { action: 'return_visit', input: { result: 'satisfied' } },
      ] as const;
      for (let i = 0; i < N; i++) {
        const r = reports[i % reports.length]!;
        const created = await s.cases.createByStaff(sys, {
          channel: 'hotline', areaId: grids[i % grids.length]!, categoryId: categories[i % categories.length]!, description: r.text,
          ...(r.address ? { address: r.address } : {}), location: { lon: r.lon, lat: r.lat },
          reporter: { name: `居民${i}`, phone: `139${String(10_000_000 + i).slice(-8)}` },
        }, `bytes-${i}`);
        let version = created.case.version;
        const last = i % 5 === 0 ? (i / 5) % steps.length : steps.length; // one in five stays open at some step
        for (const step of steps.slice(0, last)) {
          version = (await s.cases.act(sys, created.case.id, step.action as never, { version, ...step.input } as never)).case.version;
        }
        if ((i + 1) % 500 === 0) console.log(`  ${i + 1} cases, ${((performance.now() - started) / 1000).toFixed(0)} s`);
      }
      await s.commandCenter.rollups.catchUp();
      await s.commandCenter.warnings.evaluateAll();
      const after = await sizes();
      const counts = rowsOf<{ events: number }>(await database.db.execute(sql`select (select count(*) from case_events where case_id in (select id from cases where idempotency_key like '%bytes-%'))::int as events`))[0]!;
      return { before, after, events: counts.events };
    } finally {
      await stack.close();
    }
  });
  if (!result) return;
  const { before, after, events } = result;
  const base = new Map(before.map((b) => [b.table, b]));
  const grown = after.map((a) => {
    const b = base.get(a.table) ?? { heap: 0, toast: 0, indexes: 0 };
    return { table: a.table, heap: (a.heap - b.heap) / N, toast: (a.toast - b.toast) / N, indexes: (a.indexes - b.indexes) / N };
  }).filter((g) => g.heap + g.toast + g.indexes > 0).sort((x, y) => (y.heap + y.toast + y.indexes) - (x.heap + x.toast + x.indexes));
  const total = grown.reduce((t, g) => t + g.heap + g.toast + g.indexes, 0);
  // kept for years: the case, its events and search words, warnings; the outbox, the queues, sessions and reads are
  // purged or consumed; the rollups grow with the days × places × categories × channels × tiers that occur, not per case
  const transient = ['outbox', 'rollup_queue', 'warning_queue', 'sessions', 'notification_reads'];
  const kept = grown.filter((g) => !transient.includes(g.table) && g.table !== 'case_rollups');
  const keptTotal = kept.reduce((t, g) => t + g.heap + g.toast + g.indexes, 0);
  const rollups = grown.find((g) => g.table === 'case_rollups');
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const text = [
    `Bytes per case on PostgreSQL 15 (${new Date().toISOString().slice(0, 10)}): ${N.toLocaleString('en-US')} cases, ${(events / N).toFixed(1)} events each, after VACUUM ANALYZE; growth over the demo alone ÷ cases.`, '',
    '| table | heap | TOAST | indexes | total |', '|---|---:|---:|---:|---:|',
    ...grown.map((g) => `| ${g.table} | ${fmt(g.heap)} | ${fmt(g.toast)} | ${fmt(g.indexes)} | ${fmt(g.heap + g.toast + g.indexes)} |`),
    `| **all** | | | | **${fmt(total)}** |`, '',
    `- kept for years, per case (${kept.map((g) => g.table).join(', ')}): ${fmt(keptTotal)} bytes; per 10 million cases ${(keptTotal * 1e7 / 2 ** 30).toFixed(1)} GiB, of which indexes ${(kept.reduce((t, g) => t + g.indexes, 0) * 1e7 / 2 ** 30).toFixed(1)} GiB`,
    `- rollups: ${fmt(rollups ? rollups.heap + rollups.toast + rollups.indexes : 0)} bytes a case here, where every case is a day × grid × category × channel × tier of its own (the worst case: the rollups then hold a row per case and per state it passed); a real city's cases share those cells, so the rollups grow with the cells that occur`,
    `- transient (${transient.join(', ')}): purged by housekeeping or consumed by the workers`,
  ].join('\n');
  console.log(`\n${text}`);
  fs.writeFileSync(path.join(import.meta.dirname, 'results', 'bytes-per-case.md'), `${text}\n`);
}
await main();
