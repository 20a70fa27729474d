import { Type, type Static, type TSchema } from 'typebox';
import * as S from './schemas.ts';

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
}

const route = <const C extends RouteContract>(c: C) => c;

export const routes = {
  login: route({
    operationId: 'login', method: 'POST', url: '/api/v1/auth/login', auth: 'public', tags: ['auth'],
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
    querystring: S.Strict({
      action: Type.Optional(Type.String({ maxLength: 64 })), actorId: Type.Optional(S.Uuid),
      targetType: Type.Optional(Type.String({ maxLength: 32 })), targetId: Type.Optional(Type.String({ maxLength: 64 })),
      ...S.PageQuery,
    }),
    response: S.Page(S.AuditEntry),
  }),
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
