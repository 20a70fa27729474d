import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseActions, MediationActions, Roles, routes, type CaseAction, type MediationAction, type OperationId } from '@fengqiao/contracts';
import ExcelJS from 'exceljs';
import { systemActor } from '../src/access/actor.ts';
import { createTestContext, snapshot, type TestContext } from './helpers/context.ts';
import { buildWorld, login, PASSWORD, type Session, type World } from './helpers/world.ts';

/**
 * A user of township A, holding every role there is, tries every endpoint against township B.
 * Reads must not return B's records; writes must be refused and leave the database as it was.
 * Adding an endpoint without a row here fails the "covers every endpoint" test.
 */
type Attempt = { method: string; url: string; payload?: unknown; headers?: Record<string, string> };
type Case =
  | { kind: 'self' } // acts only on the caller; nothing of another jurisdiction can be named
  | { kind: 'public' } // open to residents; guarded by a tracking secret, not by jurisdiction (tested in cases tests)
  | { kind: 'list'; attempt: (w: World) => Attempt; forbiddenIds: (w: World) => (string | number)[] }
  | { kind: 'denied'; attempt: (w: World) => Attempt; /** Another jurisdiction's case: tried by a user holding every role, answered as if it did not exist. */ notFound?: true }
  | { kind: 'file'; attempt: (w: World) => Attempt; check: (res: { statusCode: number; rawPayload: Buffer }) => Promise<void> };

