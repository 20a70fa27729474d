import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, snapshot, type TestContext } from './helpers/context.ts';
import { buildWorld, login, type Session, type World } from './helpers/world.ts';

let ctx: TestContext;
let w: World;
let staff: Session;
let categoryId: number;
beforeAll(async () => {
  ctx = await createTestContext();
  w = await buildWorld(ctx);
  staff = await login(ctx, 'a1.staff');
  categoryId = (await ctx.services.categories.byCode('A01'))!.id;
});
afterAll(() => ctx?.close());

describe('Idempotency-Key', () => {
  it('a retry of the same report gets the same case, whatever the order of its fields', async () => {
    const body = { channel: 'window', areaId: w.areas.a1.id, categoryId, description: '路灯不亮', reporter: { name: '王五', phone: '13812345678' } };
    const headers = { ...staff.headers, 'idempotency-key': 'retry-1' };
    const first = await ctx.app.inject({ method: 'POST', url: '/api/v1/cases', headers, payload: body });
    const again = await ctx.app.inject({ method: 'POST', url: '/api/v1/cases', headers, payload: { reporter: { phone: '13812345678', name: '王五' }, description: '路灯不亮', categoryId, areaId: w.areas.a1.id, channel: 'window' } });
    expect(first.statusCode).toBe(201);
    expect(again.json().case.id).toBe(first.json().case.id);
    expect(again.json().receipt).toEqual(first.json().receipt);
  });

  it('retries racing each other, in one batch or in two, get one case between them', async () => {
    const body = { channel: 'hotline', areaId: w.areas.a1.id, categoryId, description: '噪音扰民，夜里施工' };
    const countOf = async () => Number(((await ctx.database.db.execute(sql`select count(*)::int as n from cases`)) as unknown as { rows: { n: number }[] }).rows[0]!.n);
    const before = await countOf();
    for (const key of ['race-1', 'race-2', 'race-3']) {
      const headers = { ...staff.headers, 'idempotency-key': key };
      const answers = await Promise.all(Array.from({ length: 5 }, () => ctx.app.inject({ method: 'POST', url: '/api/v1/cases', headers, payload: body })));
      expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 201, 201, 201, 201]);
      expect(new Set(answers.map((a) => a.json().case.id)).size).toBe(1);
      expect(new Set(answers.map((a) => a.json().receipt.trackingSecret)).size).toBe(1);
    }
    expect(await countOf()).toBe(before + 3);
  });

  it('the same key with another report is refused, and nothing is written', async () => {
    const headers = { ...staff.headers, 'idempotency-key': 'reused-1' };
    const first = await ctx.app.inject({ method: 'POST', url: '/api/v1/cases', headers, payload: { channel: 'window', areaId: w.areas.a1.id, categoryId, description: '第一件事' } });
    expect(first.statusCode).toBe(201);
    const before = await snapshot(ctx, ['sessions']);
    const second = await ctx.app.inject({ method: 'POST', url: '/api/v1/cases', headers, payload: { channel: 'window', areaId: w.areas.a1.id, categoryId, description: '另一件事' } });
    expect(second.statusCode).toBe(409);
    expect(second.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await snapshot(ctx, ['sessions'])).toBe(before);
  });

  it('holds for residents’ reports too', async () => {
    const headers = { 'idempotency-key': 'resident-1' };
    const payload = { channel: 'mobile_web', areaId: w.areas.a1.id, categoryId, description: '井盖缺失' };
    const first = await ctx.app.inject({ method: 'POST', url: '/api/v1/public/cases', headers, payload });
    expect((await ctx.app.inject({ method: 'POST', url: '/api/v1/public/cases', headers, payload })).json().number).toBe(first.json().number);
    const other = await ctx.app.inject({ method: 'POST', url: '/api/v1/public/cases', headers, payload: { ...payload, description: '路面塌陷' } });
    expect(other.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });
});
