import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/access/actor.ts';
import { createTestContext, type TestContext } from './helpers/context.ts';
import { demoWorld } from './helpers/demo.ts';

/** The resident's category list: what residents report most comes first, counted from the rollups. */
let ctx: TestContext;
let d: Awaited<ReturnType<typeof demoWorld>>;
beforeAll(async () => {
  ctx = await createTestContext();
  d = await demoWorld(ctx);
}, 120_000);
afterAll(() => ctx?.close());

describe('public categories', () => {
  it('put the most reported of the last three months first, most first, only active ones; switched off, one leaves the list', async () => {
    const report = async (code: string, n: number) => {
      const categoryId = (await d.category(code)).id;
      for (let i = 0; i < n; i++) {
        const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/public/cases', payload: { channel: 'mobile_web', areaId: d.area('220102200001').id, categoryId, description: `第${i}次反映${code}问题` } });
        expect(res.statusCode, res.body).toBe(201);
      }
      return categoryId;
    };
    const noise = await report('A09', 3);
    const lamps = await report('A02', 5);
    const water = await report('A04', 1);
    await ctx.services.commandCenter.rollups.catchUp();
    const first = (await ctx.app.inject({ url: '/api/v1/public/categories' })).json() as { items: { id: number }[]; popular: number[] };
    expect(first.popular.slice(0, 3)).toEqual([lamps, noise, water]);
    expect(first.popular.every((id) => first.items.some((c) => c.id === id))).toBe(true);
    // an administrator switches lamps off: it is no longer offered, popular or not (the cache is refreshed by the change)
    await ctx.services.settings.updateCategory(systemActor(), lamps, { active: false });
    const after = (await ctx.app.inject({ url: '/api/v1/public/categories' })).json() as { popular: number[] };
    expect(after.popular.slice(0, 2)).toEqual([noise, water]);
  });
});
