/**
 * Alibaba Cloud SMS (Dysmsapi 2017-05-25, SendSms) over its documented RPC HTTP API: parameters signed with
 * HMAC-SHA1 under "<AccessKeySecret>&" (signature version 1.0), template variables as a JSON object; delivery
 * receipts pushed as a JSON array (SmsReport).
 */
import crypto from 'node:crypto';
import type { ProviderClient, Receipt } from './gateway.ts';

/** RFC 3986 encoding as the API wants it: spaces as %20, `*` encoded, `~` kept. */
export const percentEncode = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export function aliyunSignature(method: 'GET' | 'POST', params: Record<string, string>, secret: string): string {
  const canonical = Object.keys(params).sort().map((k) => `${percentEncode(k)}=${percentEncode(params[k]!)}`).join('&');
  const toSign = `${method}&${percentEncode('/')}&${percentEncode(canonical)}`;
  return crypto.createHmac('sha1', `${secret}&`).update(toSign).digest('base64');
}

export function createAliyunClient(o: { accessKeyId: string; accessKeySecret: string; signName: string; endpoint?: string; region?: string; fetch?: typeof fetch; now?: () => Date }): ProviderClient {
  const endpoint = o.endpoint ?? 'https://dysmsapi.aliyuncs.com/';
  const send = o.fetch ?? fetch;
  return {
    name: 'aliyun',
    async send(phone, templateId, params) {
      const p: Record<string, string> = {
        AccessKeyId: o.accessKeyId, Action: 'SendSms', Format: 'JSON', PhoneNumbers: phone, RegionId: o.region ?? 'cn-hangzhou',
        SignName: o.signName, SignatureMethod: 'HMAC-SHA1', SignatureNonce: crypto.randomUUID(), SignatureVersion: '1.0',
        TemplateCode: templateId, TemplateParam: JSON.stringify(Object.fromEntries(params)), Timestamp: (o.now?.() ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        Version: '2017-05-25',
      };
      p.Signature = aliyunSignature('POST', p, o.accessKeySecret);
      const res = await send(endpoint, {
        method: 'POST', body: new URLSearchParams(p).toString(), signal: AbortSignal.timeout(10_000),
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', accept: 'application/json' },
      });
      const answer = await res.json().catch(() => ({})) as { Code?: string; Message?: string; BizId?: string };
      if (!res.ok || answer.Code !== 'OK') throw new Error(`aliyun SendSms ${res.status} ${answer.Code ?? ''} ${answer.Message ?? ''}`.trim());
      return { messageId: answer.BizId ?? null };
    },
    /** SmsReport: [{ phone_number, success, err_code, biz_id, report_time, … }] */
    readReceipts(body) {
      if (!Array.isArray(body)) return [];
      return body.flatMap((r: Record<string, unknown>): Receipt[] => (typeof r.biz_id === 'string'
        ? [{ messageId: r.biz_id, delivered: r.success === true, code: String(r.err_code ?? ''), at: typeof r.report_time === 'string' ? r.report_time : null }] : []));
    },
    receiptAnswer: { code: 0, msg: '成功' },
  };
}
