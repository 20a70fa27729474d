/**
 * Fan-out and delivery. The fan-out takes the queue the triggers fill (each row once, DELETE … RETURNING in one
 * transaction with what it writes), asks the scope function which subscribers may see each case or warning, and
 * writes one delivery per subscriber and event with its outbox message. Delivery is a signed POST; a delivery
 * waits while an earlier one of the same case to the same subscriber has not gone out (order per case), failed
 * tries back off exponentially, and after the last the delivery is dead until someone replays it.
 */
import type { Db } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import type { KeyRing } from '../../lib/personal-data.ts';
import { casesVisibleTo, visibleTo } from '../../access/scope.ts';
import type { Actor } from '../../access/actor.ts';
import { cases, warnings } from '../../db/schema.ts';
import { everyInterval } from '../../lib/background.ts';
import { enqueue } from '../outbox/outbox.ts';
import type { TopicRegistry } from '../outbox/topics.ts';
import { signedHeaders } from '../feeds/signature.ts';
import * as repo from './webhooks.repository.ts';

export const WEBHOOK_TOPIC = 'webhook';
export const WEBHOOK_SECRET_FIELD = 'webhook_subscriptions.secret';
export const MAX_ATTEMPTS = 12;
const BATCH = 500;

/** A subscriber as the scope function sees it: its organisation's view, no more. */
const viewOf = (s: repo.SubscriptionRow, organizationKind: string): Actor => ({
  kind: 'user', userId: null, username: `webhook:${s.id}`, organizationId: s.organizationId, organizationKind: organizationKind as Actor['organizationKind'],
  areaPath: s.areaPath, roles: [], permissions: new Set(), ip: null, userAgent: null, requestId: null,
});

type EventRow = Awaited<ReturnType<typeof repo.eventsWithCases>>[number];
const eventName = (e: EventRow) => (e.action === 'create' ? 'case.created' : e.action === 'supervise' ? 'case.supervised' : e.fromStatus !== e.toStatus ? 'case.status_changed' : null);
const casePayload = (e: EventRow) => ({
  event: eventName(e), occurredAt: e.at.toISOString(),
  case: {
    id: e.caseId, number: e.number, caseType: e.caseType, channel: e.channel, status: e.status, tier: e.tier,
    category: { code: e.categoryCode, name: e.categoryName }, area: { code: e.areaCode, name: e.areaName },
    description: e.description, address: e.address, location: e.lon !== null && e.lat !== null ? { lon: e.lon, lat: e.lat } : null,
    createdAt: e.createdAt.toISOString(), handleDueAt: e.handleDueAt?.toISOString() ?? null,
  },
  change: { seq: e.seq, action: e.action, from: e.fromStatus, to: e.toStatus, note: e.note },
});

