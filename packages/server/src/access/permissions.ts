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
  'registry.read', 'registry.write', 'registry.purge',
  // register a report as staff or an integration; upload a photo or document for a case
  'case.create', 'attachment.upload',
  // open and run mediations, register a dispute with its mediation, answer sweeps as a grid worker
  'mediation.manage', 'sweep.manage', 'sweep.report',
  // the command center's figures, rankings and warnings of one's own scope
  'figures.read',
  // set early-warning rules for one's center, acknowledge and resolve warnings
  'warning.manage',
] as const;
export type Permission = (typeof Permissions)[number];

const staff: Permission[] = ['area.read', 'organization.read', 'token.own', 'figures.read'];

export const rolePermissions: Record<Role, Permission[]> = {
  admin: [...staff, 'area.write', 'organization.write', 'user.read', 'user.write', 'token.manage', 'audit.read', 'settings.write',
    'registry.read', 'registry.write', 'registry.purge', 'sweep.manage', 'warning.manage'],
  intake: [...staff, 'personal_data.unmask', 'registry.read', 'registry.write', 'case.create', 'attachment.upload'],
  dispatcher: [...staff, 'personal_data.unmask', 'registry.read', 'case.create', 'attachment.upload', 'mediation.manage', 'sweep.manage', 'warning.manage'],
  handler: [...staff, 'attachment.upload'],
  // a grid worker keeps the registry of their grid (四知四清) and visits the people in it
  grid_worker: [...staff, 'registry.read', 'registry.write', 'case.create', 'attachment.upload', 'sweep.report'],
  // a mediator registers the applications they receive (case.create) and runs the mediations of their organisation
  mediator: [...staff, 'personal_data.unmask', 'registry.read', 'attachment.upload', 'case.create', 'mediation.manage'],
  leader: [...staff, 'user.read', 'registry.read', 'warning.manage'],
  security_officer: [...staff, 'user.read', 'audit.read', 'personal_data.unmask', 'registry.read'],
  integration: ['area.read', 'organization.read', 'case.create', 'attachment.upload'],
};

export function permissionsOf(roles: readonly Role[]): Set<Permission> {
  const set = new Set<Permission>();
  for (const r of roles) for (const p of rolePermissions[r] ?? []) set.add(p);
  return set;
}
