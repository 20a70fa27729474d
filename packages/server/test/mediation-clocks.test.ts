import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestContext, type TestContext } from './helpers/context.ts';
import { demoWorld } from './helpers/demo.ts';
import { ids, mediationApi } from './helpers/mediation.ts';
import type { Session } from './helpers/world.ts';
import { addDuration, chinaDay, endOfChinaDay } from '../src/modules/calendar/working-time.ts';

/**
 * Mediation's deadlines come from the deadline policies (the same engine as the case clocks), the signed
 * agreement is uploaded back to the record, and the figures are counted from the timeline's events.
 */
let ctx: TestContext;
let d: Awaited<ReturnType<typeof demoWorld>>;
let m: ReturnType<typeof mediationApi>;
let mediator: Session;
let admin: Session;
let lead = 0;
const DAY = 86_400_000;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

beforeAll(async () => {
  ctx = await createTestContext({ sessionIdleMinutes: 24 * 60 * 60, sessionMaxHours: 24 * 400 });
  d = await demoWorld(ctx);
  m = mediationApi(ctx);
  mediator = await d.as('mediator');
  admin = await d.as('admin');
  lead = (await m.call(admin, 'POST', '/api/v1/mediators', { name: '钟调解', affiliation: '幸福乡司法所', specialties: ['neighbourhood', 'labour'], areaId: d.area('220102200').id }, 201)).id;
}, 180_000);
afterAll(() => ctx?.close());

async function dispute(code: string, disputeType: string, amountYuan: number | null = null) {
  return m.call(mediator, 'POST', '/api/v1/mediations', {
    areaId: d.area('220102200001').id, categoryId: (await d.category(code)).id, description: '相邻通行纠纷', disputeType, source: 'application', amountYuan,
    parties: [
      { role: 'applicant', kind: 'person', name: '钟一', idNumber: ids.villager, phone: '13912340001' },
      { role: 'respondent', kind: 'person', name: '钟二', phone: '13912340002' },
    ],
  }, 201);
}
const calendar = () => ctx.services.calendar.calendar();

