/** The SQL of delivery receipts: the recorded message, found by the provider's id, marked delivered or failed. */
import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { smsMessages } from '../../db/schema.ts';
import type { Receipt } from './gateway.ts';

export async function applyReceipt(ex: Executor, provider: string, r: Receipt): Promise<number> {
  const rows = await ex.update(smsMessages)
    .set({ status: r.delivered ? 'delivered' : 'failed', receiptCode: r.code.slice(0, 100), receiptAt: sql`now()` })
    .where(and(eq(smsMessages.provider, provider), eq(smsMessages.providerMessageId, r.messageId))).returning({ id: smsMessages.id });
  return rows.length;
}
