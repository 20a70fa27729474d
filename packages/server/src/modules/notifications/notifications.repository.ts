import { and, desc, eq, gt, inArray, isNull, lt, max, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Db, Executor } from '../../db/database.ts';
import { notificationReadMarks, notificationReads, notifications } from '../../db/schema.ts';

export type NotificationRow = typeof notifications.$inferSelect;
type Who = { organizationId: number | null; userId: string | null };
const NOBODY = '00000000-0000-0000-0000-000000000000';

export async function insertNotifications(ex: Executor, rows: (typeof notifications.$inferInsert)[]): Promise<void> {
  if (rows.length) await ex.insert(notifications).values(rows);
}

/** A member's inbox: messages to the organisation and to the user, less what the user caused themself. */
const inboxOf = (who: Who): SQL => and(
  or(eq(notifications.organizationId, who.organizationId ?? -1), eq(notifications.userId, who.userId ?? NOBODY)),
  or(isNull(notifications.actorUserId), ne(notifications.actorUserId, who.userId ?? NOBODY)),
)!;

/** The inbox newest first, each message with when this reader read it (their own mark, or "all read" past it). */
export async function listInbox(db: Db, who: Who, q: { unread?: boolean; before?: number; limit: number }) {
  const me = who.userId ?? NOBODY;
  const readAt = sql<Date | null>`coalesce(${notificationReads.readAt}, case when ${notifications.id} <= ${notificationReadMarks.upToId} then ${notificationReadMarks.readAt} end)`
    .mapWith((v: unknown) => (v === null ? null : new Date(v as string)));
  const conds: (SQL | undefined)[] = [inboxOf(who)];
  if (q.unread) conds.push(isNull(notificationReads.notificationId), or(isNull(notificationReadMarks.upToId), gt(notifications.id, notificationReadMarks.upToId)));
  if (q.before !== undefined) conds.push(lt(notifications.id, q.before));
  return db.select({ n: notifications, readAt }).from(notifications)
    .leftJoin(notificationReads, and(eq(notificationReads.notificationId, notifications.id), eq(notificationReads.userId, me)))
    .leftJoin(notificationReadMarks, eq(notificationReadMarks.userId, me))
    .where(and(...conds)).orderBy(desc(notifications.id)).limit(q.limit);
}

/** Marks one message of the reader's inbox read; false when it is not in their inbox. */
export async function markRead(db: Db, who: Who, id: number): Promise<boolean> {
  const [found] = await db.select({ id: notifications.id }).from(notifications).where(and(eq(notifications.id, id), inboxOf(who)));
  if (!found || !who.userId) return false;
  await db.insert(notificationReads).values({ userId: who.userId, notificationId: id }).onConflictDoNothing();
  return true;
}

/** Everything in the reader's inbox up to its newest message is read. */
export async function markAllRead(db: Db, who: Who): Promise<void> {
  if (!who.userId) return;
  const [top] = await db.select({ id: max(notifications.id) }).from(notifications).where(inboxOf(who));
  if (!top?.id) return;
  await db.insert(notificationReadMarks).values({ userId: who.userId, upToId: Number(top.id) })
    .onConflictDoUpdate({ target: notificationReadMarks.userId, set: { upToId: sql`greatest(${notificationReadMarks.upToId}, excluded.up_to_id)`, readAt: sql`now()` } });
}

/**
 * Messages sent before the cutoff, a batch at a time, with what their readers marked; returns how many went.
 * ("All read" marks hold an id, not rows: they stay, and simply point below the oldest message kept.)
 */
export async function deleteSentBefore(db: Db, cutoff: Date, batch: number): Promise<number> {
  const oldest = db.select({ id: notifications.id }).from(notifications).where(lt(notifications.createdAt, cutoff)).orderBy(notifications.createdAt).limit(batch);
  return db.transaction(async (tx) => {
    const gone = await tx.delete(notifications).where(inArray(notifications.id, oldest)).returning({ id: notifications.id });
    if (gone.length) await tx.delete(notificationReads).where(inArray(notificationReads.notificationId, gone.map((g) => g.id)));
    return gone.length;
  });
}