const bToken = { id: '' };
const bCase = { id: '', number: '', attachmentId: '', notificationIds: [] as number[] };
const bReg = { person: '', place: 0, org: 0, visit: 0, grid: 0 };
const bMed = { party: 0, mediator: 0, room: 0, sweep: 0, court: 0 };
const bCC = { warning: 0, rule: 0 };
const bFeed = { id: '', device: '' };
const bHook = { id: '', delivery: 0 };
const PARTIES = [
  { role: 'applicant', kind: 'person', name: '钱乙甲', idNumber: '110101199003070011', phone: '13900002222' },
  { role: 'respondent', kind: 'person', name: '孙乙乙', phone: '13900003333' },
];
/** A valid body for every mediation action, so that only scope can refuse it. */
const mediationBody = (a: MediationAction, w: World): Record<string, unknown> => ({
  version: 1,
  ...({
    accept: {}, decline: { reason: '越权' }, assign: { leadMediatorId: bMed.mediator }, assess: { participants: ['越权'], opinion: '越权' },
    schedule_session: { startsAt: '2030-01-01T01:00:00Z', endsAt: '2030-01-01T02:00:00Z', online: true }, record_session: { sessionId: 1, attendance: [], minutes: '越权' },
    extend: { days: 3, reason: '越权' }, conclude: { outcome: 'failed', reason: '越权' }, record_performance: { performed: 'full', note: '越权' },
    file_signed_agreement: { attachmentIds: ['00000000-0000-4000-8000-000000000001'] },
    refer_confirmation: { courtOrgId: w.orgs.b.id }, record_ruling: { ruling: 'confirmed' }, refer_on: { to: 'court', note: '越权' }, close: {},
  } as Record<MediationAction, Record<string, unknown>>)[a],
});
const mediationActionCases = Object.fromEntries(MediationActions.map((a) => [`mediation_${a}`, {
  kind: 'denied', notFound: true, attempt: (w: World) => ({ method: 'POST', url: `/api/v1/mediations/${bCase.id}/${a}`, payload: mediationBody(a, w) }),
} satisfies Case])) as Record<`mediation_${MediationAction}`, Case>;
/** A square grid of 乙一社区 around (125.5, 43.5). */
const B_GRID = { type: 'Polygon', coordinates: [[[125.5, 43.5], [125.51, 43.5], [125.51, 43.51], [125.5, 43.51], [125.5, 43.5]]] };
const B_ID = '110101199003070011';
export const PNG_1PX = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
/** A valid body for every case action, so that only scope can refuse it. */
const actionBody = (a: CaseAction, w: World): Record<string, unknown> => ({
  version: 1,
  ...({
    accept: { tier: 'general' }, reject: { reason: '越权' }, set_tier: { tier: 'major' }, dispatch: { organizationId: w.orgs.b1.id },
    sign_for: {}, handle_self: {}, take_over: { reason: '越权' }, return: { reason: '越权' }, rule: { organizationId: w.orgs.b1.id }, escalate: { reason: '越权' },
    send_down: { organizationId: w.orgs.b1.id }, add_co_handler: { organizationId: w.orgs.a.id }, contact: {},
    request_extension: { workingDays: 2, reason: '越权' }, approve_extension: {}, deny_extension: { reason: '越权' },
    suspend: { reason: '越权' }, resume: {}, supervise: { level: 'red', dueInWorkingDays: 1, note: '越权' }, take_ownership: {},
    instruct: { note: '越权' }, handle_on_spot: { result: '越权' }, reply: { result: '越权' }, return_visit: { result: 'satisfied' },
    merge: { masterCaseId: bCase.id }, close: {}, archive: {},
  } as Record<CaseAction, Record<string, unknown>>)[a],
});
const actionCases = Object.fromEntries(CaseActions.map((a) => [`case_${a}`, {
  kind: 'denied', notFound: true, attempt: (w: World) => ({ method: 'POST', url: `/api/v1/cases/${bCase.id}/${a}`, payload: actionBody(a, w) }),
} satisfies Case])) as Record<`case_${CaseAction}`, Case>;
const cases: Record<OperationId, Case> = {
  ...actionCases,
  ...mediationActionCases,
  openMediation: { kind: 'denied', notFound: true, attempt: () => ({ method: 'POST', url: `/api/v1/cases/${bCase.id}/mediation`, payload: { version: 1, disputeType: 'neighbourhood', source: 'application', parties: PARTIES } }) },
  createMediation: { kind: 'denied', attempt: (w) => ({ method: 'POST', url: '/api/v1/mediations', payload: { areaId: w.areas.b1.id, categoryId: 1, description: '越权登记纠纷', disputeType: 'neighbourhood', source: 'application', parties: PARTIES } }) },
  listMediations: { kind: 'list', attempt: () => ({ method: 'GET', url: '/api/v1/mediations?limit=500' }), forbiddenIds: () => [bCase.id] },
  getMediation: { kind: 'denied', notFound: true, attempt: () => ({ method: 'GET', url: `/api/v1/mediations/${bCase.id}` }) },
  unmaskParty: { kind: 'denied', notFound: true, attempt: () => ({ method: 'POST', url: `/api/v1/mediations/${bCase.id}/parties/${bMed.party}/unmask`, payload: { field: 'phone', reason: '核实' } }) },
  mediationAgreement: { kind: 'denied', notFound: true, attempt: () => ({ method: 'GET', url: `/api/v1/mediations/${bCase.id}/agreement` }) },
  mediationFileCover: { kind: 'denied', notFound: true, attempt: () => ({ method: 'GET', url: `/api/v1/mediations/${bCase.id}/file` }) },
  recommendMediators: { kind: 'denied', notFound: true, attempt: () => ({ method: 'GET', url: `/api/v1/mediations/${bCase.id}/recommendations` }) },
  listMediators: { kind: 'list', attempt: () => ({ method: 'GET', url: '/api/v1/mediators?limit=500' }), forbiddenIds: () => [bMed.mediator] },
  createMediator: { kind: 'denied', attempt: (w) => ({ method: 'POST', url: '/api/v1/mediators', payload: { name: '越权', affiliation: '越权', specialties: ['other'], areaId: w.areas.b1.id } }) },
  listRooms: { kind: 'list', attempt: () => ({ method: 'GET', url: '/api/v1/mediation-rooms?limit=500' }), forbiddenIds: () => [bMed.room] },
  createRoom: { kind: 'denied', attempt: (w) => ({ method: 'POST', url: '/api/v1/mediation-rooms', payload: { name: '越权调解室', organizationId: w.orgs.b.id } }) },
  roomBookings: { kind: 'denied', attempt: () => ({ method: 'GET', url: `/api/v1/mediation-rooms/${bMed.room}/bookings` }) },
  mediationFigures: { kind: 'denied', attempt: (w) => ({ method: 'GET', url: `/api/v1/mediations/figures?areaId=${w.areas.b.id}` }) },
  caseFigures: { kind: 'denied', attempt: (w) => ({ method: 'GET', url: `/api/v1/figures?areaId=${w.areas.b.id}` }) },
  figuresStream: { kind: 'denied', attempt: (w) => ({ method: 'GET', url: `/api/v1/figures/stream?areaId=${w.areas.b.id}` }) },
  caseRanking: { kind: 'denied', attempt: (w) => ({ method: 'GET', url: `/api/v1/figures/ranking?areaId=${w.areas.b.id}` }) },
  exportRanking: { kind: 'denied', attempt: (w) => ({ method: 'GET', url: `/api/v1/figures/ranking/export?areaId=${w.areas.b.id}` }) },
  getAssessmentFormula: { kind: 'self' }, // installation-wide: the same formula for every jurisdiction
  putAssessmentFormula: { kind: 'denied', attempt: () => ({ method: 'PUT', url: '/api/v1/settings/assessment/2026', payload: { weights: { satisfaction: 100 }, minVolume: 1 } }) },
  listWarnings: { kind: 'list', attempt: () => ({ method: 'GET', url: '/api/v1/warnings?limit=500' }), forbiddenIds: () => [bCC.warning] },
  acknowledgeWarning: { kind: 'denied', notFound: true, attempt: () => ({ method: 'POST', url: `/api/v1/warnings/${bCC.warning}/acknowledge`, payload: {} }) },
  resolveWarning: { kind: 'denied', notFound: true, attempt: () => ({ method: 'POST', url: `/api/v1/warnings/${bCC.warning}/resolve`, payload: { note: '越权' } }) },
  listWarningRules: { kind: 'list', attempt: () => ({ method: 'GET', url: '/api/v1/warning-rules' }), forbiddenIds: () => [bCC.rule] },
  createWarningRule: { kind: 'self' }, // a rule of the caller's own center, for its own area
  updateWarningRule: { kind: 'denied', notFound: true, attempt: () => ({ method: 'PATCH', url: `/api/v1/warning-rules/${bCC.rule}`, payload: { active: false } }) },
  createSweep: { kind: 'denied', attempt: (w) => ({ method: 'POST', url: '/api/v1/sweeps', payload: { areaId: w.areas.b.id, title: '越权排查', kind: 'special', dueOn: '2030-01-01' } }) },
  listSweeps: { kind: 'list', attempt: () => ({ method: 'GET', url: '/api/v1/sweeps?limit=100' }), forbiddenIds: () => [bMed.sweep] },
  getSweep: { kind: 'denied', attempt: () => ({ method: 'GET', url: `/api/v1/sweeps/${bMed.sweep}` }) },
  reportSweep: { kind: 'denied', attempt: () => ({ method: 'POST', url: `/api/v1/sweeps/${bMed.sweep}/reports`, payload: { gridId: bReg.grid, disputes: [] } }) },
  createCase: { kind: 'denied', attempt: (w) => ({ method: 'POST', url: '/api/v1/cases', payload: { channel: 'window', areaId: w.areas.b1.id, categoryId: 1, description: '越权登记' } }) },
  listCases: { kind: 'list', attempt: () => ({ method: 'GET', url: '/api/v1/cases?limit=500' }), forbiddenIds: () => [bCase.id] },
  caseQueues: { kind: 'self' },
  exportCases: {
    kind: 'file', attempt: () => ({ method: 'GET', url: '/api/v1/cases/export' }),
    async check(res) {
      expect(res.statusCode).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      const numbers: string[] = [];
      wb.worksheets[0]!.eachRow((row) => numbers.push(String(row.getCell(1).value)));
      expect(numbers.length).toBeGreaterThan(0); // the header at least
      expect(numbers).not.toContain(bCase.number);
    },
  },
  getAttachment: { kind: 'denied', notFound: true, attempt: () => ({ method: 'GET', url: `/api/v1/attachments/${bCase.attachmentId}` }) },
  uploadAttachment: { kind: 'self' }, // an upload is the uploader's own until an intake in their jurisdiction names it
  publicUploadAttachment: { kind: 'public' }, publicPlace: { kind: 'public' }, publicAreas: { kind: 'public' },
  unmaskCaseReporter: { kind: 'denied', notFound: true, attempt: () => ({ method: 'POST', url: `/api/v1/cases/${bCase.id}/reporter/unmask`, payload: { field: 'phone', reason: '回访' } }) },
  registryCodes: { kind: 'self' },
  listPeople: { kind: 'list', attempt: () => ({ method: 'GET', url: '/api/v1/registry/people?limit=500' }), forbiddenIds: () => [bReg.person] },
  createPerson: { kind: 'denied', attempt: (w) => ({ method: 'POST', url: '/api/v1/registry/people', payload: { residency: 'registered', name: '越权', areaId: w.areas.b1.id } }) },
  getPerson: { kind: 'denied', attempt: () => ({ method: 'GET', url: `/api/v1/registry/people/${bReg.person}` }) },
  updatePerson: { kind: 'denied', attempt: () => ({ method: 'PATCH', url: `/api/v1/registry/people/${bReg.person}`, payload: { room: '101' } }) },
  unmaskPerson: { kind: 'denied', attempt: () => ({ method: 'POST', url: `/api/v1/registry/people/${bReg.person}/unmask`, payload: { field: 'idNumber', reason: '核实' } }) },
  putPersonGroup: { kind: 'denied', attempt: () => ({ method: 'PUT', url: `/api/v1/registry/people/${bReg.person}/groups/key_youth`, payload: { attentionLevel: 'high', details: { youthType: 'idle', guardian: '母亲' } } }) },
  deletePersonGroup: { kind: 'denied', attempt: () => ({ method: 'DELETE', url: `/api/v1/registry/people/${bReg.person}/groups/released_prisoner` }) },
  archivePerson: { kind: 'denied', attempt: () => ({ method: 'POST', url: `/api/v1/registry/people/${bReg.person}/archive`, payload: { reason: '迁出' } }) },
  purgePerson: { kind: 'denied', attempt: () => ({ method: 'POST', url: `/api/v1/registry/people/${bReg.person}/purge`, payload: { reason: '到期' } }) },
  importPeople: {
    kind: 'denied',
    attempt: (w) => ({ method: 'POST', url: `/api/v1/registry/people/import?format=csv&areaId=${w.areas.b1.id}`, payload: Buffer.from('姓名,人口类型\n越权,户籍人口\n'), headers: { 'content-type': 'text/csv' } }),
  },
  listPlaces: { kind: 'list', attempt: () => ({ method: 'GET', url: '/api/v1/registry/places?limit=500' }), forbiddenIds: () => [bReg.place] },
  createPlace: { kind: 'denied', attempt: (w) => ({ method: 'POST', url: '/api/v1/registry/places', payload: { kind: 'shop', name: '越权商铺', areaId: w.areas.b1.id } }) },
  getPlace: { kind: 'denied', attempt: () => ({ method: 'GET', url: `/api/v1/registry/places/${bReg.place}` }) },
  updatePlace: { kind: 'denied', attempt: () => ({ method: 'PATCH', url: `/api/v1/registry/places/${bReg.place}`, payload: { name: '改名' } }) },
  placeQrSheet: { kind: 'denied', attempt: (w) => ({ method: 'GET', url: `/api/v1/registry/places/qr-sheet?areaId=${w.areas.b1.id}` }) },
  listRegistryOrganizations: { kind: 'list', attempt: () => ({ method: 'GET', url: '/api/v1/registry/organizations?limit=500' }), forbiddenIds: () => [bReg.org] },
  createRegistryOrganization: { kind: 'denied', attempt: (w) => ({ method: 'POST', url: '/api/v1/registry/organizations', payload: { kind: 'social', name: '越权协会', areaId: w.areas.b1.id } }) },
  listVisits: { kind: 'list', attempt: () => ({ method: 'GET', url: '/api/v1/registry/visits?limit=500' }), forbiddenIds: () => [bReg.visit] },
  createVisit: { kind: 'denied', attempt: () => ({ method: 'POST', url: '/api/v1/registry/visits', payload: { subjectType: 'person', subjectId: bReg.person, kind: 'visit', note: '越权走访' } }) },
  importGrids: {
    kind: 'file',
    attempt: (w) => ({
      method: 'POST', url: `/api/v1/grids/import?crs=wgs84&parentCode=${w.areas.b1.code}`, headers: { 'content-type': 'application/geo+json' },
      payload: Buffer.from(JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { name: '越权网格', code: 'XB01' }, geometry: B_GRID }] })),
    }),
    async check(res) { // a report, not an error: the parent is not in A's jurisdiction, and nothing was written
      expect(res.statusCode).toBe(200);
      const report = JSON.parse(res.rawPayload.toString());
      expect(report.committed).toBe(false);
      expect(report.problems[0].reason).toMatch(/jurisdiction/);
    },
  },
  gridLookup: {
    kind: 'file', attempt: () => ({ method: 'GET', url: '/api/v1/grids/lookup?lon=125.505&lat=43.505' }),
    async check(res) { expect(res.statusCode).toBe(200); expect(JSON.parse(res.rawPayload.toString()).grid).toBeNull(); },
  },
  gridOverview: { kind: 'denied', attempt: () => ({ method: 'GET', url: `/api/v1/grids/${bReg.grid}` }) },
  setGridWorkers: { kind: 'denied', attempt: () => ({ method: 'PUT', url: `/api/v1/grids/${bReg.grid}/workers`, payload: { userIds: [] } }) },
  setAreaBoundary: { kind: 'denied', attempt: (w) => ({ method: 'PUT', url: `/api/v1/areas/${w.areas.b1.id}/boundary`, payload: { geometry: B_GRID, crs: 'wgs84' } }) },
  areaMap: { kind: 'denied', attempt: (w) => ({ method: 'GET', url: `/api/v1/map?areaId=${w.areas.b.id}` }) },
  caseTargets: { kind: 'denied', notFound: true, attempt: () => ({ method: 'GET', url: `/api/v1/cases/${bCase.id}/targets` }) },
  getCase: { kind: 'denied', notFound: true, attempt: () => ({ method: 'GET', url: `/api/v1/cases/${bCase.id}` }) },
  listCategories: { kind: 'self' },
  listNotifications: { kind: 'list', attempt: () => ({ method: 'GET', url: '/api/v1/notifications?limit=500' }), forbiddenIds: () => bCase.notificationIds },
  // installation-wide settings: readable by all staff, changed only by county-level administrators (a.all is a township's)
  listDeadlinePolicies: { kind: 'self' }, listCalendarDays: { kind: 'self' },
  putDeadlinePolicy: { kind: 'denied', attempt: () => ({ method: 'PUT', url: '/api/v1/settings/deadline-policies', payload: { categoryId: null, tier: null, contact: { amount: 1, unit: 'hours' }, handle: { amount: 1, unit: 'hours' }, reply: { amount: 1, unit: 'hours' } } }) },
  deleteDeadlinePolicy: { kind: 'denied', attempt: () => ({ method: 'DELETE', url: '/api/v1/settings/deadline-policies/1' }) },
  putCalendarDay: { kind: 'denied', attempt: () => ({ method: 'PUT', url: '/api/v1/settings/calendar/2026-12-01', payload: { kind: 'holiday', name: '越权' } }) },
  deleteCalendarDay: { kind: 'denied', attempt: () => ({ method: 'DELETE', url: '/api/v1/settings/calendar/2026-10-01' }) },
  createCategory: { kind: 'denied', attempt: () => ({ method: 'POST', url: '/api/v1/categories', payload: { parentId: 1, code: 'A77', name: '越权', nameEn: 'x' } }) },
  updateCategory: { kind: 'denied', attempt: () => ({ method: 'PATCH', url: '/api/v1/categories/2', payload: { active: false } }) },
  suggestCategories: { kind: 'denied', notFound: true, attempt: (w) => ({ method: 'POST', url: '/api/v1/triage/suggestions', payload: { text: '小区路灯不亮', areaId: w.areas.b1.id } }) },
  publicSuggestCategories: { kind: 'public' },
  findDuplicates: { kind: 'denied', notFound: true, attempt: (w) => ({ method: 'POST', url: '/api/v1/triage/duplicates', payload: { description: '乙一社区路灯不亮', areaId: w.areas.b1.id } }) },
  // B's case named among the ids: left out, as if it did not exist
  mergeSuggestions: {
    kind: 'file', attempt: () => ({ method: 'POST', url: '/api/v1/triage/merge-suggestions', payload: { caseIds: [bCase.id] } }),
    async check(res) { expect(res.statusCode).toBe(200); expect(JSON.parse(res.rawPayload.toString()).items).toEqual([]); },
  },
  caseDuplicates: { kind: 'denied', notFound: true, attempt: () => ({ method: 'GET', url: `/api/v1/cases/${bCase.id}/duplicates` }) },
  // the model is the installation's: a township's administrator neither trains nor switches nor lists it
  listTriageModels: { kind: 'denied', attempt: () => ({ method: 'GET', url: '/api/v1/triage/models' }) },
  trainTriageModel: { kind: 'denied', attempt: () => ({ method: 'POST', url: '/api/v1/triage/models' }) },
  activateTriageModel: { kind: 'denied', attempt: () => ({ method: 'POST', url: '/api/v1/triage/models/1/activate' }) },
  publicCategories: { kind: 'public' }, publicCreateCase: { kind: 'public' }, publicTrackCase: { kind: 'public' }, publicRateCase: { kind: 'public' }, publicResultPhoto: { kind: 'public' },
  login: { kind: 'self' }, logout: { kind: 'self' }, me: { kind: 'self' }, changePassword: { kind: 'self' },
  listAreas: {
    kind: 'list', attempt: (w) => ({ method: 'GET', url: `/api/v1/areas?limit=500` }),
    forbiddenIds: (w) => [w.areas.b.id, w.areas.b1.id, w.areas.county.id, w.areas.city.id],
  },
  getArea: { kind: 'denied', attempt: (w) => ({ method: 'GET', url: `/api/v1/areas/${w.areas.b1.id}` }) },
  createArea: { kind: 'denied', attempt: (w) => ({ method: 'POST', url: '/api/v1/areas', payload: { parentId: w.areas.b.id, level: 'village', name: '越权村' } }) },
  updateArea: { kind: 'denied', attempt: (w) => ({ method: 'PATCH', url: `/api/v1/areas/${w.areas.b1.id}`, payload: { name: '改名' } }) },
  deleteArea: { kind: 'denied', attempt: (w) => ({ method: 'DELETE', url: `/api/v1/areas/${w.areas.b1.id}` }) },
  listOrganizations: {
    kind: 'list', attempt: () => ({ method: 'GET', url: '/api/v1/organizations?limit=500' }),
    forbiddenIds: (w) => [w.orgs.b.id, w.orgs.b1.id, w.orgs.county.id, w.orgs.housing.id],
  },
  getOrganization: { kind: 'denied', attempt: (w) => ({ method: 'GET', url: `/api/v1/organizations/${w.orgs.b.id}` }) },
  createOrganization: { kind: 'denied', attempt: (w) => ({ method: 'POST', url: '/api/v1/organizations', payload: { kind: 'center', name: '越权中心', areaId: w.areas.b1.id } }) },
  updateOrganization: { kind: 'denied', attempt: (w) => ({ method: 'PATCH', url: `/api/v1/organizations/${w.orgs.b.id}`, payload: { active: false } }) },
  listUsers: {
    kind: 'list', attempt: () => ({ method: 'GET', url: '/api/v1/users?limit=500' }),
    forbiddenIds: (w) => [w.users.bAll.id, w.users.b1Staff.id, w.users.countyAdmin.id, w.users.housing.id],
  },
  getUser: { kind: 'denied', attempt: (w) => ({ method: 'GET', url: `/api/v1/users/${w.users.b1Staff.id}` }) },
  createUser: { kind: 'denied', attempt: (w) => ({ method: 'POST', url: '/api/v1/users', payload: { username: 'intruder', displayName: '越权', organizationId: w.orgs.b.id, roles: ['admin'], password: 'Password-1234' } }) },
  updateUser: { kind: 'denied', attempt: (w) => ({ method: 'PATCH', url: `/api/v1/users/${w.users.bAll.id}`, payload: { disabled: true } }) },
  resetUserPassword: { kind: 'denied', attempt: (w) => ({ method: 'POST', url: `/api/v1/users/${w.users.bAll.id}/password`, payload: { password: 'Takeover-12345' } }) },
  unlockUser: { kind: 'denied', attempt: (w) => ({ method: 'POST', url: `/api/v1/users/${w.users.bAll.id}/unlock` }) },
  unmaskUser: { kind: 'denied', attempt: (w) => ({ method: 'POST', url: `/api/v1/users/${w.users.b1Staff.id}/unmask`, payload: { field: 'phone', reason: '核实' } }) },
  listTokens: {
    kind: 'list', attempt: (w) => ({ method: 'GET', url: `/api/v1/tokens` }), forbiddenIds: () => [bToken.id],
  },
  createToken: { kind: 'denied', attempt: (w) => ({ method: 'POST', url: '/api/v1/tokens', payload: { userId: w.users.integration.id, name: 'steal' } }) },
  revokeToken: { kind: 'denied', attempt: () => ({ method: 'DELETE', url: `/api/v1/tokens/${bToken.id}` }) },
  listFeedSources: { kind: 'list', attempt: () => ({ method: 'GET', url: '/api/v1/feeds' }), forbiddenIds: () => [bFeed.id] },
  createFeedSource: { kind: 'denied', attempt: (w) => ({ method: 'POST', url: '/api/v1/feeds', payload: { kind: 'hotline', name: '冒用乙镇账号', userId: w.users.integration.id } }) },
  updateFeedSource: { kind: 'denied', notFound: true, attempt: () => ({ method: 'PATCH', url: `/api/v1/feeds/${bFeed.id}`, payload: { callbackUrl: 'http://127.0.0.1:9/steal' } }) },
  rotateFeedSecret: { kind: 'denied', notFound: true, attempt: () => ({ method: 'POST', url: `/api/v1/feeds/${bFeed.id}/secret` }) },
  listFeedDevices: { kind: 'denied', notFound: true, attempt: () => ({ method: 'GET', url: `/api/v1/feeds/${bFeed.id}/devices` }) },
  createFeedDevice: { kind: 'denied', notFound: true, attempt: (w) => ({ method: 'POST', url: `/api/v1/feeds/${bFeed.id}/devices`, payload: { code: 'X-1', kind: 'smoke', name: '越权', placeCode: 'NOPE', categoryId: 1 } }) },
  updateFeedDevice: { kind: 'denied', notFound: true, attempt: () => ({ method: 'PATCH', url: `/api/v1/feeds/${bFeed.id}/devices/${bFeed.device}`, payload: { active: false } }) },
  readNotification: { kind: 'denied', notFound: true, attempt: () => ({ method: 'POST', url: `/api/v1/notifications/${bCase.notificationIds[0]}/read` }) },
  readAllNotifications: { kind: 'self' },
  listWebhooks: { kind: 'list', attempt: () => ({ method: 'GET', url: '/api/v1/webhooks' }), forbiddenIds: () => [bHook.id] },
  createWebhook: { kind: 'denied', attempt: (w) => ({ method: 'POST', url: '/api/v1/webhooks', payload: { name: '窃听乙镇', url: 'http://127.0.0.1:9/steal', events: ['case.created'], organizationId: w.orgs.b.id } }) },
  updateWebhook: { kind: 'denied', notFound: true, attempt: () => ({ method: 'PATCH', url: `/api/v1/webhooks/${bHook.id}`, payload: { url: 'http://127.0.0.1:9/steal' } }) },
  listWebhookDeliveries: { kind: 'denied', notFound: true, attempt: () => ({ method: 'GET', url: `/api/v1/webhooks/${bHook.id}/deliveries` }) },
  replayWebhookDelivery: { kind: 'denied', notFound: true, attempt: () => ({ method: 'POST', url: `/api/v1/webhooks/${bHook.id}/deliveries/${bHook.delivery || 1}/replay` }) },
  listAudit: {
    kind: 'list', attempt: () => ({ method: 'GET', url: '/api/v1/audit?limit=500' }),
    forbiddenIds: () => [], // checked below by the entries' targets
  },
  exportAudit: {
    // B's dispatcher signed in (an entry in B): A's export of everything that person did holds the header alone
    kind: 'file', attempt: (w) => ({ method: 'GET', url: `/api/v1/audit/export?actorId=${w.users.bAll.id}` }),
    async check(res) {
      expect(res.statusCode).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      expect(wb.worksheets[0]!.rowCount).toBe(1);
    },
  },
};

