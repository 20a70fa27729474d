/**
 * The mediation module's outbox topics: in-app notices to the organisations and mediators concerned (the
 * notifications module's `notify` topic) and the session reminder texted to each party with a phone
 * (`mediation_sms`, which reads the phones from the parties at delivery — the outbox row never holds one).
 */
import { createRequire } from 'node:module';
import type { Db } from '../../db/database.ts';
import type { KeyRing } from '../../lib/personal-data.ts';
import { notifyMessage } from '../notifications/notifications.service.ts';
import type { OutboxMessage } from '../outbox/outbox.ts';
import type { SmsSender } from '../outbox/sms.ts';
import type { MessageCatalog, Templates, TopicRegistry } from '../outbox/topics.ts';
import { findMediation, listParties } from './mediation.repository.ts';
import { mediations } from '../../db/schema.ts';
import { eq } from 'drizzle-orm';
import { partyField } from './parties.ts';
import { findUserWithOrg } from '../users/users.repository.ts';
import { USER_FIELDS } from '../users/users.service.ts';

const require = createRequire(import.meta.url);
const messages = require('./mediation.messages.json') as { notify: Templates; mediation_sms: Templates };

export const MEDIATION_SMS_TOPIC = 'mediation_sms';
/** A session's reminder: to every party with a mobile phone, and to the mediators who have accounts (their own phone). */
export interface SessionSmsPayload { caseId: string; number: string; when: string; where: string | null; mediatorUserIds?: string[] }

/** An in-app notice about a mediation to organisations and to mediators' own accounts. */
export function notifyMediation(caseId: string, number: string, kind: string, to: { orgs?: (number | null)[]; users?: (string | null)[] }, params: Record<string, unknown> = {}): OutboxMessage {
  return notifyMessage({
    kind, caseId, organizationIds: [...new Set((to.orgs ?? []).filter((o): o is number => o !== null))],
    userIds: [...new Set((to.users ?? []).filter((u): u is string => Boolean(u)))], params: { number, ...params }, body: '',
  });
}

/** The reminder of a session to every party with a phone, texted at delivery. */
export const sessionSms = (p: SessionSmsPayload): OutboxMessage => ({ topic: MEDIATION_SMS_TOPIC, payload: { ...p } });

export function registerMediationTopics(topics: TopicRegistry, catalog: MessageCatalog, deps: { db: Db; keys: KeyRing; sms: SmsSender }) {
  catalog.add('notify', messages.notify);
  catalog.add(MEDIATION_SMS_TOPIC, messages.mediation_sms);
  topics.register<SessionSmsPayload>({
    topic: MEDIATION_SMS_TOPIC, channel: 'sms', local: false,
    async deliver(p) {
      const m = await findMediation(deps.db, eq(mediations.caseId, p.caseId));
      if (!m) return;
      const where = p.where ?? catalog.render(MEDIATION_SMS_TOPIC, 'online', 'zh-CN', {});
      const params = { number: p.number, when: p.when, where, committee: m.committee };
      const text = catalog.render(MEDIATION_SMS_TOPIC, 'session', 'zh-CN', params);
      for (const party of await listParties(deps.db, p.caseId)) {
        const phone = partyField(deps.keys, party, 'phone');
        if (phone && /^1[3-9]\d{9}$/.test(phone)) await deps.sms.send(phone, { text, template: 'mediation_session', params });
      }
      const toMediator = catalog.render(MEDIATION_SMS_TOPIC, 'session_mediator', 'zh-CN', { number: p.number, when: p.when, where, committee: m.committee });
      for (const id of p.mediatorUserIds ?? []) {
        const user = await findUserWithOrg(deps.db, id);
        const phone = user?.phoneEnc ? deps.keys.decrypt(USER_FIELDS.phone, user.phoneEnc) : null;
        if (phone && !user!.disabled) await deps.sms.send(phone, { text: toMediator, template: 'mediation_session_mediator', params });
      }
    },
  });
}
