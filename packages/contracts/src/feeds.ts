import { Type, type Static } from 'typebox';
import { Strict, Id, Uuid, Timestamp, NullableTimestamp, Nullable } from './schemas.ts';

/** hotline: 12345 work orders · police: 警情 (警调对接) · petition: 信访件 (访调对接) · iot: device alarms. */
export const FeedKinds = ['hotline', 'police', 'petition', 'iot'] as const;
export type FeedKind = (typeof FeedKinds)[number];
export const DeviceKinds = ['smoke', 'access_control', 'elevator', 'ebike_charging', 'high_altitude_throwing'] as const;
export type DeviceKind = (typeof DeviceKinds)[number];

const Url = Type.String({ pattern: '^https?://[^\\s]+$', maxLength: 500 });

export const FeedSource = Strict({
  id: Uuid, kind: Type.Enum(FeedKinds), name: Type.String(), userId: Uuid, username: Type.String(),
  organization: Strict({ id: Id, name: Type.String() }), defaultCategoryId: Nullable(Id), callbackUrl: Nullable(Type.String()),
  alarmWindowMinutes: Type.Integer(), active: Type.Boolean(), createdAt: Timestamp,
  /** Where the platform sends its messages (POST, signed). */
  endpoint: Type.String(),
  messages: Type.Integer({ description: 'Messages taken in so far' }), lastMessageAt: NullableTimestamp,
});
export const FeedSourceCreate = Strict({
  kind: Type.Enum(FeedKinds), name: Type.String({ minLength: 1, maxLength: 100 }),
  /** The integration account the cases are filed as (role: integration). */
  userId: Uuid,
  defaultCategoryId: Type.Optional(Id), callbackUrl: Type.Optional(Url),
  alarmWindowMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 7 * 24 * 60 })),
});
export const FeedSourceUpdate = Strict({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })), defaultCategoryId: Type.Optional(Nullable(Id)),
  callbackUrl: Type.Optional(Nullable(Url)), alarmWindowMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 7 * 24 * 60 })),
  active: Type.Optional(Type.Boolean()),
});
/** The secret is shown once, when made; only its holder can sign messages. */
export const FeedSourceCreated = Strict({ source: FeedSource, secret: Type.String() });

export const FeedDevice = Strict({
  id: Uuid, sourceId: Uuid, code: Type.String(), kind: Type.Enum(DeviceKinds), name: Type.String(),
  place: Strict({ id: Id, code: Type.String(), name: Type.String() }), areaId: Id, categoryId: Id,
  openCaseId: Nullable(Uuid), lastAlarmAt: NullableTimestamp, alarmCount: Type.Integer(), active: Type.Boolean(),
});
export const FeedDeviceCreate = Strict({
  code: Type.String({ minLength: 1, maxLength: 64, pattern: '^[\\x21-\\x7e]+$' }), kind: Type.Enum(DeviceKinds),
  name: Type.String({ minLength: 1, maxLength: 100 }), placeCode: Type.String({ minLength: 1, maxLength: 40 }), categoryId: Id,
});
export const FeedDeviceUpdate = Strict({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })), placeCode: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  categoryId: Type.Optional(Id), active: Type.Optional(Type.Boolean()),
});

/** What a platform's message did. */
export const FeedReceipt = Strict({
  outcome: Type.Enum(['created', 'joined', 'cleared', 'recorded']),
  caseId: Nullable(Uuid), caseNumber: Nullable(Type.String()),
});

/* ───── the platforms' messages, as they send them ───── */

const Text = (min: number, max: number) => Type.String({ minLength: min, maxLength: max });
const Phone = Type.String({ maxLength: 20 });
const Lon = Type.Number({ minimum: -180, maximum: 180 });
const Lat = Type.Number({ minimum: -90, maximum: 90 });
const MessageId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[^\\s]+$' });

/** A 12345 hotline work order (工单). */
export const HotlineOrder = Type.Object({
  工单编号: MessageId, 诉求内容: Text(2, 5000), 来电人: Type.Optional(Text(1, 50)), 来电号码: Type.Optional(Phone),
  地址: Type.Optional(Text(1, 200)), 分类: Type.Optional(Text(1, 50)), 办理时限: Type.Optional(Text(1, 40)),
  区划代码: Type.Optional(Text(1, 24)), 经度: Type.Optional(Lon), 纬度: Type.Optional(Lat),
});
/** A police incident handed over for mediation (警情, 警调对接). */
export const PoliceIncident = Type.Object({
  警情编号: MessageId, 类别: Text(1, 50), 地点: Text(1, 200), 简要案情: Text(2, 5000),
  报警人: Type.Optional(Text(1, 50)), 报警电话: Type.Optional(Phone), 涉及人数: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })),
  区划代码: Type.Optional(Text(1, 24)), 经度: Type.Optional(Lon), 纬度: Type.Optional(Lat),
});
/** A petition matter handed over for mediation (信访件, 访调对接). */
export const PetitionItem = Type.Object({
  信访件编号: MessageId, 事项: Text(2, 5000), 信访人: Type.Optional(Text(1, 50)), 联系电话: Type.Optional(Phone),
  地址: Type.Optional(Text(1, 200)), 分类: Type.Optional(Text(1, 50)), 信访人数: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })),
  区划代码: Type.Optional(Text(1, 24)),
});
/** A device's alarm, or its clear message. */
export const DeviceAlarm = Type.Object({
  messageId: MessageId, deviceId: Type.String({ minLength: 1, maxLength: 64 }), type: Type.Optional(Type.Enum(DeviceKinds)),
  event: Type.Enum(['alarm', 'clear']), at: Timestamp, detail: Type.Optional(Text(1, 500)),
});
export type HotlineOrder = Static<typeof HotlineOrder>;
export type PoliceIncident = Static<typeof PoliceIncident>;
export type PetitionItem = Static<typeof PetitionItem>;
export type DeviceAlarm = Static<typeof DeviceAlarm>;
export type FeedSource = Static<typeof FeedSource>;
export type FeedDevice = Static<typeof FeedDevice>;
