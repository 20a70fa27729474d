import type { Role } from '@fengqiao/contracts';

/** What each role may do. Scope (which records) is decided separately, by the actor's area and organisation. */
export const Permissions = [
  'area.read', 'area.write',
  'organization.read', 'organization.write',
  'user.read', 'user.write',
  'token.own', 'token.manage',
  'audit.read',
  'personal_data.unmask',
  'settings.write',
] as const;
export type Permission = (typeof Permissions)[number];

const staff: Permission[] = ['area.read', 'organization.read', 'token.own'];

export const rolePermissions: Record<Role, Permission[]> = {
  admin: [...staff, 'area.write', 'organization.write', 'user.read', 'user.write', 'token.manage', 'audit.read', 'settings.write'],
  intake: [...staff, 'personal_data.unmask'],
  dispatcher: [...staff, 'personal_data.unmask'],
  handler: [...staff],
  grid_worker: [...staff],
  mediator: [...staff, 'personal_data.unmask'],
  leader: [...staff, 'user.read'],
  security_officer: [...staff, 'user.read', 'audit.read', 'personal_data.unmask'],
  integration: ['area.read', 'organization.read'],
};

export function permissionsOf(roles: readonly Role[]): Set<Permission> {
  const set = new Set<Permission>();
  for (const r of roles) for (const p of rolePermissions[r] ?? []) set.add(p);
  return set;
}
