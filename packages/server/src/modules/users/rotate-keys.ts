import { sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { ENCRYPTED_COLUMNS, type EncryptedTable } from '../../db/encrypted-columns.ts';
import { systemActor } from '../../access/actor.ts';
import type { KeyRing } from '../../lib/personal-data.ts';
import type { AuditService } from '../audit/audit.service.ts';

/**
 * Key rotation, step 2 (step 1: set the new FENGQIAO_SECRET and move the old one to FENGQIAO_PREVIOUS_SECRETS):
 * re-encrypt every column of db/encrypted-columns.ts and recompute its blind index under the current key, in
 * batches. Safe to run again; rows already under the current key are left alone.
 */
export async function rotateKeys(db: Db, keys: KeyRing, audit: AuditService, batchSize = 500) {
  let rotated = 0;
  for (const t of ENCRYPTED_COLUMNS) rotated += await rotateTable(db, keys, t, batchSize);
  await audit.record(systemActor('rotate-keys'), { action: 'keys.rotate', detail: { rotated, keyId: keys.currentId } });
  return { rotated, keyId: keys.currentId };
}

async function rotateTable(db: Db, keys: KeyRing, t: EncryptedTable, batchSize: number): Promise<number> {
  let after: string | number = t.id === 'uuid' ? '00000000-0000-0000-0000-000000000000' : 0;
  let rotated = 0;
  const cols = t.columns.map((c) => `"${c.column}"`).join(', ');
  for (;;) {
    const res = await db.execute(sql.raw(`select id, ${cols} from "${t.table}" where id > '${after}' order by id limit ${batchSize}`));
    const rows = (res as unknown as { rows: Record<string, string | number | null>[] }).rows;
    if (!rows.length) break;
    await db.transaction(async (tx) => {
      for (const r of rows) {
        if (!t.columns.some((c) => r[c.column] !== null && keys.isStale(String(r[c.column])))) continue;
        const sets = t.columns.flatMap((c) => {
          const enc = r[c.column];
          if (enc === null) return [];
          const plain = keys.decrypt(c.field, String(enc));
          return [sql`${sql.identifier(c.column)} = ${keys.encrypt(c.field, plain)}`, ...(c.blindIndex ? [sql`${sql.identifier(c.blindIndex)} = ${keys.blindIndex(c.field, plain)}`] : [])];
        });
        await tx.execute(sql`update ${sql.identifier(t.table)} set ${sql.join(sets, sql`, `)} where id = ${r.id}`);
        rotated++;
      }
    });
    after = rows[rows.length - 1]!.id as string | number;
  }
  return rotated;
}
