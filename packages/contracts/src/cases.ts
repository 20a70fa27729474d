import { Type, type Static, type TObject, type TProperties, type TSchema } from 'typebox';
import { Strict, Id, Uuid, Timestamp, NullableTimestamp, Nullable, PageQuery } from './schemas.ts';
import { Metrics } from './command-center.ts';
import { TriageFeedback } from './triage.ts';

export const CaseTypes = ['appeal', 'hazard', 'dispute'] as const;
export const Channels = [
  'qr_code', 'mobile_web', 'hotline', 'window', 'grid_patrol', 'video_patrol', 'iot_alarm', 'police_push',
  'petition', 'court_referral', 'other_platform',
] as const;
/** 一般 / 较大 / 疑难 / 跨区: by default owned by the village, township, county and city center. */
export const Tiers = ['general', 'major', 'difficult', 'cross_region'] as const;
export const CaseStatuses = [
  'pending_acceptance', 'rejected', 'pending_dispatch', 'pending_signoff', 'in_progress', 'suspended', 'ruling',
  'replied', 'closed', 'archived', 'merged',
] as const;
/** Still being worked on: every list's "open" filter, the grid page, the map, the queues. */
export const OpenStatuses = ['pending_acceptance', 'pending_dispatch', 'pending_signoff', 'in_progress', 'suspended', 'ruling', 'replied'] as const;
/** Accepted and being handled (the contact and handle clocks run here). */
export const ActiveStatuses = ['pending_dispatch', 'pending_signoff', 'in_progress', 'ruling'] as const;
/** Open and not suspended: what the work queues count and the overdue index covers. */
export const RunningStatuses = ['pending_acceptance', ...ActiveStatuses, 'replied'] as const;
/** An organisation's work in hand: dispatched to it, signed for or not yet. */
export const WorkInHandStatuses = ['pending_signoff', 'in_progress'] as const;
/** A result the reporter may read: the reply, the closing, or the reason for a rejection. */
export const ResultStatuses = ['replied', 'closed', 'archived', 'rejected'] as const;
export const SupervisionLevels = ['normal', 'yellow', 'red'] as const;
export const VisitResults = ['satisfied', 'basically_satisfied', 'unsatisfied', 'unreachable'] as const;
export const Queues = ['to_accept', 'to_dispatch', 'to_sign', 'in_progress', 'due_soon', 'overdue', 'supervised', 'to_revisit', 'ruling'] as const;
export type CaseType = (typeof CaseTypes)[number];
export type Channel = (typeof Channels)[number];
export type Tier = (typeof Tiers)[number];
export type CaseStatus = (typeof CaseStatuses)[number];
export type Queue = (typeof Queues)[number];
export type VisitResult = (typeof VisitResults)[number];

export const Tier = Type.Enum(Tiers);
export const Channel = Type.Enum(Channels);
export const CaseStatus = Type.Enum(CaseStatuses);
export const Queue = Type.Enum(Queues);

/** A reason someone must give (退单, 上报, 提级办理 …): at least one character that is not a space. */
const Reason = Type.String({ minLength: 1, maxLength: 1000, pattern: '\\S' });
const Note = Type.String({ maxLength: 2000 });
const Version = Type.Integer({ minimum: 1, description: 'The case version you saw; a stale one is a CONFLICT' });

export const Location = Strict({
  lon: Type.Number({ minimum: -180, maximum: 180 }),
  lat: Type.Number({ minimum: -90, maximum: 90 }),
  crs: Type.Optional(Type.Enum(['wgs84', 'gcj02', 'bd09'], { description: 'Input coordinate system; stored as WGS-84' })),
});
export const Reporter = Strict({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  phone: Type.Optional(Type.String({ pattern: '^1[3-9][0-9]{9}$' })),
});

