/**
 * Outbound webhooks, administered: an administrator subscribes a URL to events of an organisation's view in their
 * jurisdiction, gets the signing secret once, reads the delivery log and replays a dead delivery. The fan-out
 * and the sending are delivery.ts.
 */
import { and, eq } from 'drizzle-orm';
import type { Static } from 'typebox';
import type { WebhookCreate, WebhookEvent, WebhookUpdate, WebhookDeliveriesQuery } from '@fengqiao/contracts';
import type { Db } from '../../db/database.ts';
import { authorize, type Actor } from '../../access/actor.ts';
import { visibleTo } from '../../access/scope.ts';
import { organizations, webhookSubscriptions } from '../../db/schema.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { checkOutboundUrl } from '../../lib/outbound-url.ts';
import { iso, isoRequired } from '../../lib/paging.ts';
import type { KeyRing } from '../../lib/personal-data.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { enqueue } from '../outbox/outbox.ts';
import { newSecret } from '../feeds/signature.ts';
import { WEBHOOK_SECRET_FIELD, WEBHOOK_TOPIC } from './delivery.ts';
import * as repo from './webhooks.repository.ts';

type Listed = Awaited<ReturnType<typeof repo.listSubscriptions>>[number];
const present = (r: Listed) => ({
  id: r.s.id, organization: { id: r.s.organizationId, name: r.organizationName }, name: r.s.name, url: r.s.url, events: r.s.events as WebhookEvent[],
  active: r.s.active, createdAt: isoRequired(r.s.createdAt), deliveries: { pending: r.pending, delivered: r.delivered, dead: r.dead },
});
const presentDelivery = (d: repo.DeliveryRow) => ({
  id: d.id, event: d.event as WebhookEvent, caseId: d.caseId, status: d.status as 'pending', attempts: d.attempts, lastStatusCode: d.lastStatusCode,
  lastError: d.lastError, createdAt: isoRequired(d.createdAt), deliveredAt: iso(d.deliveredAt), payload: d.payload,
});

export function createWebhookService(deps: { db: Db; keys: KeyRing; audit: AuditService }) {
  const { db, keys, audit } = deps;
  const scope = (actor: Actor) => visibleTo(actor, { areaPath: webhookSubscriptions.areaPath, organizationId: webhookSubscriptions.organizationId });

  async function shown(actor: Actor, id: string) {
    const [r] = await repo.listSubscriptions(db, and(scope(actor), eq(webhookSubscriptions.id, id))!);
    if (!r) throw notFound('resource');
    return present(r);
  }
  async function subscriptionOf(actor: Actor, id: string) {
    authorize(actor, 'token.manage');
    const s = await repo.findSubscription(db, id, scope(actor));
    if (!s) throw notFound('resource');
    return s;
  }

  async function list(actor: Actor) {
    authorize(actor, 'token.manage');
    return { items: (await repo.listSubscriptions(db, scope(actor))).map(present) };
  }

  async function create(actor: Actor, input: Static<typeof WebhookCreate>) {
    authorize(actor, 'token.manage');
    checkOutboundUrl(input.url, 'url');
    const orgId = input.organizationId ?? actor.organizationId;
    if (!orgId) throw new AppError('VALIDATION_FAILED', { detail: 'organizationId' });
    const [org] = await db.select().from(organizations).where(and(eq(organizations.id, orgId), visibleTo(actor, { areaPath: organizations.areaPath, organizationId: organizations.id })));
    if (!org) throw notFound('organization');
    const secret = newSecret();
    const row = await db.transaction(async (tx) => {
      const r = await repo.insertSubscription(tx, {
        organizationId: org.id, areaPath: org.areaPath, name: input.name.trim(), url: input.url, secretEnc: keys.encrypt(WEBHOOK_SECRET_FIELD, secret),
        events: [...input.events], createdBy: actor.userId,
      });
      await audit.record(actor, { action: 'webhook.create', targetType: 'webhook', targetId: r.id, areaPath: r.areaPath, organizationId: r.organizationId, detail: { url: r.url, events: r.events } }, tx);
      return r;
    });
    return { subscription: await shown(actor, row.id), secret };
  }

  async function update(actor: Actor, id: string, patch: Static<typeof WebhookUpdate>) {
    const s = await subscriptionOf(actor, id);
    if (patch.url !== undefined) checkOutboundUrl(patch.url, 'url');
    await db.transaction(async (tx) => {
      await repo.updateSubscription(tx, s.id, {
        ...(patch.name !== undefined ? { name: patch.name.trim() } : {}), ...(patch.url !== undefined ? { url: patch.url } : {}),
        ...(patch.events !== undefined ? { events: [...patch.events] } : {}), ...(patch.active !== undefined ? { active: patch.active } : {}),
      });
      await audit.record(actor, { action: 'webhook.update', targetType: 'webhook', targetId: s.id, areaPath: s.areaPath, organizationId: s.organizationId, detail: { fields: Object.keys(patch) } }, tx);
    });
    return shown(actor, s.id);
  }

  async function deliveries(actor: Actor, id: string, q: Static<typeof WebhookDeliveriesQuery>) {
    const s = await subscriptionOf(actor, id);
    return { items: (await repo.listDeliveries(db, s.id, { status: q.status, beforeId: q.beforeId, limit: q.limit ?? 50 })).map(presentDelivery) };
  }

  /** A dead or delivered delivery, sent again under a new outbox message. */
  async function replay(actor: Actor, id: string, deliveryId: number) {
    const s = await subscriptionOf(actor, id);
    const d = await repo.findDelivery(db, deliveryId);
    if (!d || d.subscriptionId !== s.id) throw notFound('resource');
    if (d.status !== 'dead' && d.status !== 'delivered') throw new AppError('CONFLICT');
    await db.transaction(async (tx) => {
      await repo.finishDelivery(tx, d.id, { status: 'pending', attempts: 0, lastError: null, lastStatusCode: null, deliveredAt: null });
      await enqueue(tx, [{ topic: WEBHOOK_TOPIC, payload: { deliveryId: d.id } }]);
      await audit.record(actor, { action: 'webhook.replay', targetType: 'webhook', targetId: s.id, areaPath: s.areaPath, organizationId: s.organizationId, detail: { delivery: d.id } }, tx);
    });
    return presentDelivery((await repo.findDelivery(db, d.id))!);
  }

  return { list, create, update, deliveries, replay };
}
export type WebhookService = ReturnType<typeof createWebhookService>;
