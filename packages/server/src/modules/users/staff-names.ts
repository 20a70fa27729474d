import type { Db } from '../../db/database.ts';
import type { KeyRing } from '../../lib/personal-data.ts';
import { USER_FIELDS } from './users.service.ts';
import { staffByIds } from './users.repository.ts';

/** How long a name is remembered: a renamed colleague shows under the new name within this time on every server. */
const TTL_MS = 60_000;
const MAX = 5_000;

/**
 * Staff names for timelines and the audit log. A colleague's name is not a resident's personal data: staff see the
 * people they work with by name (张建国), never by login (`dispatcher`). Decrypted once per minute per person.
 */
export function createStaffNames(deps: { db: Db; keys: KeyRing }) {
  const cache = new Map<string, { name: string; until: number }>();
  async function names(ids: Iterable<string | null | undefined>): Promise<Map<string, string>> {
    const now = Date.now();
    const out = new Map<string, string>();
    const missing: string[] = [];
    for (const id of new Set(ids)) {
      if (!id) continue;
      const hit = cache.get(id);
      if (hit && hit.until > now) out.set(id, hit.name);
      else missing.push(id);
    }
    for (const r of await staffByIds(deps.db, missing)) {
      const name = deps.keys.decrypt(USER_FIELDS.displayName, r.displayNameEnc);
      if (cache.size >= MAX) cache.delete(cache.keys().next().value!);
      cache.set(r.id, { name, until: now + TTL_MS });
      out.set(r.id, name);
    }
    return out;
  }
  return { names };
}
export type StaffNames = ReturnType<typeof createStaffNames>;
