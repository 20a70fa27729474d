import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestContext, type TestContext } from './helpers/context.ts';
import { caseApi, demoWorld } from './helpers/demo.ts';
import { createRecordingSmsSender, type SmsSender } from '../src/modules/outbox/sms.ts';
import { createServices } from '../src/services.ts';

/**
 * The seeds' stories, replayed end to end through the HTTP API on the demo jurisdiction (长春市南关区).
 */
let ctx: TestContext;
let d: Awaited<ReturnType<typeof demoWorld>>;
let api: ReturnType<typeof caseApi>;
beforeAll(async () => {
  // these stories move the clock by days: sessions must outlive that (idle timeouts are tested in auth.test.ts)
  ctx = await createTestContext({ sessionIdleMinutes: 24 * 60, sessionMaxHours: 720 });
  d = await demoWorld(ctx);
  api = caseApi(ctx);
});
afterAll(() => ctx?.close());

const actions = (timeline: { action: string }[]) => timeline.map((e) => e.action);

/** A resident reports from the mobile page in 惠民嘉苑社区 and the community accepts it as a general case. */
async function reportedAndAccepted(description: string, phone: string) {
  const report = await ctx.app.inject({
    method: 'POST', url: '/api/v1/public/cases',
    payload: { channel: 'mobile_web', areaId: d.area('220102200001').id, categoryId: (await d.category('A04')).id, description, reporter: { phone } },
  });
  const { number, trackingSecret } = report.json() as { number: string; trackingSecret: string };
  const village = await d.as('village');
  const id = (await ctx.app.inject({ url: '/api/v1/cases?queue=to_accept', headers: village.headers })).json().items.find((x: { number: string }) => x.number === number).id as string;
  await api.act(village, id, 'accept', { tier: 'general' });
  return { number, trackingSecret, id, village };
}

describe('a grid worker’s report that needs the city (漳州角美镇: broken glass at a bus shelter)', () => {
  it('grid → community → township → district → city operations company → fixed the same day → closed', async () => {
    const grid = await d.as('gridworker');
    const created = await api.create(grid, {
      channel: 'grid_patrol', areaId: d.area('220102200001G01').id, categoryId: (await d.category('A02')).id,
      description: '公交站台候车亭玻璃破碎，存在划伤风险', address: '幸福乡公交站', location: { lon: 125.3356, lat: 43.8519, crs: 'gcj02' },
    });
    const id = created.case.id;
    expect(created.case.owningOrg.name).toBe('惠民嘉苑社区综治中心');
    expect(created.case.status).toBe('pending_acceptance');
    expect(created.case.number).toMatch(/^220102200001-\d{8}-\d{6}$/);
    // GCJ-02 input is stored as WGS-84 (a few hundred metres west-south-west in Changchun)
    expect(created.case.location.lon).toBeLessThan(125.3356);
    expect(created.case.location.lon).toBeGreaterThan(125.32);

    const village = await d.as('village');
    await api.act(village, id, 'accept', { tier: 'general' });
    const up1 = await api.act(village, id, 'escalate', { reason: '候车亭属市政设施，社区无权维修' });
    expect(up1.case.owningOrg.name).toBe('幸福乡综治中心');
    const township = await d.as('intake');
    const up2 = await api.act(township, id, 'escalate', { reason: '需市级运营公司处置' });
    expect(up2.case.owningOrg.name).toBe('南关区综治中心');
    // the community no longer owns it, but still sees it: it is in its jurisdiction
    expect((await api.get(village, id)).case.allowedActions).toEqual([]);

    const district = await d.as('dispatcher');
    const dispatched = await api.act(district, id, 'dispatch', { organizationId: d.org('长春市城市运营公司').id });
    expect(dispatched.case.status).toBe('pending_signoff');
    const company = await d.staff('长春市城市运营公司', ['handler']);
    await api.act(company, id, 'sign_for');
    await api.act(company, id, 'contact', { note: '已电话联系网格员确认位置' });
    const replied = await api.act(company, id, 'reply', { result: '已更换候车亭钢化玻璃' });
    expect(replied.case.status).toBe('replied');
    expect(replied.case.clocks.handle.state).toBe('met');
    const closed = await api.act(district, id, 'return_visit', { result: 'satisfied', note: '网格员现场确认' });
    expect(closed.case.status).toBe('closed');
    expect(actions(closed.timeline)).toEqual(['create', 'accept', 'escalate', 'escalate', 'dispatch', 'sign_for', 'contact', 'reply', 'return_visit']);
    expect(closed.timeline[2]).toMatchObject({ note: '候车亭属市政设施，社区无权维修', fromStatus: 'pending_dispatch', toStatus: 'pending_dispatch' });
    await api.act(district, id, 'archive');
  });
});

