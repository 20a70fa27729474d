import { asc, gt } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { users } from '../../db/schema.ts';
import { systemActor } from '../../access/actor.ts';
import type { KeyRing } from '../../lib/personal-data.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { updateUser } from './users.repository.ts';
import { USER_FIELDS } from './users.service.ts';

/**
 * Key rotation, step 2 (step 1: set the new FENGQIAO_SECRET and move the old one to FENGQIAO_PREVIOUS_SECRETS):
 * re-encrypt every personal field and recompute every blind index under the current key, in batches.
 * Safe to run again; rows already under the current key are left alone.
 */
export async function rotateKeys(db: Db, keys: KeyRing, audit: AuditService, batchSize = 500) {
  let after = '00000000-0000-0000-0000-000000000000';
  let rotated = 0;
  for (;;) {
    const batch = await db.select().from(users).where(gt(users.id, after)).orderBy(asc(users.id)).limit(batchSize);
    if (!batch.length) break;
    await db.transaction(async (tx) => {
      for (const u of batch) {
        const stale = keys.isStale(u.displayNameEnc) || (u.phoneEnc !== null && keys.isStale(u.phoneEnc));
        if (!stale) continue;
        const phone = u.phoneEnc ? keys.decrypt(USER_FIELDS.phone, u.phoneEnc) : null;
        await updateUser(tx, u.id, {
          displayNameEnc: keys.encrypt(USER_FIELDS.displayName, keys.decrypt(USER_FIELDS.displayName, u.displayNameEnc)),
          phoneEnc: phone ? keys.encrypt(USER_FIELDS.phone, phone) : null,
          phoneBidx: phone ? keys.blindIndex(USER_FIELDS.phone, phone) : null,
        });
        rotated++;
      }
    });
    after = batch[batch.length - 1]!.id;
  }
  await audit.record(systemActor('rotate-keys'), { action: 'keys.rotate', detail: { rotated, keyId: keys.currentId } });
  return { rotated, keyId: keys.currentId };
}
