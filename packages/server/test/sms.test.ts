import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/access/actor.ts';
import { ConfigError, parseConfig, type SmsConfig } from '../src/config.ts';
import { createTencentClient } from '../src/modules/sms/tencent.ts';
import { rateLimiter } from '../src/modules/sms/gateway.ts';
import { createTestContext, type TestContext } from './helpers/context.ts';
import { buildWorld, type World } from './helpers/world.ts';

/**
 * Real SMS gateways against local servers that implement the providers' API surface and check each request's
 * signature the way the providers document it (Alibaba Cloud: signature version 1.0, HMAC-SHA1; Tencent Cloud:
 * TC3-HMAC-SHA256), then delivery receipts pushed back.
 */
const TEMPLATES = Object.fromEntries(['case_accepted', 'case_replied', 'case_reopened', 'mediation_session', 'mediation_session_mediator']
  .map((n, i) => [n, { id: `SMS_${1000 + i}`, params: n.startsWith('case') ? ['number', 'link'] : ['number', 'when', 'where'] }]));
const calls: { provider: string; params: Record<string, string>; ok: boolean }[] = [];
let fail = false;

/** Alibaba Cloud's RPC signature, as its documentation spells it out. */
function aliyunExpected(params: Record<string, string>, secret: string) {
  const enc = (s: string) => encodeURIComponent(s).replace(/\+/g, '%20').replace(/\*/g, '%2A').replace(/%7E/g, '~').replace(/!/g, '%21').replace(/'/g, '%27').replace(/\(/g, '%28').replace(/\)/g, '%29');
  const query = Object.entries(params).filter(([k]) => k !== 'Signature').sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&');
  return crypto.createHmac('sha1', `${secret}&`).update(`POST&%2F&${enc(query)}`).digest('base64');
}
/** Tencent Cloud's TC3-HMAC-SHA256, as its documentation spells it out. */
function tencentExpected(req: http.IncomingMessage, body: string, secretKey: string) {
  const ts = Number(req.headers['x-tc-timestamp']);
  const date = new Date(ts * 1000).toISOString().slice(0, 10);
  const h = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
  const creq = `POST\n/\n\ncontent-type:${req.headers['content-type']}\nhost:${req.headers.host}\n\ncontent-type;host\n${h(body)}`;
  const sts = `TC3-HMAC-SHA256\n${ts}\n${date}/sms/tc3_request\n${h(creq)}`;
  let k = crypto.createHmac('sha256', `TC3${secretKey}`).update(date).digest();
  k = crypto.createHmac('sha256', k).update('sms').digest();
  k = crypto.createHmac('sha256', k).update('tc3_request').digest();
  return crypto.createHmac('sha256', k).update(sts).digest('hex');
}

const provider = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => { body += c.toString('utf8'); });
  req.on('end', () => {
    res.setHeader('content-type', 'application/json');
    if (req.url?.startsWith('/aliyun')) {
      const params = Object.fromEntries(new URLSearchParams(body));
      const ok = params.Signature === aliyunExpected(params, 'aliyun-secret') && params.AccessKeyId === 'LTAI-test' && params.Action === 'SendSms';
      calls.push({ provider: 'aliyun', params, ok });
      if (!ok) { res.statusCode = 400; res.end(JSON.stringify({ Code: 'SignatureDoesNotMatch', Message: 'bad signature' })); return; }
      if (fail) { res.end(JSON.stringify({ Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: '触发流控' })); return; }
      res.end(JSON.stringify({ Code: 'OK', Message: 'OK', BizId: `biz-${calls.length}`, RequestId: 'r' }));
      return;
    }
    const auth = String(req.headers.authorization ?? '');
    const ok = auth.includes('Credential=AKID-test/') && auth.endsWith(`Signature=${tencentExpected(req, body, 'tencent-secret')}`) && req.headers['x-tc-action'] === 'SendSms';
    calls.push({ provider: 'tencent', params: JSON.parse(body), ok });
    if (!ok) { res.end(JSON.stringify({ Response: { Error: { Code: 'AuthFailure.SignatureFailure', Message: 'bad signature' }, RequestId: 'r' } })); return; }
    res.end(JSON.stringify({ Response: { SendStatusSet: [{ SerialNo: `sn-${calls.length}`, PhoneNumber: JSON.parse(body).PhoneNumberSet[0], Code: 'Ok', Message: 'send success' }], RequestId: 'r' } }));
  });
});

