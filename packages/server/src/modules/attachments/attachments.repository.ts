import { and, eq, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { attachments, cases, uploadUsage } from '../../db/schema.ts';

export type AttachmentRow = typeof attachments.$inferSelect;

export async function insertAttachment(ex: Executor, v: typeof attachments.$inferInsert): Promise<AttachmentRow> {
  const [row] = await ex.insert(attachments).values(v).returning();
  return row!;
}
export async function countForCase(ex: Executor, caseId: string): Promise<number> {
  const [had] = await ex.select({ n: sql<number>`count(*)::int` }).from(attachments).where(eq(attachments.caseId, caseId));
  return Number(had?.n ?? 0);
}
/** Links uploads to a case: only unlinked ones of `uploadedBy` (null: a resident's) uploaded after `since` */
export async function linkToCase(ex: Executor, ids: string[], caseId: string, areaPath: string, uploadedBy: string | null, since: Date): Promise<AttachmentRow[]> {
  return ex.update(attachments).set({ caseId, areaPath }).where(and(
    inArray(attachments.id, ids), isNull(attachments.caseId),
    uploadedBy ? eq(attachments.uploadedBy, uploadedBy) : isNull(attachments.uploadedBy),
    sql`${attachments.createdAt} > ${since}`,
  )).returning();
}
export async function listForCase(ex: Executor, caseId: string): Promise<AttachmentRow[]> {
  return ex.select().from(attachments).where(eq(attachments.caseId, caseId)).orderBy(attachments.createdAt, attachments.id);
}
/**
 * An attachment the reader may open: their own unlinked upload, or one of a case they may see — `casesScope`
 * is the case module's scope condition (access/scope.ts), so that no other rule decides who sees a case's files.
 */
export async function findReadable(ex: Executor, id: string, userId: string | null, casesScope: SQL): Promise<AttachmentRow | undefined> {
  const [row] = await ex.select({ a: attachments }).from(attachments).leftJoin(cases, eq(cases.id, attachments.caseId))
    .where(and(eq(attachments.id, id), sql`(${attachments.caseId} is null and ${attachments.uploadedBy} = ${userId}::uuid
      or ${attachments.caseId} is not null and ${casesScope})`));
  return row?.a;
}
/** Unlinked uploads that expired: a resident's (no uploader) before `publicBefore`, staff's before `staffBefore`. */
export async function deleteUnlinkedBefore(ex: Executor, cutoff: { publicBefore: Date; staffBefore: Date }, batch: number): Promise<AttachmentRow[]> {
  return ex.delete(attachments).where(inArray(attachments.id, ex.select({ id: attachments.id }).from(attachments)
    .where(and(isNull(attachments.caseId), lt(attachments.createdAt, cutoff.staffBefore > cutoff.publicBefore ? cutoff.staffBefore : cutoff.publicBefore),
      sql`(${attachments.uploadedBy} is null and ${attachments.createdAt} < ${cutoff.publicBefore.toISOString()}
        or ${attachments.uploadedBy} is not null and ${attachments.createdAt} < ${cutoff.staffBefore.toISOString()})`)).limit(batch))).returning();
}

/** Bytes of residents' uploads not (yet) named by any report. */
export async function unlinkedPublicBytes(ex: Executor): Promise<number> {
  const [r] = await ex.select({ n: sql<string>`coalesce(sum(${attachments.size}), 0)` }).from(attachments)
    .where(and(isNull(attachments.caseId), isNull(attachments.uploadedBy)));
  return Number(r?.n ?? 0);
}

/** Adds an upload's bytes to its address's count for the day; answers the day's total so far. */
export async function addUsage(ex: Executor, addressHash: string, day: string, bytes: number): Promise<number> {
  const [r] = await ex.insert(uploadUsage).values({ addressHash, day, bytes })
    .onConflictDoUpdate({ target: [uploadUsage.addressHash, uploadUsage.day], set: { bytes: sql`${uploadUsage.bytes} + ${bytes}` } })
    .returning({ bytes: uploadUsage.bytes });
  return Number(r!.bytes);
}

export async function deleteUsageBefore(ex: Executor, day: string): Promise<void> {
  await ex.delete(uploadUsage).where(lt(uploadUsage.day, day));
}
