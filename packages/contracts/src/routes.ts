import { Type, type Static, type TSchema } from 'typebox';
import * as S from './schemas.ts';
import * as C from './cases.ts';
import * as R from './registry.ts';
import { mediationRoutes } from './mediation-routes.ts';
import { commandCenterRoutes } from './command-center-routes.ts';
import { triageRoutes } from './triage-routes.ts';
import { feedRoutes } from './feeds-routes.ts';
import { webhookRoutes } from './webhooks-routes.ts';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** One contract per endpoint: the server validates with it, OpenAPI documents it, the client is typed by it. */
export interface RouteContract {
  operationId: string;
  method: HttpMethod;
  url: string;
  /** 'public' needs no sign-in; 'user' needs a session cookie or an API token. */
  auth: 'public' | 'user';
  summary: string;
  tags: string[];
  params?: TSchema;
  querystring?: TSchema;
  body?: TSchema;
  status?: 200 | 201;
  response: TSchema;
  /** Requests per minute per client address, for endpoints open to the public. */
  rateLimit?: number;
  /** The body is the raw bytes of one file (Content-Type: the file's type), not JSON. */
  upload?: true;
  /** The 200 answer is a file of this media type (a picture, an Excel sheet), not JSON. */
  binary?: string;
}

const route = <const R extends RouteContract>(c: R) => c;

const actionSummaries: Record<C.CaseAction, string> = {
  accept: 'Accept (受理) and set the tier; the tier decides the owning center', reject: 'Reject (不予受理) with a reason',
  set_tier: 'Change the tier (一般/较大/疑难/跨区) without moving the case up', dispatch: 'Dispatch (派单) to an organisation',
  sign_for: 'Sign for (签收) a dispatched case', handle_self: 'Handle it ourselves (自办): the owning center takes the case straight to in progress',
  take_over: 'Take the case over (提级办理/上收) from a center below, with a reason: back to acceptance or dispatch at the taking center', return: 'Return (退单) a misrouted case with a reason',
  rule: 'Rule (裁定) the final owner of a case returned too often', escalate: 'Escalate (上报) to the parent center with a reason',
  send_down: 'Send down (下派) to a center below', add_co_handler: 'Add a co-handling organisation (协办)',
  contact: 'Record the first contact with the reporter', request_extension: 'Ask for an extension (延期) in working days',
  approve_extension: 'Approve the extension request', deny_extension: 'Deny the extension request',
  suspend: 'Suspend (挂起): clocks stop', resume: 'Resume: clocks continue with the time they had left',
  supervise: 'Supervise (督办: 普通/黄牌/红牌) with its own deadline', take_ownership: 'A leader takes ownership (包案)',
  instruct: 'A leader’s instruction (批示)', handle_on_spot: 'Handle on the spot (现场直办) — grid workers',
  reply: 'Reply with the result (答复)', return_visit: 'Record the return visit (回访); 不满意 reopens the case',
  merge: 'Merge this duplicate into a master case', close: 'Close (办结)', archive: 'Archive (归档)',
};
function actionRoute<A extends C.CaseAction>(a: A) {
  return {
    operationId: `case_${a}` as `case_${A}`, method: 'POST' as const, url: `/api/v1/cases/:id/${a}`, auth: 'user' as const,
    tags: ['case actions'], summary: actionSummaries[a], params: S.UuidParams, body: C.caseActionBody(a), response: C.CaseDetail,
  };
}
type ActionRoutes = { [A in C.CaseAction as `case_${A}`]: ReturnType<typeof actionRoute<A>> };
const caseActionRoutes = Object.fromEntries(C.CaseActions.map((a) => [`case_${a}`, actionRoute(a)])) as ActionRoutes;