const intakeFields = {
  categoryId: Id,
  description: Type.String({ minLength: 2, maxLength: 5000 }),
  peopleInvolved: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })),
  address: Type.Optional(Type.String({ maxLength: 200 })),
  location: Type.Optional(Location),
  reporter: Type.Optional(Reporter),
  anonymous: Type.Optional(Type.Boolean()),
  /** Uploaded first (POST …/attachments), then named here; at most 9, within 24 hours of upload. */
  attachmentIds: Type.Optional(Type.Array(Uuid, { maxItems: 9, uniqueItems: true })),
};
export const StaffIntake = Strict({
  channel: Channel, areaId: Id, ...intakeFields,
  /** The suggestion the form showed (POST /api/v1/triage/suggestions): kept with the category chosen, as the model's feedback. */
  triage: Type.Optional(TriageFeedback),
});
export const PublicIntake = Strict({
  channel: Type.Enum(['qr_code', 'mobile_web']),
  /** A place code from a QR sheet (until places exist: a grid's code) or an area chosen on the page. */
  placeCode: Type.Optional(Type.String({ maxLength: 40 })),
  areaId: Type.Optional(Id),
  ...intakeFields,
});
export const PublicIntakeResult = Strict({
  number: Type.String(), trackingSecret: Type.String(), status: CaseStatus,
});

const Clock = Strict({
  dueAt: NullableTimestamp,
  doneAt: NullableTimestamp,
  state: Type.Enum(['not_started', 'running', 'paused', 'due_soon', 'overdue', 'met', 'missed']),
  /** A running clock's time left, or an overdue one's time past: working days (after today, to the due day) and hours. */
  left: Nullable(Strict({ overdue: Type.Boolean(), workingDays: Type.Integer(), hours: Type.Integer() })),
});
const Named = Nullable(Strict({ id: Id, name: Type.String() }));

export const Case = Strict({
  id: Uuid,
  number: Type.String(),
  version: Type.Integer(),
  caseType: Type.Enum(CaseTypes),
  channel: Channel,
  status: CaseStatus,
  tier: Type.Union([Tier, Type.Null()]),
  category: Strict({ id: Id, name: Type.String() }),
  area: Strict({ id: Id, name: Type.String() }),
  areaPath: Type.String(),
  owningOrg: Strict({ id: Id, name: Type.String() }),
  assigneeOrg: Named,
  dispatchOrg: Named,
  coHandlerOrgIds: Type.Array(Id),
  description: Type.String(),
  peopleInvolved: Type.Integer(),
  address: Type.Union([Type.String(), Type.Null()]),
  location: Type.Union([Strict({ lon: Type.Number(), lat: Type.Number() }), Type.Null()]),
  reporter: Strict({ name: Type.Union([Type.String(), Type.Null()]), phone: Type.Union([Type.String(), Type.Null()]), anonymous: Type.Boolean() }),
  returnCount: Type.Integer(),
  reopenCount: Type.Integer(),
  finalAssignment: Type.Boolean(),
  leaderUserId: Type.Union([Uuid, Type.Null()]),
  supervision: Type.Union([Strict({ level: Type.Enum(SupervisionLevels), dueAt: NullableTimestamp }), Type.Null()]),
  extensionRequest: Type.Union([Strict({ workingDays: Type.Integer(), reason: Type.String(), by: Type.String() }), Type.Null()]),
  mergedIntoId: Type.Union([Uuid, Type.Null()]),
  clocks: Strict({ contact: Clock, handle: Clock, reply: Clock }),
  resultText: Type.Union([Type.String(), Type.Null()]),
  visitResult: Type.Union([Type.Enum(VisitResults), Type.Null()]),
  createdAt: Timestamp,
  acceptedAt: NullableTimestamp,
  closedAt: NullableTimestamp,
  /** What the signed-in user may do to this case now. */
  allowedActions: Type.Array(Type.String()),
});
export type Case = Static<typeof Case>;

export const Attachment = Strict({
  id: Uuid, fileName: Type.String(), contentType: Type.String(), size: Type.Integer(), createdAt: Timestamp,
});
export type Attachment = Static<typeof Attachment>;
export const AttachmentContentTypes = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'] as const;

/** Who took a step: a member of staff (actorName is their name), the resident who reported, or the system itself. */
export const EventActor = Type.Union([Type.Literal('staff'), Type.Literal('resident'), Type.Literal('system')]);
export const CaseEvent = Strict({
  seq: Type.Integer(), at: Timestamp, actor: EventActor, actorName: Type.String(), actorOrgId: Type.Union([Id, Type.Null()]),
  action: Type.String(), fromStatus: Type.Union([CaseStatus, Type.Null()]), toStatus: CaseStatus,
  note: Type.Union([Type.String(), Type.Null()]), payload: Type.Record(Type.String(), Type.Unknown()),
});
export const CaseDetail = Strict({ case: Case, timeline: Type.Array(CaseEvent), attachments: Type.Array(Attachment) });
/**
 * What staff intake answers: the new case, and the receipt (受理回执) for the person who reported it — the
 * number and the tracking secret with which they follow the case on the resident page without an account.
 */
