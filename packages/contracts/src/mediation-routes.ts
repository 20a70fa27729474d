import { Type } from 'typebox';
import * as S from './schemas.ts';
import * as M from './mediation.ts';
import type { RouteContract } from './routes.ts';

/** The mediation module's endpoints; `routes` (routes.ts) includes them. */
const route = <const R extends RouteContract>(c: R) => c;
const tags = ['mediation'];

const actionSummaries: Record<M.MediationAction, string> = {
  accept: 'Accept the application (受理调解申请)', decline: 'Decline the application (不予受理) with a reason',
  assign: 'Assign the lead mediator and a team', assess: 'Record the joint assessment (会商研判) and its legal opinion (法律意见)',
  schedule_session: 'Schedule a session (room or online); a mediator or room booked twice at the same time is refused',
  record_session: 'Record a session: attendance and minutes (笔录)', extend: 'Extend the mediation deadline with a reason',
  conclude: 'Conclude: 调解成功 / 部分达成 (with the agreement’s terms) / 调解不成 / 终止',
  file_signed_agreement: 'Upload the signed agreement (scan or photo) back to the record',
  record_performance: 'Record the follow-up of the agreement’s performance (履行回访)',
  refer_confirmation: 'Refer the agreement for judicial confirmation (司法确认), within 30 days of its taking effect',
  record_ruling: 'Record the court’s ruling on the confirmation (确认有效 / 驳回)',
  refer_on: 'Hand a failed mediation on to arbitration, a court or an administrative body', close: 'Close the mediation (结案)',
};
function actionRoute<A extends M.MediationAction>(a: A) {
  return {
    operationId: `mediation_${a}` as `mediation_${A}`, method: 'POST' as const, url: `/api/v1/mediations/:id/${a}`, auth: 'user' as const,
    tags: ['mediation actions'], summary: actionSummaries[a], params: S.UuidParams, body: M.mediationActionBody(a), response: M.Mediation,
  };
}
type ActionRoutes = { [A in M.MediationAction as `mediation_${A}`]: ReturnType<typeof actionRoute<A>> };
export const mediationActionRoutes = Object.fromEntries(M.MediationActions.map((a) => [`mediation_${a}`, actionRoute(a)])) as ActionRoutes;

