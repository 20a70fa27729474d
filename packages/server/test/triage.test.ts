import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { CaseActions, type CaseAction } from '@fengqiao/contracts';
import { systemActor } from '../src/access/actor.ts';
import { cases, organizations } from '../src/db/schema.ts';
import { judge } from '../src/modules/cases/cases.workflow.ts';
import { createTriageService } from '../src/modules/triage/triage.service.ts';
import { readLabelledFile } from '../src/modules/triage/examples.ts';
import { createTestContext, type TestContext } from './helpers/context.ts';
import { buildWorld, login, type Session, type World } from './helpers/world.ts';
import { TEXTS } from './helpers/triage-texts.ts';

/** 智能分拨: a model learned from the closed cases suggests categories and handlers; versions switch without a restart. */
let ctx: TestContext;
let w: World;
let admin: Session;
let township: Session;
const sys = systemActor();
beforeAll(async () => {
  ctx = await createTestContext();
  w = await buildWorld(ctx);
  admin = await login(ctx, 'county.admin');
  township = await login(ctx, 'a.all');
}, 120_000);
afterAll(() => ctx?.close());

const code = async (c: string) => (await ctx.services.categories.byCode(c))!.id;
const FORWARD: CaseAction[] = ['accept', 'dispatch', 'sign_for', 'contact', 'reply', 'return_visit', 'close'];

/** A report carried to the end of the loop by the kernel's own steps, handled by the housing bureau. */
async function closedCase(category: string, description: string) {
  const id = (await ctx.services.cases.createByStaff(sys, { channel: 'hotline', areaId: w.areas.a1g.id, categoryId: await code(category), description }, null)).case.id as string;
  for (let step = 0; step < 12; step++) {
    const [row] = await ctx.database.db.select().from(cases).where(eq(cases.id, id));
    if (row!.status === 'closed') return id;
    const [owner] = await ctx.database.db.select().from(organizations).where(eq(organizations.id, row!.owningOrgId));
    const allowed = CaseActions.filter((a) => judge(sys, ctx.services.cases.facts({ ...row!, owningOrgAreaPath: owner!.areaPath }), a) === 'allowed');
    const action = FORWARD.find((a) => allowed.includes(a))!;
    await ctx.services.cases.act(sys, id, action, { version: row!.version, tier: 'general', organizationId: w.orgs.housing.id, note: '已处理', result: action === 'return_visit' ? 'satisfied' : '已处理完毕' } as never);
  }
  throw new Error(`case ${id} did not close`);
}
const suggest = (s: Session, text: string, areaId?: number) =>
  ctx.app.inject({ method: 'POST', url: '/api/v1/triage/suggestions', headers: s.headers, payload: { text, ...(areaId ? { areaId } : {}) } });

