import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { systemActor } from '../src/access/actor.ts';
import { createTestContext, type TestContext } from './helpers/context.ts';
import { buildWorld, login, type Session, type World } from './helpers/world.ts';
import { searchCases, searchStages } from '../src/modules/cases/cases.repository.ts';
import { searchQueries } from '../src/modules/triage/search-terms.ts';

/** Full-text search of cases: by a word anywhere in the description, the address, a reply; ranked; kept current. */
let ctx: TestContext;
let w: World;
let staff: Session;
const sys = systemActor();
beforeAll(async () => {
  ctx = await createTestContext();
  w = await buildWorld(ctx);
  staff = await login(ctx, 'a.all');
}, 120_000);
afterAll(() => ctx?.close());

const code = async (c: string) => (await ctx.services.categories.byCode(c))!.id;
const report = async (description: string, address?: string) =>
  (await ctx.services.cases.createByStaff(sys, { channel: 'hotline', areaId: w.areas.a1.id, categoryId: await code('A02'), description, ...(address ? { address } : {}) }, null)).case.id as string;
const search = async (q: string, extra = '') => {
  const res = await ctx.app.inject({ url: `/api/v1/cases?q=${encodeURIComponent(q)}${extra}`, headers: staff.headers });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { items: { id: string }[]; nextCursor: string | null };
};
const ids = async (q: string, extra = '') => (await search(q, extra)).items.map((c) => c.id);