let ctx: TestContext;
let w: World;
let a: Session;
/** Township A's user holding every role there is (handler and grid worker too). */
let aEvery: Session;

beforeAll(async () => {
  ctx = await createTestContext();
  w = await buildWorld(ctx);
  const created = await ctx.services.tokens.create(systemActor(), { userId: w.users.integration.id, name: 'B platform' });
  bToken.id = created.apiToken.id;
  const category = (await ctx.services.categories.byCode('A01'))!;
  const photo = await ctx.services.attachments.upload(null, PNG_1PX, 'image/png', 'lamp.png');
  const bc = await ctx.services.cases.createByStaff(systemActor(), { channel: 'window', areaId: w.areas.b1.id, categoryId: category.id, description: '乙一社区路灯不亮', attachmentIds: [photo.id] }, null);
  bCase.id = bc.case.id;
  bCase.number = bc.case.number;
  bCase.attachmentId = photo.id;
  expect(bc.attachments.map((x) => x.id)).toEqual([photo.id]);
  await ctx.services.outbox.drain();
  const inbox = await ctx.services.notifications.list({ ...systemActor(), organizationId: bc.case.owningOrg.id }, { limit: 500 });
  bCase.notificationIds = inbox.items.map((n) => n.id);
  expect(bCase.notificationIds.length).toBeGreaterThan(0);
  const sys = systemActor();
  const grids = await ctx.services.grids.importGrids(sys, { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { name: '乙一第1网格', code: 'B1G01' }, geometry: B_GRID }] }, { crs: 'wgs84', parentCode: w.areas.b1.code! });
  expect(grids.committed).toBe(true);
  bReg.grid = (await ctx.services.gridLocator.lookup(125.505, 43.505))!.id;
  bReg.place = (await ctx.services.registry.createPlace(sys, { kind: 'residential', name: '乙一1栋', location: { lon: 125.505, lat: 43.505 } })).id;
  const person = await ctx.services.registry.createPerson(sys, { residency: 'registered', name: '赵乙一', idNumber: B_ID, phone: '13900001111', placeId: bReg.place });
  bReg.person = person.id;
  await ctx.services.registry.putGroup(sys, person.id, 'released_prisoner', { attentionLevel: 'medium', details: { releasedOn: '2025-01-02', offence: '盗窃' } });
  const feed = await ctx.services.feeds.create(sys, { kind: 'iot', name: '乙镇消防物联网', userId: w.users.integration.id });
  bFeed.id = feed.source.id;
  bHook.id = (await ctx.services.webhooks.create({ ...sys, organizationId: w.orgs.b.id }, { name: '乙镇网格平台', url: 'http://127.0.0.1:9/b', events: ['case.created'] })).subscription.id;
  const placeCode = (await ctx.services.registry.getPlace(sys, bReg.place)).code;
  bFeed.device = (await ctx.services.feeds.createDevice(sys, bFeed.id, { code: 'SMOKE-B1', kind: 'smoke', name: '乙一1栋烟感', placeCode, categoryId: category.id })).id;
  bReg.org = (await ctx.services.registry.createOrganization(sys, { kind: 'social', name: '乙一志愿者协会', areaId: w.areas.b1.id })).id;
  bReg.visit = (await ctx.services.registry.recordVisit(sys, { subjectType: 'person', subjectId: person.id, kind: 'visit', note: '走访' })).id;
  // township B's mediation: parties, a mediator of its pool, a room, a sweep
  await ctx.services.mediation.open(sys, bCase.id, { version: (await ctx.services.cases.get(sys, bCase.id)).case.version, disputeType: 'neighbourhood', source: 'application', parties: PARTIES as never });
  bMed.party = (await ctx.services.mediation.get(sys, bCase.id)).parties[0]!.id;
  bMed.mediator = (await ctx.services.mediation.createMediator(sys, { name: '乙调解员', affiliation: '乙镇人民调解委员会', specialties: ['neighbourhood'], areaId: w.areas.b.id })).id;
  bMed.room = (await ctx.services.mediation.createRoom(sys, { name: '乙镇调解室', organizationId: w.orgs.b.id })).id;
  bMed.sweep = (await ctx.services.mediation.createSweep(sys, { areaId: w.areas.b.id, title: '乙镇节前排查', kind: 'special', dueOn: '2030-01-01' })).id;
  // township B's command center: a warning raised by a B case (many people: the group rule), and a rule of B's center
  await ctx.services.cases.createByStaff(sys, { channel: 'window', areaId: w.areas.b1.id, categoryId: category.id, description: '乙一社区多户反映', peopleInvolved: 30 }, null);
  await ctx.services.commandCenter.warnings.evaluateAll();
  bCC.warning = (await ctx.services.commandCenter.warnings.list(sys, { limit: 5 })).items[0]!.id;
  bCC.rule = (await ctx.services.commandCenter.warnings.createRule({ ...sys, organizationId: w.orgs.b.id, areaPath: w.areas.b.path }, { kind: 'cluster', name: '乙镇聚集', level: 'orange' })).id;
  a = await login(ctx, 'a.all');
  await ctx.services.users.create(sys, { username: 'a.every', displayName: '全角色', organizationId: w.orgs.a.id, roles: [...Roles], password: PASSWORD });
  aEvery = await login(ctx, 'a.every');
  await login(ctx, 'b.all'); // leaves audit entries in B
});
afterAll(() => ctx?.close());