export const mediationRoutes = {
  openMediation: route({
    operationId: 'openMediation', method: 'POST', url: '/api/v1/cases/:id/mediation', auth: 'user', tags, status: 201,
    summary: 'Open mediation on a dispute case my organisation holds: parties, dispute type, amount, risk, mode, source',
    params: S.UuidParams, body: M.MediationOpen, response: M.Mediation,
  }),
  createMediation: route({
    operationId: 'createMediation', method: 'POST', url: '/api/v1/mediations', auth: 'user', tags, status: 201,
    summary: 'Register a dispute and its mediation at once: an application at the window, or a referral in from police (警调), court (诉调) or petition office (访调) with its reference',
    body: M.MediationCreate, response: M.Mediation,
  }),
  listMediations: route({
    operationId: 'listMediations', method: 'GET', url: '/api/v1/mediations', auth: 'user', tags,
    summary: 'Mediations in my view', querystring: M.MediationQuery, response: S.Page(M.MediationSummary),
  }),
  getMediation: route({
    operationId: 'getMediation', method: 'GET', url: '/api/v1/mediations/:id', auth: 'user', tags,
    summary: 'A dispute’s mediation: parties (masked), team, sessions, assessment, outcome, agreement, confirmation', params: S.UuidParams, response: M.Mediation,
  }),
  unmaskParty: route({
    operationId: 'unmaskParty', method: 'POST', url: '/api/v1/mediations/:id/parties/:partyId/unmask', auth: 'user', tags: [...tags, 'personal data'],
    summary: 'Reveal one field of a party, with a reason; audited',
    params: S.Strict({ id: S.Uuid, partyId: S.Id }), body: S.Strict({ field: M.PartyField, reason: Type.String({ minLength: 1, maxLength: 500 }) }),
    response: S.Strict({ field: Type.String(), value: Type.Union([Type.String(), Type.Null()]), auditId: Type.Integer() }),
  }),
  mediationAgreement: route({
    operationId: 'mediationAgreement', method: 'GET', url: '/api/v1/mediations/:id/agreement', auth: 'user', tags,
    binary: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    summary: 'The agreement (调解协议书) as Word (.docx, default) or as a print view (format=html); only after 调解成功 or 部分达成',
    params: S.UuidParams, querystring: M.AgreementQuery, response: S.Ok,
  }),
  mediationFileCover: route({
    operationId: 'mediationFileCover', method: 'GET', url: '/api/v1/mediations/:id/file', auth: 'user', tags, binary: 'text/html',
    summary: 'The case file cover and contents list (卷宗封面与目录) in the order mediation files are bound, as a print view',
    params: S.UuidParams, response: S.Ok,
  }),
  listMediators: route({
    operationId: 'listMediators', method: 'GET', url: '/api/v1/mediators', auth: 'user', tags,
    summary: 'The mediator pool (调解专家库) in my view, with each one’s load and outcomes',
    querystring: S.Strict({ specialty: Type.Optional(Type.Enum(M.DisputeTypes)), ...S.PageQuery }), response: S.Page(M.Mediator),
  }),
  createMediator: route({
    operationId: 'createMediator', method: 'POST', url: '/api/v1/mediators', auth: 'user', tags, status: 201,
    summary: 'Add a mediator to the pool', body: M.MediatorCreate, response: M.Mediator,
  }),
  recommendMediators: route({
    operationId: 'recommendMediators', method: 'GET', url: '/api/v1/mediations/:id/recommendations', auth: 'user', tags,
    summary: 'Mediators ranked for this dispute by specialty, nearness in the area tree, load and past outcomes, each with why',
    params: S.UuidParams, response: S.Strict({ items: Type.Array(M.Recommendation) }),
  }),
  listRooms: route({
    operationId: 'listRooms', method: 'GET', url: '/api/v1/mediation-rooms', auth: 'user', tags,
    summary: 'Mediation rooms in my view', querystring: S.Strict({ ...S.PageQuery }), response: S.Page(M.Room),
  }),
  createRoom: route({
    operationId: 'createRoom', method: 'POST', url: '/api/v1/mediation-rooms', auth: 'user', tags, status: 201,
    summary: 'Add a mediation room (e.g. 劳动监察调解室)', body: M.RoomCreate, response: M.Room,
  }),
  roomBookings: route({
    operationId: 'roomBookings', method: 'GET', url: '/api/v1/mediation-rooms/:id/bookings', auth: 'user', tags,
    summary: 'Sessions booked in a room from a day on', params: S.IdParams, querystring: S.Strict({ from: Type.Optional(M.MediationDate) }),
    response: S.Strict({ items: Type.Array(M.Booking) }),
  }),
  mediationFigures: route({
    operationId: 'mediationFigures', method: 'GET', url: '/api/v1/mediations/figures', auth: 'user', tags,
    summary: 'Disputes by type, source and outcome, success rate, days to resolve, amounts settled, judicial confirmations — scoped',
    querystring: M.FiguresQuery, response: M.MediationFigures,
  }),
  createSweep: route({
    operationId: 'createSweep', method: 'POST', url: '/api/v1/sweeps', auth: 'user', tags, status: 201,
    summary: 'Schedule a dispute sweep (矛盾纠纷排查) over the grids of an area', body: M.SweepCreate, response: M.Sweep,
  }),
  listSweeps: route({
    operationId: 'listSweeps', method: 'GET', url: '/api/v1/sweeps', auth: 'user', tags,
    summary: 'Sweeps in my view, newest first', querystring: S.Strict({ ...S.PageQuery }), response: S.Page(M.Sweep),
  }),
  getSweep: route({
    operationId: 'getSweep', method: 'GET', url: '/api/v1/sweeps/:id', auth: 'user', tags,
    summary: 'A sweep with its completion per grid', params: S.IdParams, response: M.Sweep,
  }),
  reportSweep: route({
    operationId: 'reportSweep', method: 'POST', url: '/api/v1/sweeps/:id/reports', auth: 'user', tags,
    summary: 'A grid’s report: the disputes found (each becomes a case), or none (零报告)', params: S.IdParams, body: M.SweepReportInput, response: M.Sweep,
  }),
  ...mediationActionRoutes,
} as const satisfies Record<string, RouteContract>;
