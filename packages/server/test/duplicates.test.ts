import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/access/actor.ts';
import { judge, shingles, similarity, THRESHOLD, WINDOW_DAYS } from '../src/modules/triage/duplicates.ts';
import { createTestContext, type TestContext } from './helpers/context.ts';
import { generateReports } from './helpers/paraphrases.ts';
import { buildWorld, login, type Session, type World } from './helpers/world.ts';

/** Duplicate and repeat detection: at intake, in a dispatcher's queue, on a case's page; within the caller's view. */
let ctx: TestContext;
let w: World;
let staff: Session;
let other: Session;
const sys = systemActor();
beforeAll(async () => {
  ctx = await createTestContext();
  w = await buildWorld(ctx);
  staff = await login(ctx, 'a.all');
  other = await login(ctx, 'b.all');
}, 120_000);
afterAll(() => ctx?.close());

const code = async (c: string) => (await ctx.services.categories.byCode(c))!.id;
const HERE = { lon: 116.40001, lat: 39.90001 };
const report = async (description: string, o: { category?: string; location?: { lon: number; lat: number }; phone?: string; address?: string } = {}) =>
  (await ctx.services.cases.createByStaff(sys, {
    channel: 'hotline', areaId: w.areas.a1.id, categoryId: await code(o.category ?? 'A02'), description,
    ...(o.location ? { location: o.location } : {}), ...(o.phone ? { reporter: { phone: o.phone } } : {}), ...(o.address ? { address: o.address } : {}),
  }, null)).case;
const post = async (s: Session, url: string, payload: object) => ctx.app.inject({ method: 'POST', url, payload: payload as Record<string, unknown>, headers: s.headers });
type Candidate = { id: string; number: string; score: number; reasons: { kind: string; metres?: number; similarity?: number }[] };

