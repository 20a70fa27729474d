import { Type, type Static } from 'typebox';
import { Id, Strict } from './schemas.ts';

/**
 * The command center (研判调度中心, SPEC §6): figures for an area subtree and a period, rates with their
 * definitions (docs/command-center.md), drill-down to the cases behind each number.
 */

/**
 * A case's counters, each 0 or 1 for one case (handleWorkingDays: the working days it took). Summed by the
 * rollups; the same definitions filter the case list (`metric`), so a figure and its list always agree.
 */
export const RollupCounters = [
  'n', 'merged', 'rejected', 'open', 'overdue', 'supervised', 'contactMet', 'contactMissed', 'handleMet', 'handleMissed',
  'replied', 'rated', 'satisfied', 'closed', 'closedFirst', 'reopened', 'repeated', 'handleWorkingDays',
] as const;
export type RollupCounter = (typeof RollupCounters)[number];
/** Counters a list can be filtered by (each case counts 0 or 1). */
export const Metrics = RollupCounters.filter((c) => c !== 'handleWorkingDays') as Exclude<RollupCounter, 'handleWorkingDays'>[];
export type Metric = (typeof Metrics)[number];

/** The rates: numerator and denominator counters. */
export const Rates = {
  /** 及时受理率: contacted within the contact clock, over cases whose contact clock is decided. */
  contactOnTime: ['contactMet', ['contactMet', 'contactMissed']],
  /** 按期办结率: replied within the handle clock (as extended), over cases whose handle clock is decided. */
  handleOnTime: ['handleMet', ['handleMet', 'handleMissed']],
  /** 群众满意率: 满意 + 基本满意, over cases rated. */
  satisfaction: ['satisfied', ['rated']],
  /** 参评率: rated, over replied. */
  ratedShare: ['rated', ['replied']],
  /** 一次性化解率: closed without ever being reopened, over closed. */
  firstTimeResolution: ['closedFirst', ['closed']],
  /** 重复诉求率: repeats, over all received. */
  repeatShare: ['repeated', ['n']],
} as const satisfies Record<string, readonly [Metric, readonly Metric[]]>;
export type RateName = keyof typeof Rates;
export const RateNames = Object.keys(Rates) as RateName[];

export const Periods = ['day', 'week', 'month', 'quarter', 'year', 'range'] as const;
export const Dimensions = ['channel', 'category', 'tier', 'status', 'area'] as const;
export type Dimension = (typeof Dimensions)[number];

const DateOnly = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD (China time)' });
export const CaseFiguresQuery = Strict({
  areaId: Type.Optional(Id),
  period: Type.Optional(Type.Enum(Periods, { description: 'day, week, month, quarter or year containing `date`; or range from–to' })),
  date: Type.Optional(DateOnly), from: Type.Optional(DateOnly), to: Type.Optional(DateOnly),
});

const Counts = Strict(Object.fromEntries(RollupCounters.map((c) => [c, Type.Integer()])) as Record<RollupCounter, ReturnType<typeof Type.Integer>>);
const Rate = Type.Union([Type.Number(), Type.Null()]);
const RateValues = Strict(Object.fromEntries(RateNames.map((r) => [r, Rate])) as Record<RateName, typeof Rate>);
const Span = Strict({ from: DateOnly, to: DateOnly });
export const FigureSet = Strict({
  period: Span, counts: Counts, rates: RateValues,
  averageHandleWorkingDays: Type.Union([Type.Number(), Type.Null()]),
});
export const Breakdown = Strict({
  key: Type.String({ description: 'channel, category id, tier, status, or the child area’s id' }),
  label: Type.String(), n: Type.Integer(), open: Type.Integer(), overdue: Type.Integer(), rates: RateValues,
  filter: Type.Record(Type.String(), Type.String(), { description: 'The case list’s parameters for this row (with the figure’s area and period): its length is `n`' }),
});
export const Figures = Strict({
  areaId: Id, areaName: Type.String(), scope: Type.Enum(['area', 'organization']),
  current: FigureSet, previous: FigureSet, yearBefore: FigureSet,
  now: Strict({ open: Type.Integer(), overdue: Type.Integer(), supervised: Type.Integer() }, { description: 'All cases of the scope, whenever received' }),
  breakdowns: Strict(Object.fromEntries(Dimensions.map((d) => [d, Type.Array(Breakdown)])) as Record<Dimension, ReturnType<typeof Type.Array<typeof Breakdown>>>),
  mediation: Strict({ concluded: Type.Integer(), successRate: Type.Union([Type.Number(), Type.Null()]) }),
  pending: Type.Integer({ description: 'Changes not yet in the rollups when the figures were read (normally 0; more while a fold is running)' }),
});
export type Figures = Static<typeof Figures>;
export type FigureSet = Static<typeof FigureSet>;


