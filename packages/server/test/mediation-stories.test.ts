import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import { sql } from 'drizzle-orm';
import { createTestContext, type TestContext } from './helpers/context.ts';
import { caseApi, demoWorld } from './helpers/demo.ts';
import { ids, mediationApi } from './helpers/mediation.ts';
import type { Session } from './helpers/world.ts';

/** The seeds' mediation stories through the HTTP API: 南靖县 (a), 海勃湾区 (b), a failed mediation (c), 警调对接 (d), a sweep (e). */
let ctx: TestContext;
let d: Awaited<ReturnType<typeof demoWorld>>;
let api: ReturnType<typeof caseApi>;
let m: ReturnType<typeof mediationApi>;
let admin: Session;
let dispatcher: Session;
let mediator: Session;
const pool = { lawyer: 0, justice: 0, family: 0, labour: 0 };
const rooms = { county: 0, labour: 0 };
const HOUR = 3_600_000;
beforeAll(async () => {
  ctx = await createTestContext({ sessionIdleMinutes: 24 * 60 * 60, sessionMaxHours: 24 * 90 });
  d = await demoWorld(ctx);
  api = caseApi(ctx);
  m = mediationApi(ctx);
  [admin, dispatcher, mediator] = await Promise.all([d.as('admin'), d.as('dispatcher'), d.as('mediator')]);
  const county = d.area('220102').id;
  const mediatorUser = (await m.call(admin, 'GET', '/api/v1/users?q=mediator&limit=10')).items.find((u: { username: string }) => u.username === 'mediator');
  const add = async (body: Record<string, unknown>) => (await m.call(admin, 'POST', '/api/v1/mediators', body, 201)).id as number;
  pool.lawyer = await add({ name: '林律师', affiliation: '公益律师（南关区律师协会）', specialties: ['land_acquisition', 'contract'], areaId: county, certificate: '执业证 12201' });
  pool.justice = await add({ name: '陈调解', affiliation: '南关区司法局', specialties: ['land_acquisition', 'neighbourhood'], areaId: county });
  pool.family = await add({ name: '王调解', affiliation: '南关区妇联', specialties: ['marriage_family'], areaId: county });
  pool.labour = await add({ name: '庞调解', userId: mediatorUser.id, organizationId: d.org('幸福乡人民调解委员会').id, affiliation: '老庞调解室', specialties: ['wage_arrears', 'labour'], areaId: d.area('220102200').id });
  rooms.county = (await m.call(admin, 'POST', '/api/v1/mediation-rooms', { name: '矛盾纠纷调处室', organizationId: d.org('南关区综治中心').id }, 201)).id;
  rooms.labour = (await m.call(admin, 'POST', '/api/v1/mediation-rooms', { name: '劳动监察调解室', organizationId: d.org('幸福乡人民调解委员会').id }, 201)).id;
}, 180_000);
afterAll(() => ctx?.close());

const at = (hoursFromNow: number) => new Date(ctx.clock.now().getTime() + hoursFromNow * HOUR).toISOString();
const year = () => new Date(ctx.clock.now().getTime() + 8 * HOUR).toISOString().slice(0, 4);
const smsCount = async () => Number(((await ctx.database.db.execute(sql`select count(*)::int as n from sms_messages`)) as unknown as { rows: { n: number }[] }).rows[0]!.n);