describe('Baiyin’s rule: 小事不出村、大事不出镇、矛盾不上交', () => {
  it('a general case is handled and closed by the community itself', async () => {
    const village = await d.as('village');
    const c = await api.create(village, { channel: 'window', areaId: d.area('220102200001').id, categoryId: (await d.category('D02')).id, description: '邻里因楼道堆放杂物发生争执', reporter: { name: '王小明', phone: '13912345678' } });
    const id = c.case.id;
    // the window hands the resident a receipt: with it the resident follows the case without an account
    expect(c.receipt.number).toBe(c.case.number);
    const track = (secret: string) => ctx.app.inject({ url: `/api/v1/public/cases/${encodeURIComponent(c.receipt.number)}?secret=${encodeURIComponent(secret)}` });
    expect((await track(c.receipt.trackingSecret)).json()).toMatchObject({ number: c.case.number, status: 'pending_acceptance', handler: '惠民嘉苑社区综治中心' });
    expect((await track(`${c.receipt.trackingSecret}x`)).statusCode).toBe(404);
    // the 查询码: ten characters nobody misreads, typed back in any case, with the dash or spaces of the receipt
    const code: string = c.receipt.trackingSecret;
    expect(code).toMatch(/^[2-9A-HJKMNP-TV-Z]{10}$/);
    for (const typed of [code.toLowerCase(), `${code.slice(0, 5)}-${code.slice(5)}`, ` ${code.slice(0, 5)} ${code.slice(5).toLowerCase()} `]) {
      expect((await track(typed)).statusCode, typed).toBe(200);
    }
    const wrong = code.slice(0, 9) + (code[9] === 'Z' ? 'Y' : 'Z');
    expect((await track(wrong)).statusCode).toBe(404);
    // a case from before the short codes keeps its older, case-sensitive code
    const older = 'aB3_x9Kq-2Lm';
    await ctx.database.db.execute(sql`update cases set tracking_secret_enc = ${ctx.services.keys.encrypt('cases.tracking_secret', older)} where id = ${id}`);
    expect((await track(older)).statusCode).toBe(200);
    expect((await track(older.toUpperCase())).statusCode).toBe(404);
    await ctx.database.db.execute(sql`update cases set tracking_secret_enc = ${ctx.services.keys.encrypt('cases.tracking_secret', code)} where id = ${id}`);
    // the township sees the community's case but does not own it: a refusal says who does and what it can do
    const township = await d.as('intake');
    const refused = await ctx.app.inject({ method: 'POST', url: `/api/v1/cases/${id}/accept`, headers: township.headers, payload: { version: 1, tier: 'general' } });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toMatchObject({ code: 'CASE_NOT_YOURS' });
    expect(refused.json().error.message).toMatch(/^此事项由惠民嘉苑社区综治中心负责，您不能“受理”。您可以：.*督办/);
    await api.act(village, id, 'accept', { tier: 'general' });
    // the community handles it itself (自办): one step to in progress, not a dispatch to itself and a signature
    expect((await api.get(village, id)).case.allowedActions).toEqual(expect.arrayContaining(['dispatch', 'handle_self']));
    const own = await api.act(village, id, 'handle_self', { note: '本中心直接调解' });
    expect(own.case).toMatchObject({ status: 'in_progress', assigneeOrg: { id: d.org('惠民嘉苑社区综治中心').id } });
    expect(own.case.allowedActions).toContain('reply');
    expect(own.case.allowedActions).not.toContain('return');
    expect(own.case.allowedActions).not.toContain('handle_self');
    await api.act(village, id, 'reply', { result: '调解后双方同意清理楼道' });
    const closed = await api.act(village, id, 'return_visit', { result: 'satisfied' });
    expect(closed.case.status).toBe('closed');
    expect(closed.timeline.map((e: { action: string }) => e.action)).toEqual(['create', 'accept', 'handle_self', 'reply', 'return_visit']);
    expect(new Set(closed.timeline.map((e: { actorOrgId: number }) => e.actorOrgId))).toEqual(new Set([d.org('惠民嘉苑社区综治中心').id]));
    expect(closed.case.reporter).toEqual({ name: '王*明', phone: '139****5678', anonymous: false });
    // neither the intake answer nor the detail shows the reporter's ciphertexts or blind index in the timeline
    for (const shown of [c, closed]) {
      const text = JSON.stringify(shown);
      expect(text).not.toMatch(/13912345678|王小明|fq1\./);
      expect(text).not.toMatch(/reporter(Name|Phone)Enc|reporterPhoneBidx/);
    }
    expect(closed.timeline[0].payload.patch).toMatchObject({ status: 'pending_acceptance', description: '邻里因楼道堆放杂物发生争执' });
  });

  it('a major case accepted at the township stays with the township', async () => {
    const township = await d.as('intake');
    const c = await api.create(township, { channel: 'hotline', areaId: d.area('220102200002').id, categoryId: (await d.category('D10')).id, description: '工地拖欠二十名农民工工资', peopleInvolved: 20 });
    const accepted = await api.act(township, c.case.id, 'accept', { tier: 'major' });
    expect(accepted.case.owningOrg.name).toBe('幸福乡综治中心');
    expect(accepted.case.tier).toBe('major');
  });

  it('the township takes over (提级办理) a community case, before or after acceptance, with a reason the community is told', async () => {
    const village = await d.as('village');
    const township = await d.as('intake');
    const community = d.org('惠民嘉苑社区综治中心');
    // already accepted and waiting at the community: the township takes it and handles it itself
    const a = await api.create(village, { channel: 'window', areaId: d.area('220102200001').id, categoryId: (await d.category('A09')).id, description: '小区围墙开裂有倒塌风险' });
    await api.act(village, a.case.id, 'accept', { tier: 'general' });
    expect((await api.get(township, a.case.id)).case.allowedActions).toContain('take_over');
    expect((await api.get(village, a.case.id)).case.allowedActions).not.toContain('take_over');
    const taken = await api.act(township, a.case.id, 'take_over', { reason: '涉及多个社区，街道直接办理' });
    expect(taken.case).toMatchObject({ status: 'pending_dispatch', owningOrg: { name: '幸福乡综治中心' }, assigneeOrg: null });
    expect(taken.timeline.at(-1)).toMatchObject({ action: 'take_over', note: '涉及多个社区，街道直接办理' });
    expect((await api.get(village, a.case.id)).case.allowedActions).not.toContain('dispatch');
    expect((await api.act(township, a.case.id, 'handle_self')).case.status).toBe('in_progress');
    await ctx.services.outbox.drain();
    const told = (await ctx.app.inject({ url: '/api/v1/notifications?limit=100', headers: village.headers })).json().items
      .filter((n: { caseId: string; kind: string }) => n.caseId === a.case.id && n.kind === 'case_taken_over');
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ title: `上级中心提级办理 ${a.case.number}`, body: '涉及多个社区，街道直接办理' });
    // not yet accepted: it waits for the township's acceptance instead
    const b = await api.create(village, { channel: 'window', areaId: d.area('220102200001').id, categoryId: (await d.category('A09')).id, description: '楼顶违建影响邻居采光' });
    const waiting = await api.act(township, b.case.id, 'take_over', { reason: '违建由街道统一处置' });
    expect(waiting.case).toMatchObject({ status: 'pending_acceptance', owningOrg: { name: '幸福乡综治中心' } });
    expect((await api.act(township, b.case.id, 'accept', { tier: 'major' })).case.owningOrg.name).toBe('幸福乡综治中心');
    // a reason is required; nothing is written without one
    const c = await api.create(village, { channel: 'window', areaId: d.area('220102200001').id, categoryId: (await d.category('A09')).id, description: '井盖缺失' });
    expect((await api.tryAct(township, c.case.id, 'take_over', { reason: ' ' })).statusCode).toBeGreaterThanOrEqual(400);
    expect((await api.get(village, c.case.id)).case.owningOrg.id).toBe(community.id);
  });

  it('a general case accepted at the township is sent down to the community', async () => {
    const township = await d.as('intake');
    const c = await api.create(township, { channel: 'window', areaId: d.area('220102200001').id, categoryId: (await d.category('A09')).id, description: '夜间广场舞噪音扰民' });
    const accepted = await api.act(township, c.case.id, 'accept', { tier: 'general' });
    expect(accepted.case.owningOrg.name).toBe('惠民嘉苑社区综治中心');
  });

  it('a difficult case cannot skip levels: the community escalates with a reason, the county owns it and a leader takes it on', async () => {
    const village = await d.as('village');
    const c = await api.create(village, { channel: 'window', areaId: d.area('220102200001').id, categoryId: (await d.category('D08')).id, description: '征地补偿争议，涉及多户', peopleInvolved: 12 });
    const id = c.case.id;
    const refused = await api.tryAct(village, id, 'accept', { tier: 'difficult' });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe('CASE_TIER_NEEDS_ESCALATION');
    // the advice names who should have it and the step possible here: at a community, 一般 then 上报
    expect(refused.json().error.message).toBe('该等级的事项应由南关区综治中心办理：请先按“一般”事项受理，再填写理由上报');
    await api.act(village, id, 'accept', { tier: 'general' });
    await api.act(village, id, 'escalate', { reason: '涉及征地补偿政策，社区无法化解', tier: 'difficult' });
    const county = await api.act(await d.as('intake'), id, 'escalate', { reason: '需区级协调住建、司法' });
    expect(county.case).toMatchObject({ tier: 'difficult', owningOrg: { name: '南关区综治中心' } });
    const leader = await d.as('leader');
    const owned = await api.act(leader, id, 'take_ownership', { note: '本人包案' });
    expect(owned.case.leaderUserId).not.toBeNull();
    await api.act(leader, id, 'instruct', { note: '请住建局三日内拿出方案' });
    await api.act(await d.as('dispatcher'), id, 'dispatch', { organizationId: d.org('南关区住房和城乡建设局').id });
    const housing = await d.as('housing');
    await api.act(housing, id, 'sign_for');
    await api.act(housing, id, 'reply', { result: '已按政策补足补偿款' });
    const closed = await api.act(await d.as('dispatcher'), id, 'return_visit', { result: 'basically_satisfied' });
    expect(closed.case.status).toBe('closed');
    expect(actions(closed.timeline)).toContain('take_ownership');
  });
});

