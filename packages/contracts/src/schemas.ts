import { Type, type Static, type TSchema } from 'typebox';
import { AUDIT_ACTIONS, AUDIT_TARGET_TYPES } from './audit.ts';

/** Request bodies reject unknown fields; responses list exactly what may leave the server. */
export const Strict = <T extends Record<string, TSchema>>(props: T, opts: Record<string, unknown> = {}) =>
  Type.Object(props, { additionalProperties: false, ...opts });

export const AreaLevels = ['city', 'county', 'township', 'village', 'grid'] as const;
export type AreaLevel = (typeof AreaLevels)[number];
export const AreaLevel = Type.Enum(AreaLevels);

export const OrgKinds = ['center', 'department', 'mediation_committee'] as const;
export type OrgKind = (typeof OrgKinds)[number];
export const OrgKind = Type.Enum(OrgKinds);

/** Functional department types (公安、司法、人社、住建、信访、法院 …). */
export const DepartmentTypes = [
  'police', 'justice', 'hrss', 'housing', 'petition', 'court', 'civil_affairs', 'urban_management',
  'market_regulation', 'natural_resources', 'ecology', 'health', 'education', 'emergency', 'transport',
  'water', 'agriculture', 'operations_company', 'other',
] as const;
export const DepartmentType = Type.Enum(DepartmentTypes);

export const Roles = [
  'admin', 'intake', 'dispatcher', 'handler', 'grid_worker', 'mediator', 'leader', 'security_officer', 'integration',
] as const;
export type Role = (typeof Roles)[number];
export const Role = Type.Enum(Roles);

export const Id = Type.Integer({ minimum: 1, maximum: 2147483647 });
export const Uuid = Type.String({ format: 'uuid' });
export const Timestamp = Type.String({ format: 'date-time' });
/**
 * A response value that may be null, as OpenAPI 3.0 says it (`nullable: true`). An `anyOf` with null would
 * make the response serializer validate every value against each branch to choose one — on a page of fifty
 * cases, that was a tenth of the server's time.
 */
export const Nullable = <T extends TSchema>(schema: T) => Type.Unsafe<Static<T> | null>({ ...schema, nullable: true });
export const NullableTimestamp = Nullable(Timestamp);
const Name = Type.String({ minLength: 1, maxLength: 100 });