export const StaffIntakeResult = Strict({
  ...CaseDetail.properties,
  receipt: Strict({ number: Type.String(), trackingSecret: Type.String() }),
});

/** The command center's drill-down: a figure's counter, the organisation handling the cases, a tier not yet set. */
const drillDown = {
  metric: Type.Optional(Type.Enum(Metrics, { description: 'Only the cases a figure counts (docs/command-center.md)' })),
  assigneeOrgId: Type.Optional(Id),
  areaDirect: Type.Optional(Type.Boolean({ description: 'With areaId: only cases located at the area itself, not below it' })),
  /** A leader's own: the cases they took on (包案) and those they gave an instruction on (批示). */
  leaderMe: Type.Optional(Type.Boolean({ description: 'Only the cases I took on as leader (包案)' })),
  instructedByMe: Type.Optional(Type.Boolean({ description: 'Only the cases I gave an instruction on (批示)' })),
  supervisedByMe: Type.Optional(Type.Boolean({ description: 'Only the cases I supervised (督办)' })),
};
/** Full-text search: words of the description, address, notes and replies (docs/triage.md); all must match. */
const search = { q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Words the case says (description, address, notes, replies); results ranked by match' })) };
const TierFilter = Type.Union([Tier, Type.Literal('none')], { description: 'A tier, or none: not yet accepted with one' });
export const CaseListQuery = Strict({
  status: Type.Optional(CaseStatus), channel: Type.Optional(Channel), categoryId: Type.Optional(Id), tier: Type.Optional(TierFilter), ...drillDown,
  areaId: Type.Optional(Id), createdFrom: Type.Optional(Timestamp), createdTo: Type.Optional(Timestamp),
  overdue: Type.Optional(Type.Boolean()), queue: Type.Optional(Queue),
  open: Type.Optional(Type.Boolean({ description: 'true: only cases still being worked on; false: only finished ones' })),
  number: Type.Optional(Type.String({ maxLength: 40, description: 'Exact case number' })), ...search,
  ...PageQuery,
});
/** The same filters for the Excel ledger (台账), without paging. */
export const CaseExportQuery = Strict({
  status: Type.Optional(CaseStatus), channel: Type.Optional(Channel), categoryId: Type.Optional(Id), tier: Type.Optional(TierFilter), ...drillDown,
  areaId: Type.Optional(Id), createdFrom: Type.Optional(Timestamp), createdTo: Type.Optional(Timestamp),
  overdue: Type.Optional(Type.Boolean()), queue: Type.Optional(Queue), open: Type.Optional(Type.Boolean()), ...search,
  locale: Type.Optional(Type.Enum(['zh-CN', 'en-US'])),
});
export const QueueCounts = Strict(Object.fromEntries(Queues.map((q) => [q, Type.Integer()])) as unknown as Record<Queue, ReturnType<typeof Type.Integer>>);

/** Photos or documents of the result, uploaded first (POST /api/v1/attachments); at most 9 per case in all. */
const ResultPhotos = Type.Array(Uuid, { maxItems: 9, uniqueItems: true, description: 'attachments uploaded by the caller, shown with the result' });

/** Every action on a case: its body (besides `version`). The transition table lives in the server. */
export const CaseActionBodies = {
  /** `categoryId`: the category as the accepting clerk corrects it (a resident's or a platform's choice is kept otherwise). */
  accept: { tier: Tier, categoryId: Type.Optional(Id), note: Type.Optional(Note) },
  reject: { reason: Reason },
  set_tier: { tier: Tier, note: Type.Optional(Note) },
  dispatch: { organizationId: Id, note: Type.Optional(Note) },
  sign_for: { note: Type.Optional(Note) },
  /** 自办: the owning center handles the case itself — in progress at once, no dispatch to itself and signing for it. */
  handle_self: { note: Type.Optional(Note) },
  /** 提级办理 (上收): a center above the owner takes the case over, with a reason; it then accepts or dispatches it. */
  take_over: { reason: Reason },
  return: { reason: Reason },
  rule: { organizationId: Id, note: Type.Optional(Note) },
  escalate: { reason: Reason, tier: Type.Optional(Tier) },
  send_down: { organizationId: Id, note: Type.Optional(Note) },
  add_co_handler: { organizationId: Id, note: Type.Optional(Note) },
  contact: { note: Type.Optional(Note) },
  request_extension: { workingDays: Type.Integer({ minimum: 1, maximum: 60 }), reason: Reason },
  approve_extension: { note: Type.Optional(Note) },
  deny_extension: { reason: Reason },
  suspend: { reason: Reason },
  resume: { note: Type.Optional(Note) },
  supervise: { level: Type.Enum(SupervisionLevels), dueInWorkingDays: Type.Integer({ minimum: 1, maximum: 30 }), note: Reason },
  take_ownership: { note: Type.Optional(Note) },
  instruct: { note: Reason },
  handle_on_spot: { result: Reason, attachmentIds: Type.Optional(ResultPhotos) },
  reply: { result: Reason, attachmentIds: Type.Optional(ResultPhotos) },
  return_visit: { result: Type.Enum(VisitResults), note: Type.Optional(Note) },
  merge: { masterCaseId: Uuid, note: Type.Optional(Note) },
  close: { note: Type.Optional(Note) },
  archive: { note: Type.Optional(Note) },
} as const;
export type CaseAction = keyof typeof CaseActionBodies;
export const CaseActions = Object.keys(CaseActionBodies) as CaseAction[];
type ActionBodySchema<A extends CaseAction> = ({ version: typeof Version } & (typeof CaseActionBodies)[A]) extends infer P extends TProperties ? TObject<P> : never;
export const caseActionBody = <A extends CaseAction>(a: A) => Strict({ version: Version, ...CaseActionBodies[a] }) as unknown as ActionBodySchema<A>;
/** The body of one action, as the server's effects receive it. */
export type CaseActionInput<A extends CaseAction> = Static<ActionBodySchema<A>>;

export const PublicTracking = Strict({
  number: Type.String(), status: CaseStatus, category: Type.String(), createdAt: Timestamp,
  timeline: Type.Array(Strict({ at: Timestamp, action: Type.String(), toStatus: CaseStatus })),
  result: Type.Union([Type.String(), Type.Null()]),
  area: Type.String(),
  /** Who has the case now, in words a resident reads (正在由 南关区住房和城乡建设局 办理): the handling organisation, else the owning center. */
  handler: Type.String(),
  canRate: Type.Boolean(),
  visitResult: Type.Union([Type.Enum(VisitResults), Type.Null()]),
  /** The photos of the result (the reply's or the on-the-spot handling's), fetched with publicResultPhoto; empty before a result. */
  resultPhotos: Type.Array(Uuid, { maxItems: 9 }),
});
export const PublicRating = Strict({
  secret: Type.String({ minLength: 8, maxLength: 100 }),
  result: Type.Enum(['satisfied', 'basically_satisfied', 'unsatisfied']),
  comment: Type.Optional(Type.String({ maxLength: 1000 })),
});

export const Category = Strict({
  id: Id, parentId: Type.Union([Id, Type.Null()]), code: Type.String(), name: Type.String(), nameEn: Type.String(),
  caseType: Type.Enum(CaseTypes), active: Type.Boolean(),
});
export const Notification = Strict({
  id: Type.Integer(), caseId: Type.Union([Uuid, Type.Null()]), kind: Type.String(), title: Type.String(), body: Type.String(),
  createdAt: Timestamp, readAt: NullableTimestamp,
});

const Span = Strict({ amount: Type.Integer({ minimum: 1, maximum: 720 }), unit: Type.Enum(['hours', 'working_days']) });
/** Mediation's clocks count calendar days (自然日) or working days. */
const MediationSpan = Strict({ amount: Type.Integer({ minimum: 1, maximum: 365 }), unit: Type.Enum(['days', 'working_days']) });
const mediationSpans = {
  mediationAccept: Type.Union([MediationSpan, Type.Null()], { description: 'Accept or decline a mediation application within (null: a less specific policy’s, else 3 working days)' }),
  mediation: Type.Union([MediationSpan, Type.Null()], { description: 'Mediate within, from acceptance (null: a less specific policy’s, else 30 days)' }),
};
export const DeadlinePolicy = Strict({
  id: Id, categoryId: Type.Union([Id, Type.Null()]), tier: Type.Union([Tier, Type.Null()]),
  contact: Span, handle: Span, reply: Span, ...mediationSpans, updatedAt: Timestamp,
});
export const DeadlinePolicyPut = Strict({
  categoryId: Type.Union([Id, Type.Null()]), tier: Type.Union([Tier, Type.Null()]), contact: Span, handle: Span, reply: Span,
  mediationAccept: Type.Optional(mediationSpans.mediationAccept), mediation: Type.Optional(mediationSpans.mediation),
});
export const CalendarDay = Strict({ day: Type.String({ format: 'date' }), kind: Type.Enum(['holiday', 'workday']), name: Type.String(), source: Type.String() });
export const CalendarDayPut = Strict({ kind: Type.Enum(['holiday', 'workday']), name: Type.String({ minLength: 1, maxLength: 50 }) });
export const CategoryCreate = Strict({
  parentId: Id, code: Type.String({ pattern: '^[A-Z][A-Z0-9]{1,9}$' }), name: Type.String({ minLength: 1, maxLength: 50 }), nameEn: Type.String({ minLength: 1, maxLength: 80 }),
});
export const CategoryUpdate = Strict({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })), nameEn: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })), active: Type.Optional(Type.Boolean()),
}, { minProperties: 1 });

