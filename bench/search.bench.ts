/**
 * Full-text search benchmark on PostgreSQL: N generated cases (bench/generate-cases.ts) whose descriptions are
 * drawn from places × things × problems × endings (so words are rare, common or everywhere), indexed by the
 * server's own indexer (jieba in process); then GET /api/v1/cases?q=… for a district dispatcher, one request
 * at a time, for a rare, a middling and a common word and for two words — and beside each the equivalent
 * `description ILIKE '%…%'` query in the same run.
 *
 *   npm run bench:search            BENCH_SEARCH_CASES=1000000
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { systemActor } from '../packages/server/src/access/actor.ts';
import { findPgBin, withPostgres } from '../scripts/lib/throwaway-postgres.ts';
import { listenApi, openBenchStack } from './stack.ts';
import { generateCases } from './generate-cases.ts';
import { pct, rows, sample } from './sampling.ts';

const CASES = Number(process.env.BENCH_SEARCH_CASES ?? 1_000_000);
const PLACES = ['小区东门', '菜市场', '学校门口', '公园', '地下车库', '公交站', '楼道', '河道', '广场', '工地', '商铺', '医院附近', '老旧小区', '农贸市场', '幼儿园旁', '地铁口', '村委会', '城中村', '背街小巷', '停车场'];
const THINGS = ['路灯', '井盖', '垃圾', '噪音', '污水', '违停车辆', '电动车', '燃气管道', '下水道', '围墙', '树木', '健身器材', '消防通道', '电梯', '供暖', '自来水', '占道经营', '油烟', '积水', '路面',
  '广告牌', '窨井', '护栏', '化粪池', '空调外机', '晾衣架', '流浪犬', '施工围挡', '充电桩', '监控探头'];
const PROBLEMS = ['坏了', '堵塞', '缺失', '扰民', '外溢', '乱停乱放', '存在起火隐患', '漏气', '倒塌', '断裂', '长期未修', '无人管理', '异味严重', '影响通行', '存在安全隐患'];
const ENDINGS = ['，希望尽快处理。', '，多次反映未解决。', '，影响居民出行。', '，请相关部门核实。', '，老人孩子出行不便。', '。'];

const list = (xs: string[]) => `array[${xs.map((x) => `'${x}'`).join(',')}]`;

async function run(databaseUrl: string) {
  const stack = await openBenchStack(databaseUrl, { poolSize: 10 });
  const { database, services: s } = stack;
  const out = { setup: {} as Record<string, number>, queries: [] as Record<string, string | number>[] };
  try {
    for (const trg of ['cases_rollup_insert', 'cases_rollup_update', 'cases_repeat']) await database.db.execute(sql.raw(`alter table cases disable trigger ${trg}`));
    let t = performance.now();
    await generateCases(database.db, CASES, console.log, { days: 3 * 365 });
    await database.db.execute(sql.raw(`update cases set description = '居民反映' || (${list(PLACES)})[1 + (hashtext(id::text) & 1023) % ${PLACES.length}]
      || '的' || (${list(THINGS)})[1 + ((hashtext(id::text) >> 10) & 1023) % ${THINGS.length}] || (${list(PROBLEMS)})[1 + ((hashtext(id::text) >> 20) & 255) % ${PROBLEMS.length}]
      || (${list(ENDINGS)})[1 + (abs(hashtext(number)) % ${ENDINGS.length})]`));
    out.setup.generateSeconds = Math.round((performance.now() - t) / 1000);
    t = performance.now();
    const indexed = await s.cases.search.indexAll();
    out.setup.indexSeconds = Math.round((performance.now() - t) / 1000);
    out.setup.indexed = indexed;
    await database.db.execute(sql`vacuum analyze case_search`);
    await database.db.execute(sql`vacuum analyze cases`);
    console.log('setup', out.setup);

    const api = await listenApi(stack);
    const base = api.base;
    const users = (await s.users.list(systemActor(), { limit: 500 })).items;
    const headers = { authorization: `Bearer ${(await s.tokens.create(systemActor(), { userId: users.find((x) => x.username === 'dispatcher')!.id, name: 'bench' })).token}` };
    const district = rows(await database.db.execute(sql`select path from areas where code = '220102'`))[0]!.path as string;
    const total = Number(rows(await database.db.execute(sql`select count(*)::int as n from cases where area_path like ${`${district}%`}`))[0]!.n);
    for (const [what, q, like] of [
      ['a rare pair of words', '河道 电梯', ['河道', '电梯']], ['a thing (one of thirty)', '燃气管道', ['燃气管道']], ['a place (one of twenty)', '公交站', ['公交站']],
      ['a word in every case', '居民', ['居民']],
    ] as const) {
      const matches = Number(rows(await database.db.execute(sql`select count(*)::int as n from cases where area_path like ${`${district}%`} and ${sql.join(like.map((w) => sql`description like ${`%${w}%`}`), sql` and `)}`))[0]!.n);
      const r = await sample(`${base}/api/v1/cases?q=${encodeURIComponent(q)}&limit=50`, headers);
      const naive: number[] = [];
      for (let i = 0; i < 20; i++) {
        const s0 = performance.now();
        await database.db.execute(sql`select id from cases where area_path like ${`${district}%`} and ${sql.join(like.map((w) => sql`description ilike ${`%${w}%`}`), sql` and `)} order by created_at desc limit 50`);
        naive.push(performance.now() - s0);
      }
      out.queries.push({ what, q, matches, total, p50: r.p50, p95: r.p95, p99: r.p99, ilikeP50: Math.round(pct(naive, 50)), ilikeP95: Math.round(pct(naive, 95)) });
      console.log(out.queries.at(-1));
    }
    // a department: the cases assigned to it or shared with it, wherever they are (the scope's other half)
    const dept = users.find((x) => x.username === 'housing')!;
    const deptHeaders = { authorization: `Bearer ${(await s.tokens.create(systemActor(), { userId: dept.id, name: 'bench' })).token}` };
    const mine = sql`(assignee_org_id = ${dept.organizationId} or ${dept.organizationId} = any(co_handler_org_ids))`;
    const deptTotal = Number(rows(await database.db.execute(sql`select count(*)::int as n from cases where ${mine}`))[0]!.n);
    const deptMatches = Number(rows(await database.db.execute(sql`select count(*)::int as n from cases where ${mine} and description like '%燃气管道%'`))[0]!.n);
    const d = await sample(`${base}/api/v1/cases?q=${encodeURIComponent('燃气管道')}&limit=50`, deptHeaders);
    const deptNaive: number[] = [];
    for (let i = 0; i < 20; i++) {
      const s0 = performance.now();
      await database.db.execute(sql`select id from cases where ${mine} and description ilike '%燃气管道%' order by created_at desc limit 50`);
      deptNaive.push(performance.now() - s0);
    }
    out.queries.push({ what: 'a department (its own cases), a thing', q: '燃气管道', matches: deptMatches, total: deptTotal, p50: d.p50, p95: d.p95, p99: d.p99, ilikeP50: Math.round(pct(deptNaive, 50)), ilikeP95: Math.round(pct(deptNaive, 95)) });
    console.log(out.queries.at(-1));
    await api.close();
  } finally {
    await stack.close();
  }
  return out;
}

const pgBin = findPgBin();
if (!pgBin) { console.log('search benchmark skipped: no PostgreSQL server binaries'); process.exit(0); }
const r = await withPostgres(pgBin, (url) => run(url), { durable: true });
const md = [
  `Search benchmark — ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, Node ${process.version}, PostgreSQL; ${CASES.toLocaleString('en')} cases`,
  '',
  `Setup: generated and described in ${r.setup.generateSeconds} s; ${(r.setup.indexed ?? 0).toLocaleString('en')} cases indexed by the server's indexer (jieba in process) in ${r.setup.indexSeconds} s.`,
  '',
  '| query (district dispatcher unless said, 50 per page) | matches / cases in scope | API p50 ms | API p95 ms | API p99 ms | ILIKE p50 ms | ILIKE p95 ms |', '|---|---:|---:|---:|---:|---:|---:|',
  ...r.queries.map((q) => `| ${q.what}: \`${q.q}\` | ${Number(q.matches).toLocaleString('en')} / ${Number(q.total).toLocaleString('en')} | ${q.p50} | ${q.p95} | ${q.p99} | ${q.ilikeP50} | ${q.ilikeP95} |`),
  '',
].join('\n');
fs.writeFileSync(path.join(import.meta.dirname, 'results', 'search.md'), md);
console.log(md);
