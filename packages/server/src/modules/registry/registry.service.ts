import type { Db } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import type { KeyRing } from '../../lib/personal-data.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { GridLocator } from './grid-index.ts';
import { createRegistryLookups } from './lookups.ts';
import { createPeopleService } from './people.service.ts';
import { createPlacesService } from './places.service.ts';

export { PERSON_FIELDS, type PersonField, type PersonInput } from './people.service.ts';
export type { PlaceInput } from './places.service.ts';

/**
 * The registry of people, places, organisations and visits (人、地、物、组织), composed of its use cases:
 * people and their groups (people.service.ts), places, organisations and visits (places.service.ts). Every read
 * is scoped to the actor's area subtree; SQL lives in registry.repository.ts.
 */
export function createRegistryService(deps: { db: Db; keys: KeyRing; audit: AuditService; clock: Clock; grids: GridLocator }) {
  const lookups = createRegistryLookups({ db: deps.db });
  const people = createPeopleService({ ...deps, lookups });
  const places = createPlacesService({ ...deps, lookups, people });
  return { ...people, ...places, ...lookups };
}
export type RegistryService = ReturnType<typeof createRegistryService>;
