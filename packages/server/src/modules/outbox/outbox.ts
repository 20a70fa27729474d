import type { Db, Executor } from '../../db/database.ts';
import { claimBatch, deleteDeliveredBefore, insertMessages, markAttemptFailed, markDone, releaseStaleClaims } from './outbox.repository.ts';
import { DEFAULT_RETRY, type TopicRegistry } from './topics.ts';
import { everyInterval } from '../../lib/background.ts';

/** A side effect to deliver after commit: a registered topic and its payload (see topics.ts). */
export interface OutboxMessage { topic: string; payload: Record<string, unknown> }

/** Written in the caller's transaction: the side effect commits with the change, or not at all. */
export async function enqueue(ex: Executor, messages: OutboxMessage[], dedupe?: (m: OutboxMessage, i: number) => string | null): Promise<void> {
  if (!messages.length) return;
  await insertMessages(ex, messages.map((m, i) => ({ topic: m.topic, payload: m.payload, dedupeKey: dedupe?.(m, i) ?? null })));
}

const STALE_CLAIM_SECONDS = 5 * 60;

/**
 * The outbox worker. Claims a bounded batch with FOR UPDATE SKIP LOCKED (several servers share the work),
 * hands each message to its topic, and records the outcome on the row: done, or pending again after the
 * topic's back-off, or failed after its last attempt. Claims left by a crashed worker return to pending after
 * five minutes. A message of a topic nobody registered fails like any delivery and is retried (a server of
 * a newer version may know it).
 */
export function createOutboxWorker(deps: { db: Db; topics: TopicRegistry; onError?: (e: unknown) => void }) {
  const { db, topics } = deps;

  /** One pass: returns how many messages were handled. */
  async function runOnce(batch = 100): Promise<number> {
    await releaseStaleClaims(db, STALE_CLAIM_SECONDS);
    // in the order they were written (UPDATE … RETURNING gives no order): a case's messages go out as they happened
    const claimed = (await claimBatch(db, batch)).sort((a, b) => a.id - b.id);
    for (const row of claimed) {
      const topic = topics.get(row.topic);
      try {
        if (!topic) throw new Error(`unknown topic ${row.topic}`);
        if (topic.local) {
          await db.transaction(async (tx) => { await topic.deliver(row.payload, tx); await markDone(tx, row.id); });
        } else {
          await topic.deliver(row.payload, db);
          await markDone(db, row.id);
        }
      } catch (e) {
        const retry = topic?.retry ?? DEFAULT_RETRY;
        const attempts = row.attempts + 1;
        await markAttemptFailed(db, row.id, attempts, attempts >= retry.maxAttempts, retry.backoffSeconds(attempts), String(e));
        deps.onError?.(e);
      }
    }
    return claimed.length;
  }

  /** Runs until the outbox is empty (tests, CLI). */
  async function drain(): Promise<number> {
    let total = 0;
    for (let n = await runOnce(); n > 0; n = await runOnce()) total += n;
    return total;
  }

  /** Background loop for `serve`. */
  function start(intervalMs = 1000) {
    return everyInterval(intervalMs, () => drain(), deps.onError);
  }

  /** Delivered messages older than the retention go, in batches; pending, in-flight and failed ones stay. */
  async function purgeDelivered(days: number, now: Date, batch = 5000): Promise<number> {
    const cutoff = new Date(now.getTime() - days * 86_400_000);
    let purged = 0;
    for (let n = batch; n === batch;) purged += (n = await deleteDeliveredBefore(db, cutoff, batch));
    return purged;
  }

  return { runOnce, drain, start, purgeDelivered };
}
export type OutboxWorker = ReturnType<typeof createOutboxWorker>;
