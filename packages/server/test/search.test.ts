import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { systemActor } from '../src/access/actor.ts';
import { createTestContext, type TestContext } from './helpers/context.ts';
import { buildWorld, login, type Session, type World } from './helpers/world.ts';

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

  it('cases written before search existed are indexed by the indexer', async () => {
    const old = await report('老旧小区雨水管堵塞');
    await ctx.database.db.execute(sql`delete from case_search where case_id = ${old}`);
    expect(await ids('雨水管')).toEqual([]);
    expect(await ctx.services.cases.search.indexAll()).toBe(1);
    expect(await ids('雨水管')).toEqual([old]);
  });

  it('what cannot be searched is refused plainly or finds nothing', async () => {
    expect(await ids('，。！')).toEqual([]);
    const long = await ctx.app.inject({ url: `/api/v1/cases?q=${'路'.repeat(101)}`, headers: staff.headers });
    expect([long.statusCode, long.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const quote = await ctx.app.inject({ url: `/api/v1/cases?q=${encodeURIComponent("路灯' | '噪音")}`, headers: staff.headers });
    expect(quote.statusCode).toBe(200);
  });
});
