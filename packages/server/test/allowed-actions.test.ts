import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseActions, type CaseAction } from '@fengqiao/contracts';
import { DEMO_ACCOUNTS } from '../src/demo/seed-demo.ts';
import { createTestContext, type TestContext } from './helpers/context.ts';
import { caseApi, demoWorld } from './helpers/demo.ts';
import type { Session } from './helpers/world.ts';

/**
 * The console shows exactly `allowedActions`. For every demo account and a case in every stage:
 * each action not offered is refused by the API when called directly (and changes nothing), and each
 * action offered is never refused as forbidden or out of turn.
 */
let ctx: TestContext;
let d: Awaited<ReturnType<typeof demoWorld>>;
let api: ReturnType<typeof caseApi>;
const sessions = new Map<string, Session>();
let village: Session;
let housing: Session;
let master = '';

const stages = ['pending_acceptance', 'pending_dispatch', 'pending_signoff', 'in_progress', 'replied', 'closed'] as const;
type Stage = (typeof stages)[number];

async function caseAt(stage: Stage): Promise<string> {
  const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/public/cases', payload: {
    channel: 'qr_code', placeCode: '220102200001G01', categoryId: (await d.category('A02')).id, description: `路灯不亮（${stage}）`, reporter: { phone: '13912345678' },
  } });
  expect(res.statusCode, res.body).toBe(201);
  const [c] = (await ctx.app.inject({ method: 'GET', url: `/api/v1/cases?number=${res.json().number}`, headers: village.headers })).json().items;
  const id = c.id as string;
  const path: [Session, string, Record<string, unknown>][] = [
    [village, 'accept', { tier: 'general' }], [village, 'dispatch', { organizationId: d.org('南关区住房和城乡建设局').id }],
    [housing, 'sign_for', {}], [housing, 'reply', { result: '已修复' }], [village, 'return_visit', { result: 'satisfied' }],
  ];
  for (const [who, action, body] of path.slice(0, stages.indexOf(stage))) await api.act(who, id, action, body);
  return id;
}

function body(a: CaseAction): Record<string, unknown> {
  const org = d.org('南关区住房和城乡建设局').id;
  return ({
    accept: { tier: 'general' }, reject: { reason: '不属于受理范围' }, set_tier: { tier: 'general' }, dispatch: { organizationId: org },
    sign_for: {}, handle_self: {}, take_over: { reason: '社区力量不足，街道直接办理' }, return: { reason: '非本单位职责' }, rule: { organizationId: org }, escalate: { reason: '需要上级协调' },
    send_down: { organizationId: d.org('惠民嘉苑社区第1网格工作站').id }, add_co_handler: { organizationId: d.org('长春市公安局南关分局').id }, contact: {},
    request_extension: { workingDays: 2, reason: '需要采购配件' }, approve_extension: {}, deny_extension: { reason: '时限充足' },
    suspend: { reason: '等待司法鉴定' }, resume: {}, supervise: { level: 'yellow', dueInWorkingDays: 2, note: '请加快办理' }, take_ownership: {},
    instruct: { note: '尽快办结' }, handle_on_spot: { result: '现场已处理' }, reply: { result: '已修复' }, return_visit: { result: 'satisfied' },
    merge: { masterCaseId: master }, close: {}, archive: {},
  } as Record<CaseAction, Record<string, unknown>>)[a];
}

beforeAll(async () => {
  ctx = await createTestContext({ sessionIdleMinutes: 24 * 60, sessionMaxHours: 720 });
  d = await demoWorld(ctx);
  api = caseApi(ctx);
  for (const a of DEMO_ACCOUNTS) sessions.set(a.username, await d.as(a.username));
  village = sessions.get('village')!;
  housing = sessions.get('housing')!;
  master = await caseAt('pending_dispatch');
}, 120_000);
afterAll(() => ctx?.close());

describe('what the console offers is what the API accepts', () => {
  for (const stage of stages) {
    it(`a case ${stage}: every account, every action`, async () => {
      const probe = await caseAt(stage);
      const before = await api.get(village, probe);
      let offered = 0;
      for (const [username, s] of sessions) {
        const seen = await ctx.app.inject({ method: 'GET', url: `/api/v1/cases/${probe}`, headers: s.headers });
        const allowed: string[] = seen.statusCode === 200 ? seen.json().case.allowedActions : [];
        for (const a of CaseActions) {
          if (allowed.includes(a)) {
            offered++;
            const fresh = await caseAt(stage);
            const res = await api.tryAct(s, fresh, a, body(a));
            expect(res.statusCode, `${username} was offered ${a} on a ${stage} case: ${res.body}`).not.toBe(403);
            expect(res.json().error?.code, `${username} ${a}`).not.toBe('CASE_INVALID_TRANSITION');
          } else {
            const res = await ctx.app.inject({ method: 'POST', url: `/api/v1/cases/${probe}/${a}`, headers: s.headers, payload: { version: before.case.version, ...body(a) } });
            expect(res.statusCode, `${username} was not offered ${a} on a ${stage} case, yet the API accepted it`).toBeGreaterThanOrEqual(400);
          }
        }
      }
      const after = await api.get(village, probe);
      expect(after.case.version).toBe(before.case.version);
      expect(after.timeline.length).toBe(before.timeline.length);
      expect(offered).toBeGreaterThan(0);
    }, 120_000);
  }
});