describe('duplicate detection', () => {
  it('on a generated set of paraphrased and unrelated reports, finds the repeats of an incident and little else', () => {
    const reports = generateReports(3, 150);
    let tp = 0, fp = 0, fn = 0;
    const sets = reports.map((r) => shingles(r.text));
    for (let i = 0; i < reports.length; i++) {
      for (let j = i - 1; j >= 0 && reports[j]!.at >= reports[i]!.at - WINDOW_DAYS * 24; j--) {
        const as = (x: (typeof reports)[number]) => ({ text: x.text, address: x.address, lon: x.lon, lat: x.lat, areaPath: `/${x.grid}/`, categoryId: x.kind.length * 100 + x.kind.charCodeAt(0) });
        const { score } = judge(as(reports[i]!), as(reports[j]!), similarity(sets[i]!, sets[j]!));
        const same = reports[i]!.incident === reports[j]!.incident;
        if (score >= THRESHOLD) { if (same) tp++; else fp++; } else if (same) fn++;
      }
    }
    expect(tp + fn).toBeGreaterThan(50);
    expect(tp / (tp + fp)).toBeGreaterThan(0.8);
    expect(tp / (tp + fn)).toBeGreaterThan(0.9);
  });

  it('digits are kept (3号楼 is not 5号楼); courtesy words count for nothing', () => {
    expect(similarity(shingles('您好，麻烦尽快处理，谢谢！幸福小区路灯坏了'), shingles('幸福小区路灯坏了'))).toBe(1);
    expect(similarity(shingles('幸福小区3号楼路灯坏了'), shingles('幸福小区5号楼路灯坏了'))).toBeLessThan(1);
  });

  it('at intake: a paraphrase at the same spot is "this looks like case X" with the reasons; another problem there is not', async () => {
    const lamp = await report('惠民小区3号楼门口的路灯坏了好几天了，晚上黑漆漆的，老人孩子出门不安全', { location: HERE, phone: '13911112222' });
    await report('惠民小区3号楼楼上深夜装修，电钻声吵得全家睡不着', { category: 'A09', location: HERE });
    const res = await post(staff, '/api/v1/triage/duplicates', {
      description: '反映一下，惠民小区3号楼附近路灯不亮，晚上走路看不清', areaId: w.areas.a1.id, categoryId: await code('A02'),
      location: { lon: HERE.lon + 0.0002, lat: HERE.lat }, phone: '13911112222',
    });
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as Candidate[];
    expect(items.map((c) => c.id)).toEqual([lamp.id]);
    expect(items[0]!.number).toBe(lamp.number);
    const kinds = items[0]!.reasons.map((r) => r.kind);
    expect(kinds).toEqual(expect.arrayContaining(['text', 'reporter', 'near', 'category']));
    expect(items[0]!.reasons.find((r) => r.kind === 'near')!.metres).toBeGreaterThan(10);
    expect(items[0]!.score).toBeGreaterThanOrEqual(THRESHOLD);

    // the same words from the other end of the county: far apart, not one place
    const far = await post(staff, '/api/v1/triage/duplicates', {
      description: '反映一下，惠民小区3号楼附近路灯不亮，晚上走路看不清', areaId: w.areas.a1.id, categoryId: await code('A02'), location: { lon: HERE.lon + 0.05, lat: HERE.lat },
    });
    expect((far.json().items as Candidate[]).map((c) => c.id)).not.toContain(lamp.id);
    // another township's staff never see A's cases, not even as a hint
    const elsewhere = await post(other, '/api/v1/triage/duplicates', { description: '惠民小区3号楼门口的路灯坏了好几天了', areaId: w.areas.b1.id });
    expect(elsewhere.statusCode).toBe(200);
    expect(elsewhere.json().items).toEqual([]);
    // the township around the place is searched, but only what the caller may see: the village center not the township's
    const townships = (await ctx.services.cases.createByStaff(sys, { channel: 'hotline', areaId: w.areas.a.id, categoryId: await code('A02'), description: '惠民小区3号楼门口路灯坏了，晚上看不清路' }, null)).case;
    const ask = { description: '惠民小区3号楼门口的路灯坏了，晚上走路看不清', areaId: w.areas.a1.id };
    expect(((await post(staff, '/api/v1/triage/duplicates', ask)).json().items as Candidate[]).map((c) => c.id)).toContain(townships.id);
    const village = await post(await login(ctx, 'a1.staff'), '/api/v1/triage/duplicates', ask);
    expect((village.json().items as Candidate[]).map((c) => c.id)).toEqual([lamp.id]);
    const outside = await post(other, '/api/v1/triage/duplicates', { description: '惠民小区3号楼门口的路灯坏了好几天了', areaId: w.areas.a1.id });
    expect(outside.statusCode).toBe(404);
  });

  it('in the queue: what a new case might be merged into; after the merge the case page says "reported 2 times"', async () => {
    const first = await report('文化路菜市场门口井盖丢了，留下一个大洞，很危险', { category: 'A02', address: '文化路菜市场' });
    const second = await report('紧急！文化路菜市场井盖没了，留下一个大洞，已经有人差点踩空', { category: 'A02', address: '文化路菜市场' });
    const suggestions = await post(staff, '/api/v1/triage/merge-suggestions', { caseIds: [first.id, second.id] });
    expect(suggestions.statusCode, suggestions.body).toBe(200);
    const byCase = new Map((suggestions.json().items as { caseId: string; candidates: Candidate[] }[]).map((x) => [x.caseId, x.candidates.map((c) => c.id)]));
    expect(byCase.get(second.id)).toEqual([first.id]); // the earlier one is the master
    expect(byCase.get(first.id)).toEqual([]); // nothing earlier
    const before = await ctx.app.inject({ url: `/api/v1/cases/${first.id}/duplicates`, headers: staff.headers });
    expect(before.json().reports).toBe(1);
    expect((before.json().candidates as Candidate[]).map((c) => c.id)).toContain(second.id); // later ones too, on the page

    const owner = await login(ctx, 'a1.staff'); // the village center that owns both
    const merge = await post(owner, `/api/v1/cases/${second.id}/merge`, { version: second.version, masterCaseId: first.id });
    expect(merge.statusCode, merge.body).toBe(200);
    const after = await ctx.app.inject({ url: `/api/v1/cases/${first.id}/duplicates`, headers: staff.headers });
    expect(after.statusCode).toBe(200);
    expect(after.json().reports).toBe(2);
    expect(after.json().merged.map((m: { id: string }) => m.id)).toEqual([second.id]);
    expect((after.json().candidates as Candidate[]).map((c) => c.id)).not.toContain(second.id); // merged: no longer a candidate
    const merged = await ctx.app.inject({ url: `/api/v1/cases/${second.id}/duplicates`, headers: staff.headers });
    expect(merged.json()).toMatchObject({ reports: 1, candidates: [] });
    // another township: as if the case did not exist
    expect((await ctx.app.inject({ url: `/api/v1/cases/${first.id}/duplicates`, headers: other.headers })).statusCode).toBe(404);
  });

  it('refuses bad input with a clear error', async () => {
    for (const payload of [{}, { description: '路灯', areaId: 0 }, { description: 'x', areaId: w.areas.a1.id }, { description: '路灯不亮', areaId: w.areas.a1.id, phone: '123' },
      { description: '路灯不亮', areaId: w.areas.a1.id, location: { lon: 500, lat: 0 } }, { description: '路灯不亮', areaId: w.areas.a1.id, extra: 1 },
      { description: '路'.repeat(5001), areaId: w.areas.a1.id }, { description: '路灯不亮', areaId: w.areas.a1.id, address: '幸'.repeat(201) }]) {
      const res = await post(staff, '/api/v1/triage/duplicates', payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    // text that cannot be stored: a NUL byte, a lone surrogate — refused before anything reads it
    for (const bad of ['路灯\u0000不亮', '路灯\ud800不亮']) {
      for (const payload of [{ description: bad, areaId: w.areas.a1.id }, { description: '路灯不亮', areaId: w.areas.a1.id, address: bad }]) {
        const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/triage/duplicates', headers: { ...staff.headers, 'content-type': 'application/json' }, payload: JSON.stringify(payload) });
        expect(res.statusCode, JSON.stringify(payload)).toBeGreaterThanOrEqual(400);
        expect(res.statusCode).toBeLessThan(500);
      }
    }
    expect((await post(staff, '/api/v1/triage/merge-suggestions', { caseIds: [] })).statusCode).toBe(400);
    expect((await post(staff, '/api/v1/triage/merge-suggestions', { caseIds: ['nope'] })).statusCode).toBe(400);
    expect((await ctx.app.inject({ url: '/api/v1/cases/nope/duplicates', headers: staff.headers })).statusCode).toBe(400);
    const housing = await login(ctx, 'housing.handler'); // a department handler registers nothing
    expect((await post(housing, '/api/v1/triage/duplicates', { description: '路灯不亮', areaId: w.areas.a1.id })).statusCode).toBe(403);
  });
});
