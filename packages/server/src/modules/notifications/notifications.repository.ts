import { and, desc, eq, isNull, lt, or, type SQL } from 'drizzle-orm';
import type { Db, Executor } from '../../db/database.ts';
import { notifications } from '../../db/schema.ts';

export type NotificationRow = typeof notifications.$inferSelect;

export async function insertNotifications(ex: Executor, rows: (typeof notifications.$inferInsert)[]): Promise<void> {
  if (rows.length) await ex.insert(notifications).values(rows);
}

/** The inbox of an organisation's member: messages to the organisation and to the user, newest first. */
export async function listInbox(db: Db, who: { organizationId: number | null; userId: string | null }, q: { unread?: boolean; before?: number; limit: number }) {
  const conds: (SQL | undefined)[] = [
    or(eq(notifications.organizationId, who.organizationId ?? -1), eq(notifications.userId, who.userId ?? '00000000-0000-0000-0000-000000000000')),
  ];
  if (q.unread) conds.push(isNull(notifications.readAt));
  if (q.before !== undefined) conds.push(lt(notifications.id, q.before));
  return db.select().from(notifications).where(and(...conds)).orderBy(desc(notifications.id)).limit(q.limit);
}
