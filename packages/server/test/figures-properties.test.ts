import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { eq, sql } from 'drizzle-orm';
import { CaseActions, Metrics, type CaseAction, type Channel } from '@fengqiao/contracts';
import { systemActor } from '../src/access/actor.ts';
import { cases, organizations } from '../src/db/schema.ts';
import { judge } from '../src/modules/cases/cases.workflow.ts';
import { createTestContext, type TestContext } from './helpers/context.ts';
import { buildWorld, login, type Session, type World } from './helpers/world.ts';

/**
 * The command center's promises under random histories: every figure equals the length of the case list it
 * drills down to (same filters), and rebuilding the rollups from the cases gives exactly what the queue built
 * incrementally.
 */
let ctx: TestContext;
let w: World;
let county: Session;
let housing: Session;
beforeAll(async () => {
  ctx = await createTestContext({ sessionIdleMinutes: 24 * 60 * 400, sessionMaxHours: 24 * 400 });
  w = await buildWorld(ctx);
  const sys = systemActor();
  await ctx.services.users.create(sys, { username: 'county.figures', displayName: '区统计', organizationId: w.orgs.county.id, roles: ['leader'], password: 'Correct-horse-42' });
  await ctx.services.users.create(sys, { username: 'housing.figures', displayName: '住建统计', organizationId: w.orgs.housing.id, roles: ['handler'], password: 'Correct-horse-42' });
}, 120_000);
afterAll(() => ctx?.close());

const DAY = 86_400_000;
const FORWARD: CaseAction[] = ['accept', 'dispatch', 'sign_for', 'contact', 'reply', 'return_visit', 'close'];
const command = fc.record({
  pick: fc.nat(), target: fc.nat(), org: fc.nat(), visit: fc.constantFrom('satisfied', 'basically_satisfied', 'unsatisfied', 'unreachable'),
  tier: fc.constantFrom('general', 'major', 'difficult'), hours: fc.integer({ min: 0, max: 24 * 6 }), newCase: fc.integer({ min: 0, max: 5 }),
  channel: fc.constantFrom<Channel>('window', 'hotline', 'qr_code', 'grid_patrol'), category: fc.constantFrom('A01', 'A02', 'D02'), area: fc.nat(3),
  phone: fc.constantFrom(null, '13911110001', '13911110002'),
});