describe('full-text search', () => {
  it('finds a case by a word in the middle of its description and by its address; not by words it lacks', async () => {
    const lamp = await report('居民反映小区东门外的路灯已经坏了三天，晚上出行很不方便', '幸福路88号惠民小区');
    const noise = await report('楼上深夜装修噪音扰民');
    expect(await ids('路灯')).toEqual([lamp]);
    expect(await ids('东门')).toEqual([lamp]);
    expect(await ids('出行不便')).toEqual([]); // 出行很不方便: the words are not together
    expect(await ids('出行 方便')).toEqual([lamp]); // every word must match, anywhere
    expect(await ids('幸福路')).toEqual([lamp]);
    expect(await ids('噪音')).toEqual([noise]);
    expect(await ids('灯')).toEqual([lamp]); // one character: any word it begins
    expect(await ids('地铁站')).toEqual([]);
    // with the list's other filters
    expect(await ids('路灯', '&open=false')).toEqual([]);
    expect(await ids('路灯', `&areaId=${w.areas.a1g.id}`)).toEqual([]); // the grid below: the case is at the village
  });

  it('a reply becomes searchable in the same transaction; the better match ranks first; pages by position', async () => {
    const id = await report('公园健身器材损坏');
    const row = (await ctx.services.cases.get(sys, id)).case;
    await ctx.services.cases.act(sys, id, 'accept', { version: row.version, tier: 'general' } as never);
    await ctx.services.cases.act(sys, id, 'handle_on_spot', { version: row.version + 1, result: '已联系厂家更换新的单杠' } as never);
    expect(await ids('单杠')).toEqual([id]);
    const once = await report('器材老化');
    const twice = await report('健身器材老化，器材螺丝松动，器材需要检修');
    const found = await ids('器材');
    expect(found.indexOf(twice)).toBeLessThan(found.indexOf(once));
    const first = await search('器材', '&limit=1');
    expect(first.items).toHaveLength(1);
    const second = await search('器材', `&limit=1&cursor=${encodeURIComponent(first.nextCursor!)}`);
    expect(second.items[0]!.id).not.toBe(first.items[0]!.id);
  });

  it('a center finds a case sent to it from outside its area, a department the cases dispatched to it; nobody else', async () => {
    const id = await report('水库堤坝出现渗漏需要巡查');
    const act = async (action: string, input: Record<string, unknown>) => {
      const row = (await ctx.services.cases.get(sys, id)).case;
      await ctx.services.cases.act(sys, id, action as never, { version: row.version, ...input } as never);
    };
    const as = async (username: string, q: string) => {
      const res = await ctx.app.inject({ url: `/api/v1/cases?q=${encodeURIComponent(q)}`, headers: (await login(ctx, username)).headers });
      expect(res.statusCode, res.body).toBe(200);
      return (res.json() as { items: { id: string }[] }).items.map((c) => c.id);
    };
    expect(await as('b.all', '渗漏')).toEqual([]);
    expect(await as('housing.handler', '渗漏')).toEqual([]);
    // the village's case goes up to the county, which sends it to township B (not the case's township) to handle
    await act('accept', { tier: 'general' });
    await act('escalate', { reason: '需县级协调' });
    await act('escalate', { reason: '需县级协调' });
    await act('dispatch', { organizationId: w.orgs.b.id });
    expect(await as('b.all', '渗漏')).toEqual([id]);
    expect(await as('b1.staff', '渗漏')).toEqual([]);
    // a department co-handling it finds it too, and a filter still narrows
    await act('add_co_handler', { organizationId: w.orgs.housing.id });
    expect(await as('housing.handler', '渗漏')).toEqual([id]);
    expect(await as('police.handler', '渗漏')).toEqual([]);
    const res = await ctx.app.inject({ url: `/api/v1/cases?q=${encodeURIComponent('渗漏')}&areaId=${w.areas.b.id}`, headers: (await login(ctx, 'b.all')).headers });
    expect(res.json().items).toEqual([]);
  });

  it('looking in the last day, week, months and years first gives exactly the window an unbounded search gives', async () => {
    const agesInDays = [0, 0.5, 1.2, 2, 3, 6, 6.9, 7.5, 20, 31, 40, 45, 61, 100, 200, 330, 380, 400, 700, 800, 1500];
    const made: string[] = [];
    for (let i = 0; i < agesInDays.length; i++) made.push(await report(`地下室渗水第${i}处`));
    // the cases' times, `now` less their ages, with the area's and the organisation's time terms of those times;
    // and a department's own cases
    const age = async (now: number) => {
      for (const [i, id] of made.entries()) {
        const at = new Date(now - agesInDays[i]! * 86_400_000).toISOString();
        const orgs = sql`array[${w.orgs.housing.id}::integer]`;
        await ctx.database.db.execute(sql`update case_search set created_at = ${at}::timestamptz, orgs = ${orgs},
          doc = ts_delete(doc, array(select lexeme from unnest(doc) where lexeme like '@%')) || fq_search_facets(area_path, ${at}::timestamptz)
            || fq_search_org_facets(${orgs}, ${at}::timestamptz) where case_id = ${id}`);
      }
    };
    const tsq = searchQueries('渗水')!;
    const where = sql`true`;
    // today, and days when this month or this year has only begun (China time): shorter stretches are left out
    const china = (y: number, m: number, d: number, h: number) => Date.UTC(y, m, d, h) - 8 * 3_600_000;
    for (const now of [china(2027, 0, 1, 0), china(2026, 2, 3, 12), china(2026, 11, 31, 23), Date.now()]) {
      await age(now);
      // each stretch's terms hold exactly the cases since its start (what makes a full stretch the newest window)
      for (const of of [{ area: w.areas.a.path }, { org: w.orgs.housing.id }]) {
        for (const { terms, since } of searchStages(of, now)) {
          if (!terms) continue;
          const found = (await ctx.database.db.execute(sql`select case_id from case_search where case_id = any(${`{${made.join(',')}}`}::uuid[]) and doc @@ ${terms}::tsquery`) as unknown as { rows: { case_id: string }[] }).rows;
          expect(new Set(found.map((r) => r.case_id)), `${new Date(now).toISOString()} ${terms}`).toEqual(new Set(made.filter((_, i) => now - agesInDays[i]! * 86_400_000 >= since)));
        }
      }
      for (const scope of [{ path: w.areas.a.path, org: null }, { path: '/', org: null }, { path: null, org: w.orgs.housing.id }]) {
        for (let window = 1; window <= agesInDays.length + 1; window++) {
          const staged = await searchCases(ctx.database.db, where, tsq, scope, 50, 0, { now, window });
          const plain = await searchCases(ctx.database.db, where, tsq, scope, 50, 0, { now, window, staged: false });
          expect(staged.map((c) => c.id), `${new Date(now).toISOString()} window ${window}`).toEqual(plain.map((c) => c.id));
          expect(staged).toHaveLength(Math.min(window, agesInDays.length));
        }
      }
    }
    const now = Date.now();
    // the newest first within the window: the window of 3 holds the three youngest
    const three = await searchCases(ctx.database.db, where, tsq, { path: '/', org: null }, 50, 0, { now, window: 3 });
    expect(new Set(three.map((c) => c.id))).toEqual(new Set(made.slice(0, 3)));
    // filters that keep only the oldest: asked a stretch at a time down the ranking until the page is full
    for (const chunk of [1, 100]) {
      const oldest = await searchCases(ctx.database.db, sql`cases.id = ${made.at(-1)}::uuid`, tsq, { path: '/', org: null }, 1, 0, { now, chunk });
      expect(oldest.map((c) => c.id)).toEqual([made.at(-1)]);
    }
    // a case handed to another organisation leaves the first one's search and joins the other's
    await ctx.database.db.execute(sql`update case_search set orgs = array[${w.orgs.police.id}::integer] where case_id = ${made[0]}`);
    const of = async (org: number) => (await searchCases(ctx.database.db, where, tsq, { path: null, org }, 50, 0, { now })).map((c) => c.id);
    expect(await of(w.orgs.housing.id)).not.toContain(made[0]);
    expect(await of(w.orgs.housing.id)).toHaveLength(agesInDays.length - 1);
    expect(await of(w.orgs.police.id)).toEqual([made[0]]);
  });

  it('the search indexes keep no pending list: an insert never merges one while other intakes wait', async () => {
    await report('楼顶水箱漏水');
    const r = await ctx.database.db.execute(sql`select c.relname as name, c.reloptions::text as options from pg_class c
      where c.relname in ('case_search_doc_idx', 'case_search_orgs_idx', 'case_search_centers_idx') order by c.relname`);
    expect((r as unknown as { rows: { name: string; options: string | null }[] }).rows).toEqual([
      { name: 'case_search_centers_idx', options: '{fastupdate=off}' },
      { name: 'case_search_doc_idx', options: '{fastupdate=off}' },
      { name: 'case_search_orgs_idx', options: '{fastupdate=off}' },
    ]);
    const pending = await ctx.database.db.execute(sql`select gin_clean_pending_list('case_search_doc_idx'::regclass)::int as n`);
    expect((pending as unknown as { rows: { n: number }[] }).rows[0]!.n).toBe(0);
  });

  it('cases written before search existed are indexed by the indexer', async () => {
    const old = await report('老旧小区雨水管堵塞');
    await ctx.database.db.execute(sql`delete from case_search where case_id = ${old}`);
    expect(await ids('雨水管')).toEqual([]);
    expect(await ctx.services.cases.search.indexAll()).toBe(1);
    expect(await ids('雨水管')).toEqual([old]);
    // a bulk import: five cases of one microsecond, walked two at a time, oldest first — each indexed once, the walk ends
    const bulk = [];
    for (let i = 0; i < 5; i++) bulk.push(await report(`批量导入的排水沟淤积${i}`));
    await ctx.database.db.execute(sql`update cases set created_at = '2025-03-01 08:00:00.123456+00' where id = any(${`{${bulk.join(',')}}`}::uuid[])`);
    await ctx.database.db.execute(sql`delete from case_search where case_id = any(${`{${bulk.join(',')}}`}::uuid[])`);
    expect(await ctx.services.cases.search.indexAll(2)).toBe(5);
    expect((await ids('排水沟')).sort()).toEqual([...bulk].sort());
  });

  it('what cannot be searched is refused plainly or finds nothing', async () => {
    expect(await ids('，。！')).toEqual([]);
    const long = await ctx.app.inject({ url: `/api/v1/cases?q=${'路'.repeat(101)}`, headers: staff.headers });
    expect([long.statusCode, long.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const quote = await ctx.app.inject({ url: `/api/v1/cases?q=${encodeURIComponent("路灯' | '噪音")}`, headers: staff.headers });
    expect(quote.statusCode).toBe(200);
  });
});
