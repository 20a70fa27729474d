import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from './helpers/context.ts';
import { buildWorld, login, type Session, type World } from './helpers/world.ts';

let ctx: TestContext;
let w: World;
let county: Session;
beforeAll(async () => {
  ctx = await createTestContext({ sessionIdleMinutes: 24 * 60 });
  w = await buildWorld(ctx);
  county = await login(ctx, 'county.admin');
});
afterAll(() => ctx?.close());

const call = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: object, s = county) =>
  ctx.app.inject({ method, url, headers: s.headers, ...(payload ? { payload } : {}) });

describe('installation settings', () => {
  it('a deadline policy for a category and tier drives the clocks of the next accepted case', async () => {
    const noise = (await ctx.services.categories.byCode('A09'))!;
    const put = await call('PUT', '/api/v1/settings/deadline-policies', {
      categoryId: noise.id, tier: 'general', contact: { amount: 2, unit: 'hours' }, handle: { amount: 5, unit: 'hours' }, reply: { amount: 3, unit: 'hours' },
    });
    expect(put.statusCode).toBe(200);
    // putting the same scope again updates it
    const again = await call('PUT', '/api/v1/settings/deadline-policies', {
      categoryId: noise.id, tier: 'general', contact: { amount: 2, unit: 'hours' }, handle: { amount: 6, unit: 'hours' }, reply: { amount: 3, unit: 'hours' },
    });
    expect(again.json().id).toBe(put.json().id);
    expect((await call('GET', '/api/v1/settings/deadline-policies')).json().items).toHaveLength(1);

    const a1 = await login(ctx, 'a1.staff');
    const created = await call('POST', '/api/v1/cases', { channel: 'window', areaId: w.areas.a1.id, categoryId: noise.id, description: '夜间施工噪音' }, a1);
    const id = created.json().case.id;
    const accepted = await call('POST', `/api/v1/cases/${id}/accept`, { version: 1, tier: 'general' }, a1);
    const c = accepted.json().case;
    const hours = (iso: string) => (new Date(iso).getTime() - new Date(c.acceptedAt).getTime()) / 3_600_000;
    expect(hours(c.clocks.contact.dueAt)).toBe(2);
    expect(hours(c.clocks.handle.dueAt)).toBe(6);
    expect((await call('DELETE', `/api/v1/settings/deadline-policies/${put.json().id}`)).statusCode).toBe(200);
  });

  it('the calendar: declare a local holiday, list it, remove it', async () => {
    expect((await call('PUT', '/api/v1/settings/calendar/2026-12-07', { kind: 'holiday', name: '地方节日' })).statusCode).toBe(200);
    const list = (await call('GET', '/api/v1/settings/calendar?from=2026-12-01&to=2026-12-31')).json().items;
    expect(list).toEqual([{ day: '2026-12-07', kind: 'holiday', name: '地方节日', source: 'admin' }]);
    const oct = (await call('GET', '/api/v1/settings/calendar?from=2026-10-01&to=2026-10-10')).json().items;
    expect(oct.filter((d: { kind: string }) => d.kind === 'holiday')).toHaveLength(7);
    expect(oct.find((d: { day: string }) => d.day === '2026-10-10')).toMatchObject({ kind: 'workday' });
    expect((await call('DELETE', '/api/v1/settings/calendar/2026-12-07')).statusCode).toBe(200);
    expect((await call('GET', '/api/v1/settings/calendar?from=2026-12-01&to=2026-12-31')).json().items).toEqual([]);
  });

  it('categories: add one under a group, retire it; residents see only active ones', async () => {
    const hazards = (await ctx.services.categories.byCode('H'))!;
    const created = await call('POST', '/api/v1/categories', { parentId: hazards.id, code: 'H08', name: '电动车违规充电', nameEn: 'E-bike charging indoors' });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ caseType: 'hazard', parentId: hazards.id, active: true });
    const pub = async () => (await ctx.app.inject({ url: '/api/v1/public/categories' })).json().items.map((c: { code: string }) => c.code);
    expect(await pub()).toContain('H08');
    await call('PATCH', `/api/v1/categories/${created.json().id}`, { active: false });
    expect(await pub()).not.toContain('H08');
    expect((await call('POST', '/api/v1/categories', { parentId: hazards.id, code: 'H08', name: '重复', nameEn: 'dup' })).statusCode).toBe(409);
  });

  it('a township administrator may read but not change them', async () => {
    const township = await login(ctx, 'a.all');
    expect((await call('GET', '/api/v1/settings/deadline-policies', undefined, township)).statusCode).toBe(200);
    expect((await call('PUT', '/api/v1/settings/calendar/2026-12-08', { kind: 'holiday', name: 'x' }, township)).statusCode).toBe(403);
  });
});