let ctx: TestContext;
let w: World;
let base = '';
const sys = systemActor();
beforeAll(async () => {
  await new Promise<void>((r) => provider.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
  const sms: SmsConfig = {
    provider: 'aliyun', accessKeyId: 'LTAI-test', accessKeySecret: 'aliyun-secret', signName: '枫桥', appId: null, region: null,
    endpoint: `${base}/aliyun/`, templates: TEMPLATES, ratePerSecond: 100, receiptToken: 'receipt-token-0123456789',
  };
  ctx = await createTestContext({ sms });
  w = await buildWorld(ctx);
}, 120_000);
afterAll(async () => { await ctx?.close(); provider.close(); });

const rows = async () => (await ctx.database.db.execute(sql`select provider, template, provider_message_id, status, receipt_code, body from sms_messages order by id`) as unknown as { rows: Record<string, string>[] }).rows;

describe('SMS gateways', () => {
  it('Alibaba Cloud: the accepted text goes out as its template with its variables, signed; the receipt marks it delivered', async () => {
    const made = await ctx.services.cases.createByStaff(sys, { channel: 'hotline', areaId: w.areas.a1.id, categoryId: (await ctx.services.categories.byCode('A02'))!.id, description: '路灯不亮', reporter: { phone: '13912345678' } }, null);
    await ctx.services.cases.act(sys, made.case.id, 'accept', { version: made.case.version, tier: 'general' });
    await ctx.services.outbox.drain();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ ok: true, params: { PhoneNumbers: '13912345678', SignName: '枫桥', TemplateCode: 'SMS_1000', Version: '2017-05-25', SignatureMethod: 'HMAC-SHA1' } });
    expect(JSON.parse(calls[0]!.params.TemplateParam!)).toEqual({ number: made.case.number, link: '' });
    expect(await rows()).toEqual([expect.objectContaining({ provider: 'aliyun', template: 'case_accepted', provider_message_id: 'biz-1', status: 'sent' })]);

    const push = (token: string, payload: unknown) => ctx.app.inject({ method: 'POST', url: `/api/v1/sms/receipts/aliyun/${token}`, payload: payload as object });
    expect((await push('wrong-token-0123456789', [{ biz_id: 'biz-1', success: true }])).statusCode).toBe(404);
    const res = await push('receipt-token-0123456789', [{ phone_number: '13912345678', success: true, err_code: 'DELIVERED', biz_id: 'biz-1', report_time: '2026-12-01 10:00:05' }]);
    expect(res.json()).toEqual({ code: 0, msg: '成功' });
    expect((await rows())[0]).toMatchObject({ status: 'delivered', receipt_code: 'DELIVERED' });
    expect((await ctx.app.inject({ method: 'POST', url: '/api/v1/sms/receipts/tencent/receipt-token-0123456789', payload: [] })).statusCode).toBe(404);
  });

  it('a refusal by the provider leaves the text in the outbox to try again; nothing is recorded as sent', async () => {
    fail = true;
    const made = await ctx.services.cases.createByStaff(sys, { channel: 'hotline', areaId: w.areas.a1.id, categoryId: (await ctx.services.categories.byCode('A02'))!.id, description: '井盖缺失', reporter: { phone: '13912340000' } }, null);
    await ctx.services.cases.act(sys, made.case.id, 'accept', { version: made.case.version, tier: 'general' });
    await ctx.services.outbox.drain();
    const pending = await ctx.database.db.execute(sql`select attempts, last_error from outbox where topic = 'sms' and status = 'pending'`) as unknown as { rows: { attempts: number; last_error: string }[] };
    expect(pending.rows).toHaveLength(1);
    expect(pending.rows[0]!.last_error).toContain('isv.BUSINESS_LIMIT_CONTROL');
    expect(await rows()).toHaveLength(1);
    fail = false;
    await ctx.database.db.execute(sql`update outbox set available_at = now() where status = 'pending'`);
    await ctx.services.outbox.drain();
    expect((await rows()).map((r) => r.provider_message_id)).toEqual(['biz-1', `biz-${calls.length}`]);
  });

  it('Tencent Cloud: TC3-signed SendSms with the variables in the template\'s order; its receipts too', async () => {
    const client = createTencentClient({ secretId: 'AKID-test', secretKey: 'tencent-secret', appId: '1400000001', signName: '枫桥', endpoint: `${base}/tencent/` });
    const sent = await client.send('13912345678', '2001', [['number', 'N-1'], ['link', 'https://x/m/track/N-1?s=abc']]);
    expect(sent.messageId).toMatch(/^sn-/);
    expect(calls.at(-1)).toMatchObject({ provider: 'tencent', ok: true, params: { PhoneNumberSet: ['+8613912345678'], SmsSdkAppId: '1400000001', TemplateId: '2001', TemplateParamSet: ['N-1', 'https://x/m/track/N-1?s=abc'] } });
    const wrong = createTencentClient({ secretId: 'AKID-test', secretKey: 'not-the-secret', appId: '1400000001', signName: '枫桥', endpoint: `${base}/tencent/` });
    await expect(wrong.send('13912345678', '2001', [])).rejects.toThrow(/SignatureFailure/);
    expect(client.readReceipts([{ mobile: '13912345678', report_status: 'SUCCESS', errmsg: 'DELIVRD', sid: 'sn-9', user_receive_time: '2026-12-01 10:00:05' }]))
      .toEqual([{ messageId: 'sn-9', delivered: true, code: 'DELIVRD', at: '2026-12-01 10:00:05' }]);
  });

  it('sends at most the configured rate', async () => {
    const slot = rateLimiter(50);
    const started = Date.now();
    for (let i = 0; i < 11; i++) await slot();
    // eleven sends at 50 a second: the last waits for its slot, 200 ms after the first
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('a real provider needs its keys, signature and a template for every text', () => {
    expect(() => parseConfig({ SMS_PROVIDER: 'aliyun' }, { secret: 'x'.repeat(40) })).toThrow(ConfigError);
    const refused = (() => { try { parseConfig({ SMS_PROVIDER: 'tencent', SMS_TEMPLATES: '{}' }, { secret: 'x'.repeat(40) }); return null; } catch (e) { return e as ConfigError; } })();
    expect(refused).toBeInstanceOf(ConfigError);
    expect(refused!.problems.join('\n')).toContain('SMS_APP_ID is required');
    expect(refused!.problems.join('\n')).toContain('SMS_TEMPLATES needs case_accepted');
    const ok = parseConfig({ SMS_PROVIDER: 'aliyun', SMS_ACCESS_KEY_ID: 'a', SMS_ACCESS_KEY_SECRET: 'b', SMS_SIGN_NAME: '枫桥', SMS_TEMPLATES: JSON.stringify(TEMPLATES) }, { secret: 'x'.repeat(40) });
    expect(ok.sms.templates.case_accepted).toEqual({ id: 'SMS_1000', params: ['number', 'link'] });
  });
});
