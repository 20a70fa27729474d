/**
 * A real SMS gateway behind the outbox's SmsSender: the text's template looked up in the installation's
 * approved templates (SMS_TEMPLATES), its variables in the template's order, a per-provider send rate, every
 * message recorded with the provider's id (its phone encrypted, a tracking link's secret left out), and the
 * provider's delivery receipts applied to the record.
 */
import { maskPhone } from '@fengqiao/contracts';
import type { Db } from '../../db/database.ts';
import type { KeyRing } from '../../lib/personal-data.ts';
import type { Config } from '../../config.ts';
import { redactTracking, SMS_FIELDS, type SmsSender } from '../outbox/sms.ts';
import { insertSmsRecord } from '../outbox/outbox.repository.ts';
import { applyReceipt } from './sms.repository.ts';
import { createAliyunClient } from './aliyun.ts';
import { createTencentClient } from './tencent.ts';

export interface Receipt { messageId: string; delivered: boolean; code: string; at: string | null }
export interface ProviderClient {
  readonly name: 'aliyun' | 'tencent';
  send(phone: string, templateId: string, params: [string, string][]): Promise<{ messageId: string | null }>;
  readReceipts(body: unknown): Receipt[];
  /** What the provider expects back from a receipt push. */
  receiptAnswer: Record<string, unknown>;
}
/** A template name (case_accepted …) → the provider's approved template and the order of its variables. */
export type SmsTemplates = Record<string, { id: string; params: string[] }>;

/** At most `perSecond` sends a second from this process: each send waits for its slot. */
export function rateLimiter(perSecond: number, now = () => Date.now()) {
  let next = 0;
  return async () => {
    const t = now();
    const at = Math.max(t, next);
    next = at + 1000 / perSecond;
    if (at > t) await new Promise((r) => setTimeout(r, at - t));
  };
}

export function createGatewaySender(deps: { db: Db; keys: KeyRing; log: (m: string) => void; client: ProviderClient; templates: SmsTemplates; ratePerSecond: number }): SmsSender & { receive(body: unknown): Promise<{ applied: number; answer: Record<string, unknown> }> } {
  const { client } = deps;
  const slot = rateLimiter(deps.ratePerSecond);
  return {
    name: client.name,
    async send(phone, message) {
      const t = deps.templates[message.template];
      if (!t) throw new Error(`no ${client.name} template configured for ${message.template} (SMS_TEMPLATES)`);
      await slot();
      const { messageId } = await client.send(phone, t.id, t.params.map((n) => [n, message.params[n] ?? '']));
      await insertSmsRecord(deps.db, {
        phoneEnc: deps.keys.encrypt(SMS_FIELDS.phone, phone), body: redactTracking(message.text), provider: client.name, template: message.template, providerMessageId: messageId,
      });
      deps.log(`SMS via ${client.name} to ${maskPhone(phone)}: ${message.template} (${messageId ?? 'no id'})`);
    },
    async receive(body) {
      let applied = 0;
      for (const r of client.readReceipts(body)) applied += await applyReceipt(deps.db, client.name, r);
      return { applied, answer: client.receiptAnswer };
    },
  };
}

/** The sender the configuration names: the recording one ("log"), or a provider's gateway. */
export function gatewayFor(config: Pick<Config, 'sms'>, deps: { db: Db; keys: KeyRing; log: (m: string) => void; fetch?: typeof fetch }) {
  const c = config.sms;
  if (c.provider === 'log') return null;
  const common = { signName: c.signName!, ...(c.endpoint ? { endpoint: c.endpoint } : {}), ...(c.region ? { region: c.region } : {}), ...(deps.fetch ? { fetch: deps.fetch } : {}) };
  const client = c.provider === 'aliyun'
    ? createAliyunClient({ accessKeyId: c.accessKeyId!, accessKeySecret: c.accessKeySecret!, ...common })
    : createTencentClient({ secretId: c.accessKeyId!, secretKey: c.accessKeySecret!, appId: c.appId!, ...common });
  return createGatewaySender({ ...deps, client, templates: c.templates, ratePerSecond: c.ratePerSecond });
}