/** What a QR code's place code stands for, shown to the resident before reporting. */
export const PublicPlace = Strict({
  code: Type.String(), name: Type.String(), areaId: Id, areaName: Type.String(), areaTrail: Type.Array(Type.String()),
});
export const PublicArea = Strict({ id: Id, name: Type.String(), level: Type.String(), hasChildren: Type.Boolean() });
export const CaseTarget = Strict({
  id: Id, name: Type.String(), kind: Type.Enum(['center', 'department', 'mediation_committee']), departmentType: Type.Union([Type.String(), Type.Null()]),
  areaId: Id, areaName: Type.String(), areaLevel: Type.String(), areaPath: Type.String(),
});

/** One input of a case action, described for forms (the console builds its action dialogs from these). */
export interface ActionField {
  name: string; required: boolean; kind: 'text' | 'integer' | 'enum' | 'organization' | 'case' | 'attachments' | 'category';
  options?: string[]; min?: number; max?: number; maxLength?: number;
}
export function actionFields(a: CaseAction): ActionField[] {
  return Object.entries(CaseActionBodies[a]).map(([name, schema]) => {
    const s = schema as { type?: string; enum?: string[]; minimum?: number; maximum?: number; maxLength?: number };
    const kind: ActionField['kind'] = name === 'organizationId' ? 'organization' : name === 'categoryId' ? 'category' : name === 'masterCaseId' ? 'case' : name === 'attachmentIds' ? 'attachments'
      : s.enum ? 'enum' : s.type === 'integer' ? 'integer' : 'text';
    return {
      name, required: !Type.IsOptional(schema), kind,
      ...(s.enum ? { options: s.enum } : {}), ...(s.minimum !== undefined ? { min: s.minimum } : {}),
      ...(s.maximum !== undefined ? { max: s.maximum } : {}), ...(s.maxLength !== undefined ? { maxLength: s.maxLength } : {}),
    };
  });
}

export type CaseEvent = Static<typeof CaseEvent>;
export type StaffIntakeResult = Static<typeof StaffIntakeResult>;
export type CaseDetail = Static<typeof CaseDetail>;
export type Category = Static<typeof Category>;
export type Notification = Static<typeof Notification>;
export type DeadlinePolicy = Static<typeof DeadlinePolicy>;
export type CalendarDay = Static<typeof CalendarDay>;
export type CaseTarget = Static<typeof CaseTarget>;
export type PublicTracking = Static<typeof PublicTracking>;
export type PublicPlace = Static<typeof PublicPlace>;
export type QueueCounts = Record<Queue, number>;