describe('mediation deadlines come from the deadline policies', () => {
  it('by default: decide on an application within 3 working days, mediate within 30 days of accepting it; extensions in the same unit', async () => {
    const opened = await dispute('D02', 'neighbourhood');
    const cal = await calendar();
    const now = ctx.clock.now();
    expect(opened.acceptDueAt).toBe(addDuration(now, 3, 'working_days', cal).toISOString());
    expect(opened.dueAt).toBeNull();
    const accepted = await m.act(mediator, opened.caseId, 'accept');
    expect(accepted.dueAt).toBe(endOfChinaDay(chinaDay(new Date(now.getTime() + 30 * DAY))).toISOString());
    await m.act(mediator, opened.caseId, 'assign', { leadMediatorId: lead });
    const extended = await m.act(mediator, opened.caseId, 'extend', { days: 15, reason: '当事人外出务工，需等待返乡' });
    expect(extended.dueAt).toBe(endOfChinaDay(chinaDay(new Date(now.getTime() + 45 * DAY))).toISOString());
  });

  it('a policy for a category sets its own clocks (working days here); other categories keep the default', async () => {
    const labour = (await d.category('D10')).id;
    const span = { amount: 1, unit: 'hours' } as const;
    const put = await m.call(admin, 'PUT' as 'POST', '/api/v1/settings/deadline-policies', {
      categoryId: labour, tier: null, contact: span, handle: { amount: 10, unit: 'working_days' }, reply: span,
      mediationAccept: { amount: 1, unit: 'working_days' }, mediation: { amount: 10, unit: 'working_days' },
    });
    expect(put).toMatchObject({ mediationAccept: { amount: 1, unit: 'working_days' }, mediation: { amount: 10, unit: 'working_days' } });
    const cal = await calendar();
    const now = ctx.clock.now();
    const wages = await dispute('D10', 'wage_arrears', 52000);
    expect(wages.acceptDueAt).toBe(addDuration(now, 1, 'working_days', cal).toISOString());
    const accepted = await m.act(mediator, wages.caseId, 'accept');
    expect(accepted.dueAt).toBe(addDuration(now, 10, 'working_days', cal).toISOString());
    const bad = await ctx.app.inject({ method: 'PUT', url: '/api/v1/settings/deadline-policies', headers: admin.headers, payload: {
      categoryId: labour, tier: null, contact: span, handle: span, reply: span, mediation: { amount: 10, unit: 'hours' },
    } });
    expect([bad.statusCode, bad.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const listed = await m.call(admin, 'GET', '/api/v1/settings/deadline-policies');
    expect(listed.items.find((p: { categoryId: number }) => p.categoryId === labour).mediation).toEqual({ amount: 10, unit: 'working_days' });
  });

  it('an application left undecided past its deadline is reported to the committee once', async () => {
    const opened = await dispute('D02', 'neighbourhood');
    ctx.clock.advance(8 * DAY);
    const scan = await ctx.services.mediation.scanDeadlines();
    expect(scan.applicationsOverdue).toBeGreaterThanOrEqual(1);
    await ctx.services.mediation.scanDeadlines();
    const key = `mediation-accept-overdue:${opened.caseId}`;
    const rows = (await ctx.database.db.execute(sql`select count(*)::int as n from outbox where dedupe_key = ${key}`)) as unknown as { rows: { n: number }[] };
    expect(rows.rows[0]!.n).toBe(1);
    await m.act(mediator, opened.caseId, 'decline', { reason: '属于法院已受理案件' });
  });
});

describe('the signed agreement', () => {
  it('is uploaded back once the agreement exists, kept with the case, named on the record and in the file cover', async () => {
    const opened = await dispute('D02', 'neighbourhood');
    const upload = async () => (await ctx.app.inject({ method: 'POST', url: '/api/v1/attachments', headers: { ...mediator.headers, 'content-type': 'application/pdf', 'x-file-name': 'signed.pdf' }, payload: PDF })).json().id as string;
    await m.act(mediator, opened.caseId, 'accept');
    await m.act(mediator, opened.caseId, 'assign', { leadMediatorId: lead });
    const scan = await upload();
    const early = await m.tryAct(mediator, opened.caseId, 'file_signed_agreement', { attachmentIds: [scan] });
    expect([early.statusCode, early.json().error.code]).toEqual([409, 'MEDIATION_INVALID_TRANSITION']);
    await m.act(mediator, opened.caseId, 'conclude', { outcome: 'success', terms: '钟二拆除占道围栏，双方共用通道。', performBy: null });
    const filed = await m.act(mediator, opened.caseId, 'file_signed_agreement', { attachmentIds: [scan] });
    expect(filed.signedScan).toMatchObject({ attachmentIds: [scan] });
    const file = await ctx.app.inject({ method: 'GET', url: `/api/v1/attachments/${scan}`, headers: mediator.headers });
    expect([file.statusCode, file.rawPayload.subarray(0, 5).toString()]).toEqual([200, '%PDF-']);
    const cover = await ctx.app.inject({ method: 'GET', url: `/api/v1/mediations/${opened.caseId}/file`, headers: mediator.headers });
    expect(cover.body).toContain('签署件 1 份');
    const intake = await d.as('intake'); // the township center sees the case and its timeline
    const detail = await ctx.app.inject({ method: 'GET', url: `/api/v1/cases/${opened.caseId}`, headers: intake.headers });
    expect(detail.json().timeline.map((e: { action: string }) => e.action)).toContain('mediation_file_signed_agreement');
    const someoneElses = await ctx.app.inject({ method: 'POST', url: '/api/v1/attachments', headers: { ...intake.headers, 'content-type': 'application/pdf' }, payload: PDF });
    const refused = await m.tryAct(mediator, opened.caseId, 'file_signed_agreement', { attachmentIds: [someoneElses.json().id] });
    expect(refused.statusCode).toBe(422);
    expect((await m.get(mediator, opened.caseId)).signedScan.attachmentIds).toEqual([scan]);
  });
});

describe('figures are counted from the timeline', () => {
  it('opened, concluded, settled and confirmed in a period; a period before any event is empty; a backwards period is refused', async () => {
    const today = chinaDay(ctx.clock.now());
    const before = await m.call(mediator, 'GET', `/api/v1/mediations/figures?from=${today}&to=${today}`);
    const a = await dispute('D02', 'neighbourhood', 1000);
    const b = await dispute('D02', 'neighbourhood', 500);
    for (const x of [a, b]) { await m.act(mediator, x.caseId, 'accept'); await m.act(mediator, x.caseId, 'assign', { leadMediatorId: lead }); }
    ctx.clock.advance(2 * DAY);
    await m.act(mediator, a.caseId, 'conclude', { outcome: 'success', terms: '赔偿1000元', performBy: null });
    await m.act(mediator, b.caseId, 'conclude', { outcome: 'failed', reason: '被申请人拒不到场' });
    await m.act(mediator, a.caseId, 'refer_confirmation', { courtOrgId: d.org('南关区人民法院').id });
    await m.act(mediator, a.caseId, 'record_ruling', { ruling: 'confirmed', rulingNo: '（2026）吉0102民特1号' });
    const later = chinaDay(ctx.clock.now());
    const opened = await m.call(mediator, 'GET', `/api/v1/mediations/figures?from=${today}&to=${today}`);
    expect(opened.total - before.total).toBe(2);
    expect(opened.byType.neighbourhood - (before.byType.neighbourhood ?? 0)).toBe(2);
    const concluded = await m.call(mediator, 'GET', `/api/v1/mediations/figures?from=${later}&to=${later}`);
    expect(concluded).toMatchObject({ total: 0, concluded: 2, byOutcome: { success: 1, failed: 1 }, successRate: 0.5, amountSettledYuan: 1000, confirmations: 1, confirmed: 1 });
    expect(concluded.averageDaysToResolve).toBe(2);
    const empty = await m.call(mediator, 'GET', '/api/v1/mediations/figures?from=2020-01-01&to=2020-01-31');
    expect(empty).toMatchObject({ total: 0, concluded: 0, successRate: null, amountSettledYuan: 0 });
    const backwards = await ctx.app.inject({ method: 'GET', url: '/api/v1/mediations/figures?from=2026-02-01&to=2026-01-01', headers: mediator.headers });
    expect([backwards.statusCode, backwards.json().error.code]).toEqual([400, 'PERIOD_INVALID']);
    const nanling = await d.as('nanling'); // another township sees none of it
    const outside = await m.call(nanling, 'GET', `/api/v1/mediations/figures?from=${later}&to=${later}`);
    expect(outside.concluded).toBe(0);
  });
});
