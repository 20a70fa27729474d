import type { OrgKind } from '@fengqiao/contracts';
import type { Db } from '../../db/database.ts';
import { areas, organizations } from '../../db/schema.ts';
import { authorize, type Actor } from '../../access/actor.ts';
import { areasVisibleTo, assertWithin, visibleTo } from '../../access/scope.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { decodeCursor, isoRequired, pageOf } from '../../lib/paging.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { findArea } from '../areas/areas.repository.ts';
import * as repo from './organizations.repository.ts';

/** Organisations are scoped by their area; a department's staff see only their own department. */
const scopeOf = (actor: Actor) => visibleTo(actor, { areaPath: organizations.areaPath, organizationId: organizations.id });

export function createOrganizationService(deps: { db: Db; audit: AuditService }) {
  const { db, audit } = deps;

  async function get(actor: Actor, id: number) {
    authorize(actor, 'organization.read');
    const row = await repo.findOrganization(db, scopeOf(actor), id);
    if (!row) throw notFound('organization');
    return row;
  }

  async function list(actor: Actor, q: { areaId?: number; kind?: string; departmentType?: string; limit?: number; cursor?: string }) {
    authorize(actor, 'organization.read');
    const limit = q.limit ?? 50;
    const rows = await repo.listOrganizations(db, scopeOf(actor), { ...q, afterId: decodeCursor<number>(q.cursor, 'number'), limit: limit + 1 });
    const page = pageOf(rows, limit, (r) => r.id);
    return { items: page.items.map(presentOrganization), nextCursor: page.nextCursor };
  }

  async function create(actor: Actor, input: { kind: OrgKind; departmentType?: string | null; name: string; areaId: number }) {
    authorize(actor, 'organization.write');
    if ((input.kind === 'department') !== Boolean(input.departmentType)) {
      throw new AppError('VALIDATION_FAILED', { detail: 'departmentType (required for departments, only for departments)' });
    }
    return db.transaction(async (tx) => {
      const area = await findArea(tx, areasVisibleTo(actor, areas.path), input.areaId);
      if (!area) throw notFound('area');
      assertWithin(actor, { areaPath: area.path, organizationId: actor.organizationId });
      const row = await repo.insertOrganization(tx, {
        kind: input.kind, departmentType: input.departmentType ?? null, name: input.name, areaId: area.id, areaPath: area.path,
      });
      await audit.record(actor, { action: 'organization.create', targetType: 'organization', targetId: row.id, areaPath: row.areaPath, organizationId: row.id, detail: { name: row.name, kind: row.kind } }, tx);
      return row;
    });
  }

  async function update(actor: Actor, id: number, input: { name?: string; active?: boolean }) {
    authorize(actor, 'organization.write');
    return db.transaction(async (tx) => {
      const row = await repo.findOrganization(tx, scopeOf(actor), id);
      if (!row) throw notFound('organization');
      assertWithin(actor, { areaPath: row.areaPath, organizationId: row.id });
      const updated = await repo.updateOrganization(tx, id, input);
      await audit.record(actor, { action: 'organization.update', targetType: 'organization', targetId: id, areaPath: row.areaPath, organizationId: row.id, detail: { before: { name: row.name, active: row.active }, after: input } }, tx);
      return updated;
    });
  }

  return { get, list, create, update };
}
export type OrganizationService = ReturnType<typeof createOrganizationService>;

export function presentOrganization(r: repo.OrganizationRow) {
  return {
    id: r.id, kind: r.kind as OrgKind, departmentType: r.departmentType as never, name: r.name, areaId: r.areaId, areaPath: r.areaPath,
    active: r.active, createdAt: isoRequired(r.createdAt), updatedAt: isoRequired(r.updatedAt),
  };
}