describe('scoping: township A cannot read or change township B', () => {
  it('covers every endpoint', () => {
    expect(Object.keys(cases).sort()).toEqual(Object.keys(routes).sort());
  });

  for (const [op, c] of Object.entries(cases) as [OperationId, Case][]) {
    if (c.kind === 'self' || c.kind === 'public') continue;
    it(`${op}`, async () => {
      const req = c.attempt(w);
      const untouched = c.kind === 'file' ? ['sessions', 'audit_log'] : ['sessions']; // an export is audited
      const before = await snapshot(ctx, untouched);
      const who = c.kind === 'denied' && c.notFound ? aEvery : a;
      const res = await ctx.app.inject({ method: req.method as 'GET', url: req.url, headers: { ...who.headers, ...req.headers }, payload: req.payload as object });
      if (c.kind === 'file') {
        await c.check(res);
      } else if (c.kind === 'list') {
        expect(res.statusCode).toBe(200);
        const ids = (res.json().items as { id: string | number }[]).map((i) => i.id);
        for (const id of c.forbiddenIds(w)) expect(ids).not.toContain(id);
      } else if (c.notFound) {
        expect(res.statusCode, res.body).toBe(404);
        expect(res.json().error.code).toBe('NOT_FOUND');
      } else {
        expect([403, 404, 422]).toContain(res.statusCode);
        expect(['NOT_FOUND', 'OUT_OF_SCOPE', 'FORBIDDEN']).toContain(res.json().error.code);
      }
      expect(await snapshot(ctx, untouched)).toBe(before);
    });
  }

  it('full-text search never returns a case outside scope, to another township or a department (the same words find it for its own township)', async () => {
    const url = `/api/v1/cases?q=${encodeURIComponent('乙一社区 路灯')}&limit=500`;
    const b = await login(ctx, 'b.all');
    expect((await ctx.app.inject({ url, headers: b.headers })).json().items.map((c: { id: string }) => c.id)).toContain(bCase.id);
    // another township (with every role), and a department of the same county the case was not given to
    for (const who of [a, aEvery, await login(ctx, 'housing.handler')]) {
      const res = await ctx.app.inject({ url, headers: who.headers });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().items.map((c: { id: string }) => c.id)).not.toContain(bCase.id);
    }
  });

  it('the audit log shows A only entries of its own jurisdiction', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/audit?limit=500', headers: a.headers });
    const items = res.json().items as { targetType: string | null; targetId: string | null; action: string }[];
    expect(items.length).toBeGreaterThan(0);
    const bTargets = new Set([
      `user:${w.users.bAll.id}`, `user:${w.users.b1Staff.id}`, `user:${w.users.integration.id}`, `area:${w.areas.b.id}`,
      `area:${w.areas.b1.id}`, `organization:${w.orgs.b.id}`, `organization:${w.orgs.b1.id}`, `api_token:${bToken.id}`,
    ]);
    for (const e of items) expect(bTargets.has(`${e.targetType}:${e.targetId}`)).toBe(false);
    expect(items.some((e) => e.targetId === w.users.aAll.id && e.action === 'auth.login')).toBe(true);
  });

  it('the county sees both townships', async () => {
    const county = await login(ctx, 'county.admin');
    const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/areas?limit=500', headers: county.headers });
    const ids = res.json().items.map((i: { id: number }) => i.id);
    expect(ids).toEqual(expect.arrayContaining([w.areas.a.id, w.areas.b.id, w.areas.b1.id]));
    expect(ids).not.toContain(w.areas.city.id);
  });

  it('an API token acts only within its owner’s jurisdiction', async () => {
    const { token } = await ctx.services.tokens.create(systemActor(), { userId: w.users.integration.id, name: 'B reader' });
    const mine = await ctx.app.inject({ method: 'GET', url: `/api/v1/areas/${w.areas.b1.id}`, headers: { authorization: `Bearer ${token}` } });
    expect(mine.statusCode).toBe(200);
    const theirs = await ctx.app.inject({ method: 'GET', url: `/api/v1/areas/${w.areas.a1.id}`, headers: { authorization: `Bearer ${token}` } });
    expect(theirs.statusCode).toBe(404);
  });
});