describe('a resident on a phone, unsatisfied, then satisfied', () => {
  it('QR report → accepted → dispatched → replied → 不满意 reopens → handled again → 满意 → closed, with SMS', async () => {
    const report = await ctx.app.inject({
      method: 'POST', url: '/api/v1/public/cases', headers: { 'idempotency-key': 'phone-retry-1' },
      payload: { channel: 'qr_code', placeCode: '220102200001G02', categoryId: (await d.category('A04')).id, description: '小区下水道堵塞，污水外溢', reporter: { name: '曲先生', phone: '13700001111' } },
    });
    expect(report.statusCode).toBe(201);
    const { number, trackingSecret } = report.json();
    // the phone retries the same request: the same case comes back (another body under the key is refused: idempotency.test.ts)
    const retry = await ctx.app.inject({
      method: 'POST', url: '/api/v1/public/cases', headers: { 'idempotency-key': 'phone-retry-1' },
      payload: { channel: 'qr_code', placeCode: '220102200001G02', categoryId: (await d.category('A04')).id, description: '小区下水道堵塞，污水外溢', reporter: { name: '曲先生', phone: '13700001111' } },
    });
    expect(retry.json()).toEqual(report.json());
    const track = (secret = trackingSecret) => ctx.app.inject({ url: `/api/v1/public/cases/${number}?secret=${encodeURIComponent(secret)}` });
    expect((await track('wrong-secret-123')).statusCode).toBe(404);
    expect((await track()).json()).toMatchObject({ status: 'pending_acceptance', canRate: false });

    const village = await d.as('village');
    const list = await ctx.app.inject({ url: '/api/v1/cases?queue=to_accept', headers: village.headers });
    const c = list.json().items.find((x: { number: string }) => x.number === number);
    expect(c.area.name).toBe('惠民嘉苑第2网格');
    const id = c.id;
    await api.act(village, id, 'accept', { tier: 'general' });
    await api.act(village, id, 'dispatch', { organizationId: d.org('南关区住房和城乡建设局').id });
    const housing = await d.as('housing');
    await api.act(housing, id, 'sign_for');
    await api.act(housing, id, 'reply', { result: '已疏通下水管道' });
    const early = await ctx.app.inject({ method: 'POST', url: `/api/v1/public/cases/${number}/rating`, payload: { secret: trackingSecret, result: 'satisfied' } });
    expect(early.statusCode).toBe(200); // rating is open once the reply is there
    expect(early.json().status).toBe('closed');
    expect(early.json().visitResult).toBe('satisfied');
    const again = await ctx.app.inject({ method: 'POST', url: `/api/v1/public/cases/${number}/rating`, payload: { secret: trackingSecret, result: 'unsatisfied' } });
    expect(again.statusCode).toBe(409);
    // in the resident's words, not the workflow's
    expect(again.json().error.code).toBe('CASE_NOT_AWAITING_RATING');
    expect(again.json().error.message).not.toMatch(/closed|return_visit/);
  });

  it('不满意 reopens the case with the same department and a fresh handling clock', async () => {
    const { number, trackingSecret, id, village } = await reportedAndAccepted('养老院下水道又堵塞', '13700002222');
    await api.act(village, id, 'dispatch', { organizationId: d.org('南关区住房和城乡建设局').id });
    const housing = await d.as('housing');
    await api.act(housing, id, 'sign_for');
    await api.act(housing, id, 'reply', { result: '已疏通' });
    const firstDue = (await api.get(village, id)).case.clocks.handle.dueAt;
    ctx.clock.advance(3_600_000);
    const unhappy = await ctx.app.inject({ method: 'POST', url: `/api/v1/public/cases/${number}/rating`, payload: { secret: trackingSecret, result: 'unsatisfied', comment: '第二天又堵了' } });
    expect(unhappy.json()).toMatchObject({ status: 'in_progress', canRate: false });
    const reopened = await api.get(housing, id);
    expect(reopened.case).toMatchObject({ status: 'in_progress', reopenCount: 1, assigneeOrg: { name: '南关区住房和城乡建设局' } });
    expect(reopened.case.clocks.handle.dueAt >= firstDue).toBe(true);
    expect(reopened.timeline.at(-1)).toMatchObject({ action: 'return_visit', actor: 'resident', actorName: 'reporter', note: '第二天又堵了' });
    expect(reopened.timeline.find((e: { action: string }) => e.action === 'dispatch')).toMatchObject({ actor: 'staff' }); // a colleague, by name
    await api.act(housing, id, 'reply', { result: '更换了破损管段，已回访确认' });
    const happy = await ctx.app.inject({ method: 'POST', url: `/api/v1/public/cases/${number}/rating`, payload: { secret: trackingSecret, result: 'satisfied' } });
    expect(happy.json()).toMatchObject({ status: 'closed', visitResult: 'satisfied', result: '更换了破损管段，已回访确认' });

    await ctx.services.outbox.drain();
    const sms = await ctx.database.db.execute(sql`select phone_enc, body from sms_messages where body like ${`%${number}%`} order by id`);
    const rows = (sms as unknown as { rows: { phone_enc: string; body: string }[] }).rows;
    expect(rows.map((r) => r.body.match(/已受理|已办理完毕|已重新办理/)![0])).toEqual(['已受理', '已办理完毕', '已重新办理', '已办理完毕']);
    expect(rows.every((r) => !r.phone_enc.includes('13700002222'))).toBe(true);
  });
});

