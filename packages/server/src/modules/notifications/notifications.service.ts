import { and, desc, eq, isNull, lt, or, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { notifications } from '../../db/schema.ts';
import type { Actor } from '../../access/actor.ts';
import { decodeCursor, iso, isoRequired, pageOf } from '../../lib/paging.ts';

/** The in-app inbox: messages to the user and to their organisation. */
export function createNotificationService(deps: { db: Db }) {
  async function list(actor: Actor, q: { unread?: boolean; limit?: number; cursor?: string }) {
    const limit = q.limit ?? 50;
    const before = decodeCursor<number>(q.cursor, 'number');
    const conds: (SQL | undefined)[] = [
      or(eq(notifications.organizationId, actor.organizationId ?? -1), eq(notifications.userId, actor.userId ?? '00000000-0000-0000-0000-000000000000')),
    ];
    if (q.unread) conds.push(isNull(notifications.readAt));
    if (before !== undefined) conds.push(lt(notifications.id, before));
    const rows = await deps.db.select().from(notifications).where(and(...conds)).orderBy(desc(notifications.id)).limit(limit + 1);
    const page = pageOf(rows, limit, (r) => r.id);
    return {
      items: page.items.map((n) => ({ id: n.id, caseId: n.caseId, kind: n.kind, title: n.title, body: n.body, createdAt: isoRequired(n.createdAt), readAt: iso(n.readAt) })),
      nextCursor: page.nextCursor,
    };
  }
  return { list };
}
export type NotificationService = ReturnType<typeof createNotificationService>;