describe('scoping: a department user sees only what is theirs', () => {
  it('lists only their own department and its staff, even with every role', async () => {
    const h = await login(ctx, 'housing.all');
    const orgs = (await ctx.app.inject({ method: 'GET', url: '/api/v1/organizations?limit=500', headers: h.headers })).json().items;
    expect(orgs.map((o: { id: number }) => o.id)).toEqual([w.orgs.housing.id]);
    const users = (await ctx.app.inject({ method: 'GET', url: '/api/v1/users?limit=500', headers: h.headers })).json().items;
    expect(users.map((u: { id: string }) => u.id).sort()).toEqual([w.users.housingAll.id, w.users.housing.id].sort());
    const police = await ctx.app.inject({ method: 'GET', url: `/api/v1/users/${w.users.police.id}`, headers: h.headers });
    expect(police.statusCode).toBe(404);
    const audit = (await ctx.app.inject({ method: 'GET', url: '/api/v1/audit?limit=500', headers: h.headers })).json().items;
    expect(audit.every((e: { targetId: string }) => [w.users.housingAll.id, w.users.housing.id, String(w.orgs.housing.id)].includes(e.targetId))).toBe(true);
  });

  it('a plain handler may not list staff or read the audit log', async () => {
    const h = await login(ctx, 'housing.handler');
    for (const url of ['/api/v1/users', '/api/v1/audit']) {
      const res = await ctx.app.inject({ method: 'GET', url, headers: h.headers });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('FORBIDDEN');
    }
    const me = await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: h.headers });
    expect(me.json().organization.id).toBe(w.orgs.housing.id);
  });

  it('cannot create an account in another department of the same area', async () => {
    const h = await login(ctx, 'housing.all');
    const res = await ctx.app.inject({
      method: 'POST', url: '/api/v1/users', headers: h.headers,
      payload: { username: 'police.fake', displayName: '假警察', organizationId: w.orgs.police.id, roles: ['handler'], password: 'Password-1234' },
    });
    expect(res.statusCode).toBe(404);
  });
});

