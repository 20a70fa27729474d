import { Type, type Static, type TProperties, type TObject } from 'typebox';
import { Id, Strict, Timestamp, NullableTimestamp, Uuid, PageQuery } from './schemas.ts';

/**
 * Dispute mediation (矛盾纠纷多元化解, SPEC §4): a dispute is a case with a mediation record — its parties,
 * its mediators, sessions, the joint assessment, the outcome and agreement, judicial confirmation, hand-offs.
 */

/** The dispute-type code table; `DisputeTypeTable` carries its version and source. */
export const DisputeTypes = [
  'marriage_family', 'neighbourhood', 'housing_homestead', 'contract', 'business', 'damages', 'forest_land',
  'land_acquisition', 'environment', 'labour', 'wage_arrears', 'consumer', 'medical', 'traffic', 'property', 'other',
] as const;
export const DisputeTypeTable = {
  version: '2026.1',
  source: 'SPEC §4: the dispute types people’s mediation committees report by (婚姻家庭 … 其他)',
  codes: DisputeTypes,
} as const;
export const MediationModes = ['people', 'administrative', 'industry', 'judicial'] as const;
/** How a dispute came: a party's application, a sweep, the committee's own initiative, or referred by police (警调), court (诉调), petition office (访调), 12345. */
export const MediationSources = ['application', 'sweep', 'initiative', 'police', 'court', 'petition', 'hotline'] as const;
export const RiskLevels = ['low', 'medium', 'high'] as const;
export const PartyRoles = ['applicant', 'respondent', 'third_party'] as const;
export const MediationStatuses = ['applied', 'declined', 'accepted', 'in_mediation', 'agreed', 'partial', 'failed', 'terminated', 'closed'] as const;
export const MediationOutcomes = ['success', 'partial', 'failed', 'terminated'] as const;
/** With an agreement (调解成功 / 部分达成): performance follow-up and judicial confirmation apply. */
export const AgreedStatuses = ['agreed', 'partial'] as const;
export const ReferOnTargets = ['arbitration', 'court', 'administrative'] as const;

export type DisputeType = (typeof DisputeTypes)[number];
export type MediationStatus = (typeof MediationStatuses)[number];
export type MediationOutcome = (typeof MediationOutcomes)[number];

const Text = (min: number, max: number) => Type.String({ minLength: min, maxLength: max });
const Opt = <T extends Parameters<typeof Type.Optional>[0]>(t: T) => Type.Optional(t);
const OrNull = <T extends Parameters<typeof Type.Optional>[0]>(t: T) => Type.Union([t, Type.Null()]);
const DateOnly = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });

export const PartyInput = Strict({
  role: Type.Enum(PartyRoles),
  kind: Type.Enum(['person', 'organization']),
  name: Text(1, 100),
  idType: Opt(Type.Enum(['resident_id', 'passport', 'credit_code', 'other'])),
  idNumber: Opt(OrNull(Text(1, 30))),
  phone: Opt(OrNull(Text(1, 20))),
  address: Opt(OrNull(Text(1, 200))),
  agentName: Opt(OrNull(Text(1, 50))),
  agentPhone: Opt(OrNull(Text(1, 20))),
});
export type PartyInput = Static<typeof PartyInput>;
export const Party = Strict({
  id: Id, role: Type.Enum(PartyRoles), kind: Type.Enum(['person', 'organization']),
  name: Type.String({ description: 'Masked for a person: 张*三' }), idType: OrNull(Type.String()),
  idNumber: OrNull(Type.String({ description: 'Masked' })), phone: OrNull(Type.String({ description: 'Masked' })),
  hasAddress: Type.Boolean(), agentName: OrNull(Type.String({ description: 'Masked' })), agentPhone: OrNull(Type.String({ description: 'Masked' })),
});
export const PartyField = Type.Enum(['name', 'idNumber', 'phone', 'address', 'agentName', 'agentPhone']);