describe('mediation stories', () => {
  it('(a) 南靖县: a villager, a village committee and a company; joint assessment, two recommended mediators, two sessions, agreement, judicial confirmation', async () => {
    const created = await api.create(dispatcher, { channel: 'window', areaId: d.area('220102200001').id, categoryId: (await d.category('D08')).id, description: '村民、村委会与企业因征地补偿款分配发生纠纷' });
    const id = created.case.id as string;
    const opened = await m.call(dispatcher, 'POST', `/api/v1/cases/${id}/mediation`, {
      version: created.case.version, disputeType: 'land_acquisition', amountYuan: 860000, riskLevel: 'medium', mode: 'people', source: 'application',
      parties: [
        { role: 'applicant', kind: 'person', name: '黄国明', idNumber: ids.villager, phone: '13912340001', address: '幸福乡惠民嘉苑3栋' },
        { role: 'respondent', kind: 'organization', name: '长春某置业有限公司', idNumber: ids.company, phone: '043188880001', agentName: '赵经理' },
        { role: 'third_party', kind: 'organization', name: '惠民嘉苑社区居民委员会', idNumber: ids.villageCommittee },
      ],
    }, 201);
    expect(opened).toMatchObject({ status: 'accepted', committee: '南关区综治中心', disputeType: 'land_acquisition', amountYuan: 860000, peopleInvolved: 3 });
    expect(opened.parties[0]).toMatchObject({ role: 'applicant', name: '黄*明', phone: '139****0001', hasAddress: true });
    expect(opened.parties[0].idNumber).not.toContain(ids.villager.slice(6, 14));
    expect(opened.parties[1].name).toBe('长春某置业有限公司'); // an organisation's name is not masked

    const recs = (await m.call(dispatcher, 'GET', `/api/v1/mediations/${id}/recommendations`)).items as { mediator: { id: number }; reasons: string[] }[];
    expect(recs.slice(0, 2).map((r) => r.mediator.id).sort()).toEqual([pool.lawyer, pool.justice].sort());
    expect(recs[0]!.reasons).toContain('specialty');
    expect(recs.find((r) => r.mediator.id === pool.family)!.reasons).not.toContain('specialty');

    expect((await m.act(dispatcher, id, 'assign', { leadMediatorId: pool.justice, teamIds: [pool.lawyer] })).status).toBe('in_mediation');
    const assessed = await m.act(dispatcher, id, 'assess', { participants: ['南关区自然资源局', '南关区司法局', '公益律师'], opinion: '依据《土地管理法》第四十八条，征地补偿款应依法足额支付并按集体决议分配。' });
    expect(assessed.assessment.participants).toHaveLength(3);
    await m.act(dispatcher, id, 'schedule_session', { startsAt: at(24), endsAt: at(26), roomId: rooms.county });
    await m.act(dispatcher, id, 'schedule_session', { startsAt: at(72), endsAt: at(74), roomId: rooms.county });
    // the lead mediator cannot sit in two sessions at once, nor the room hold two
    const twice = await m.tryAct(dispatcher, id, 'schedule_session', { startsAt: at(25), endsAt: at(27), online: true, mediatorIds: [pool.justice] });
    expect([twice.statusCode, twice.json().error.code]).toEqual([409, 'MEDIATION_DOUBLE_BOOKED']);
    expect((await m.get(dispatcher, id)).sessions).toHaveLength(2);
    for (const s of (await m.get(dispatcher, id)).sessions) {
      await m.act(dispatcher, id, 'record_session', { sessionId: s.id, attendance: ['申请人', '被申请人代理人', '第三人代表'], minutes: '各方陈述意见，调解员释法说理。' });
    }
    const agreed = await m.act(dispatcher, id, 'conclude', { outcome: 'success', terms: '一、被申请人于2027年1月31日前支付补偿款人民币86万元；\n二、第三人按村民会议决议分配。', performBy: '2027-01-31' });
    expect(agreed.status).toBe('agreed');
    expect(agreed.agreement.number).toBe(`〔${year()}〕南调字第1号`);

    const word = await ctx.app.inject({ method: 'GET', url: `/api/v1/mediations/${id}/agreement`, headers: dispatcher.headers });
    expect(word.statusCode).toBe(200);
    expect(word.headers['content-type']).toContain('wordprocessingml');
    const xml = await (await JSZip.loadAsync(word.rawPayload)).file('word/document.xml')!.async('string');
    for (const text of ['人民调解协议书', agreed.agreement.number, '黄国明', ids.villager, '长春某置业有限公司', '惠民嘉苑社区居民委员会', '86万元', '2027-01-31', '陈调解']) expect(xml, text).toContain(text);
    const print = await ctx.app.inject({ method: 'GET', url: `/api/v1/mediations/${id}/agreement?format=html`, headers: dispatcher.headers });
    expect(print.body).toContain(agreed.agreement.number);

    await m.act(dispatcher, id, 'refer_confirmation', { courtOrgId: d.org('南关区人民法院').id });
    const ruled = await m.act(dispatcher, id, 'record_ruling', { ruling: 'confirmed', rulingNo: `（${year()}）吉0102民特1号` });
    expect(ruled.confirmation).toMatchObject({ ruling: 'confirmed', courtOrgId: d.org('南关区人民法院').id });
    await m.act(dispatcher, id, 'record_performance', { performed: 'full', note: '补偿款已全部支付' });
    expect((await m.act(dispatcher, id, 'close')).status).toBe('closed');

    const timeline = (await api.get(dispatcher, id)).timeline.map((e) => e.action);
    expect(timeline).toEqual(['create', 'mediation_open', 'mediation_assign', 'mediation_assess', 'mediation_schedule_session', 'mediation_schedule_session',
      'mediation_record_session', 'mediation_record_session', 'mediation_conclude', 'mediation_refer_confirmation', 'mediation_record_ruling',
      'mediation_record_performance', 'mediation_close']);
    const file = await ctx.app.inject({ method: 'GET', url: `/api/v1/mediations/${id}/file`, headers: dispatcher.headers });
    for (const text of ['人民调解卷宗', '调解笔录', '2 次', agreed.agreement.number, '司法确认材料']) expect(file.body).toContain(text);
  });

  it('(b) 海勃湾区: 67 workers’ unpaid wages, high risk, mediated in the labour-inspection room, paid, followed up, closed', async () => {
    await ctx.services.outbox.drain();
    const before = await smsCount();
    const applied = await m.call(mediator, 'POST', '/api/v1/mediations', {
      areaId: d.area('220102200001').id, categoryId: (await d.category('D10')).id, description: '某建筑公司拖欠67名农民工工资',
      disputeType: 'wage_arrears', amountYuan: 1340000, peopleInvolved: 67, riskLevel: 'high', source: 'application',
      parties: [
        { role: 'applicant', kind: 'person', name: '马建军', idNumber: ids.worker, phone: '13912340002', agentName: '工友代表 刘某' },
        { role: 'respondent', kind: 'organization', name: '某建筑劳务有限公司', idNumber: ids.company, phone: '13912340003' },
      ],
    }, 201);
    const id = applied.caseId as string;
    expect(applied).toMatchObject({ status: 'applied', committee: '幸福乡人民调解委员会', riskLevel: 'high', peopleInvolved: 67 });
    expect(applied.allowedActions).toEqual(expect.arrayContaining(['accept', 'decline']));
    expect((await m.act(mediator, id, 'accept')).dueAt).not.toBeNull();
    await m.act(mediator, id, 'assign', { leadMediatorId: pool.labour });
    await m.act(mediator, id, 'schedule_session', { startsAt: at(30), endsAt: at(33), roomId: rooms.labour });
    await ctx.services.outbox.drain();
    expect(await smsCount()).toBe(before + 3); // a reminder to each party with a mobile phone, and to the mediator with an account
    const session = (await m.get(mediator, id)).sessions[0];
    expect(session).toMatchObject({ roomName: '劳动监察调解室', status: 'scheduled', mediatorIds: [pool.labour] });
    await m.act(mediator, id, 'record_session', { sessionId: session.id, attendance: ['申请人及工友代表', '被申请人'], minutes: '核对工资清单，被申请人承认欠薪。' });
    const agreed = await m.act(mediator, id, 'conclude', { outcome: 'success', terms: '被申请人于15日内分两期支付67名工人工资共计134万元。', performBy: '2027-01-15' });
    expect(agreed.agreement.number).toBe(`〔${year()}〕幸调字第1号`);
    const listed = (await m.call(mediator, 'GET', '/api/v1/mediations?limit=50')).items.find((x: { caseId: string }) => x.caseId === id);
    expect(listed.confirmationDue).toMatch(/^\d{4}-\d\d-\d\d$/); // on the workbench among the judicial confirmations due
    expect((await m.act(mediator, id, 'record_performance', { performed: 'full', note: '134万元已全部发放到工人账户' })).performance).toHaveLength(1);
    expect((await m.act(mediator, id, 'close')).status).toBe('closed');
    const figures = await m.call(dispatcher, 'GET', '/api/v1/mediations/figures');
    expect(figures.byType.wage_arrears).toBeGreaterThanOrEqual(1);
    expect(figures.amountSettledYuan).toBeGreaterThanOrEqual(1340000);
    expect(figures.successRate).toBeGreaterThan(0);
    const list = await m.call(mediator, 'GET', '/api/v1/mediations?limit=50');
    expect(list.items.map((x: { caseId: string }) => x.caseId)).toContain(id);
  });

  it('(c) a failed mediation has no agreement and is handed on to the court', async () => {
    const applied = await m.call(mediator, 'POST', '/api/v1/mediations', {
      areaId: d.area('220102200001').id, categoryId: (await d.category('D02')).id, description: '相邻通行权纠纷', disputeType: 'neighbourhood', source: 'application',
      parties: [{ role: 'applicant', kind: 'person', name: '吴一', phone: '13912340004' }, { role: 'respondent', kind: 'person', name: '郑二' }],
    }, 201);
    const id = applied.caseId as string;
    await m.act(mediator, id, 'accept');
    await m.act(mediator, id, 'assign', { leadMediatorId: pool.labour });
    expect((await m.act(mediator, id, 'conclude', { outcome: 'failed', reason: '双方分歧过大，经三次调解未达成协议' })).status).toBe('failed');
    const doc = await ctx.app.inject({ method: 'GET', url: `/api/v1/mediations/${id}/agreement`, headers: mediator.headers });
    expect([doc.statusCode, doc.json().error.code]).toEqual([422, 'MEDIATION_NO_AGREEMENT']);
    const court = d.org('南关区人民法院').id;
    const handed = await m.act(mediator, id, 'refer_on', { to: 'court', organizationId: court, note: '告知当事人可依法向人民法院起诉' });
    expect(handed.referral).toMatchObject({ to: 'court', organizationId: court });
    expect((await m.act(mediator, id, 'close')).status).toBe('closed');
  });

  it('(d) 警调对接: a police referral becomes a dispute carrying its reference, and is settled', async () => {
    const applied = await m.call(dispatcher, 'POST', '/api/v1/mediations', {
      areaId: d.area('220102200001').id, categoryId: (await d.category('D02')).id, description: '邻里噪音引发口角，派出所出警后移送调解',
      disputeType: 'neighbourhood', source: 'police', sourceRef: '南关分局警情2026-1201-0033',
      parties: [{ role: 'applicant', kind: 'person', name: '周三', phone: '13912340005' }, { role: 'respondent', kind: 'person', name: '冯四', phone: '13912340006' }],
    }, 201);
    const id = applied.caseId as string;
    expect(applied).toMatchObject({ source: 'police', sourceRef: '南关分局警情2026-1201-0033' });
    expect((await api.get(dispatcher, id)).case.channel).toBe('police_push');
    await m.act(dispatcher, id, 'accept');
    await m.act(dispatcher, id, 'assign', { leadMediatorId: pool.justice });
    await m.act(dispatcher, id, 'schedule_session', { startsAt: at(100), endsAt: at(101), online: true });
    const s = (await m.get(dispatcher, id)).sessions[0];
    await m.act(dispatcher, id, 'record_session', { sessionId: s.id, attendance: ['申请人', '被申请人'], minutes: '线上调解，双方互相谅解。' });
    await m.act(dispatcher, id, 'conclude', { outcome: 'success', terms: '双方互相谅解，被申请人夜间十时后不再使用音响。' });
    expect((await m.act(dispatcher, id, 'close')).status).toBe('closed');
  });

  it('(e) a sweep of 幸福乡: one grid reports a dispute, the rest report none, completion reaches 100 %', async () => {
    const township = await d.as('intake');
    const sweep = await m.call(township, 'POST', '/api/v1/sweeps', { areaId: d.area('220102200').id, title: '第四季度矛盾纠纷排查', kind: 'quarterly', dueOn: '2026-12-31' }, 201);
    expect(sweep.grids).toBeGreaterThan(2);
    expect([sweep.reported, sweep.completion]).toEqual([0, 0]);
    const gridworker = await d.as('gridworker');
    const home = sweep.reports.find((r: { gridName: string }) => r.gridName === '惠民嘉苑第1网格');
    const found = await m.call(gridworker, 'POST', `/api/v1/sweeps/${sweep.id}/reports`, { gridId: home.gridId, disputes: [{ description: '两户因楼道堆物发生争执', disputeType: 'neighbourhood', peopleInvolved: 2 }] });
    expect([found.reported, found.disputesFound]).toEqual([1, 1]);
    const caseId = found.reports.find((r: { gridId: number }) => r.gridId === home.gridId).caseIds[0];
    expect((await api.get(township, caseId)).case).toMatchObject({ channel: 'grid_patrol', status: 'pending_acceptance' });
    // another grid's worker may not answer for 惠民嘉苑第1网格's neighbours
    const other = sweep.reports.find((r: { gridId: number }) => r.gridId !== home.gridId);
    const refused = await ctx.app.inject({ method: 'POST', url: `/api/v1/sweeps/${sweep.id}/reports`, headers: gridworker.headers, payload: { gridId: other.gridId, disputes: [] } });
    expect(refused.json().error.code).toBe('SWEEP_NOT_A_GRID');
    const staff = await d.staff('幸福乡综治中心', ['grid_worker']);
    let last = found;
    for (const r of sweep.reports.filter((x: { gridId: number }) => x.gridId !== home.gridId)) last = await m.call(staff, 'POST', `/api/v1/sweeps/${sweep.id}/reports`, { gridId: r.gridId, disputes: [] });
    expect(last).toMatchObject({ completion: 1, reported: sweep.grids, zeroReports: sweep.grids - 1, disputesFound: 1 });
    const again = await ctx.app.inject({ method: 'POST', url: `/api/v1/sweeps/${sweep.id}/reports`, headers: gridworker.headers, payload: { gridId: home.gridId, disputes: [] } });
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'SWEEP_ALREADY_REPORTED']);
  });
});