export function createWebhookDelivery(deps: { db: Db; keys: KeyRing; clock: Clock; fetch?: typeof fetch }) {
  const { db } = deps;
  const send = deps.fetch ?? fetch;

  /** One batch of the queue; returns how many queue rows it took. */
  async function fanOutOnce(): Promise<number> {
    return db.transaction(async (tx) => {
      const taken = await repo.takeQueue(tx, BATCH);
      if (!taken.length) return 0;
      const subs = await repo.activeSubscriptions(tx);
      if (!subs.length) return taken.length;
      const events = await repo.eventsWithCases(tx, taken.filter((q) => q.eventId !== null).map((q) => q.eventId!));
      const raised = await repo.warningsByIds(tx, taken.filter((q) => q.warningId !== null).map((q) => q.warningId!));
      const caseIds = [...new Set(events.map((e) => e.caseId))];
      const rows: Parameters<typeof repo.insertDeliveries>[1] = [];
      for (const { s, organizationKind } of subs) {
        const view = viewOf(s, organizationKind);
        const seenCases = await repo.casesWithin(tx, caseIds, casesVisibleTo(view, cases));
        for (const e of events) {
          const name = eventName(e);
          if (name && s.events.includes(name) && seenCases.has(e.caseId)) rows.push({ subscriptionId: s.id, event: name, caseId: e.caseId, payload: casePayload(e) });
        }
        if (s.events.includes('warning.raised') && raised.length) {
          const seen = await repo.warningsWithin(tx, raised.map((r) => r.w.id), visibleTo(view, { areaPath: warnings.areaPath }));
          for (const { w, areaCode, areaName } of raised) {
            if (!seen.has(w.id)) continue;
            rows.push({
              subscriptionId: s.id, event: 'warning.raised', caseId: null,
              payload: { event: 'warning.raised', occurredAt: w.raisedAt.toISOString(), warning: { id: w.id, level: w.level, kind: w.kind, title: w.title, area: { code: areaCode, name: areaName }, caseIds: w.caseIds, status: w.status } },
            });
          }
        }
      }
      const made = await repo.insertDeliveries(tx, rows);
      await enqueue(tx, made.map((m) => ({ topic: WEBHOOK_TOPIC, payload: { deliveryId: m.id } })));
      return taken.length;
    });
  }

  async function drain(): Promise<number> {
    let total = 0;
    for (let n = await fanOutOnce(); n > 0; n = await fanOutOnce()) total += n;
    return total;
  }

  function start(intervalMs: number, onError?: (e: unknown) => void) {
    return everyInterval(intervalMs, async (stopped) => { while (!stopped() && (await fanOutOnce()) >= BATCH); }, onError);
  }

  /** A failed try: counted on the delivery; dead after the last; the outbox backs off and tries again. */
  async function failed(d: repo.DeliveryRow, error: string, statusCode: number | null): Promise<never> {
    const attempts = d.attempts + 1;
    await repo.finishDelivery(db, d.id, { attempts, status: attempts >= MAX_ATTEMPTS ? 'dead' : 'pending', lastError: error.slice(0, 300), lastStatusCode: statusCode });
    throw new Error(`webhook delivery ${d.id}: ${error}`);
  }

  async function deliver(deliveryId: number) {
    const d = await repo.claimDelivery(db, deliveryId, deps.clock.now());
    if (!d) {
      const now = await repo.findDelivery(db, deliveryId);
      if (!now || now.status === 'delivered' || now.status === 'dead') return; // done, or replayed under a new message
      throw new Error(`webhook delivery ${deliveryId} is being sent elsewhere`);
    }
    if (await repo.earlierWaiting(db, d)) return failed(d, 'waiting for an earlier delivery of this case', null);
    const sub = await repo.findSubscription(db, d.subscriptionId);
    if (!sub || !sub.active) return void (await repo.finishDelivery(db, d.id, { status: 'dead', lastError: 'subscription switched off' }));
    const body = JSON.stringify({ id: d.id, ...d.payload });
    let res: Response;
    try {
      res = await send(sub.url, {
        method: 'POST', body, redirect: 'error', signal: AbortSignal.timeout(10_000),
        headers: { ...signedHeaders(deps.keys.decrypt(WEBHOOK_SECRET_FIELD, sub.secretEnc), body, deps.clock.now()), 'x-fq-event': d.event, 'x-fq-delivery': String(d.id) },
      });
    } catch (e) {
      return failed(d, (e as Error).message ?? 'unreachable', null);
    }
    if (!res.ok) return failed(d, `answered ${res.status}`, res.status);
    await repo.finishDelivery(db, d.id, { status: 'delivered', attempts: d.attempts + 1, deliveredAt: deps.clock.now(), lastStatusCode: res.status, lastError: null });
  }

  function register(topics: TopicRegistry) {
    topics.register<{ deliveryId: number }>({
      topic: WEBHOOK_TOPIC, channel: 'webhook', local: false,
      // 15 s, 30 s, 1 min … then hourly: about six hours in all before a delivery is dead
      retry: { maxAttempts: MAX_ATTEMPTS, backoffSeconds: (n) => Math.min(15 * 2 ** (n - 1), 3600) },
      deliver: (p) => deliver(p.deliveryId),
    });
  }

  return { fanOutOnce, drain, start, register };
}
export type WebhookDelivery = ReturnType<typeof createWebhookDelivery>;