/**
 * A department of the same county holds no case of township A's grid: not in a list, a count, a page, the map,
 * an export or any other read. Every GET endpoint has a row here, so that a new read of cases is tried too.
 * County staff, who may see the case, do see it through the same reads (the test can tell a leak from nothing).
 */
const MARKER = '甲一网格单元门玻璃破碎';
const aCase = { id: '', number: '' };
/** A square grid boundary for 甲一村第1网格 around (125.3, 43.8). */
const A_GRID = { type: 'Polygon', coordinates: [[[125.3, 43.8], [125.31, 43.8], [125.31, 43.81], [125.3, 43.81], [125.3, 43.8]]] };
type Read = (w: World) => string | null; // null: this endpoint reads nothing of cases and needs no request
const reads = Object.fromEntries(Object.keys(routes).map((op) => [op, () => null])) as unknown as Record<OperationId, Read>;
Object.assign(reads, {
  me: () => '/api/v1/auth/me', listAreas: () => '/api/v1/areas?limit=500', getArea: (w: World) => `/api/v1/areas/${w.areas.a1g.id}`,
  listOrganizations: () => '/api/v1/organizations?limit=500', getOrganization: (w: World) => `/api/v1/organizations/${w.orgs.housing.id}`,
  listUsers: () => '/api/v1/users?limit=500', getUser: (w: World) => `/api/v1/users/${w.users.housing.id}`, listTokens: () => '/api/v1/tokens',
  listAudit: () => '/api/v1/audit?limit=500', exportAudit: () => '/api/v1/audit/export', listCases: () => '/api/v1/cases?limit=500', caseQueues: () => '/api/v1/cases/queues',
  getCase: () => `/api/v1/cases/${aCase.id}`, caseTargets: () => `/api/v1/cases/${aCase.id}/targets`, listCategories: () => '/api/v1/categories',
  listNotifications: () => '/api/v1/notifications?limit=500', listDeadlinePolicies: () => '/api/v1/settings/deadline-policies',
  listCalendarDays: () => '/api/v1/settings/calendar?from=2026-01-01&to=2026-12-31', getAttachment: () => `/api/v1/attachments/${aCase.id}`,
  exportCases: () => '/api/v1/cases/export', registryCodes: () => '/api/v1/registry/codes', listPeople: () => '/api/v1/registry/people?limit=500',
  getPerson: () => `/api/v1/registry/people/${aCase.id}`, listPlaces: () => '/api/v1/registry/places?limit=500', getPlace: () => '/api/v1/registry/places/1',
  placeQrSheet: (w: World) => `/api/v1/registry/places/qr-sheet?areaId=${w.areas.a1.id}`, listRegistryOrganizations: () => '/api/v1/registry/organizations?limit=500',
  listVisits: () => '/api/v1/registry/visits?limit=500', gridLookup: () => '/api/v1/grids/lookup?lon=125.305&lat=43.805',
  gridOverview: (w: World) => `/api/v1/grids/${w.areas.a1g.id}`, areaMap: (w: World) => `/api/v1/map?areaId=${w.areas.a.id}`,
  listMediations: () => '/api/v1/mediations?limit=500', getMediation: () => `/api/v1/mediations/${aCase.id}`,
  mediationAgreement: () => `/api/v1/mediations/${aCase.id}/agreement`, mediationFileCover: () => `/api/v1/mediations/${aCase.id}/file`,
  recommendMediators: () => `/api/v1/mediations/${aCase.id}/recommendations`, listMediators: () => '/api/v1/mediators?limit=500',
  listRooms: () => '/api/v1/mediation-rooms?limit=500', roomBookings: () => '/api/v1/mediation-rooms/1/bookings',
  mediationFigures: (w: World) => `/api/v1/mediations/figures?areaId=${w.areas.a.id}`, caseFigures: (w: World) => `/api/v1/figures?areaId=${w.areas.a.id}`,
  figuresStream: (w: World) => `/api/v1/figures/stream?areaId=${w.areas.a.id}&once=true`, caseRanking: (w: World) => `/api/v1/figures/ranking?areaId=${w.areas.a.id}`, exportRanking: (w: World) => `/api/v1/figures/ranking/export?areaId=${w.areas.a.id}`,
  getAssessmentFormula: () => '/api/v1/settings/assessment/2026', listWarnings: () => '/api/v1/warnings?limit=500', listWarningRules: () => '/api/v1/warning-rules',
  listSweeps: () => '/api/v1/sweeps', getSweep: () => '/api/v1/sweeps/1', listTriageModels: () => '/api/v1/triage/models',
  caseDuplicates: () => `/api/v1/cases/${aCase.id}/duplicates`, listFeedSources: () => '/api/v1/feeds', listFeedDevices: () => `/api/v1/feeds/${bFeed.id}/devices`,
  listWebhooks: () => '/api/v1/webhooks', listWebhookDeliveries: () => `/api/v1/webhooks/${bHook.id}/deliveries`,
});

