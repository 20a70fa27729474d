import { AreaLevels, type AreaLevel } from '@fengqiao/contracts';
import type { Db } from '../../db/database.ts';
import { areas } from '../../db/schema.ts';
import { findPlaceWithArea } from '../registry/registry.repository.ts';
import { authorize, type Actor } from '../../access/actor.ts';
import { areasVisibleTo, assertWithin } from '../../access/scope.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { decodeCursor, isoRequired, pageOf } from '../../lib/paging.ts';
import type { AuditService } from '../audit/audit.service.ts';
import * as repo from './areas.repository.ts';

export function createAreaService(deps: { db: Db; audit: AuditService }) {
  const { db, audit } = deps;

  async function get(actor: Actor, id: number) {
    authorize(actor, 'area.read');
    const row = await repo.findArea(db, areasVisibleTo(actor, areas.path), id);
    if (!row) throw notFound('area');
    return row;
  }

  async function list(actor: Actor, q: { parentId?: number; level?: string; q?: string; limit?: number; cursor?: string }) {
    authorize(actor, 'area.read');
    const limit = q.limit ?? 50;
    const rows = await repo.listAreas(db, areasVisibleTo(actor, areas.path), {
      ...q, afterId: decodeCursor<number>(q.cursor, 'number'), limit: limit + 1,
    });
    const page = pageOf(rows, limit, (r) => r.id);
    return { items: page.items.map(presentArea), nextCursor: page.nextCursor };
  }

  async function create(actor: Actor, input: { parentId: number | null; level: AreaLevel; code?: string | null; official?: boolean; name: string }) {
    authorize(actor, 'area.write');
    return db.transaction(async (tx) => {
      let parentPath = '/';
      if (input.parentId !== null) {
        const parent = await repo.findArea(tx, areasVisibleTo(actor, areas.path), input.parentId);
        if (!parent) throw notFound('area');
        assertWithin(actor, { areaPath: parent.path });
        if (AreaLevels.indexOf(input.level) <= AreaLevels.indexOf(parent.level as AreaLevel)) {
          throw new AppError('AREA_LEVEL_INVALID', { child: input.level, parent: parent.level });
        }
        parentPath = parent.path;
      } else if (actor.kind !== 'system') {
        throw new AppError('OUT_OF_SCOPE');
      }
      const code = input.code ?? null;
      if (code && (await repo.findAreaByCode(tx, code))) throw new AppError('AREA_CODE_TAKEN', { code });
      const row = await repo.insertArea(tx, {
        parentId: input.parentId, parentPath, level: input.level, code, official: input.official ?? false, name: input.name,
      });
      await audit.record(actor, { action: 'area.create', targetType: 'area', targetId: row.id, areaPath: row.path, detail: { name: row.name, code } }, tx);
      return row;
    });
  }

  async function update(actor: Actor, id: number, input: { name?: string; code?: string | null }) {
    authorize(actor, 'area.write');
    return db.transaction(async (tx) => {
      const row = await repo.findArea(tx, areasVisibleTo(actor, areas.path), id);
      if (!row) throw notFound('area');
      assertWithin(actor, { areaPath: row.path });
      if (input.code && input.code !== row.code && (await repo.findAreaByCode(tx, input.code))) {
        throw new AppError('AREA_CODE_TAKEN', { code: input.code });
      }
      const updated = await repo.updateArea(tx, id, input);
      await audit.record(actor, { action: 'area.update', targetType: 'area', targetId: id, areaPath: row.path, detail: { before: { name: row.name, code: row.code }, after: input } }, tx);
      return updated;
    });
  }

  async function remove(actor: Actor, id: number) {
    authorize(actor, 'area.write');
    await db.transaction(async (tx) => {
      const row = await repo.findArea(tx, areasVisibleTo(actor, areas.path), id);
      if (!row) throw notFound('area');
      assertWithin(actor, { areaPath: row.path });
      if (row.path === actor.areaPath) throw new AppError('OUT_OF_SCOPE'); // nobody deletes the root of their own jurisdiction
      if ((await repo.countDependents(tx, row)) > 0) throw new AppError('AREA_HAS_CHILDREN');
      await repo.deleteArea(tx, id);
      await audit.record(actor, { action: 'area.delete', targetType: 'area', targetId: id, areaPath: row.path, detail: { name: row.name, code: row.code } }, tx);
    });
  }

  /** For the resident page: the place a QR code names (a registered place, or a grid's own code). */
  async function publicPlace(code: string) {
    const found = await findPlaceWithArea(db, code.trim());
    const place = found?.place;
    const row = found?.area ?? await repo.findAreaByCode(db, code.trim());
    if (!row) throw notFound('place');
    const trail = (await repo.areasOnPath(db, row.path)).reverse();
    return {
      code: place?.code ?? row.code!, name: place?.name ?? row.name, areaId: row.id, areaName: row.name,
      areaTrail: [...trail.map((a) => a.name), ...(place ? [place.name] : [])],
    };
  }

  /** For the resident page without a QR code: the area tree, one level at a time (official divisions are public). */
  async function publicChildren(parentId?: number) {
    const rows = await repo.childrenOf(db, parentId);
    return { items: rows.map((r) => ({ ...r, hasChildren: Boolean(r.hasChildren) })) };
  }

  return { get, list, create, update, remove, publicPlace, publicChildren };
}
export type AreaService = ReturnType<typeof createAreaService>;

export function presentArea(r: repo.AreaRow) {
  return {
    id: r.id, parentId: r.parentId, level: r.level as AreaLevel, code: r.code, official: r.official, name: r.name,
    path: r.path, depth: r.depth, createdAt: isoRequired(r.createdAt), updatedAt: isoRequired(r.updatedAt),
  };
}