describe('texts to the reporter', () => {
  it('carry the tracking link when PUBLIC_URL is set; the recorded copy leaves the secret out', async () => {
    await ctx.services.outbox.drain(); // earlier stories' messages are not this test's
    const { number, trackingSecret } = await reportedAndAccepted('楼道灯不亮', '13700003333');

    const sent: { phone: string; body: string }[] = [];
    const sender: SmsSender = { name: 'test', async send(phone, m) { sent.push({ phone, body: m.text }); } };
    const worker = createServices(ctx.database.db, { ...ctx.config, publicUrl: 'https://fq.example.gov.cn/' }, ctx.clock, { sms: sender }).outbox;
    await worker.drain();
    const link = `https://fq.example.gov.cn/m/track/${number}?s=${encodeURIComponent(trackingSecret)}`;
    expect(sent).toEqual([{ phone: '13700003333', body: expect.stringContaining('已受理') }]);
    expect(sent[0]!.body).toContain(link);
    // the link opens the case for the reporter
    const tracked = await ctx.app.inject({ url: link.replace('https://fq.example.gov.cn/m/track/', '/api/v1/public/cases/').replace('?s=', '?secret=') });
    expect(tracked.json()).toMatchObject({ number, status: 'pending_dispatch' });

    const logged: string[] = [];
    const recorder = createRecordingSmsSender({ db: ctx.database.db, keys: ctx.services.keys, log: (m) => logged.push(m) });
    await recorder.send('13700003333', { text: sent[0]!.body, template: 'case_accepted', params: {} });
    const kept = await ctx.database.db.execute(sql`select body from sms_messages where body like ${`%${number}%`} order by id desc limit 1`);
    const body = (kept as unknown as { rows: { body: string }[] }).rows[0]!.body;
    expect(body).toContain(`/m/track/${number}?s=***`);
    expect(body).not.toContain(trackingSecret);
    expect(logged.join('\n')).not.toContain(trackingSecret);
  });
});

