import type { OrgKind, Role } from '@fengqiao/contracts';
import { AppError } from '../lib/errors.ts';
import { Permissions, permissionsOf, type Permission } from './permissions.ts';

/**
 * Who is acting. Every service function takes one; every repository query that reads or writes
 * scoped rows builds its condition from it (see scope.ts). There is no unscoped path for users.
 */
export interface Actor {
  kind: 'user' | 'system';
  userId: string | null;
  username: string;
  organizationId: number | null;
  organizationKind: OrgKind | null;
  /** The root of everything this actor may see: the area path of their organisation ("/" for the system). */
  areaPath: string;
  roles: Role[];
  permissions: Set<Permission>;
  /** Request context for the audit log. */
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  sessionId?: string | null;
}

export function userActor(u: {
  id: string; username: string; organizationId: number; organizationKind: OrgKind; areaPath: string; roles: Role[];
}, ctx: { ip?: string | null; userAgent?: string | null; requestId?: string | null; sessionId?: string | null } = {}): Actor {
  return {
    kind: 'user', userId: u.id, username: u.username, organizationId: u.organizationId, organizationKind: u.organizationKind,
    areaPath: u.areaPath, roles: u.roles, permissions: permissionsOf(u.roles),
    ip: ctx.ip ?? null, userAgent: ctx.userAgent ?? null, requestId: ctx.requestId ?? null, sessionId: ctx.sessionId ?? null,
  };
}

/** The operator at the command line (`fengqiao user create` …): whole installation, every permission. */
export function systemActor(name = 'system'): Actor {
  return {
    kind: 'system', userId: null, username: name, organizationId: null, organizationKind: null, areaPath: '/',
    roles: ['admin', 'security_officer'], permissions: new Set(Permissions),
    ip: null, userAgent: null, requestId: null,
  };
}

export function authorize(actor: Actor, permission: Permission): void {
  if (!actor.permissions.has(permission)) throw new AppError('FORBIDDEN');
}

/**
 * Department staff (公安、住建 …) and mediation committees (人民调解委员会) are handling organisations, not
 * government centers: they see their own organisation's records and the cases dispatched or referred to them,
 * not every record of the area they sit in. Centers see their area's whole subtree.
 */
export function isOrganisationBound(actor: Actor): boolean {
  return actor.kind === 'user' && (actor.organizationKind === 'department' || actor.organizationKind === 'mediation_committee');
}
