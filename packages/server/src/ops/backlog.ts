/**
 * What waits to be done, for /metrics: the outbox's pending messages and the age of the oldest one that is due,
 * the facts queued for the rollups, the cases queued for the warnings rules. Each is read from an index or a queue
 * that the workers keep short, so a scrape costs little; a number that keeps growing means a worker has stopped
 * or cannot keep up (docs/operations.md, Monitoring).
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { rowsOf } from '../db/rows.ts';

export interface Backlog { outboxPending: number; outboxOldestDueSeconds: number; rollupFacts: number; warningCases: number }

export async function readBacklog(db: Db): Promise<Backlog> {
  const [row] = rowsOf<{ pending: number; oldest: number | null; facts: number; cases: number }>(await db.execute(sql`select
      (select count(*) from outbox where status = 'pending')::int as pending,
      (select extract(epoch from now() - min(available_at)) from outbox where status = 'pending' and available_at <= now())::float8 as oldest,
      (select count(*) from rollup_queue)::int as facts,
      (select count(*) from warning_queue)::int as cases`));
  return { outboxPending: Number(row?.pending ?? 0), outboxOldestDueSeconds: Math.max(0, Number(row?.oldest ?? 0)), rollupFacts: Number(row?.facts ?? 0), warningCases: Number(row?.cases ?? 0) };
}
