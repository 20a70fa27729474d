/**
 * The case module's outbox topics and messages: in-app notices to the organisations concerned (through the
 * notifications module's `notify` topic) and texts to the reporter (the `case_sms` topic, registered here,
 * which reads the phone from the case at delivery — the outbox row never holds it).
 */
import { createRequire } from 'node:module';
import { trackingPath } from '@fengqiao/contracts';
import type { Db } from '../../db/database.ts';
import type { KeyRing } from '../../lib/personal-data.ts';
import { notifyMessage } from '../notifications/notifications.service.ts';
import type { OutboxMessage } from '../outbox/outbox.ts';
import type { SmsSender } from '../outbox/sms.ts';
import type { MessageCatalog, Templates, TopicRegistry } from '../outbox/topics.ts';
import { CASE_FIELDS } from './case-record.ts';
import { findReporterContact, type CaseRow } from './cases.repository.ts';

const require = createRequire(import.meta.url);
/** The texts, as data in both languages (cases.messages.json). */
const messages = require('./cases.messages.json') as { notify: Templates; sms: Templates };

/** Named 'sms' since the first release: messages already queued under that name still deliver. */
export const CASE_SMS_TOPIC = 'sms';
export const CASE_SMS_TEMPLATES = 'case_sms';
export type SmsTemplate = 'accepted' | 'replied' | 'reopened';
/** A text to a case's reporter; the phone is read from the case (encrypted) at delivery, never copied here. */
export interface CaseSmsPayload { caseId: string; template: SmsTemplate; number: string }

/** An in-app notice about a case to the organisations concerned; `template` defaults to `kind`. */
export function notifyCase(row: Pick<CaseRow, 'id' | 'number'>, kind: string, orgs: (number | null)[], body = '', template?: string): OutboxMessage {
  return notifyMessage({
    kind, ...(template ? { template } : {}), caseId: row.id, organizationIds: [...new Set(orgs.filter((o): o is number => o !== null))],
    params: { number: row.number }, body,
  });
}

/** A text to the reporter, when the case has a phone to send it to. */
export const smsToReporter = (row: Pick<CaseRow, 'id' | 'number' | 'reporterPhoneEnc'>, template: SmsTemplate): OutboxMessage[] =>
  (row.reporterPhoneEnc ? [{ topic: CASE_SMS_TOPIC, payload: { caseId: row.id, template, number: row.number } satisfies CaseSmsPayload }] : []);

/** The notice of a new case, as intake's statement writes it: the number is filled in by the statement. */
export const newCaseNotice = (caseId: string, ownerOrgId: number, description: string, actorUserId: string | null = null) =>
  ({ kind: 'case_new', caseId, organizationIds: [ownerOrgId], params: { number: '' }, body: description.slice(0, 100), actorUserId });

export function registerCaseTopics(topics: TopicRegistry, catalog: MessageCatalog, deps: { db: Db; keys: KeyRing; sms: SmsSender; publicUrl?: string | null }) {
  catalog.add('notify', messages.notify);
  catalog.add(CASE_SMS_TEMPLATES, messages.sms);
  const base = deps.publicUrl?.replace(/\/+$/, '') ?? null;
  topics.register<CaseSmsPayload>({
    topic: CASE_SMS_TOPIC, channel: 'sms', local: false,
    async deliver(p) {
      const c = await findReporterContact(deps.db, p.caseId);
      if (!c?.phoneEnc) return; // nothing to send to
      // with PUBLIC_URL set, each text carries the reporter's tracking link: progress, the reply, and the rating
      const link = base && c.secretEnc ? `${base}${trackingPath(p.number, deps.keys.decrypt(CASE_FIELDS.trackingSecret, c.secretEnc))}` : null;
      const text = catalog.render(CASE_SMS_TEMPLATES, p.template, 'zh-CN', { number: p.number })
        + (link ? catalog.render(CASE_SMS_TEMPLATES, 'tracking_link', 'zh-CN', { link }) : '');
      await deps.sms.send(deps.keys.decrypt(CASE_FIELDS.reporterPhone, c.phoneEnc), { text, template: `case_${p.template}`, params: { number: p.number, link: link ?? '' } });
    },
  });
}