export const WarningKinds = ['cluster', 'repeat', 'group', 'spike', 'overdue', 'supervision', 'special_population'] as const;
export const WarningLevels = ['red', 'orange', 'yellow', 'blue'] as const;
export const WarningStatuses = ['open', 'acknowledged', 'resolved'] as const;
export type WarningLevel = (typeof WarningLevels)[number];
const Nullable = <T extends Parameters<typeof Type.Optional>[0]>(t: T) => Type.Union([t, Type.Null()]);
const When = Type.String({ format: 'date-time' });
export const Warning = Strict({
  id: Id, ruleId: Id, kind: Type.Enum(WarningKinds), level: Type.Enum(WarningLevels), areaId: Id, title: Type.String(),
  facts: Type.Record(Type.String(), Type.Unknown()), caseIds: Type.Array(Type.String({ format: 'uuid' })), status: Type.Enum(WarningStatuses),
  raisedAt: When, acknowledgedBy: Nullable(Type.String()), acknowledgedAt: Nullable(When), resolvedBy: Nullable(Type.String()), resolvedAt: Nullable(When),
  resolution: Nullable(Type.String()),
});
export type Warning = Static<typeof Warning>;
export const WarningQuery = Strict({
  status: Type.Optional(Type.Enum([...WarningStatuses, 'active'], { description: 'active: open or acknowledged' })), level: Type.Optional(Type.Enum(WarningLevels)),
  areaId: Type.Optional(Id), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })), cursor: Type.Optional(Type.String({ maxLength: 20 })),
});
export const WarningStep = Strict({ note: Type.Optional(Type.String({ maxLength: 2000 })) });
export const WarningRule = Strict({
  id: Id, organizationId: Nullable(Id), areaPath: Type.String(), kind: Type.Enum(WarningKinds), name: Type.String(), level: Type.Enum(WarningLevels),
  params: Type.Record(Type.String(), Type.Unknown()), notifyOrgIds: Type.Array(Id), active: Type.Boolean(),
});
/** Thresholds by kind: cluster {count, hours}; repeat {count, days}; group {people, keywords, categoryCodes}; spike {weeks, k, minCount, areaLevel}; supervision {level}. */
const RuleParams = Strict({
  count: Type.Optional(Type.Integer({ minimum: 2, maximum: 1000 })), hours: Type.Optional(Type.Integer({ minimum: 1, maximum: 24 * 90 })),
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })), people: Type.Optional(Type.Integer({ minimum: 2, maximum: 100000 })),
  keywords: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 20 }), { maxItems: 50 })),
  categoryCodes: Type.Optional(Type.Array(Type.String({ pattern: '^[A-Z][A-Z0-9]{1,9}$' }), { maxItems: 50 })),
  weeks: Type.Optional(Type.Integer({ minimum: 2, maximum: 26 })), k: Type.Optional(Type.Number({ minimum: 0, maximum: 10 })),
  minCount: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })), areaLevel: Type.Optional(Type.Enum(['county', 'township', 'village'])),
  level: Type.Optional(Type.Enum(['yellow', 'red'])),
});
export const WarningRuleCreate = Strict({
  kind: Type.Enum(WarningKinds), name: Type.String({ minLength: 1, maxLength: 50 }), level: Type.Enum(WarningLevels),
  params: Type.Optional(RuleParams), notifyOrgIds: Type.Optional(Type.Array(Id, { maxItems: 20 })),
});
export const WarningRuleUpdate = Strict({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })), level: Type.Optional(Type.Enum(WarningLevels)), params: Type.Optional(RuleParams),
  notifyOrgIds: Type.Optional(Type.Array(Id, { maxItems: 20 })), active: Type.Optional(Type.Boolean()),
});

const Weights = Strict(Object.fromEntries(RateNames.map((r) => [r, Type.Optional(Type.Number({ minimum: 0, maximum: 100 }))])) as Record<RateName, ReturnType<typeof Type.Optional<ReturnType<typeof Type.Number>>>>);
export const AssessmentFormula = Strict({ year: Type.Integer(), weights: Weights, minVolume: Type.Integer(), configured: Type.Boolean() });
export const AssessmentFormulaPut = Strict({ weights: Weights, minVolume: Type.Integer({ minimum: 1, maximum: 100000 }) });
export const RankingQuery = Strict({
  ...CaseFiguresQuery.properties, units: Type.Optional(Type.Enum(['areas', 'departments'])), locale: Type.Optional(Type.Enum(['zh-CN', 'en-US'])),
});
export const Ranking = Strict({
  areaId: Id, areaName: Type.String(), units: Type.Enum(['areas', 'departments']), period: Span, formula: AssessmentFormula,
  items: Type.Array(Strict({
    unitId: Id, name: Type.String(), n: Type.Integer(), rates: RateValues, score: Type.Number({ description: 'Σ weight × Wilson lower bound (95 %) of each rate' }),
    ranked: Type.Boolean({ description: 'false: fewer cases than the formula’s minimum volume' }), rank: Nullable(Type.Integer()),
  })),
});
export const YearParams = Strict({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) });
