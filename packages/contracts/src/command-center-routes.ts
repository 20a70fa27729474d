import { Type } from 'typebox';
import * as S from './schemas.ts';
import * as C from './command-center.ts';
import type { RouteContract } from './routes.ts';

/** The command center's endpoints; `routes` (routes.ts) includes them. */
const route = <const R extends RouteContract>(c: R) => c;
const tags = ['command-center'];

export const commandCenterRoutes = {
  caseFigures: route({
    operationId: 'caseFigures', method: 'GET', url: '/api/v1/figures', auth: 'user', tags,
    summary: 'Figures of an area subtree (or of my organisation’s cases) for a period, the period before and a year before: counts, rates, breakdowns — each drills down to GET /api/v1/cases with the same filters',
    querystring: C.CaseFiguresQuery, response: C.Figures,
  }),
  figuresStream: route({
    operationId: 'figuresStream', method: 'GET', url: '/api/v1/figures/stream', auth: 'user', tags, binary: 'text/event-stream',
    summary: 'Server-sent events for the big screen: today’s counts, what is open now and the latest warnings, sent when they change',
    querystring: Type.Object({ areaId: Type.Optional(S.Id), once: Type.Optional(Type.Boolean({ description: 'Send the current picture and close (a check, a script)' })) }, { additionalProperties: false }), response: S.Ok,
  }),
  caseRanking: route({
    operationId: 'caseRanking', method: 'GET', url: '/api/v1/figures/ranking', auth: 'user', tags,
    summary: 'Rank the child areas (or the departments) of an area by the year’s assessment formula (考评)', querystring: C.RankingQuery, response: C.Ranking,
  }),
  exportRanking: route({
    operationId: 'exportRanking', method: 'GET', url: '/api/v1/figures/ranking/export', auth: 'user', tags,
    binary: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    summary: 'The ranking as an Excel table', querystring: C.RankingQuery, response: S.Ok,
  }),
  getAssessmentFormula: route({
    operationId: 'getAssessmentFormula', method: 'GET', url: '/api/v1/settings/assessment/:year', auth: 'user', tags,
    summary: 'The assessment formula of a year (the default where none is set)', params: C.YearParams, response: C.AssessmentFormula,
  }),
  putAssessmentFormula: route({
    operationId: 'putAssessmentFormula', method: 'PUT', url: '/api/v1/settings/assessment/:year', auth: 'user', tags,
    summary: 'Set the assessment formula of a year: points per rate and the minimum volume to be ranked', params: C.YearParams, body: C.AssessmentFormulaPut, response: C.AssessmentFormula,
  }),
  listWarnings: route({
    operationId: 'listWarnings', method: 'GET', url: '/api/v1/warnings', auth: 'user', tags,
    summary: 'Early warnings (四色预警) of my area, newest first', querystring: C.WarningQuery,
    response: Type.Object({ items: Type.Array(C.Warning), nextCursor: Type.Union([Type.String(), Type.Null()]) }, { additionalProperties: false }),
  }),
  acknowledgeWarning: route({
    operationId: 'acknowledgeWarning', method: 'POST', url: '/api/v1/warnings/:id/acknowledge', auth: 'user', tags,
    summary: 'Acknowledge a warning (认领): someone is on it', params: S.IdParams, body: C.WarningStep, response: C.Warning,
  }),
  resolveWarning: route({
    operationId: 'resolveWarning', method: 'POST', url: '/api/v1/warnings/:id/resolve', auth: 'user', tags,
    summary: 'Resolve a warning with what was done (note required)', params: S.IdParams, body: C.WarningStep, response: C.Warning,
  }),
  listWarningRules: route({
    operationId: 'listWarningRules', method: 'GET', url: '/api/v1/warning-rules', auth: 'user', tags,
    summary: 'Early-warning rules that apply to my area', response: Type.Object({ items: Type.Array(C.WarningRule) }, { additionalProperties: false }),
  }),
  createWarningRule: route({
    operationId: 'createWarningRule', method: 'POST', url: '/api/v1/warning-rules', auth: 'user', tags, status: 201,
    summary: 'Add a rule of my center, for the cases of its area', body: C.WarningRuleCreate, response: C.WarningRule,
  }),
  updateWarningRule: route({
    operationId: 'updateWarningRule', method: 'PATCH', url: '/api/v1/warning-rules/:id', auth: 'user', tags,
    summary: 'Change a rule of my center (installation-wide rules: installation administrators)', params: S.IdParams, body: C.WarningRuleUpdate, response: C.WarningRule,
  }),
} as const;
