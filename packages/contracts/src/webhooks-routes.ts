import { Type } from 'typebox';
import * as S from './schemas.ts';
import * as W from './webhooks.ts';
import type { RouteContract } from './routes.ts';

/** Outbound webhooks' administration; `routes` (routes.ts) includes them. */
const route = <const R extends RouteContract>(c: R) => c;
const tags = ['webhooks'];
const Params = S.Strict({ id: S.Uuid });

export const webhookRoutes = {
  listWebhooks: route({
    operationId: 'listWebhooks', method: 'GET', url: '/api/v1/webhooks', auth: 'user', tags,
    summary: 'Webhook subscriptions within the administrator’s jurisdiction, with their delivery figures',
    response: Type.Object({ items: Type.Array(W.WebhookSubscription) }, { additionalProperties: false }),
  }),
  createWebhook: route({
    operationId: 'createWebhook', method: 'POST', url: '/api/v1/webhooks', auth: 'user', tags, status: 201,
    summary: 'Subscribe a URL to events (case created, status changed, supervised, warning raised) of an organisation’s view; answers the signing secret once',
    body: W.WebhookCreate, response: W.WebhookCreated,
  }),
  updateWebhook: route({
    operationId: 'updateWebhook', method: 'PATCH', url: '/api/v1/webhooks/:id', auth: 'user', tags,
    summary: 'Change a subscription’s name, URL or events, or switch it off', params: Params, body: W.WebhookUpdate, response: W.WebhookSubscription,
  }),
  listWebhookDeliveries: route({
    operationId: 'listWebhookDeliveries', method: 'GET', url: '/api/v1/webhooks/:id/deliveries', auth: 'user', tags,
    summary: 'The delivery log, newest first: each event’s status, attempts and last answer', params: Params, querystring: W.WebhookDeliveriesQuery,
    response: Type.Object({ items: Type.Array(W.WebhookDelivery) }, { additionalProperties: false }),
  }),
  replayWebhookDelivery: route({
    operationId: 'replayWebhookDelivery', method: 'POST', url: '/api/v1/webhooks/:id/deliveries/:deliveryId/replay', auth: 'user', tags,
    summary: 'Send a dead (or delivered) delivery again', params: S.Strict({ id: S.Uuid, deliveryId: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) }), response: W.WebhookDelivery,
  }),
};
