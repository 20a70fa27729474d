import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/access/actor.ts';
import { createTestContext, snapshot, type TestContext } from './helpers/context.ts';
import { buildWorld, login, type Session, type World } from './helpers/world.ts';

/**
 * Inbound feeds: signed messages from a 12345 hotline, the police, the petitions office and a device platform
 * become cases (or join one); the hotline hears back through the outbox; nothing bad gets in, nothing is doubled.
 */
let ctx: TestContext;
let w: World;
let admin: Session;
const sys = systemActor();
const sources: Record<'hotline' | 'police' | 'petition' | 'iot', { id: string; secret: string }> = {} as never;
/** The 12345 platform's receiver of status callbacks, on loopback. */
const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
let receiverUp = true;
let receiver: http.Server;
let receiverUrl = '';
const devices: string[] = [];

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString('utf8'); });
    req.on('end', () => {
      if (!receiverUp) { res.statusCode = 503; res.end(); return; }
      received.push({ headers: req.headers, body });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/status`;
  ctx = await createTestContext();
  w = await buildWorld(ctx);
  admin = await login(ctx, 'b.all');
  const dispute = (await ctx.services.categories.list()).find((c) => c.caseType === 'dispute' && c.parentId !== null)!;
  const lamp = (await ctx.services.categories.byCode('A02'))!;
  const make = async (kind: 'hotline' | 'police' | 'petition' | 'iot', extra: Record<string, unknown> = {}) => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/feeds', headers: admin.headers, payload: { kind, name: `乙镇${kind}`, userId: w.users.integration.id, ...extra } });
    expect(res.statusCode, res.body).toBe(201);
    sources[kind] = { id: res.json().source.id, secret: res.json().secret };
  };
  await make('hotline', { callbackUrl: receiverUrl, defaultCategoryId: lamp.id });
  await make('police', { defaultCategoryId: dispute.id });
  await make('petition', { defaultCategoryId: dispute.id });
  await make('iot', { alarmWindowMinutes: 30 });
  for (let i = 0; i < 10; i++) {
    const place = await ctx.services.registry.createPlace(sys, { kind: 'residential', name: `乙一${i + 1}栋`, areaId: w.areas.b1.id, location: { lon: 125.5 + i / 1000, lat: 43.5 } });
    const res = await ctx.app.inject({
      method: 'POST', url: `/api/v1/feeds/${sources.iot.id}/devices`, headers: admin.headers,
      payload: { code: `SMOKE-${i}`, kind: 'smoke', name: `乙一${i + 1}栋烟感`, placeCode: (await ctx.services.registry.getPlace(sys, place.id)).code, categoryId: lamp.id },
    });
    expect(res.statusCode, res.body).toBe(201);
    devices.push(res.json().id);
  }
}, 120_000);
afterAll(async () => { await ctx?.close(); receiver?.close(); });

/** Signed as the documentation tells a platform to sign: HMAC-SHA256 over "<timestamp>.<body>". */
function signed(kind: keyof typeof sources, body: unknown, o: { secret?: string; at?: number; raw?: string } = {}) {
  const raw = o.raw ?? JSON.stringify(body);
  const ts = o.at ?? Math.floor(ctx.clock.now().getTime() / 1000);
  const sig = crypto.createHmac('sha256', o.secret ?? sources[kind].secret).update(`${ts}.${raw}`).digest('hex');
  return { method: 'POST' as const, url: `/api/v1/feeds/${sources[kind].id}/messages`, payload: raw, headers: { 'content-type': 'application/json', 'x-fq-timestamp': String(ts), 'x-fq-signature': `sha256=${sig}` } };
}
const send = (kind: keyof typeof sources, body: unknown, o: Parameters<typeof signed>[2] = {}) => ctx.app.inject(signed(kind, body, o));
const order = (id: string, extra: Record<string, unknown> = {}) => ({
  工单编号: id, 诉求内容: '乙一社区3号楼前路灯连续三晚不亮，居民夜间出行不便', 来电人: '刘女士', 来电号码: '13912345678', 地址: '乙一社区3号楼', 分类: 'A02',
  办理时限: '2026-12-08T18:00:00+08:00', 区划代码: w.areas.b1.code, ...extra,
});
const alarm = (messageId: string, device: number, event: 'alarm' | 'clear' = 'alarm', at = ctx.clock.now()) =>
  ({ messageId, deviceId: `SMOKE-${device}`, type: 'smoke', event, at: at.toISOString(), detail: '烟雾浓度超限' });

describe('inbound feeds', () => {
  it('a 12345 work order becomes a case, and the hotline hears accepted, replied with the text, and closed', async () => {
    const res = await send('hotline', order('GD20261201001'));
    expect(res.statusCode, res.body).toBe(200);
    const { caseId, caseNumber, outcome } = res.json();
    expect(outcome).toBe('created');
    const detail = await ctx.services.cases.get(sys, caseId);
    expect(detail.case).toMatchObject({ channel: 'hotline', number: caseNumber, address: '乙一社区3号楼', category: { name: (await ctx.services.categories.byCode('A02'))!.name }, reporter: { name: '刘*士', phone: '139****5678' } });
    expect(detail.case.description).toContain('12345 工单 GD20261201001，热线办理时限 2026-12-08T18:00:00+08:00');

    const act = async (action: string, body: Record<string, unknown>) => {
      const v = (await ctx.services.cases.get(sys, caseId)).case.version;
      await ctx.services.cases.act(sys, caseId, action as never, { version: v, ...body } as never);
    };
    await act('accept', { tier: 'general' });
    await act('dispatch', { organizationId: w.orgs.housing.id });
    await act('sign_for', {});
    await act('reply', { result: '已联系路灯所更换镇流器，3号楼前路灯恢复' });
    await act('return_visit', { result: 'satisfied' });
    await ctx.services.outbox.drain();
    const bodies = received.map((r) => JSON.parse(r.body) as Record<string, unknown>);
    expect(bodies.map((b) => b.状态)).toEqual(['pending_dispatch', 'pending_signoff', 'in_progress', 'replied', 'closed']);
    expect(bodies.every((b) => b.工单编号 === 'GD20261201001' && b.事项编号 === caseNumber)).toBe(true);
    expect(bodies[3]).toMatchObject({ 状态说明: '已答复', 答复内容: '已联系路灯所更换镇流器，3号楼前路灯恢复' });
    expect(bodies[4]!.状态说明).toBe('已办结');
    // each callback is signed with the platform's own secret
    for (const r of received) {
      const expected = crypto.createHmac('sha256', sources.hotline.secret).update(`${r.headers['x-fq-timestamp']}.${r.body}`).digest('hex');
      expect(r.headers['x-fq-signature']).toBe(`sha256=${expected}`);
    }
  });

  it('the hotline\'s deadline caps the handle clock', async () => {
    // two hours from now, written as hotlines write it: China time to the minute
    const due = new Date(Math.floor((ctx.clock.now().getTime() + 2 * 3600_000) / 60_000) * 60_000);
    const china = new Date(due.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
    const { caseId } = (await send('hotline', order('GD20261201009', { 办理时限: china }))).json();
    const v = (await ctx.services.cases.get(sys, caseId)).case.version;
    await ctx.services.cases.act(sys, caseId, 'accept', { version: v, tier: 'general' });
    expect((await ctx.services.cases.get(sys, caseId)).case.clocks.handle.dueAt).toBe(due.toISOString());
    await ctx.services.outbox.drain();
    received.length = 0;
  });

  it('the hotline is down for a while: its status waits in the outbox and arrives when it is back', async () => {
    received.length = 0;
    receiverUp = false;
    const { caseId } = (await send('hotline', order('GD20261201002'))).json();
    const v = (await ctx.services.cases.get(sys, caseId)).case.version;
    await ctx.services.cases.act(sys, caseId, 'accept', { version: v, tier: 'general' });
    await ctx.services.outbox.runOnce();
    expect(received).toHaveLength(0);
    receiverUp = true;
    ctx.clock.advance(60_000); // past the first back-off
    await ctx.database.db.execute(`update outbox set available_at = now() where topic = 'feed_status'` as never);
    await ctx.services.outbox.drain();
    expect(received.map((r) => JSON.parse(r.body).工单编号)).toEqual(['GD20261201002']);
  });

  it('a police incident and a petition become dispute cases on their own channels', async () => {
    const p = await send('police', { 警情编号: 'JQ-2026-1201-0007', 类别: '邻里纠纷', 地点: '乙一社区5号楼2单元', 简要案情: '两户因楼道堆放杂物发生口角，民警到场劝解后移交调解', 涉及人数: 2, 区划代码: w.areas.b1.code });
    expect(p.statusCode, p.body).toBe(200);
    const pc = (await ctx.services.cases.get(sys, p.json().caseId)).case;
    expect(pc).toMatchObject({ channel: 'police_push', caseType: 'dispute', peopleInvolved: 2 });
    expect(pc.description).toContain('警情 JQ-2026-1201-0007（邻里纠纷）');
    const q = await send('petition', { 信访件编号: 'XF2026120100031', 事项: '反映小区物业费上涨未经业主大会表决，多次协商无果', 信访人: '赵先生', 联系电话: '13700001111' });
    expect(q.statusCode, q.body).toBe(200);
    expect((await ctx.services.cases.get(sys, q.json().caseId)).case).toMatchObject({ channel: 'petition', caseType: 'dispute' });
  });

  it('a burst of 1,000 alarms from 10 devices makes 10 cases; a clear is written on its case; after the window a new case', async () => {
    const count = async () => (await ctx.services.cases.list(sys, { channel: 'iot_alarm', limit: 500 } as never)).items.length;
    const before = await count();
    const all = Array.from({ length: 1000 }, (_, i) => signed('iot', alarm(`A-${i}`, i % 10)));
    for (let i = 0; i < all.length; i += 100) {
      const answers = await Promise.all(all.slice(i, i + 100).map((r) => ctx.app.inject(r)));
      for (const a of answers) expect(a.statusCode, a.body).toBe(200);
    }
    expect(await count()).toBe(before + 10);
    const listed = (await ctx.app.inject({ url: `/api/v1/feeds/${sources.iot.id}/devices`, headers: admin.headers })).json().items as { code: string; alarmCount: number; openCaseId: string }[];
    expect(listed.reduce((s, d) => s + d.alarmCount, 0)).toBe(1000);
    expect(new Set(listed.map((d) => d.openCaseId)).size).toBe(10);

    const cleared = await send('iot', alarm('C-0', 0, 'clear'));
    expect(cleared.json()).toMatchObject({ outcome: 'cleared', caseId: listed.find((d) => d.code === 'SMOKE-0')!.openCaseId });
    const timeline = (await ctx.services.cases.get(sys, cleared.json().caseId)).timeline;
    expect(timeline.at(-1)).toMatchObject({ action: 'alarm_clear', note: expect.stringContaining('本次共告警 100 次') });

    // within the window the next alarm joins; 31 minutes after the last it opens a new case
    const again = await send('iot', alarm('A-1000', 0));
    expect(again.json()).toMatchObject({ outcome: 'joined', caseId: cleared.json().caseId });
    const later = await send('iot', alarm('A-1001', 0, 'alarm', new Date(ctx.clock.now().getTime() + 31 * 60_000)));
    expect(later.json().outcome).toBe('created');
    expect(later.json().caseId).not.toBe(cleared.json().caseId);
    expect(await count()).toBe(before + 11);
  });

  it('bad input gets a clear 4xx and nothing is written', async () => {
    await send('hotline', order('GD-SEEN'));
    await send('iot', alarm('SEEN-1', 3));
    const untouched = ['sessions', 'audit_log'];
    const before = await snapshot(ctx, untouched);
    const now = Math.floor(ctx.clock.now().getTime() / 1000);
    const rows: [string, () => ReturnType<typeof signed>, number, string][] = [
      ['bad signature', () => signed('hotline', order('GD-X1'), { secret: 'fqs_wrong' }), 401, 'FEED_SIGNATURE_INVALID'],
      ['another platform\'s secret', () => signed('hotline', order('GD-X2'), { secret: sources.police.secret }), 401, 'FEED_SIGNATURE_INVALID'],
      ['no signature', () => ({ ...signed('hotline', order('GD-X3')), headers: { 'content-type': 'application/json' } }) as never, 401, 'FEED_SIGNATURE_INVALID'],
      ['stale timestamp', () => signed('hotline', order('GD-X4'), { at: now - 301 }), 401, 'FEED_TIMESTAMP_STALE'],
      ['timestamp from the future', () => signed('hotline', order('GD-X5'), { at: now + 301 }), 401, 'FEED_TIMESTAMP_STALE'],
      ['replayed id', () => signed('hotline', order('GD-SEEN')), 409, 'FEED_MESSAGE_REPLAYED'],
      ['replayed alarm', () => signed('iot', alarm('SEEN-1', 3)), 409, 'FEED_MESSAGE_REPLAYED'],
      ['unknown device', () => signed('iot', { ...alarm('U-1', 0), deviceId: 'SMOKE-404' }), 422, 'FEED_DEVICE_UNKNOWN'],
      ['device of another kind', () => signed('iot', { ...alarm('U-2', 0), type: 'elevator' }), 400, 'VALIDATION_FAILED'],
      ['malformed JSON', () => signed('hotline', null, { raw: '{"工单编号":' }), 400, 'BAD_JSON'],
      ['missing content', () => signed('hotline', { 工单编号: 'GD-X6' }), 400, 'VALIDATION_FAILED'],
      ['wrong type', () => signed('police', { 警情编号: 'JQ-X', 类别: '纠纷', 地点: '某处', 简要案情: 42 }), 400, 'VALIDATION_FAILED'],
      ['bad phone', () => signed('hotline', order('GD-X7', { 来电号码: '12345' })), 400, 'VALIDATION_FAILED'],
      ['a deadline in words', () => signed('hotline', order('GD-X13', { 办理时限: '三个工作日' })), 400, 'VALIDATION_FAILED'],
      ['NUL in the text', () => signed('hotline', order('GD-X8', { 诉求内容: '路灯\u0000不亮' })), 400, 'VALIDATION_FAILED'],
      ['area outside the platform', () => signed('hotline', order('GD-X9', { 区划代码: w.areas.a1.code })), 404, 'NOT_FOUND'],
      ['unknown area', () => signed('hotline', order('GD-X10', { 区划代码: '000000' })), 404, 'NOT_FOUND'],
      ['alarm time not a date-time', () => signed('iot', { ...alarm('U-3', 0), at: 'yesterday' }), 400, 'VALIDATION_FAILED'],
      ['unknown platform', () => ({ ...signed('hotline', order('GD-X11')), url: '/api/v1/feeds/7b0c4a8e-0000-4000-8000-000000000000/messages' }), 404, 'NOT_FOUND'],
      ['not JSON', () => ({ ...signed('hotline', order('GD-X12')), headers: { 'content-type': 'text/plain' } }) as never, 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ];
    for (const [what, req, status, code] of rows) {
      const res = await ctx.app.inject(req());
      expect(res.statusCode, `${what}: ${res.body}`).toBe(status);
      expect(res.json().error.code, what).toBe(code);
    }
    expect(await snapshot(ctx, untouched)).toBe(before);
    // a switched-off platform is refused the same way
    await ctx.app.inject({ method: 'PATCH', url: `/api/v1/feeds/${sources.petition.id}`, headers: admin.headers, payload: { active: false } });
    const off = await send('petition', { 信访件编号: 'XF-OFF', 事项: '停用后的来件' });
    expect(off.statusCode).toBe(403);
    expect(off.json().error.code).toBe('FEED_SOURCE_INACTIVE');
  });

  it('administration: only an integration account, a dispute default for hand-overs, secrets rotate', async () => {
    const bad = await ctx.app.inject({ method: 'POST', url: '/api/v1/feeds', headers: admin.headers, payload: { kind: 'hotline', name: 'x', userId: w.users.b1Staff.id } });
    expect(bad.json().error.code).toBe('FEED_ACCOUNT_INVALID');
    const lamp = (await ctx.services.categories.byCode('A02'))!;
    const police = await ctx.app.inject({ method: 'POST', url: '/api/v1/feeds', headers: admin.headers, payload: { kind: 'police', name: 'x', userId: w.users.integration.id, defaultCategoryId: lamp.id } });
    expect(police.statusCode).toBe(400);
    const rotated = await ctx.app.inject({ method: 'POST', url: `/api/v1/feeds/${sources.police.id}/secret`, headers: admin.headers });
    const fresh = rotated.json().secret as string;
    expect(fresh).not.toBe(sources.police.secret);
    const old = await send('police', { 警情编号: 'JQ-OLD', 类别: '邻里纠纷', 地点: '乙一社区', 简要案情: '旧密钥签名的消息' });
    expect(old.statusCode).toBe(401);
    const ok = await send('police', { 警情编号: 'JQ-NEW', 类别: '邻里纠纷', 地点: '乙一社区', 简要案情: '新密钥签名的消息' }, { secret: fresh });
    expect(ok.statusCode, ok.body).toBe(200);
    const listed = (await ctx.app.inject({ url: '/api/v1/feeds', headers: admin.headers })).json().items as { id: string; messages: number }[];
    expect(listed.find((s) => s.id === sources.police.id)!.messages).toBeGreaterThan(0);
    expect(JSON.stringify(listed)).not.toContain(fresh);
  });
});