describe('scoping: a department of the same county reads nothing of a township’s cases', () => {
  let readers: { name: string; session: Session }[];
  let county: Session;
  beforeAll(async () => {
    const sys = systemActor();
    await ctx.services.grids.setBoundary(sys, w.areas.a1g.id, A_GRID, 'wgs84');
    const category = (await ctx.services.categories.byCode('A01'))!;
    const created = await ctx.services.cases.createByStaff(sys, {
      channel: 'grid_patrol', areaId: w.areas.a1g.id, categoryId: category.id, description: MARKER, location: { lon: 125.305, lat: 43.805 },
      reporter: { name: '甲一居民', phone: '13911112222' },
    }, null);
    Object.assign(aCase, { id: created.case.id, number: created.case.number });
    await ctx.services.outbox.drain();
    await ctx.services.users.create(sys, { username: 'housing.every', displayName: '住建全角色', organizationId: w.orgs.housing.id, roles: [...Roles], password: PASSWORD });
    // a mediation committee of the same township is a handling organisation too: it sees what is referred to it
    await ctx.services.users.create(sys, { username: 'mediation.every', displayName: '调解全角色', organizationId: w.orgs.aMediation.id, roles: [...Roles], password: PASSWORD });
    readers = [
      { name: 'housing (every role)', session: await login(ctx, 'housing.every') },
      { name: 'police (handler)', session: await login(ctx, 'police.handler') },
      { name: 'township A’s mediation committee (every role)', session: await login(ctx, 'mediation.every') },
    ];
    county = await login(ctx, 'county.admin');
  });

  it('covers every endpoint that reads', () => {
    const gets = Object.entries(routes).filter(([, r]) => r.method === 'GET' && r.auth === 'user').map(([op]) => op).sort();
    expect(gets.filter((op) => reads[op as OperationId](w) === null)).toEqual([]);
  });

  for (const op of Object.keys(routes) as OperationId[]) {
    it(`${op} shows a department nothing of the case`, async () => {
      const url = reads[op](w);
      if (!url) return;
      for (const { name, session } of readers) {
        const res = await ctx.app.inject({ method: 'GET', url, headers: session.headers });
        expect(res.statusCode, `${name}: ${res.body.slice(0, 200)}`).toBeLessThan(500);
        const text = res.rawPayload.toString('latin1') + res.body;
        for (const secret of [MARKER, aCase.id, aCase.number]) expect(text, `${name} reads ${secret} through ${url}`).not.toContain(secret);
      }
    });
  }

  it('shows no duplicate hint or merge suggestion of a case that was not given to them', async () => {
    for (const { name, session } of readers) {
      for (const [url, payload] of [['/api/v1/triage/duplicates', { description: MARKER, areaId: w.areas.a1g.id, location: { lon: 125.305, lat: 43.805 }, phone: '13911112222' }],
        ['/api/v1/triage/merge-suggestions', { caseIds: [aCase.id] }]] as const) {
        const res = await ctx.app.inject({ method: 'POST', url, headers: session.headers, payload });
        expect(res.statusCode, `${name}: ${res.body.slice(0, 200)}`).toBeLessThan(500);
        for (const secret of [MARKER, aCase.id, aCase.number]) expect(res.body, `${name} reads ${secret} through ${url}`).not.toContain(secret);
      }
    }
  });

  it('reveals no reporter of a case that was not given to them', async () => {
    for (const { name, session } of readers) {
      const res = await ctx.app.inject({ method: 'POST', url: `/api/v1/cases/${aCase.id}/reporter/unmask`, headers: session.headers, payload: { field: 'phone', reason: '核实' } });
      // without the permission: FORBIDDEN; with it: the case does not exist for them
      expect(res.statusCode, name).toBe(name.includes('every role') ? 404 : 403);
    }
  });

  it('counts nothing: queues, the grid page and the map are zero for the department, and not for the county', async () => {
    for (const { session } of readers) {
      const queues = (await ctx.app.inject({ url: '/api/v1/cases/queues', headers: session.headers })).json();
      expect(Object.values(queues).every((n) => n === 0)).toBe(true);
      const grid = await ctx.app.inject({ url: `/api/v1/grids/${w.areas.a1g.id}`, headers: session.headers });
      if (grid.statusCode === 200) {
        expect(grid.json().counts.openCases).toBe(0);
        expect(grid.json().openCases).toEqual([]);
      }
      // figures: the department's own cases only (none of these)
      const figures = (await ctx.app.inject({ url: `/api/v1/figures?areaId=${w.areas.a.id}`, headers: session.headers })).json();
      expect([figures.scope, figures.now.open, figures.current.counts.n]).toEqual(['organization', 0, 0]);
      const map = await ctx.app.inject({ url: `/api/v1/map?areaId=${w.areas.a.id}`, headers: session.headers });
      if (map.statusCode === 200) {
        expect(map.json().features.map((f: { properties: { openCases: number } }) => f.properties.openCases)).toEqual([0]);
        expect(map.json().clusters).toEqual([]);
      }
    }
    const grid = (await ctx.app.inject({ url: `/api/v1/grids/${w.areas.a1g.id}`, headers: county.headers })).json();
    expect(grid.counts.openCases).toBe(1);
    expect(grid.openCases.map((c: { id: string }) => c.id)).toEqual([aCase.id]);
    const map = (await ctx.app.inject({ url: `/api/v1/map?areaId=${w.areas.a.id}`, headers: county.headers })).json();
    expect(map.features.map((f: { properties: { openCases: number } }) => f.properties.openCases)).toEqual([1]);
    expect(map.clusters.map((c: { count: number }) => c.count)).toEqual([1]);
    const figures = (await ctx.app.inject({ url: `/api/v1/figures?areaId=${w.areas.a.id}`, headers: county.headers })).json();
    expect([figures.scope, figures.now.open, figures.current.counts.n]).toEqual(['area', 1, 1]);
  });
});