export const routes = {
  login: route({
    operationId: 'login', method: 'POST', url: '/api/v1/auth/login', auth: 'public', tags: ['auth'], rateLimit: 20,
    summary: 'Sign in with username and password; sets an HttpOnly session cookie',
    body: S.LoginRequest, response: S.Me,
  }),
  logout: route({
    operationId: 'logout', method: 'POST', url: '/api/v1/auth/logout', auth: 'user', tags: ['auth'],
    summary: 'End the current session', response: S.Ok,
  }),
  me: route({
    operationId: 'me', method: 'GET', url: '/api/v1/auth/me', auth: 'user', tags: ['auth'],
    summary: 'The signed-in user, their organisation, area, permissions and CSRF token', response: S.Me,
  }),
  changePassword: route({
    operationId: 'changePassword', method: 'POST', url: '/api/v1/auth/password', auth: 'user', tags: ['auth'],
    summary: 'Change my own password', body: S.PasswordChange, response: S.Ok,
  }),

  listAreas: route({
    operationId: 'listAreas', method: 'GET', url: '/api/v1/areas', auth: 'user', tags: ['areas'],
    summary: 'Areas in my jurisdiction (optionally children of one area, or of one level)',
    querystring: S.Strict({
      parentId: Type.Optional(S.Id), level: Type.Optional(S.AreaLevel),
      q: Type.Optional(Type.String({ maxLength: 50 })), ...S.PageQuery,
    }),
    response: S.Page(S.Area),
  }),
  getArea: route({
    operationId: 'getArea', method: 'GET', url: '/api/v1/areas/:id', auth: 'user', tags: ['areas'],
    summary: 'One area', params: S.IdParams, response: S.Area,
  }),
  createArea: route({
    operationId: 'createArea', method: 'POST', url: '/api/v1/areas', auth: 'user', tags: ['areas'], status: 201,
    summary: 'Create an area under a parent in my jurisdiction', body: S.AreaCreate, response: S.Area,
  }),
  updateArea: route({
    operationId: 'updateArea', method: 'PATCH', url: '/api/v1/areas/:id', auth: 'user', tags: ['areas'],
    summary: 'Rename an area or change its code', params: S.IdParams, body: S.AreaUpdate, response: S.Area,
  }),
  deleteArea: route({
    operationId: 'deleteArea', method: 'DELETE', url: '/api/v1/areas/:id', auth: 'user', tags: ['areas'],
    summary: 'Delete an empty area', params: S.IdParams, response: S.Ok,
  }),

  listOrganizations: route({
    operationId: 'listOrganizations', method: 'GET', url: '/api/v1/organizations', auth: 'user', tags: ['organizations'],
    summary: 'Organisations in my jurisdiction',
    querystring: S.Strict({
      areaId: Type.Optional(S.Id), kind: Type.Optional(S.OrgKind), departmentType: Type.Optional(S.DepartmentType),
      ...S.PageQuery,
    }),
    response: S.Page(S.Organization),
  }),
  getOrganization: route({
    operationId: 'getOrganization', method: 'GET', url: '/api/v1/organizations/:id', auth: 'user', tags: ['organizations'],
    summary: 'One organisation', params: S.IdParams, response: S.Organization,
  }),
  createOrganization: route({
    operationId: 'createOrganization', method: 'POST', url: '/api/v1/organizations', auth: 'user', tags: ['organizations'], status: 201,
    summary: 'Create a center, department or mediation committee', body: S.OrganizationCreate, response: S.Organization,
  }),
  updateOrganization: route({
    operationId: 'updateOrganization', method: 'PATCH', url: '/api/v1/organizations/:id', auth: 'user', tags: ['organizations'],
    summary: 'Rename or deactivate an organisation', params: S.IdParams, body: S.OrganizationUpdate, response: S.Organization,
  }),

  listUsers: route({
    operationId: 'listUsers', method: 'GET', url: '/api/v1/users', auth: 'user', tags: ['users'],
    summary: 'Users in my jurisdiction (personal data masked)',
    querystring: S.Strict({
      organizationId: Type.Optional(S.Id), role: Type.Optional(S.Role), q: Type.Optional(Type.String({ maxLength: 50 })),
      phone: Type.Optional(Type.String({ pattern: '^1[3-9][0-9]{9}$', description: 'exact match through the blind index' })),
      ...S.PageQuery,
    }),
    response: S.Page(S.User),
  }),
  getUser: route({
    operationId: 'getUser', method: 'GET', url: '/api/v1/users/:id', auth: 'user', tags: ['users'],
    summary: 'One user (personal data masked)', params: S.UuidParams, response: S.User,
  }),
  createUser: route({
    operationId: 'createUser', method: 'POST', url: '/api/v1/users', auth: 'user', tags: ['users'], status: 201,
    summary: 'Create a staff account', body: S.UserCreate, response: S.User,
  }),
  updateUser: route({
    operationId: 'updateUser', method: 'PATCH', url: '/api/v1/users/:id', auth: 'user', tags: ['users'],
    summary: 'Change a user’s name, roles, phone, language or disable them', params: S.UuidParams, body: S.UserUpdate, response: S.User,
  }),
  resetUserPassword: route({
    operationId: 'resetUserPassword', method: 'POST', url: '/api/v1/users/:id/password', auth: 'user', tags: ['users'],
    summary: 'Set a new password for a user and end their sessions', params: S.UuidParams, body: S.PasswordReset, response: S.Ok,
  }),
  unlockUser: route({
    operationId: 'unlockUser', method: 'POST', url: '/api/v1/users/:id/unlock', auth: 'user', tags: ['users'],
    summary: 'Clear a login lock-out', params: S.UuidParams, response: S.User,
  }),
  unmaskUser: route({
    operationId: 'unmaskUser', method: 'POST', url: '/api/v1/users/:id/unmask', auth: 'user', tags: ['users', 'personal data'],
    summary: 'Reveal one personal field with a stated reason; written to the audit log',
    params: S.UuidParams, body: S.UnmaskRequest, response: S.UnmaskResponse,
  }),

  listTokens: route({
    operationId: 'listTokens', method: 'GET', url: '/api/v1/tokens', auth: 'user', tags: ['tokens'],
    summary: 'API tokens I may manage', querystring: S.Strict({ userId: Type.Optional(S.Uuid) }),
    response: S.Strict({ items: Type.Array(S.ApiToken) }),
  }),
  createToken: route({
    operationId: 'createToken', method: 'POST', url: '/api/v1/tokens', auth: 'user', tags: ['tokens'], status: 201,
    summary: 'Create an API token for myself or (administrators) an integration account', body: S.ApiTokenCreate, response: S.ApiTokenCreated,
  }),
  revokeToken: route({
    operationId: 'revokeToken', method: 'DELETE', url: '/api/v1/tokens/:id', auth: 'user', tags: ['tokens'],
    summary: 'Revoke an API token', params: S.UuidParams, response: S.Ok,
  }),

  listAudit: route({
    operationId: 'listAudit', method: 'GET', url: '/api/v1/audit', auth: 'user', tags: ['audit'],
    summary: 'Audit log of my jurisdiction, newest first',
    querystring: S.Strict({ ...S.AuditFilters, ...S.PageQuery }),
    response: S.Page(S.AuditEntry),
  }),
  exportAudit: route({
    operationId: 'exportAudit', method: 'GET', url: '/api/v1/audit/export', auth: 'user', tags: ['audit'],
    binary: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    summary: 'The filtered audit log as an Excel workbook (at most 50,000 rows, newest first); the export is itself audited',
    querystring: S.Strict({ ...S.AuditFilters, locale: Type.Optional(Type.Enum(['zh-CN', 'en-US'])) }), response: S.Ok,
  }),

  createCase: route({
    operationId: 'createCase', method: 'POST', url: '/api/v1/cases', auth: 'user', tags: ['cases'], status: 201,
    summary: 'Staff intake (window, phone, grid patrol, integrations): the case, and the receipt with its tracking secret for the reporter. Send an Idempotency-Key header so that a retry never creates two cases',
    body: C.StaffIntake, response: C.StaffIntakeResult,
  }),
  listCases: route({
    operationId: 'listCases', method: 'GET', url: '/api/v1/cases', auth: 'user', tags: ['cases'],
    summary: 'Cases I may see, newest first, with filters or one of my queues; keyset paging', querystring: C.CaseListQuery, response: S.Page(C.Case),
  }),
  caseQueues: route({
    operationId: 'caseQueues', method: 'GET', url: '/api/v1/cases/queues', auth: 'user', tags: ['cases'],
    summary: 'How many cases wait in each of my queues', response: C.QueueCounts,
  }),
  getCase: route({
    operationId: 'getCase', method: 'GET', url: '/api/v1/cases/:id', auth: 'user', tags: ['cases'],
    summary: 'One case with its full timeline and the actions I may take', params: S.UuidParams, response: C.CaseDetail,
  }),
  unmaskCaseReporter: route({
    operationId: 'unmaskCaseReporter', method: 'POST', url: '/api/v1/cases/:id/reporter/unmask', auth: 'user', tags: ['cases', 'personal data'],
    summary: 'Reveal the reporter’s name or phone with a stated reason (to call them back); written to the audit log',
    params: S.UuidParams, body: S.Strict({ field: Type.Enum(['name', 'phone']), reason: Type.String({ minLength: 1, maxLength: 500 }) }), response: S.UnmaskResponse,
  }),
  caseTargets: route({
    operationId: 'caseTargets', method: 'GET', url: '/api/v1/cases/:id/targets', auth: 'user', tags: ['cases'],
    summary: 'Organisations this case may be dispatched, sent down or ruled to (below its owning center, and departments above it)',
    params: S.UuidParams, response: S.Strict({ items: Type.Array(C.CaseTarget) }),
  }),
  listCategories: route({
    operationId: 'listCategories', method: 'GET', url: '/api/v1/categories', auth: 'user', tags: ['categories'],
    summary: 'The category tree', response: S.Strict({ items: Type.Array(C.Category) }),
  }),
  listNotifications: route({
    operationId: 'listNotifications', method: 'GET', url: '/api/v1/notifications', auth: 'user', tags: ['notifications'],
    summary: 'My inbox: messages to me and to my organisation, newest first',
    querystring: S.Strict({ unread: Type.Optional(Type.Boolean()), ...S.PageQuery }), response: S.Page(C.Notification),
  }),
  readNotification: route({
    operationId: 'readNotification', method: 'POST', url: '/api/v1/notifications/:id/read', auth: 'user', tags: ['notifications'],
    summary: 'Mark one message of my inbox read (for me; my colleagues keep their own state)',
    params: S.Strict({ id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) }), response: S.Ok,
  }),
  readAllNotifications: route({
    operationId: 'readAllNotifications', method: 'POST', url: '/api/v1/notifications/read-all', auth: 'user', tags: ['notifications'],
    summary: 'Mark everything in my inbox so far read', response: S.Ok,
  }),
  publicCategories: route({
    operationId: 'publicCategories', method: 'GET', url: '/api/v1/public/categories', auth: 'public', tags: ['public'],
    summary: 'Categories a resident may choose, and the most reported of the last three months (popular, most first) for the top of the list',
    response: S.Strict({ items: Type.Array(C.Category), popular: Type.Array(S.Id) }),
  }),
  publicCreateCase: route({
    operationId: 'publicCreateCase', method: 'POST', url: '/api/v1/public/cases', auth: 'public', tags: ['public'], status: 201, rateLimit: 10,
    summary: 'A resident reports (码上反映 / mobile web); no sign-in, rate limited; Idempotency-Key honoured',
    body: C.PublicIntake, response: C.PublicIntakeResult,
  }),
  publicTrackCase: route({
    operationId: 'publicTrackCase', method: 'GET', url: '/api/v1/public/cases/:number', auth: 'public', tags: ['public'], rateLimit: 60,
    summary: 'Follow a case by its number and tracking secret',
    params: S.Strict({ number: Type.String({ maxLength: 40 }) }), querystring: S.Strict({ secret: Type.String({ minLength: 8, maxLength: 100 }) }),
    response: C.PublicTracking,
  }),
  publicResultPhoto: route({
    operationId: 'publicResultPhoto', method: 'GET', url: '/api/v1/public/cases/:number/photos/:id', auth: 'public', tags: ['public'], rateLimit: 120,
    binary: 'image/jpeg', summary: 'A photo of the result shown to the reporter (by the case number and tracking secret); only the current result’s photos',
    params: S.Strict({ number: Type.String({ maxLength: 40 }), id: S.Uuid }), querystring: S.Strict({ secret: Type.String({ minLength: 8, maxLength: 100 }) }),
    response: S.Ok,
  }),
  publicRateCase: route({
    operationId: 'publicRateCase', method: 'POST', url: '/api/v1/public/cases/:number/rating', auth: 'public', tags: ['public'], rateLimit: 10,
    summary: 'The reporter rates the result when the return visit is due; 不满意 reopens the case',
    params: S.Strict({ number: Type.String({ maxLength: 40 }) }), body: C.PublicRating, response: C.PublicTracking,
  }),
  createCategory: route({
    operationId: 'createCategory', method: 'POST', url: '/api/v1/categories', auth: 'user', tags: ['settings'], status: 201,
    summary: 'Add a category under a group (county-level administrators and above)', body: C.CategoryCreate, response: C.Category,
  }),
  updateCategory: route({
    operationId: 'updateCategory', method: 'PATCH', url: '/api/v1/categories/:id', auth: 'user', tags: ['settings'],
    summary: 'Rename or retire a category', params: S.IdParams, body: C.CategoryUpdate, response: C.Category,
  }),
  listDeadlinePolicies: route({
    operationId: 'listDeadlinePolicies', method: 'GET', url: '/api/v1/settings/deadline-policies', auth: 'user', tags: ['settings'],
    summary: 'Deadline policies per category × tier (the default "131" rule applies where none matches)', response: S.Strict({ items: Type.Array(C.DeadlinePolicy) }),
  }),
  putDeadlinePolicy: route({
    operationId: 'putDeadlinePolicy', method: 'PUT', url: '/api/v1/settings/deadline-policies', auth: 'user', tags: ['settings'],
    summary: 'Set the policy of one category × tier (null = any)', body: C.DeadlinePolicyPut, response: C.DeadlinePolicy,
  }),
  deleteDeadlinePolicy: route({
    operationId: 'deleteDeadlinePolicy', method: 'DELETE', url: '/api/v1/settings/deadline-policies/:id', auth: 'user', tags: ['settings'],
    summary: 'Remove a policy', params: S.IdParams, response: S.Ok,
  }),
  listCalendarDays: route({
    operationId: 'listCalendarDays', method: 'GET', url: '/api/v1/settings/calendar', auth: 'user', tags: ['settings'],
    summary: 'Holidays and make-up working days (调休) in a date range',
    querystring: S.Strict({ from: Type.String({ format: 'date' }), to: Type.String({ format: 'date' }) }), response: S.Strict({ items: Type.Array(C.CalendarDay) }),
  }),
  putCalendarDay: route({
    operationId: 'putCalendarDay', method: 'PUT', url: '/api/v1/settings/calendar/:day', auth: 'user', tags: ['settings'],
    summary: 'Declare a day a holiday or a working day (kept over library updates)',
    params: S.Strict({ day: Type.String({ format: 'date' }) }), body: C.CalendarDayPut, response: C.CalendarDay,
  }),
  deleteCalendarDay: route({
    operationId: 'deleteCalendarDay', method: 'DELETE', url: '/api/v1/settings/calendar/:day', auth: 'user', tags: ['settings'],
    summary: 'Return a day to the Monday–Friday rule', params: S.Strict({ day: Type.String({ format: 'date' }) }), response: S.Ok,
  }),
  uploadAttachment: route({
    operationId: 'uploadAttachment', method: 'POST', url: '/api/v1/attachments', auth: 'user', tags: ['attachments'], status: 201, upload: true,
    summary: 'Upload one photo or PDF (raw bytes, Content-Type image/jpeg, image/png, image/webp or application/pdf; X-File-Name optional); name its id in the intake',
    response: C.Attachment,
  }),
  getAttachment: route({
    operationId: 'getAttachment', method: 'GET', url: '/api/v1/attachments/:id', auth: 'user', tags: ['attachments'], binary: 'application/octet-stream',
    summary: 'Download an attachment of a case I may see (pictures inline, PDF as a download; never rendered as HTML)',
    params: S.UuidParams, response: S.Ok,
  }),
  exportCases: route({
    operationId: 'exportCases', method: 'GET', url: '/api/v1/cases/export', auth: 'user', tags: ['cases'], binary: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    summary: 'The filtered case list as an Excel ledger (台账), personal data masked; at most 50,000 rows',
    querystring: C.CaseExportQuery, response: S.Ok,
  }),
  publicUploadAttachment: route({
    operationId: 'publicUploadAttachment', method: 'POST', url: '/api/v1/public/attachments', auth: 'public', tags: ['public'], status: 201, upload: true, rateLimit: 30,
    summary: 'A resident uploads one photo (raw bytes, Content-Type image/jpeg, image/png or image/webp) before reporting',
    response: C.Attachment,
  }),
  publicPlace: route({
    operationId: 'publicPlace', method: 'GET', url: '/api/v1/public/places/:code', auth: 'public', tags: ['public'], rateLimit: 120,
    summary: 'The place a QR code names (until places exist: a grid or area code) and its area',
    params: S.Strict({ code: Type.String({ minLength: 1, maxLength: 40 }) }), response: C.PublicPlace,
  }),
  publicAreas: route({
    operationId: 'publicAreas', method: 'GET', url: '/api/v1/public/areas', auth: 'public', tags: ['public'], rateLimit: 300,
    summary: 'Areas a resident can choose from: the top areas, or the children of one',
    querystring: S.Strict({ parentId: Type.Optional(S.Id) }), response: S.Strict({ items: Type.Array(C.PublicArea) }),
  }),
  registryCodes: route({
    operationId: 'registryCodes', method: 'GET', url: '/api/v1/registry/codes', auth: 'user', tags: ['registry'],
    summary: 'The registry’s code tables (GB/T 31000-2015 modules): residency types, special groups and their fields, place kinds …',
    response: R.CodeTables,
  }),
  listPeople: route({
    operationId: 'listPeople', method: 'GET', url: '/api/v1/registry/people', auth: 'user', tags: ['registry'],
    summary: 'People (实有人口) in my jurisdiction, masked; exact lookup by ID number or phone through the blind index',
    querystring: R.PersonQuery, response: S.Page(R.Person),
  }),
  createPerson: route({
    operationId: 'createPerson', method: 'POST', url: '/api/v1/registry/people', auth: 'user', tags: ['registry'], status: 201,
    summary: 'Register a person (ID number checked per GB 11643; personal fields encrypted)', body: R.PersonCreate, response: R.Person,
  }),
  getPerson: route({
    operationId: 'getPerson', method: 'GET', url: '/api/v1/registry/people/:id', auth: 'user', tags: ['registry'],
    summary: 'One person, masked, with their special groups', params: S.UuidParams, response: R.Person,
  }),
  updatePerson: route({
    operationId: 'updatePerson', method: 'PATCH', url: '/api/v1/registry/people/:id', auth: 'user', tags: ['registry'],
    summary: 'Change a person’s record', params: S.UuidParams, body: R.PersonUpdate, response: R.Person,
  }),
  unmaskPerson: route({
    operationId: 'unmaskPerson', method: 'POST', url: '/api/v1/registry/people/:id/unmask', auth: 'user', tags: ['registry'],
    summary: 'Reveal one personal field for a stated reason (audited)', params: S.UuidParams, body: R.PersonUnmask, response: R.Unmasked,
  }),
  putPersonGroup: route({
    operationId: 'putPersonGroup', method: 'PUT', url: '/api/v1/registry/people/:id/groups/:kind', auth: 'user', tags: ['registry'],
    summary: 'Add or update a special group (特殊人群, 重点青少年) with its attention level and follow-up fields (encrypted)',
    params: R.KindParams, body: R.PersonGroupPut, response: R.Person,
  }),
  deletePersonGroup: route({
    operationId: 'deletePersonGroup', method: 'DELETE', url: '/api/v1/registry/people/:id/groups/:kind', auth: 'user', tags: ['registry'],
    summary: 'Take a person out of a special group', params: R.KindParams, response: R.Person,
  }),
  archivePerson: route({
    operationId: 'archivePerson', method: 'POST', url: '/api/v1/registry/people/:id/archive', auth: 'user', tags: ['registry'],
    summary: 'Archive a person (moved away, deceased): out of the lists, data kept', params: S.UuidParams, body: R.Reason, response: R.Person,
  }),
  purgePerson: route({
    operationId: 'purgePerson', method: 'POST', url: '/api/v1/registry/people/:id/purge', auth: 'user', tags: ['registry'],
    summary: 'Purge an archived person: personal data erased, anonymous statistics kept', params: S.UuidParams, body: R.Reason, response: R.Person,
  }),
  importPeople: route({
    operationId: 'importPeople', method: 'POST', url: '/api/v1/registry/people/import', auth: 'user', tags: ['registry'], upload: true,
    summary: 'Import people from a CSV or Excel file (raw bytes): every row checked; all or nothing unless skipInvalid',
    querystring: R.PeopleImportQuery, response: R.ImportReport,
  }),
  listPlaces: route({
    operationId: 'listPlaces', method: 'GET', url: '/api/v1/registry/places', auth: 'user', tags: ['registry'],
    summary: 'Places (buildings, shops, schools, facilities, protected lines) in my jurisdiction', querystring: R.PlaceQuery, response: S.Page(R.Place),
  }),
  createPlace: route({
    operationId: 'createPlace', method: 'POST', url: '/api/v1/registry/places', auth: 'user', tags: ['registry'], status: 201,
    summary: 'Register a place; with a point and no area it lands in the grid containing the point', body: R.PlaceCreate, response: R.Place,
  }),
  getPlace: route({
    operationId: 'getPlace', method: 'GET', url: '/api/v1/registry/places/:id', auth: 'user', tags: ['registry'],
    summary: 'One place', params: S.IdParams, response: R.Place,
  }),
  updatePlace: route({
    operationId: 'updatePlace', method: 'PATCH', url: '/api/v1/registry/places/:id', auth: 'user', tags: ['registry'],
    summary: 'Change a place (its code never changes: it is printed on the QR sticker)', params: S.IdParams, body: R.PlaceUpdate, response: R.Place,
  }),
  placeQrSheet: route({
    operationId: 'placeQrSheet', method: 'GET', url: '/api/v1/registry/places/qr-sheet', auth: 'user', tags: ['registry'], binary: 'text/html',
    summary: 'Printable QR sheets (A4, 12 codes per page with the place name) for every place of an area: an HTML document of SVG pages, or one page as SVG',
    querystring: R.QrSheetQuery, response: S.Ok,
  }),
  listRegistryOrganizations: route({
    operationId: 'listRegistryOrganizations', method: 'GET', url: '/api/v1/registry/organizations', auth: 'user', tags: ['registry'],
    summary: 'Non-public economic and social organisations in my jurisdiction',
    querystring: S.Strict({ areaId: Type.Optional(S.Id), kind: Type.Optional(Type.String({ maxLength: 30 })), ...S.PageQuery }), response: S.Page(R.RegistryOrganization),
  }),
  createRegistryOrganization: route({
    operationId: 'createRegistryOrganization', method: 'POST', url: '/api/v1/registry/organizations', auth: 'user', tags: ['registry'], status: 201,
    summary: 'Register an organisation (credit code checked per GB 32100; contact encrypted)', body: R.RegistryOrganizationCreate, response: R.RegistryOrganization,
  }),
  listVisits: route({
    operationId: 'listVisits', method: 'GET', url: '/api/v1/registry/visits', auth: 'user', tags: ['registry'],
    summary: 'Visits and follow-ups (走访记录), newest first', querystring: R.VisitQuery, response: S.Page(R.Visit),
  }),
  createVisit: route({
    operationId: 'createVisit', method: 'POST', url: '/api/v1/registry/visits', auth: 'user', tags: ['registry'], status: 201,
    summary: 'Record a visit or follow-up on a person, place or organisation', body: R.VisitCreate, response: R.Visit,
  }),
  importGrids: route({
    operationId: 'importGrids', method: 'POST', url: '/api/v1/grids/import', auth: 'user', tags: ['grids'], upload: true,
    summary: 'Import grid polygons from a GeoJSON FeatureCollection (raw bytes, application/geo+json); every bad feature reported by index',
    querystring: R.GridImportQuery, response: R.GridImportReport,
  }),
  gridLookup: route({
    operationId: 'gridLookup', method: 'GET', url: '/api/v1/grids/lookup', auth: 'user', tags: ['grids'],
    summary: 'The grid of my jurisdiction that contains a point', querystring: R.GridLookupQuery, response: R.GridLookup,
  }),
  gridOverview: route({
    operationId: 'gridOverview', method: 'GET', url: '/api/v1/grids/:id', auth: 'user', tags: ['grids'],
    summary: 'A grid’s page: boundary, workers, its people, places, organisations and open cases', params: S.IdParams, response: R.GridOverview,
  }),
  setGridWorkers: route({
    operationId: 'setGridWorkers', method: 'PUT', url: '/api/v1/grids/:id/workers', auth: 'user', tags: ['grids'],
    summary: 'Assign the grid’s workers', params: S.IdParams, body: R.GridWorkersPut, response: R.GridOverview,
  }),
  setAreaBoundary: route({
    operationId: 'setAreaBoundary', method: 'PUT', url: '/api/v1/areas/:id/boundary', auth: 'user', tags: ['grids'],
    summary: 'Set an area’s boundary (GeoJSON Polygon or MultiPolygon, converted to WGS-84)', params: S.IdParams, body: R.BoundaryPut, response: S.Ok,
  }),
  areaMap: route({
    operationId: 'areaMap', method: 'GET', url: '/api/v1/map', auth: 'user', tags: ['grids'],
    summary: 'The map of an area (防控地图): grid polygons with open cases and high-attention people, clustered case points',
    querystring: S.Strict({ areaId: Type.Optional(S.Id) }), response: R.AreaMap,
  }),
  ...caseActionRoutes,
  ...mediationRoutes,
  ...commandCenterRoutes,
  ...triageRoutes,
  ...feedRoutes,
  ...webhookRoutes,
} as const satisfies Record<string, RouteContract>;

export type Routes = typeof routes;
export type OperationId = keyof Routes;

type StaticOr<T, Fallback> = T extends TSchema ? Static<T> : Fallback;
export type RequestOf<K extends OperationId> = {
  params: StaticOr<Routes[K] extends { params: infer P } ? P : undefined, undefined>;
  query: StaticOr<Routes[K] extends { querystring: infer Q } ? Q : undefined, undefined>;
  body: StaticOr<Routes[K] extends { body: infer B } ? B : undefined, undefined>;
};
export type ResponseOf<K extends OperationId> = Static<Routes[K]['response']>;
