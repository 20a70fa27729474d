import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { systemActor } from '../src/access/actor.ts';
import { withIdCheck } from '../src/modules/registry/identifiers.ts';
import { createTestContext, type TestContext } from './helpers/context.ts';
import { buildWorld, login, type Session, type World } from './helpers/world.ts';

/** 四色预警: each rule fires at its threshold and not one below, raises one warning per window, and lives until resolved. */
let ctx: TestContext;
let w: World;
let county: Session;
const sys = systemActor();
const DAY = 86_400_000;
beforeAll(async () => {
  ctx = await createTestContext({ sessionIdleMinutes: 24 * 60 * 400, sessionMaxHours: 24 * 400 });
  w = await buildWorld(ctx);
  await ctx.services.users.create(sys, { username: 'county.warn', displayName: '区研判', organizationId: w.orgs.county.id, roles: ['leader', 'dispatcher'], password: 'Correct-horse-42' });
  county = await login(ctx, 'county.warn');
}, 120_000);
afterAll(() => ctx?.close());

const code = async (c: string) => (await ctx.services.categories.byCode(c))!.id;
async function report(v: { areaId?: number; category?: string; description?: string; phone?: string; people?: number } = {}) {
  return (await ctx.services.cases.createByStaff(sys, {
    channel: 'hotline', areaId: v.areaId ?? w.areas.a1g.id, categoryId: await code(v.category ?? 'A01'), description: v.description ?? '反映问题',
    peopleInvolved: v.people ?? 1, ...(v.phone ? { reporter: { name: '测试', phone: v.phone } } : {}),
  }, null)).case.id as string;
}
/** As a running server does: the rollup worker has folded what came before (the spike rule's history), then the rules look. */
const evaluate = async () => { await ctx.services.commandCenter.rollups.catchUp(); return ctx.services.commandCenter.warnings.evaluateAll(); };
async function warningsOf(kind: string, status = 'active') {
  const res = await ctx.app.inject({ url: `/api/v1/warnings?status=${status}&limit=500`, headers: county.headers });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().items as { id: number; kind: string; caseIds: string[]; level: string; title: string; status: string }[]).filter((x) => x.kind === kind);
}
const notices = async () => Number(((await ctx.database.db.execute(sql`select count(*)::int as n from outbox where payload->>'kind' = 'warning_raised'`)) as unknown as { rows: { n: number }[] }).rows[0]!.n);
const step = (id: number, s: 'acknowledge' | 'resolve', note?: string) =>
  ctx.app.inject({ method: 'POST', url: `/api/v1/warnings/${id}/${s}`, headers: county.headers, payload: note ? { note } : {} });