describe('a jurisdiction that keeps general cases at the township', () => {
  it('CASE_TIER_LEVELS changes which center a tier lands in', async () => {
    const other = await createTestContext({ tierLevels: { general: 'township', major: 'county', difficult: 'county', cross_region: 'city' } });
    try {
      const od = await demoWorld(other);
      const oapi = caseApi(other);
      const township = await od.as('intake');
      const c = await oapi.create(township, { channel: 'window', areaId: od.area('220102200001').id, categoryId: (await od.category('A09')).id, description: '夜间噪音' });
      const accepted = await oapi.act(township, c.case.id, 'accept', { tier: 'general' });
      expect(accepted.case.owningOrg.name).toBe('幸福乡综治中心');
      expect((await oapi.tryAct(township, (await oapi.create(township, { channel: 'window', areaId: od.area('220102200001').id, categoryId: (await od.category('A09')).id, description: '较大事项' })).case.id, 'accept', { tier: 'major' })).json().error.code).toBe('CASE_TIER_NEEDS_ESCALATION');
    } finally {
      await other.close();
    }
  });
});

describe('returns, ruling and the ping-pong guard', () => {
  it('after two returns the third goes to the dispatching center’s ruling queue; a ruling is final', async () => {
    const district = await d.as('dispatcher');
    const police = await d.as('police');
    const c = await api.create(district, { channel: 'police_push', areaId: d.area('220102200003').id, categoryId: (await d.category('D06')).id, description: '车辆刮蹭损害赔偿争议' });
    const id = c.case.id;
    await api.act(district, id, 'accept', { tier: 'difficult' });
    for (let i = 1; i <= 3; i++) {
      await api.act(district, id, 'dispatch', { organizationId: d.org('长春市公安局南关分局').id });
      const r = await api.act(police, id, 'return', { reason: `第${i}次：不属于公安管辖` });
      expect(r.case.status).toBe(i < 3 ? 'pending_dispatch' : 'ruling');
    }
    expect((await api.queues(district)).ruling).toBeGreaterThanOrEqual(1);
    const ruled = await api.act(district, id, 'rule', { organizationId: d.org('长春市公安局南关分局').id, note: '属地兜底：由公安分局牵头' });
    expect(ruled.case).toMatchObject({ status: 'pending_signoff', finalAssignment: true });
    const again = await api.tryAct(police, id, 'return', { reason: '仍不属于' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('CASE_INVALID_TRANSITION');
    expect((await api.get(police, id)).case.allowedActions).toEqual(expect.arrayContaining(['sign_for']));
    expect((await api.get(police, id)).case.allowedActions).not.toContain('return');
  });
});

describe('two dispatchers at once', () => {
  it('one succeeds, the other gets a clear conflict, and only one event is written', async () => {
    const district = await d.as('dispatcher');
    const other = await d.staff('南关区综治中心', ['dispatcher']);
    const c = await api.create(district, { channel: 'hotline', areaId: d.area('220102200004').id, categoryId: (await d.category('A05')).id, description: '物业不作为' });
    const id = c.case.id;
    const accepted = await api.act(district, id, 'accept', { tier: 'difficult' });
    const version = accepted.case.version;
    const [a, b] = await Promise.all([
      ctx.app.inject({ method: 'POST', url: `/api/v1/cases/${id}/dispatch`, headers: district.headers, payload: { version, organizationId: d.org('南关区住房和城乡建设局').id } }),
      ctx.app.inject({ method: 'POST', url: `/api/v1/cases/${id}/dispatch`, headers: other.headers, payload: { version, organizationId: d.org('长春市公安局南关分局').id } }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    expect([a, b].find((r) => r.statusCode === 409)!.json().error.code).toMatch(/CONFLICT|CASE_INVALID_TRANSITION/);
    const after = await api.get(district, id);
    expect(after.timeline.filter((e: { action: string }) => e.action === 'dispatch')).toHaveLength(1);
  });
});

describe('suspension, extension, supervision, merge, reject', () => {
  it('a suspended case’s clocks stop and resume with the time they had left', async () => {
    let district = await d.as('dispatcher');
    const c = await api.create(district, { channel: 'window', areaId: d.area('220102200005').id, categoryId: (await d.category('D03')).id, description: '宅基地界址争议，需等待测绘' });
    const id = c.case.id;
    const accepted = await api.act(district, id, 'accept', { tier: 'difficult' });
    const due = new Date(accepted.case.clocks.handle.dueAt);
    const suspended = await api.act(district, id, 'suspend', { reason: '等待测绘结果' });
    expect(suspended.case.clocks.handle.state).toBe('paused');
    ctx.clock.advance(10 * 86_400_000);
    district = await d.as('dispatcher'); // ten days later: a new working day, a new sign-in
    expect((await api.get(district, id)).case.clocks.handle.state).toBe('paused');
    const resumed = await api.act(district, id, 'resume');
    expect(resumed.case.status).toBe('pending_dispatch');
    expect(new Date(resumed.case.clocks.handle.dueAt).getTime()).toBeGreaterThan(due.getTime() + 7 * 86_400_000);
    expect(resumed.case.clocks.handle.state).not.toBe('overdue');
  });

  it('an extension moves the handling deadline by working days once approved; supervision carries its own deadline', async () => {
    const district = await d.as('dispatcher');
    const housing = await d.as('housing');
    const c = await api.create(district, { channel: 'window', areaId: d.area('220102200006').id, categoryId: (await d.category('H05')).id, description: '老旧楼房外墙脱落' });
    const id = c.case.id;
    await api.act(district, id, 'accept', { tier: 'difficult' });
    await api.act(district, id, 'dispatch', { organizationId: d.org('南关区住房和城乡建设局').id });
    await api.act(housing, id, 'sign_for');
    const before = (await api.get(housing, id)).case.clocks.handle.dueAt;
    const requested = await api.act(housing, id, 'request_extension', { workingDays: 5, reason: '需专业机构鉴定' });
    expect(requested.case.extensionRequest).toEqual({ workingDays: 5, reason: '需专业机构鉴定', by: 'housing' });
    expect((await api.tryAct(housing, id, 'approve_extension')).statusCode).toBe(403);
    const approved = await api.act(district, id, 'approve_extension', { note: '同意' });
    expect(approved.case.extensionRequest).toBeNull();
    expect(approved.case.clocks.handle.dueAt > before).toBe(true);
    const supervised = await api.act(await d.as('leader'), id, 'supervise', { level: 'yellow', dueInWorkingDays: 2, note: '群众反映强烈，黄牌督办' });
    expect(supervised.case.supervision.level).toBe('yellow');
    expect((await api.queues(housing)).supervised).toBeGreaterThanOrEqual(1);
    await ctx.services.outbox.drain();
    const inbox = (await ctx.app.inject({ url: '/api/v1/notifications', headers: housing.headers })).json().items;
    expect(inbox.map((n: { kind: string }) => n.kind)).toEqual(expect.arrayContaining(['case_supervised', 'case_extension_approved', 'case_dispatched']));
  });

  it('a duplicate is merged into its master; a report outside the center’s remit is rejected', async () => {
    const village = await d.as('village');
    const cat = (await d.category('A01')).id;
    const master = await api.create(village, { channel: 'window', areaId: d.area('220102200001').id, categoryId: cat, description: '垃圾清运不及时' });
    const dup = await api.create(village, { channel: 'hotline', areaId: d.area('220102200001').id, categoryId: cat, description: '垃圾好几天没人收' });
    const merged = await api.act(village, dup.case.id, 'merge', { masterCaseId: master.case.id });
    expect(merged.case).toMatchObject({ status: 'merged', mergedIntoId: master.case.id });
    const rejected = await api.act(village, master.case.id, 'reject', { reason: '属于司法诉讼程序，已引导起诉' });
    expect(rejected.case.status).toBe('rejected');
    expect((await api.tryAct(village, master.case.id, 'dispatch', { organizationId: d.org('惠民嘉苑社区综治中心').id })).json().error.code).toBe('CASE_INVALID_TRANSITION');
  });
});

describe('deadlines and warnings', () => {
  it('the periodic job flags due-soon and overdue clocks once, with notifications, and the overdue queue shows them', async () => {
    const nanling = await d.as('nanling');
    const c = await api.create(nanling, { channel: 'window', areaId: d.area('220102001001').id, categoryId: (await d.category('H01')).id, description: '楼道堆放电动车充电' });
    const id = c.case.id;
    await api.act(nanling, id, 'accept', { tier: 'major' });
    expect((await api.get(nanling, id)).case.clocks.contact.state).toBe('running');
    ctx.clock.advance(50 * 60_000);
    await ctx.services.cases.scanDeadlines();
    expect((await api.get(nanling, id)).case.clocks.contact.state).toBe('due_soon');
    expect((await api.queues(nanling)).due_soon).toBe(1);
    ctx.clock.advance(20 * 60_000);
    const flagged = await ctx.services.cases.scanDeadlines();
    expect(flagged).toBeGreaterThanOrEqual(1);
    expect(await ctx.services.cases.scanDeadlines()).toBe(0); // safe to run twice
    const detail = await api.get(nanling, id);
    expect(detail.case.clocks.contact.state).toBe('overdue');
    expect(detail.timeline.filter((e: { action: string }) => e.action === 'deadline_warning').map((e: { note: string }) => e.note)).toEqual(['contact_soon', 'contact_overdue']);
    expect((await api.queues(nanling)).overdue).toBe(1);
    const overdueList = (await ctx.app.inject({ url: '/api/v1/cases?overdue=true', headers: nanling.headers })).json().items;
    expect(overdueList.map((x: { id: string }) => x.id)).toEqual([id]);
    await ctx.services.outbox.drain();
    const inbox = (await ctx.app.inject({ url: '/api/v1/notifications', headers: nanling.headers })).json().items;
    expect(inbox.filter((n: { kind: string }) => n.kind === 'case_contact_overdue')).toHaveLength(1);
    const contacted = await api.act(nanling, id, 'contact');
    expect(contacted.case.clocks.contact.state).toBe('missed');
  });
});

describe('lists and queues', () => {
  it('filters and pages without gaps; the village never sees another township’s cases', async () => {
    const district = await d.as('dispatcher');
    const all: string[] = [];
    let cursor: string | undefined;
    do {
      const page = (await ctx.app.inject({ url: `/api/v1/cases?limit=3${cursor ? `&cursor=${cursor}` : ''}`, headers: district.headers })).json();
      all.push(...page.items.map((x: { id: string }) => x.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBeGreaterThan(8);
    const village = (await ctx.app.inject({ url: '/api/v1/cases?limit=500', headers: (await d.as('village')).headers })).json().items;
    expect(village.every((x: { areaPath: string }) => x.areaPath.startsWith(d.area('220102200001').path))).toBe(true);
    const disputes = (await ctx.app.inject({ url: `/api/v1/cases?categoryId=${(await d.category('D')).id}&limit=500`, headers: district.headers })).json().items;
    expect(disputes.length).toBeGreaterThan(0);
    expect(disputes.every((x: { caseType: string }) => x.caseType === 'dispute')).toBe(true);
  });
});

describe('queue counts', () => {
  it('equal the length of each queue’s list, for every account that has queues', async () => {
    const usernames = ['admin', 'leader', 'dispatcher', 'city', 'intake', 'mediator', 'village', 'gridworker', 'housing', 'police', 'nanling'];
    let nonZero = 0;
    for (const username of usernames) {
      const who = await d.as(username);
      const res = await ctx.app.inject({ url: '/api/v1/cases/queues', headers: who.headers });
      if (res.statusCode === 403) continue;
      const counts = res.json() as Record<string, number>;
      for (const [queue, count] of Object.entries(counts)) {
        const listed = (await ctx.app.inject({ url: `/api/v1/cases?queue=${queue}&limit=500`, headers: who.headers })).json().items.length;
        expect({ username, queue, count }).toEqual({ username, queue, count: listed });
        if (count > 0) nonZero++;
      }
    }
    expect(nonZero).toBeGreaterThan(5); // the stories above left cases in many queues
  });
});

describe('a burst of reports (a police platform posting many at once)', () => {
  it('is written in shared statements: every report once, with its event and outbox row; twins of one Idempotency-Key get one case', async () => {
    const intake = await d.as('intake');
    const categoryId = (await d.category('A02')).id;
    const areaId = d.area('220102200001').id;
    const report = (key: string) => api.create(intake, {
      channel: 'police_push', areaId, categoryId, description: `警情推送 ${key}`, reporter: { phone: '13900002222' },
    }, key);
    const distinct = Array.from({ length: 40 }, (_, i) => `burst-${i}`);
    const first = await Promise.all(distinct.map(report));
    // reports written by one statement share its transaction id
    const transactions = await ctx.database.db.execute(sql`select count(distinct xmin::text)::int as n from cases where description like '警情推送 burst-%'`) as unknown as { rows: { n: number }[] };
    expect(transactions.rows[0]!.n).toBeLessThan(10);
    const twins = ['burst-twin-a', 'burst-twin-a', 'burst-twin-b', 'burst-twin-b'];
    const keys = [...distinct, ...twins];
    const created = [...first, ...await Promise.all(twins.map(report))];
    const numberOf = new Map<string, string>();
    const secretOf = new Map<string, string>();
    created.forEach((c, i) => {
      const seen = numberOf.get(keys[i]!);
      expect(c.receipt.number).toBe(c.case.number);
      // a retry gets the same receipt as the report it repeats
      if (seen) { expect(c.case.number).toBe(seen); expect(c.receipt.trackingSecret).toBe(secretOf.get(keys[i]!)); }
      else { numberOf.set(keys[i]!, c.case.number); secretOf.set(keys[i]!, c.receipt.trackingSecret); }
    });
    expect(new Set(created.map((c) => c.case.number)).size).toBe(42);
    const rows = (await ctx.database.db.execute(sql`select c.number,
        (select count(*)::int from case_events e where e.case_id = c.id and e.action = 'create') as events,
        (select count(*)::int from outbox o where o.payload->>'caseId' = c.id::text) as outbox
      from cases c where c.description like '警情推送 burst-%'`) as unknown as { rows: { number: string; events: number; outbox: number }[] }).rows;
    expect(rows.map((r) => r.number).sort()).toEqual([...numberOf.values()].sort());
    expect(rows.every((r) => r.events === 1 && r.outbox === 1)).toBe(true);
    // the row and its first event agree, as for a report written alone
    const one = created[0]!.case.id;
    const replayed = await ctx.database.db.execute(sql`select payload from case_events where case_id = ${one} and seq = 1`) as unknown as { rows: { payload: { patch: Record<string, unknown> } }[] };
    expect(replayed.rows[0]!.payload.patch).toMatchObject({ status: 'pending_acceptance', channel: 'police_push', areaId, categoryId, warnings: [], coHandlerOrgIds: [] });
  });
});
