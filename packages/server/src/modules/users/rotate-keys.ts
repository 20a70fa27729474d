import { asc, gt, sql } from 'drizzle-orm';
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
  for (const t of OTHER_TABLES) rotated += await rotateTable(db, keys, t, batchSize);
  await audit.record(systemActor('rotate-keys'), { action: 'keys.rotate', detail: { rotated, keyId: keys.currentId } });
  return { rotated, keyId: keys.currentId };
}

/** Every other table with personal fields: encrypted columns, and the blind index that goes with some of them. */
interface RotatedTable { table: string; id: 'uuid' | 'int'; columns: { enc: string; field: string; bidx?: string }[] }
const OTHER_TABLES: RotatedTable[] = [
  { table: 'cases', id: 'uuid', columns: [
    { enc: 'reporter_name_enc', field: 'cases.reporter_name' }, { enc: 'reporter_phone_enc', field: 'cases.reporter_phone', bidx: 'reporter_phone_bidx' },
    { enc: 'tracking_secret_enc', field: 'cases.tracking_secret' }] },
  { table: 'sms_messages', id: 'int', columns: [{ enc: 'phone_enc', field: 'sms.phone' }] },
  { table: 'people', id: 'uuid', columns: [
    { enc: 'name_enc', field: 'people.name' }, { enc: 'id_number_enc', field: 'people.id_number', bidx: 'id_number_bidx' },
    { enc: 'phone_enc', field: 'people.phone', bidx: 'phone_bidx' }, { enc: 'address_enc', field: 'people.address' }] },
  { table: 'person_groups', id: 'int', columns: [{ enc: 'details_enc', field: 'person_groups.details' }] },
  { table: 'registry_organizations', id: 'int', columns: [
    { enc: 'contact_name_enc', field: 'registry_organizations.contact_name' }, { enc: 'contact_phone_enc', field: 'registry_organizations.contact_phone' }] },
];

async function rotateTable(db: Db, keys: KeyRing, t: RotatedTable, batchSize: number): Promise<number> {
  let after: string | number = t.id === 'uuid' ? '00000000-0000-0000-0000-000000000000' : 0;
  let rotated = 0;
  const cols = t.columns.map((c) => `"${c.enc}"`).join(', ');
  for (;;) {
    const res = await db.execute(sql.raw(`select id, ${cols} from "${t.table}" where id > '${after}' order by id limit ${batchSize}`));
    const rows = (res as unknown as { rows: Record<string, string | number | null>[] }).rows;
    if (!rows.length) break;
    await db.transaction(async (tx) => {
      for (const r of rows) {
        if (!t.columns.some((c) => r[c.enc] !== null && keys.isStale(String(r[c.enc])))) continue;
        const sets = t.columns.flatMap((c) => {
          const enc = r[c.enc];
          if (enc === null) return [];
          const plain = keys.decrypt(c.field, String(enc));
          return [sql`${sql.identifier(c.enc)} = ${keys.encrypt(c.field, plain)}`, ...(c.bidx ? [sql`${sql.identifier(c.bidx)} = ${keys.blindIndex(c.field, plain)}`] : [])];
        });
        await tx.execute(sql`update ${sql.identifier(t.table)} set ${sql.join(sets, sql`, `)} where id = ${r.id}`);
        rotated++;
      }
    });
    after = rows[rows.length - 1]!.id as string | number;
  }
  return rotated;
}