describe('triage', () => {
  it('with no model yet a suggestion is empty, not an error; too few closed cases to learn from are refused plainly', async () => {
    const res = await suggest(township, '路灯不亮');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ modelVersion: null, categories: [], handlers: [] });
    const train = await ctx.app.inject({ method: 'POST', url: '/api/v1/triage/models', headers: admin.headers });
    expect([train.statusCode, train.json().error.code]).toEqual([422, 'TRIAGE_NOT_ENOUGH_DATA']);
  });

  it('learns from the closed cases: suggests the category with its confidence and who handles it; staff’s choice is kept as feedback', async () => {
    for (const [category, texts] of Object.entries(TEXTS)) for (const t of texts) await closedCase(category, t);
    await ctx.services.cases.createByStaff(sys, { channel: 'hotline', areaId: w.areas.a1g.id, categoryId: await code('H01'), description: '消防通道被堵（还在办理，不参与学习）' }, null);
    expect((await ctx.app.inject({ method: 'POST', url: '/api/v1/triage/models', headers: township.headers })).statusCode).toBe(403); // a township's administrator
    const train = await ctx.app.inject({ method: 'POST', url: '/api/v1/triage/models', headers: admin.headers });
    expect(train.statusCode, train.body).toBe(201);
    expect(train.json()).toMatchObject({ examples: 24, categories: 3 });

    const res = await suggest(township, '晚上楼上邻居装修，噪音吵得孩子睡不着觉！', w.areas.a1.id);
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json();
    expect(s.modelVersion).toBe(train.json().version);
    expect(s.categories.map((c: { code: string }) => c.code)).toEqual(expect.arrayContaining(['A09', 'A02', 'D10']));
    expect(s.categories[0]).toMatchObject({ code: 'A09', confident: true });
    expect(s.categories[0].confidence).toBeGreaterThan(s.categories[1].confidence);
    expect(s.handlers).toEqual([{ id: w.orgs.housing.id, name: '测试区住建局', share: 1 }]);
    expect((await suggest(township, '老板拖欠工资不给钱')).json().categories[0].code).toBe('D10');
    // a resident's hint: categories, never handlers
    const pub = await ctx.app.inject({ method: 'POST', url: '/api/v1/public/triage/suggestions', payload: { text: '小区路灯坏了好几天' } });
    expect(pub.json().categories[0].code).toBe('A02');
    expect(pub.json().handlers).toEqual([]);

    const intake = await ctx.app.inject({
      method: 'POST', url: '/api/v1/cases', headers: township.headers,
      payload: { channel: 'window', areaId: w.areas.a1.id, categoryId: await code('A09'), description: '晚上楼上邻居装修噪音', triage: { modelVersion: s.modelVersion, suggested: s.categories.map((c: { id: number }) => c.id) } },
    });
    expect(intake.statusCode, intake.body).toBe(201);
    const models = await ctx.app.inject({ url: '/api/v1/triage/models', headers: admin.headers });
    expect(models.json().items[0]).toMatchObject({ active: true, source: 'cases', examples: 24, feedback: { n: 1, first: 1, any: 1 } });
    expect(models.json().items[0].evaluation.heldOut).toBeGreaterThan(0);
  });

  it('a clerk accepting a case whose category the model chose keeps or corrects it in the same step; that is the feedback', async () => {
    const before = (await ctx.app.inject({ url: '/api/v1/triage/models', headers: admin.headers })).json().items[0].feedback;
    // a platform's report without a category: the model chose 噪音 (A09); it is really a wage dispute (D10)
    const made = await ctx.services.cases.createByStaff(sys, { channel: 'hotline', areaId: w.areas.a.id, categoryId: await code('A09'), description: '工地老板拖欠三个月工资' }, null);
    const id = made.case.id as string;
    const version = (await ctx.services.triage.current())!.version;
    await ctx.services.triage.guessed(id, { modelVersion: version, suggested: [await code('A09'), await code('D10')], chosen: await code('A09') });
    // not counted while no clerk has looked at it
    expect((await ctx.app.inject({ url: '/api/v1/triage/models', headers: admin.headers })).json().items[0].feedback).toEqual(before);
    const accept = (body: Record<string, unknown>) => ctx.app.inject({ method: 'POST', url: `/api/v1/cases/${id}/accept`, headers: township.headers, payload: { version: 1, tier: 'general', ...body } });
    // a category that does not exist is refused and nothing is written
    const bad = await accept({ categoryId: 999_999 });
    expect([bad.statusCode, bad.json().error.code]).toEqual([404, 'NOT_FOUND']);
    const res = await accept({ categoryId: await code('D10') });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().case).toMatchObject({ status: 'pending_dispatch', caseType: 'dispute', category: { id: await code('D10') } });
    expect(res.json().timeline.at(-1)).toMatchObject({ action: 'accept', payload: expect.objectContaining({ categoryName: expect.any(String) }) });
    const after = (await ctx.app.inject({ url: '/api/v1/triage/models', headers: admin.headers })).json().items[0].feedback;
    expect(after).toEqual({ n: before.n + 1, first: before.first, any: before.any + 1 });
  });

  it('never offers a category the caller cannot use (a category switched off after training)', async () => {
    const noise = await code('A09');
    await ctx.services.categories.update(ctx.database.db, noise, { active: false });
    try {
      const s = (await suggest(township, '深夜装修噪音太吵')).json();
      expect(s.categories.length).toBeGreaterThan(0);
      expect(s.categories.map((c: { id: number }) => c.id)).not.toContain(noise);
    } finally {
      await ctx.services.categories.update(ctx.database.db, noise, { active: true });
    }
  });

  it('a labelled JSON-lines file trains a version; another server switches to it without a restart', async () => {
    const other = createTriageService({ db: ctx.database.db, clock: ctx.clock, audit: ctx.services.audit, categories: ctx.services.categories, versionCheckMs: 0 });
    const before = await other.suggest(sys, { text: '夜里噪音扰民' });
    expect(before.categories[0]!.code).toBe('A09');
    // a file that files noise under 其他诉求: the new version says so, on the other server too
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fq-triage-')), 'labelled.jsonl');
    const lines = Object.entries(TEXTS).flatMap(([category, texts]) => texts.map((text) => JSON.stringify({ text, label: category === 'A09' ? 'A99' : category })));
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    const examples = readLabelledFile(file);
    expect(examples).toHaveLength(24);
    const trained = await ctx.services.triage.trainFromExamples(sys, examples);
    const after = await other.suggest(sys, { text: '夜里噪音扰民' });
    expect(after.modelVersion).toBe(trained.version);
    expect(after.categories[0]!.code).toBe('A99');
    // and back: an earlier version made active again
    await ctx.services.triage.activate(sys, before.modelVersion!);
    expect((await other.suggest(sys, { text: '夜里噪音扰民' })).categories[0]!.code).toBe('A09');
    fs.writeFileSync(file, '{"text": "没有标签"}\n');
    expect(() => readLabelledFile(file)).toThrow(/labelled.jsonl:1/);
  });
});