/** Every page of a case list, as the console would page through it. */
async function listLength(s: Session, query: Record<string, string>): Promise<number> {
  let n = 0;
  let cursor: string | null = null;
  do {
    const qs = new URLSearchParams({ ...query, limit: '200', ...(cursor ? { cursor } : {}) });
    const res = await ctx.app.inject({ url: `/api/v1/cases?${qs}`, headers: s.headers });
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json();
    n += page.items.length;
    cursor = page.nextCursor;
  } while (cursor);
  return n;
}
const figures = async (s: Session, query: Record<string, string>) => {
  const res = await ctx.app.inject({ url: `/api/v1/figures?${new URLSearchParams(query)}`, headers: s.headers });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const rollupRows = async () => {
  const r = (await ctx.database.db.execute(sql`select * from case_rollups where n <> 0 or open <> 0 or closed <> 0 or replied <> 0 or handle_working_days <> 0
    order by grain, dim, bucket, area_id, val`)) as unknown as { rows: Record<string, unknown>[] };
  return r.rows.map((x) => JSON.stringify(x, (_k, v) => (typeof v === 'bigint' ? Number(v) : v)));
};

describe('figures under random histories', () => {
  it('equal their drill-down lists, and a rebuild equals the incremental rollups', { timeout: 300_000 }, async () => {
    const s = ctx.services;
    const sys = systemActor();
    const orgIds = (await ctx.database.db.select().from(organizations)).map((o) => o.id);
    const areas = [w.areas.a1g.id, w.areas.a1.id, w.areas.a.id, w.areas.b1.id];
    const ids: string[] = [];
    const done = new Map<string, number>();
    const failed = new Map<string, number>();
    await fc.assert(fc.asyncProperty(fc.array(command, { minLength: 10, maxLength: 25 }), async (commands) => {
      for (const c of commands) {
        if (c.newCase === 0 || !ids.length) {
          const category = (await s.categories.byCode(c.category))!;
          ids.push((await s.cases.createByStaff(sys, {
            channel: c.channel, areaId: areas[c.area % areas.length]!, categoryId: category.id, description: '随机统计事项',
            ...(c.phone ? { reporter: { name: '测试', phone: c.phone } } : {}),
          }, null)).case.id);
          continue;
        }
        const id = ids[c.target % ids.length]!;
        const [row] = await ctx.database.db.select().from(cases).where(eq(cases.id, id));
        const [owner] = await ctx.database.db.select().from(organizations).where(eq(organizations.id, row!.owningOrgId));
        const allowed = CaseActions.filter((a) => judge(sys, s.cases.facts({ ...row!, owningOrgAreaPath: owner!.areaPath }), a) === 'allowed');
        if (!allowed.length) continue;
        // mostly the loop's next step forward, so that cases get handled, replied, rated and closed; sometimes anything allowed
        const forward = FORWARD.find((a) => allowed.includes(a));
        const action = (c.pick % 10 < 7 && forward ? forward : allowed[c.pick % allowed.length]) as CaseAction;
        await s.cases.act(sys, id, action, ({
          version: row!.version, tier: c.tier, reason: '测试', note: '测试', result: action === 'return_visit' ? c.visit : '测试结果',
          organizationId: c.org % 2 === 0 ? w.orgs.housing.id : orgIds[c.org % orgIds.length], masterCaseId: ids[(c.target + 1) % ids.length], level: 'yellow',
          workingDays: 2, dueInWorkingDays: 2,
        }) as never).then(() => { done.set(action, (done.get(action) ?? 0) + 1); }, (e: { code?: string }) => { if (!e.code) throw e; failed.set(`${action}:${e.code}`, (failed.get(`${action}:${e.code}`) ?? 0) + 1); });
        if (c.hours) { ctx.clock.advance(c.hours * 3_600_000); await s.cases.scanDeadlines(); }
      }
    }), { numRuns: 16, seed: 20261201 });
    expect(ids.length).toBeGreaterThan(20);
    console.log('figures walk', JSON.stringify([...done]), JSON.stringify([...failed]));

    county = await login(ctx, 'county.figures'); // after the walk moved the clock
    housing = await login(ctx, 'housing.figures');
    // figure = list, for the whole history and for each month, at the county and a township, per counter and per breakdown
    const from = new Date(ctx.clock.now().getTime() - 400 * DAY).toISOString().slice(0, 10);
    const to = new Date(ctx.clock.now().getTime() + DAY).toISOString().slice(0, 10);
    const span = (f: string, t: string) => ({ createdFrom: `${f}T00:00:00+08:00`, createdTo: `${t}T23:59:59.999+08:00` });
    let checked = 0;
    for (const areaId of [w.areas.a.id, w.areas.county.id]) {
      const fig = await figures(county, { areaId: String(areaId), period: 'range', from, to });
      expect(fig.pending).toBeGreaterThanOrEqual(0);
      for (const metric of Metrics) {
        expect(await listLength(county, { areaId: String(areaId), ...span(from, to), metric }), `${metric} in ${areaId}`).toBe(fig.current.counts[metric]);
        checked++;
      }
      const dims: Record<string, string> = { channel: 'channel', category: 'categoryId', tier: 'tier', status: 'status', area: 'areaId' };
      for (const [dim, param] of Object.entries(dims)) {
        const rows = fig.breakdowns[dim] as { key: string; n: number; open: number; filter: Record<string, string> }[];
        expect(rows.reduce((a, r) => a + r.n, 0), dim).toBe(fig.current.counts.n);
        for (const r of rows) {
          const filter = { areaId: String(areaId), ...r.filter, ...span(from, to) };
          expect(Object.keys(r.filter)).toContain(param);
          expect(await listLength(county, filter), `${dim}=${r.key}`).toBe(r.n);
          expect(await listLength(county, { ...filter, metric: 'open' }), `${dim}=${r.key} open`).toBe(r.open);
          checked += 2;
        }
      }
      // now: open whenever received
      expect(await listLength(county, { areaId: String(areaId), metric: 'open' })).toBe(fig.now.open);
    }
    // a department: the cases it handles
    const dept = await figures(housing, { period: 'range', from, to });
    expect(dept.scope).toBe('organization');
    for (const metric of ['n', 'open', 'handleMet', 'handleMissed', 'replied'] as const) {
      expect(await listLength(housing, { assigneeOrgId: String(w.orgs.housing.id), ...span(from, to), metric }), `housing ${metric}`).toBe(dept.current.counts[metric]);
    }
    const assigned = (await ctx.database.db.execute(sql`select count(*)::int as n, count(*) filter (where assignee_org_id is not null)::int as any from cases`)) as unknown as { rows: unknown[] };
    expect(dept.current.counts.n, JSON.stringify(assigned.rows)).toBeGreaterThan(0);
    expect(checked).toBeGreaterThan(60);

    // rebuild = incremental
    await s.commandCenter.rollups.catchUp();
    const incremental = await rollupRows();
    expect(incremental.length).toBeGreaterThan(20);
    const definitions = async () => (await ctx.database.db.execute(sql`select indexdef from pg_indexes where tablename = 'case_rollups' order by indexname`) as unknown as { rows: unknown[] }).rows;
    const before = await definitions();
    expect(before.length).toBeGreaterThanOrEqual(2);
    await s.commandCenter.rollups.rebuild();
    expect(await rollupRows()).toEqual(incremental);
    // the load drops the table's key and indexes; the rebuild gives back the same ones, and the queue folds into them again
    expect(await definitions()).toEqual(before);
    await s.cases.createByStaff(sys, { channel: 'window', areaId: w.areas.a1g.id, categoryId: (await s.categories.byCode('A02'))!.id, description: '重建之后的新事项' }, null);
    expect(await s.commandCenter.rollups.catchUp()).toBe(1);
  });
});