const disputeFields = {
  disputeType: Type.Enum(DisputeTypes),
  amountYuan: Opt(OrNull(Type.Number({ minimum: 0, maximum: 1e12, description: 'Amount in dispute, yuan' }))),
  peopleInvolved: Opt(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
  riskLevel: Opt(Type.Enum(RiskLevels)),
  mode: Opt(Type.Enum(MediationModes)),
  source: Type.Enum(MediationSources),
  sourceRef: Opt(OrNull(Text(1, 60))),
  parties: Type.Array(PartyInput, { minItems: 2, maxItems: 50 }),
};
/** Opens mediation on a dispute case the actor's organisation holds. */
export const MediationOpen = Strict({ version: Type.Integer({ minimum: 1 }), ...disputeFields });
/** A referral in (警调/诉调/访调) or an application at the window: the case and its mediation together. */
export const MediationCreate = Strict({
  areaId: Id, categoryId: Id, description: Text(1, 4000), channel: Opt(Type.Enum(['window', 'police_push', 'court_referral', 'petition', 'hotline', 'grid_patrol'])),
  ...disputeFields,
});

export const Session = Strict({
  id: Id, startsAt: Timestamp, endsAt: Timestamp, roomId: OrNull(Id), roomName: OrNull(Type.String()), online: Type.Boolean(),
  mediatorIds: Type.Array(Id), status: Type.Enum(['scheduled', 'held', 'cancelled']),
  attendance: Type.Array(Type.String()), minutes: OrNull(Type.String()),
});
export const Mediation = Strict({
  caseId: Uuid, caseNumber: Type.String(), version: Type.Integer(), status: Type.Enum(MediationStatuses),
  committeeOrgId: Id, committee: Type.String(), disputeType: Type.Enum(DisputeTypes), amountYuan: OrNull(Type.Number()),
  peopleInvolved: Type.Integer(), riskLevel: Type.Enum(RiskLevels), mode: Type.Enum(MediationModes),
  source: Type.Enum(MediationSources), sourceRef: OrNull(Type.String()),
  leadMediatorId: OrNull(Id), teamIds: Type.Array(Id),
  acceptDueAt: Type.Union([Timestamp, Type.Null()], { description: 'An application: accept or decline by (deadline policy)' }),
  dueAt: Type.Union([Timestamp, Type.Null()], { description: 'Mediate by (deadline policy, moved by extensions)' }),
  assessment: OrNull(Strict({ participants: Type.Array(Type.String()), opinion: Type.String(), at: Timestamp })),
  outcome: OrNull(Type.Enum(MediationOutcomes)), outcomeReason: OrNull(Type.String()),
  agreement: OrNull(Strict({ number: Type.String(), terms: Type.String(), performBy: OrNull(Type.String()), agreedAt: Timestamp })),
  performance: Type.Array(Strict({ at: Timestamp, performed: Type.String(), note: Type.String() })),
  signedScan: OrNull(Strict({ attachmentIds: Type.Array(Uuid), at: Timestamp }, { description: 'The signed agreement, scanned and uploaded back' })),
  confirmation: OrNull(Strict({
    courtOrgId: Id, requestedAt: Timestamp, deadline: Type.String(), lateReason: OrNull(Type.String()),
    ruling: OrNull(Type.Enum(['confirmed', 'rejected'])), rulingNo: OrNull(Type.String()), ruledAt: NullableTimestamp,
  })),
  referral: OrNull(Strict({ to: Type.Enum(ReferOnTargets), organizationId: OrNull(Id), note: Type.String(), at: Timestamp })),
  parties: Type.Array(Party), sessions: Type.Array(Session),
  allowedActions: Type.Array(Type.String()), openedAt: Timestamp, closedAt: NullableTimestamp,
});
export type Mediation = Static<typeof Mediation>;

const Reason = Text(1, 1000);
/** The body of each mediation action (besides `version`). */
export const MediationActionBodies = {
  accept: { note: Opt(Text(0, 1000)) },
  decline: { reason: Reason },
  assign: { leadMediatorId: Id, teamIds: Opt(Type.Array(Id, { maxItems: 10, uniqueItems: true })) },
  assess: { participants: Type.Array(Text(1, 100), { minItems: 1, maxItems: 30 }), opinion: Text(1, 10000) },
  schedule_session: {
    startsAt: Type.String({ format: 'date-time' }), endsAt: Type.String({ format: 'date-time' }), roomId: Opt(OrNull(Id)),
    online: Opt(Type.Boolean()), mediatorIds: Opt(Type.Array(Id, { minItems: 1, maxItems: 10, uniqueItems: true })),
  },
  record_session: { sessionId: Id, attendance: Type.Array(Text(1, 100), { maxItems: 100 }), minutes: Text(1, 20000), attachmentIds: Opt(Type.Array(Uuid, { maxItems: 9 })) },
  extend: { days: Type.Integer({ minimum: 1, maximum: 90 }), reason: Reason },
  conclude: {
    outcome: Type.Enum(MediationOutcomes), reason: Opt(Text(0, 2000)), terms: Opt(Text(1, 10000)),
    performBy: Opt(OrNull(DateOnly)),
  },
  file_signed_agreement: { attachmentIds: Type.Array(Uuid, { minItems: 1, maxItems: 10, uniqueItems: true, description: 'Uploads of the signed agreement (scan or photo, PDF or image)' }) },
  record_performance: { performed: Type.Enum(['full', 'partial', 'none']), note: Text(1, 2000) },
  refer_confirmation: { courtOrgId: Id, lateReason: Opt(Text(1, 1000)) },
  record_ruling: { ruling: Type.Enum(['confirmed', 'rejected']), rulingNo: Opt(Text(1, 60)) },
  refer_on: { to: Type.Enum(ReferOnTargets), organizationId: Opt(OrNull(Id)), note: Text(1, 2000) },
  close: { note: Opt(Text(0, 1000)) },
} satisfies Record<string, TProperties>;
export type MediationAction = keyof typeof MediationActionBodies;
export const MediationActions = Object.keys(MediationActionBodies) as MediationAction[];
type BodySchema<A extends MediationAction> = ({ version: ReturnType<typeof Type.Integer> } & (typeof MediationActionBodies)[A]) extends infer P extends TProperties ? TObject<P> : never;
export const mediationActionBody = <A extends MediationAction>(a: A) => Strict({ version: Type.Integer({ minimum: 1 }), ...MediationActionBodies[a] }) as unknown as BodySchema<A>;
export type MediationActionInput<A extends MediationAction> = Static<BodySchema<A>>;

export const Mediator = Strict({
  id: Id, name: Type.String(), userId: OrNull(Uuid), organizationId: OrNull(Id), affiliation: Type.String(),
  specialties: Type.Array(Type.Enum(DisputeTypes)), areaId: Id, areaPath: Type.String(), certificate: OrNull(Type.String()),
  active: Type.Boolean(), load: Type.Integer({ description: 'Open mediations led or joined' }),
  concluded: Type.Integer(), succeeded: Type.Integer(),
});
export const MediatorCreate = Strict({
  name: Text(1, 50), userId: Opt(OrNull(Uuid)), organizationId: Opt(OrNull(Id)), affiliation: Text(1, 100),
  specialties: Type.Array(Type.Enum(DisputeTypes), { minItems: 1, maxItems: DisputeTypes.length, uniqueItems: true }),
  areaId: Id, certificate: Opt(OrNull(Text(1, 60))),
});
export const Recommendation = Strict({ mediator: Mediator, score: Type.Number(), reasons: Type.Array(Type.String()) });
export const Room = Strict({ id: Id, name: Type.String(), organizationId: Id, areaPath: Type.String(), capacity: Type.Integer(), active: Type.Boolean() });
export const RoomCreate = Strict({ name: Text(1, 60), organizationId: Id, capacity: Opt(Type.Integer({ minimum: 1, maximum: 500 })) });
export const Booking = Strict({ sessionId: Id, caseId: Uuid, caseNumber: Type.String(), startsAt: Timestamp, endsAt: Timestamp, roomId: OrNull(Id), mediatorIds: Type.Array(Id) });

export const MediationQuery = Strict({
  status: Opt(Type.Enum(MediationStatuses)), disputeType: Opt(Type.Enum(DisputeTypes)), mine: Opt(Type.Boolean()), ...PageQuery,
});
export const MediationSummary = Strict({
  id: Uuid, caseId: Uuid, caseNumber: Type.String(), status: Type.Enum(MediationStatuses), disputeType: Type.Enum(DisputeTypes),
  riskLevel: Type.Enum(RiskLevels), committee: Type.String(), leadMediatorId: OrNull(Id), dueAt: NullableTimestamp,
  nextSessionAt: NullableTimestamp, openedAt: Timestamp,
  confirmationDue: OrNull(Type.String({ description: 'For an agreement not yet referred for judicial confirmation: the last day to apply (YYYY-MM-DD)' })),
});
export const MediationFigures = Strict({
  total: Type.Integer({ description: 'Disputes whose mediation opened in the period' }),
  concluded: Type.Integer({ description: 'Mediations concluded (any outcome) in the period' }), byType: Type.Record(Type.String(), Type.Integer()), bySource: Type.Record(Type.String(), Type.Integer()),
  byOutcome: Type.Record(Type.String(), Type.Integer()),
  successRate: OrNull(Type.Number({ description: '(success + partial) / concluded, over conclusions in the period' })),
  averageDaysToResolve: OrNull(Type.Number()), amountSettledYuan: Type.Number(), confirmations: Type.Integer(), confirmed: Type.Integer(),
});
export const FiguresQuery = Strict({ areaId: Opt(Id), from: Opt(DateOnly), to: Opt(DateOnly) });

export const SweepCreate = Strict({
  areaId: Id, title: Text(1, 100), kind: Type.Enum(['monthly', 'quarterly', 'special']), dueOn: DateOnly,
});
export const SweepReportInput = Strict({
  gridId: Id,
  disputes: Type.Array(Strict({ description: Text(1, 2000), disputeType: Type.Enum(DisputeTypes), peopleInvolved: Opt(Type.Integer({ minimum: 1, maximum: 100000 })) }), { maxItems: 50 }),
  note: Opt(Text(0, 1000)),
});
export const Sweep = Strict({
  id: Id, title: Type.String(), kind: Type.String(), areaId: Id, areaName: Type.String(), dueOn: Type.String(), createdAt: Timestamp,
  grids: Type.Integer(), reported: Type.Integer(), zeroReports: Type.Integer(), disputesFound: Type.Integer(),
  completion: Type.Number({ description: 'reported / grids, 0..1' }),
  reports: Type.Array(Strict({ gridId: Id, gridName: Type.String(), reportedAt: NullableTimestamp, zero: OrNull(Type.Boolean()), caseIds: Type.Array(Uuid) })),
});
export const AgreementQuery = Strict({ format: Opt(Type.Enum(['docx', 'html'])) });
export { DateOnly as MediationDate };
