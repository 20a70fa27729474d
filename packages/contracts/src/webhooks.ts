import { Type, type Static } from 'typebox';
import { Strict, Id, Uuid, Timestamp, NullableTimestamp, Nullable } from './schemas.ts';

/** What a subscription may ask for. */
export const WebhookEvents = ['case.created', 'case.status_changed', 'case.supervised', 'warning.raised'] as const;
export type WebhookEvent = (typeof WebhookEvents)[number];
export const DeliveryStatuses = ['pending', 'sending', 'delivered', 'dead'] as const;

const Url = Type.String({ pattern: '^https?://[^\\s]+$', maxLength: 500 });
const Events = Type.Array(Type.Enum(WebhookEvents), { minItems: 1, maxItems: WebhookEvents.length, uniqueItems: true });

export const WebhookSubscription = Strict({
  id: Uuid, organization: Strict({ id: Id, name: Type.String() }), name: Type.String(), url: Type.String(),
  events: Type.Array(Type.Enum(WebhookEvents)), active: Type.Boolean(), createdAt: Timestamp,
  deliveries: Strict({ pending: Type.Integer(), delivered: Type.Integer(), dead: Type.Integer() }),
});
export const WebhookCreate = Strict({
  name: Type.String({ minLength: 1, maxLength: 100 }), url: Url, events: Events,
  /** The organisation whose view the deliveries follow (default: the administrator's own). */
  organizationId: Type.Optional(Id),
});
export const WebhookUpdate = Strict({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })), url: Type.Optional(Url), events: Type.Optional(Events), active: Type.Optional(Type.Boolean()),
});
export const WebhookCreated = Strict({ subscription: WebhookSubscription, secret: Type.String() });
export const WebhookDelivery = Strict({
  id: Type.Integer(), event: Type.Enum(WebhookEvents), caseId: Nullable(Uuid), status: Type.Enum(DeliveryStatuses), attempts: Type.Integer(),
  lastStatusCode: Nullable(Type.Integer()), lastError: Nullable(Type.String()), createdAt: Timestamp, deliveredAt: NullableTimestamp,
  payload: Type.Record(Type.String(), Type.Unknown()),
});
export const WebhookDeliveriesQuery = Strict({
  status: Type.Optional(Type.Enum(DeliveryStatuses)), beforeId: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});
export type WebhookSubscription = Static<typeof WebhookSubscription>;
export type WebhookDelivery = Static<typeof WebhookDelivery>;
