import type { Db, Executor } from '../../db/database.ts';
import { assertWithin, visibleTo } from '../../access/scope.ts';
import type { Actor } from '../../access/actor.ts';
import { notFound } from '../../lib/errors.ts';
import { findAreaById, type AreaRow } from '../areas/areas.repository.ts';
import { findPlace, scopeColumns, type PlaceRow } from './registry.repository.ts';

/** The area and the place a registry record is put in: both must lie in the actor's jurisdiction. */
export function createRegistryLookups(deps: { db: Db }) {
  async function areaFor(actor: Actor, areaId: number, ex: Executor = deps.db): Promise<AreaRow> {
    const a = await findAreaById(ex, areaId);
    if (!a) throw notFound('area');
    assertWithin(actor, { areaPath: a.path });
    return a;
  }
  async function placeFor(actor: Actor, placeId: number, ex: Executor = deps.db): Promise<PlaceRow> {
    const p = await findPlace(ex, visibleTo(actor, scopeColumns.places), placeId);
    if (!p) throw notFound('place');
    return p;
  }
  return { areaFor, placeFor };
}
export type RegistryLookups = ReturnType<typeof createRegistryLookups>;