describe('early-warning rules', () => {
  it('cluster: the third case of one category in one grid within 24 h raises one orange warning; more cases join it; it is acknowledged and resolved by name', async () => {
    const before = await notices();
    await report({ category: 'A02' });
    await report({ category: 'A02' });
    await report({ category: 'A03' }); // another category
    await report({ category: 'A02', areaId: w.areas.b1.id }); // another place
    await evaluate();
    expect(await warningsOf('cluster')).toEqual([]);
    const third = await report({ category: 'A02' });
    await evaluate();
    const [raised] = await warningsOf('cluster');
    expect(raised).toMatchObject({ level: 'orange', status: 'open' });
    expect(raised!.caseIds).toHaveLength(3);
    expect(raised!.caseIds).toContain(third);
    await report({ category: 'A02' });
    await evaluate();
    const joined = await warningsOf('cluster');
    expect(joined).toHaveLength(1); // no storm of copies
    expect(joined[0]!.caseIds).toHaveLength(4);
    expect(await notices()).toBe(before + 1);

    const noNote = await step(raised!.id, 'resolve');
    expect([noNote.statusCode, noNote.json().error.code]).toEqual([422, 'REASON_REQUIRED']);
    expect((await step(raised!.id, 'acknowledge')).json()).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'county.warn' });
    expect((await step(raised!.id, 'acknowledge')).json().error.code).toBe('WARNING_INVALID_TRANSITION');
    expect((await step(raised!.id, 'resolve', '已协调市政维修')).json()).toMatchObject({ status: 'resolved', resolvedBy: 'county.warn', resolution: '已协调市政维修' });
    // a new case after the resolution starts a new warning
    await report({ category: 'A02' });
    await evaluate();
    expect(await warningsOf('cluster')).toHaveLength(1);
    expect((await warningsOf('cluster', 'resolved'))).toHaveLength(1);
  });

  it('repeat: the same reporter three times in 30 days, by the blind index; the warning holds no phone', async () => {
    await report({ phone: '13955550001', areaId: w.areas.a1.id, category: 'A05' });
    ctx.clock.advance(3 * DAY);
    await report({ phone: '13955550001', areaId: w.areas.a1.id, category: 'A06' });
    await report({ phone: '13955550002', areaId: w.areas.a1.id, category: 'A07' });
    await evaluate();
    expect(await warningsOf('repeat')).toEqual([]);
    ctx.clock.advance(3 * DAY);
    await report({ phone: '13955550001', areaId: w.areas.a1.id, category: 'A08' });
    await evaluate();
    const [r] = await warningsOf('repeat');
    expect(r).toMatchObject({ level: 'yellow' });
    expect(r!.caseIds).toHaveLength(3);
    const raw = JSON.stringify(((await ctx.database.db.execute(sql`select * from warnings`)) as unknown as { rows: unknown[] }).rows);
    expect(raw).not.toContain('13955550001');
  });

  it('group: ten people, a keyword or wage arrears raise a red warning; nine people do not; a later change does not raise it again', async () => {
    const nine = await report({ people: 9, category: 'A09', areaId: w.areas.b1.id });
    await evaluate();
    expect((await warningsOf('group')).filter((x) => x.caseIds.includes(nine))).toEqual([]);
    const ten = await report({ people: 10, category: 'A09', areaId: w.areas.b1.id });
    const keyword = await report({ description: '工人到项目部讨薪', category: 'A99', areaId: w.areas.b1.id });
    const wages = await report({ category: 'D10', areaId: w.areas.b1.id });
    await evaluate();
    const group = await warningsOf('group');
    for (const id of [ten, keyword, wages]) expect(group.some((x) => x.caseIds.includes(id) && x.level === 'red'), id).toBe(true);
    const one = group.find((x) => x.caseIds.includes(ten))!;
    await step(one.id, 'resolve', '已约谈');
    await ctx.services.cases.act(sys, ten, 'accept', { version: (await ctx.services.cases.get(sys, ten)).case.version, tier: 'general' } as never);
    await evaluate();
    expect((await warningsOf('group')).some((x) => x.caseIds.includes(ten))).toBe(false);
  });

  it('spike: a day above its same-weekday mean of four weeks + 3σ, from five cases on; four are not enough', async () => {
    const spikeArea = w.areas.a1.id;
    for (let week = 0; week < 4; week++) { await report({ category: 'H01', areaId: spikeArea }); ctx.clock.advance(7 * DAY); }
    for (let i = 0; i < 4; i++) await report({ category: 'H01', areaId: spikeArea, description: `消防通道堵塞 ${i}` });
    await evaluate();
    // (the cluster test's five A02 cases in one day, with none before, were a spike of their own)
    const spikes = async () => (await ctx.app.inject({ url: '/api/v1/warnings?status=active&limit=500', headers: county.headers })).json().items
      .filter((x: { kind: string; facts: { category?: string } }) => x.kind === 'spike' && x.facts.category === 'H01');
    expect(await spikes()).toEqual([]);
    await report({ category: 'H01', areaId: spikeArea });
    await evaluate();
    const [full] = await spikes();
    expect(full).toMatchObject({ level: 'yellow' });
    expect(full.facts).toMatchObject({ today: 5, mean: 1, sd: 0, weeks: 4 });
    expect(full.areaId).toBe(w.areas.a.id); // the township above
  });

  it('overdue and red-card supervision: a case past its handle clock, a red card; a yellow card is not', async () => {
    const late = await report({ areaId: w.areas.b1.id, category: 'A04' });
    await ctx.services.cases.act(sys, late, 'accept', { version: (await ctx.services.cases.get(sys, late)).case.version, tier: 'general' } as never);
    const carded = await report({ areaId: w.areas.b1.id, category: 'A04', description: '黄牌' });
    await ctx.services.cases.act(sys, carded, 'accept', { version: (await ctx.services.cases.get(sys, carded)).case.version, tier: 'general' } as never);
    await ctx.services.cases.act(sys, carded, 'supervise', { version: (await ctx.services.cases.get(sys, carded)).case.version, level: 'yellow', dueInWorkingDays: 2, note: '督办' } as never);
    await evaluate();
    expect((await warningsOf('supervision')).filter((x) => x.caseIds.includes(carded))).toEqual([]);
    await ctx.services.cases.act(sys, carded, 'supervise', { version: (await ctx.services.cases.get(sys, carded)).case.version, level: 'red', dueInWorkingDays: 1, note: '红牌督办' } as never);
    ctx.clock.advance(10 * DAY);
    await ctx.services.cases.scanDeadlines();
    await evaluate();
    expect((await warningsOf('overdue')).some((x) => x.caseIds.includes(late) && x.level === 'blue')).toBe(true);
    expect((await warningsOf('supervision')).some((x) => x.caseIds.includes(carded) && x.level === 'red')).toBe(true);
    await ctx.services.cases.scanDeadlines();
    await evaluate();
    expect((await warningsOf('overdue')).filter((x) => x.caseIds.includes(late))).toHaveLength(1);
  });

  it('special population: a report from a registered person of a special group, matched by phone; the warning names no one', async () => {
    const person = await ctx.services.registry.createPerson(sys, { residency: 'registered', name: '钱特殊', idNumber: withIdCheck('11010119900307111'), phone: '13966660001', areaId: w.areas.a1g.id } as never);
    await ctx.services.registry.putGroup(sys, person.id, 'released_prisoner', { attentionLevel: 'high', details: { releasedOn: '2025-06-01', offence: '盗窃' } });
    const other = await report({ phone: '13966660002', category: 'A07' });
    const theirs = await report({ phone: '13966660001', category: 'A07', areaId: w.areas.a1.id });
    await evaluate();
    const found = await warningsOf('special_population');
    expect(found.some((x) => x.caseIds.includes(theirs) && x.level === 'orange')).toBe(true);
    expect(found.some((x) => x.caseIds.includes(other))).toBe(false);
    expect(JSON.stringify(found)).not.toMatch(/钱特殊|13966660001/);
  });

  it('rules are data: a center adds a stricter rule for its own area; another township does not see it', async () => {
    const a = await login(ctx, 'a.all');
    const created = await ctx.app.inject({ method: 'POST', url: '/api/v1/warning-rules', headers: a.headers, payload: { kind: 'cluster', name: '甲镇两件即预警', level: 'red', params: { count: 2, hours: 2 } } });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ areaPath: w.areas.a.path, params: { count: 2, hours: 2 } });
    const bad = await ctx.app.inject({ method: 'POST', url: '/api/v1/warning-rules', headers: a.headers, payload: { kind: 'cluster', name: 'x', level: 'purple' } });
    expect(bad.statusCode).toBe(400);
    const b = await login(ctx, 'b.all');
    const seen = (await ctx.app.inject({ url: '/api/v1/warning-rules', headers: b.headers })).json().items.map((r: { id: number }) => r.id);
    expect(seen).not.toContain(created.json().id);
    await report({ category: 'H02' });
    await report({ category: 'H02' });
    await evaluate();
    expect((await warningsOf('cluster')).some((x) => x.level === 'red' && x.caseIds.length === 2)).toBe(true);
  });

  it('a batch looked at at once raises what one case at a time would: each window once, with every case that triggered it', async () => {
    const before = await notices();
    const place = w.areas.b1.id;
    const two = [await report({ category: 'H03', areaId: place }), await report({ category: 'H03', areaId: place })];
    const reporter = [await report({ phone: '13977770001', category: 'H04', areaId: place }), await report({ phone: '13977770001', category: 'H05', areaId: place })];
    await evaluate();
    expect((await warningsOf('cluster')).filter((x) => x.caseIds.some((id) => two.includes(id)))).toEqual([]);
    expect((await warningsOf('repeat')).filter((x) => x.caseIds.some((id) => reporter.includes(id)))).toEqual([]);
    // now five more of the category and two more of the reporter arrive before the evaluator looks
    const more: string[] = [];
    for (let i = 0; i < 5; i++) more.push(await report({ category: 'H03', areaId: place, description: `井盖缺失 ${i}` }));
    const again = [await report({ phone: '13977770001', category: 'H06', areaId: place }), await report({ phone: '13977770001', category: 'H07', areaId: place })];
    const groups = [await report({ people: 12, areaId: place, category: 'H99' }), await report({ people: 30, areaId: place, category: 'H99' })];
    await evaluate();
    const cluster = (await warningsOf('cluster')).filter((x) => x.caseIds.some((id) => more.includes(id)));
    expect(cluster).toHaveLength(1);
    expect([...cluster[0]!.caseIds].sort()).toEqual([...two, ...more].sort()); // (the test clock stands still: one instant, no order)
    const repeat = (await warningsOf('repeat')).filter((x) => x.caseIds.some((id) => again.includes(id)));
    expect(repeat).toHaveLength(1);
    expect([...repeat[0]!.caseIds].sort()).toEqual([...reporter, ...again].sort());
    for (const id of groups) expect((await warningsOf('group')).filter((x) => x.caseIds.includes(id))).toHaveLength(1);
    // one notice per raised warning: the cluster, the reporter, two groups (and the day's spike at the township, if any)
    const spikes = (await warningsOf('spike')).filter((x) => x.caseIds.some((id) => more.includes(id)));
    expect(spikes.length).toBeLessThanOrEqual(1);
    expect(await notices()).toBe(before + 4 + spikes.length);
  });

  it('the running server raises a warning within 5 s of the case that triggers it', async () => {
    const stop = ctx.services.commandCenter.warnings.start(200);
    try {
      const started = Date.now();
      const id = await report({ people: 50, description: '群体聚集', areaId: w.areas.a1.id });
      await expect.poll(async () => (await warningsOf('group')).some((x) => x.caseIds.includes(id)), { timeout: 5_000, interval: 100 }).toBe(true);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await stop();
    }
  });
});
