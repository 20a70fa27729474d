/**
 * Tencent Cloud SMS (API 3.0, SendSms 2021-01-11) over its documented HTTP API: a JSON body signed with
 * TC3-HMAC-SHA256 (the canonical request's hash, signed by keys derived from the date and the service), template
 * variables as an ordered list; delivery receipts pushed as a JSON array.
 */
import crypto from 'node:crypto';
import type { ProviderClient, Receipt } from './gateway.ts';

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
const hmac = (key: crypto.BinaryLike, s: string) => crypto.createHmac('sha256', key).update(s).digest();

export function tc3Signature(o: { secretKey: string; host: string; payload: string; timestamp: number; contentType: string; service?: string }): { signature: string; scope: string } {
  const service = o.service ?? 'sms';
  const date = new Date(o.timestamp * 1000).toISOString().slice(0, 10);
  const canonical = ['POST', '/', '', `content-type:${o.contentType}`, `host:${o.host}`, '', 'content-type;host', sha256(o.payload)].join('\n');
  const scope = `${date}/${service}/tc3_request`;
  const toSign = ['TC3-HMAC-SHA256', String(o.timestamp), scope, sha256(canonical)].join('\n');
  const signing = hmac(hmac(hmac(`TC3${o.secretKey}`, date), service), 'tc3_request');
  return { signature: crypto.createHmac('sha256', signing).update(toSign).digest('hex'), scope };
}

export function createTencentClient(o: { secretId: string; secretKey: string; appId: string; signName: string; endpoint?: string; region?: string; fetch?: typeof fetch; now?: () => Date }): ProviderClient {
  const endpoint = o.endpoint ?? 'https://sms.tencentcloudapi.com/';
  const host = new URL(endpoint).host;
  const send = o.fetch ?? fetch;
  const contentType = 'application/json; charset=utf-8';
  return {
    name: 'tencent',
    async send(phone, templateId, params) {
      const payload = JSON.stringify({
        PhoneNumberSet: [`+86${phone}`], SmsSdkAppId: o.appId, SignName: o.signName, TemplateId: templateId, TemplateParamSet: params.map(([, v]) => v),
      });
      const timestamp = Math.floor((o.now?.() ?? new Date()).getTime() / 1000);
      const { signature, scope } = tc3Signature({ secretKey: o.secretKey, host, payload, timestamp, contentType });
      const res = await send(endpoint, {
        method: 'POST', body: payload, signal: AbortSignal.timeout(10_000),
        headers: {
          'content-type': contentType, host, 'x-tc-action': 'SendSms', 'x-tc-version': '2021-01-11', 'x-tc-timestamp': String(timestamp),
          'x-tc-region': o.region ?? 'ap-guangzhou',
          authorization: `TC3-HMAC-SHA256 Credential=${o.secretId}/${scope}, SignedHeaders=content-type;host, Signature=${signature}`,
        },
      });
      const answer = await res.json().catch(() => ({})) as { Response?: { Error?: { Code: string; Message: string }; SendStatusSet?: { SerialNo: string; Code: string; Message: string }[] } };
      const r = answer.Response;
      const status = r?.SendStatusSet?.[0];
      if (!res.ok || r?.Error || !status || status.Code !== 'Ok') {
        throw new Error(`tencent SendSms ${res.status} ${r?.Error?.Code ?? status?.Code ?? ''} ${r?.Error?.Message ?? status?.Message ?? ''}`.trim());
      }
      return { messageId: status.SerialNo };
    },
    /** [{ mobile, report_status: SUCCESS|FAIL, errmsg, sid, user_receive_time, … }] */
    readReceipts(body) {
      if (!Array.isArray(body)) return [];
      return body.flatMap((r: Record<string, unknown>): Receipt[] => (typeof r.sid === 'string'
        ? [{ messageId: r.sid, delivered: r.report_status === 'SUCCESS', code: String(r.errmsg ?? r.report_status ?? ''), at: typeof r.user_receive_time === 'string' ? r.user_receive_time : null }] : []));
    },
    receiptAnswer: { result: 0, errmsg: 'OK' },
  };
}
