import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../db/database.ts';
import { outbox, smsMessages } from '../../db/schema.ts';

export type OutboxRow = typeof outbox.$inferSelect;

export async function insertMessages(ex: Executor, rows: { topic: string; payload: Record<string, unknown>; dedupeKey: string | null }[]): Promise<void> {
  if (rows.length) await ex.insert(outbox).values(rows).onConflictDoNothing();
}

/** Claims left by a crashed worker go back to pending. Times are the database's, the clock that stamped the rows. */
export async function releaseStaleClaims(db: Db, staleSeconds: number): Promise<void> {
  await db.update(outbox).set({ status: 'pending', lockedAt: null })
    .where(and(eq(outbox.status, 'processing'), lt(outbox.lockedAt, sql`now() - ${sql.raw(`interval '${Math.floor(staleSeconds)} seconds'`)}`)));
}

/** A bounded batch of due messages, claimed with FOR UPDATE SKIP LOCKED so that several servers share the work. */
export async function claimBatch(db: Db, batch: number): Promise<OutboxRow[]> {
  return db.transaction(async (tx) => {
    const ids = await tx.execute<{ id: number }>(sql`select id from outbox where status = 'pending' and available_at <= now()
      order by id limit ${batch} for update skip locked`);
    const list = ((ids as unknown as { rows: { id: number }[] }).rows ?? []).map((r) => Number(r.id));
    if (!list.length) return [];
    return tx.update(outbox).set({ status: 'processing', lockedAt: sql`now()` }).where(inArray(outbox.id, list)).returning();
  });
}

export async function markDone(ex: Executor, id: number): Promise<void> {
  await ex.update(outbox).set({ status: 'done', deliveredAt: sql`now()`, attempts: sql`${outbox.attempts} + 1` }).where(eq(outbox.id, id));
}

export async function markAttemptFailed(db: Db, id: number, attempts: number, failed: boolean, retryInSeconds: number, error: string): Promise<void> {
  await db.update(outbox).set({
    status: failed ? 'failed' : 'pending', attempts, lockedAt: null, lastError: error.slice(0, 500),
    availableAt: sql`now() + ${sql.raw(`interval '${Math.max(0, Math.floor(retryInSeconds))} seconds'`)}`,
  }).where(eq(outbox.id, id));
}

/** The recording SMS sender's copy of a text (phone encrypted, tracking secret already left out). */
export async function insertSmsRecord(ex: Executor, v: typeof smsMessages.$inferInsert): Promise<void> {
  await ex.insert(smsMessages).values(v);
}

/**
 * Delivered messages older than the cutoff, a batch at a time (short transactions; the table stays the size of its
 * retention). Pending, in-flight and failed messages are never touched. Returns how many went.
 */
export async function deleteDeliveredBefore(db: Db, cutoff: Date, batch: number): Promise<number> {
  const oldest = db.select({ id: outbox.id }).from(outbox).where(and(eq(outbox.status, 'done'), lt(outbox.deliveredAt, cutoff))).orderBy(outbox.deliveredAt).limit(batch);
  return (await db.delete(outbox).where(inArray(outbox.id, oldest)).returning({ id: outbox.id })).length;
}