export const Area = Strict({
  id: Id,
  parentId: Type.Union([Id, Type.Null()]),
  level: AreaLevel,
  code: Type.Union([Type.String(), Type.Null()]),
  official: Type.Boolean({ description: 'true when `code` is an official statistical division code' }),
  name: Type.String(),
  path: Type.String({ description: 'Materialised path of ids, e.g. /1/2/7/; "everything under" is a prefix match' }),
  depth: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Area = Static<typeof Area>;

export const AreaCreate = Strict({
  parentId: Type.Union([Id, Type.Null()]),
  level: AreaLevel,
  code: Type.Optional(Type.Union([Type.String({ pattern: '^[0-9A-Za-z-]{2,20}$' }), Type.Null()])),
  official: Type.Optional(Type.Boolean()),
  name: Name,
});
export const AreaUpdate = Strict({ name: Type.Optional(Name), code: Type.Optional(Type.Union([Type.String({ pattern: '^[0-9A-Za-z-]{2,20}$' }), Type.Null()])) }, { minProperties: 1 });

export const Organization = Strict({
  id: Id,
  kind: OrgKind,
  departmentType: Type.Union([DepartmentType, Type.Null()]),
  name: Type.String(),
  areaId: Id,
  areaPath: Type.String(),
  active: Type.Boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Organization = Static<typeof Organization>;
export const OrganizationCreate = Strict({
  kind: OrgKind,
  departmentType: Type.Optional(Type.Union([DepartmentType, Type.Null()])),
  name: Name,
  areaId: Id,
});
export const OrganizationUpdate = Strict({ name: Type.Optional(Name), active: Type.Optional(Type.Boolean()) }, { minProperties: 1 });

export const MaskedPhone = Type.Union([Type.String({ description: 'Masked, e.g. 138****5678' }), Type.Null()]);

export const User = Strict({
  id: Uuid,
  username: Type.String(),
  displayName: Type.String({ description: 'Masked unless the viewer may see it: 张*三' }),
  organizationId: Id,
  areaPath: Type.String(),
  roles: Type.Array(Role),
  phone: MaskedPhone,
  locale: Type.String(),
  disabled: Type.Boolean(),
  locked: Type.Boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type User = Static<typeof User>;

const Username = Type.String({ pattern: '^[a-z][a-z0-9._-]{2,31}$', description: 'lower-case letters, digits, . _ -' });
const Password = Type.String({ minLength: 1, maxLength: 200 });
const Phone = Type.String({ pattern: '^1[3-9][0-9]{9}$', description: 'mainland mobile number' });

export const UserCreate = Strict({
  username: Username,
  displayName: Name,
  organizationId: Id,
  roles: Type.Array(Role, { minItems: 1, maxItems: Roles.length, uniqueItems: true }),
  phone: Type.Optional(Type.Union([Phone, Type.Null()])),
  password: Password,
  locale: Type.Optional(Type.Union([Type.Literal('zh-CN'), Type.Literal('en-US')])),
});
export const UserUpdate = Strict({
  displayName: Type.Optional(Name),
  roles: Type.Optional(Type.Array(Role, { minItems: 1, maxItems: Roles.length, uniqueItems: true })),
  phone: Type.Optional(Type.Union([Phone, Type.Null()])),
  disabled: Type.Optional(Type.Boolean()),
  locale: Type.Optional(Type.Union([Type.Literal('zh-CN'), Type.Literal('en-US')])),
}, { minProperties: 1 });
export const PasswordReset = Strict({ password: Password });
export const PasswordChange = Strict({ currentPassword: Password, newPassword: Password });

export const PersonalField = Type.Union([Type.Literal('phone'), Type.Literal('displayName')]);
export const UnmaskRequest = Strict({
  field: PersonalField,
  reason: Type.String({ minLength: 1, maxLength: 500 }),
});
export const UnmaskResponse = Strict({ field: Type.String(), value: Type.Union([Type.String(), Type.Null()]), auditId: Type.Integer() });

export const Me = Strict({
  user: User,
  organization: Organization,
  area: Area,
  permissions: Type.Array(Type.String()),
  csrfToken: Type.Union([Type.String(), Type.Null()], { description: 'Send as X-CSRF-Token on unsafe requests made with the session cookie' }),
  sessionIdleMinutes: Type.Integer(),
});
export type Me = Static<typeof Me>;
export const LoginRequest = Strict({ username: Type.String({ minLength: 1, maxLength: 64 }), password: Password });

export const ApiToken = Strict({
  id: Uuid,
  userId: Uuid,
  name: Type.String(),
  prefix: Type.String({ description: 'First characters of the token, to recognise it' }),
  createdAt: Timestamp,
  lastUsedAt: NullableTimestamp,
  expiresAt: NullableTimestamp,
  revokedAt: NullableTimestamp,
});
export const ApiTokenCreate = Strict({
  userId: Type.Optional(Uuid),
  name: Name,
  expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
});
export const ApiTokenCreated = Strict({ token: Type.String({ description: 'Shown once; store it now' }), apiToken: ApiToken });

export const AuditEntry = Strict({
  id: Type.Integer(),
  at: Timestamp,
  actorId: Type.Union([Uuid, Type.Null()]),
  actorName: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  targetType: Type.Union([Type.String(), Type.Null()]),
  targetId: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  requestId: Type.Union([Type.String(), Type.Null()]),
  detail: Type.Record(Type.String(), Type.Unknown()),
  /** The person's name as colleagues know them (the login stays in actorName). */
  actorDisplayName: Type.Union([Type.String(), Type.Null()]),
  /** What the target is called: a case number, an area's or organisation's name, a person's masked name. */
  targetLabel: Type.Union([Type.String(), Type.Null()]),
  /** Where the target is in the console, when it has a page. */
  targetLink: Type.Union([Type.String(), Type.Null()]),
});

/**
 * The audit log's filters: who, what, which target, which China-time days. `target` is a case number, or a
 * record's id: a case's number or id finds its reporter's reveals, its mediation's and its parties' too.
 */
export const AuditFilters = {
  action: Type.Optional(Type.Enum(AUDIT_ACTIONS)), actorId: Type.Optional(Uuid),
  targetType: Type.Optional(Type.Enum(AUDIT_TARGET_TYPES)), targetId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  target: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[0-9A-Za-z_/.-]+$' })),
  from: Type.Optional(Type.String({ format: 'date' })), to: Type.Optional(Type.String({ format: 'date' })),
};

export const Page = <T extends TSchema>(item: T) =>
  Strict({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });
export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
};

export const ErrorBody = Strict({
  error: Strict({
    code: Type.String(),
    message: Type.String(),
    requestId: Type.String(),
    details: Type.Optional(Type.Array(Strict({ path: Type.String(), message: Type.String() }))),
  }),
});
export const Ok = Strict({ ok: Type.Literal(true) });
export const IdParams = Strict({ id: Id });
export const UuidParams = Strict({ id: Uuid });
