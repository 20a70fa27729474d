import type { Locale } from '@fengqiao/contracts';
import type { Db } from '../../db/database.ts';
import type { Actor } from '../../access/actor.ts';
import { decodeCursor, iso, isoRequired, pageOf } from '../../lib/paging.ts';
import type { OutboxMessage } from '../outbox/outbox.ts';
import type { MessageCatalog, TopicDefinition } from '../outbox/topics.ts';
import { deleteSentBefore, insertNotifications, listInbox, markAllRead, markRead } from './notifications.repository.ts';
import { notFound } from '../../lib/errors.ts';

/**
 * An in-app message to organisations (everyone in them) and users. `kind` says what happened (clients filter
 * by it); the title is the catalog's template `template` (default: the kind) filled with `params`, shown in the
 * reader's language; `body` is text of the case (a reason, a description) and is shown as it is.
 */
export interface NotifyPayload {
  kind: string; template?: string; caseId: string | null; organizationIds: number[]; userIds?: string[];
  params: Record<string, string | number>; body: string;
  /** Who caused it (set by the transition or intake that writes it): not shown in their own inbox. */
  actorUserId?: string | null;
}
export const NOTIFY_TOPIC = 'notify';
/** The catalog group of in-app titles. */
export const NOTIFY_TEMPLATES = 'notify';

export const notifyMessage = (p: NotifyPayload): OutboxMessage => ({ topic: NOTIFY_TOPIC, payload: p as unknown as Record<string, unknown> });

/**
 * The in-app inbox: messages to the user and to their organisation, never of what the user did themself; each
 * person reads their own copy (one message, or everything so far).
 */
export function createNotificationService(deps: { db: Db; catalog: MessageCatalog }) {
  const { catalog } = deps;
  const title = (template: string, params: Record<string, unknown>, locale: Locale) => catalog.render(NOTIFY_TEMPLATES, template, locale, params);

  /** The outbox topic that delivers in-app messages: rows of this database, so exactly once. */
  const topic: TopicDefinition<NotifyPayload> = {
    topic: NOTIFY_TOPIC, channel: 'in_app', local: true,
    async deliver(p, ex) {
      const template = p.template ?? p.kind;
      // a message queued by an earlier release carries its title as text
      const legacy = (p as { title?: unknown }).title;
      const text = typeof legacy === 'string' ? legacy : catalog.has(NOTIFY_TEMPLATES, template) ? title(template, p.params ?? {}, 'zh-CN') : template;
      const base = {
        caseId: p.caseId, kind: p.kind, title: text, body: p.body ?? '', template: typeof legacy === 'string' ? null : template, params: p.params ?? {},
        actorUserId: p.actorUserId ?? null,
      };
      await insertNotifications(ex, [
        ...p.organizationIds.map((organizationId) => ({ ...base, organizationId, userId: null })),
        ...(p.userIds ?? []).map((userId) => ({ ...base, organizationId: null, userId })),
      ]);
    },
  };

  async function list(actor: Actor, q: { unread?: boolean; limit?: number; cursor?: string }, locale: Locale = 'zh-CN') {
    const limit = q.limit ?? 50;
    const rows = await listInbox(deps.db, actor, { unread: q.unread, before: decodeCursor<number>(q.cursor, 'number'), limit: limit + 1 });
    const page = pageOf(rows, limit, (r) => r.n.id);
    return {
      items: page.items.map(({ n, readAt }) => ({
        id: n.id, caseId: n.caseId, kind: n.kind, body: n.body, createdAt: isoRequired(n.createdAt), readAt: iso(readAt),
        title: n.template && n.params && catalog.has(NOTIFY_TEMPLATES, n.template) ? title(n.template, n.params, locale) : n.title,
      })),
      nextCursor: page.nextCursor,
    };
  }
  async function read(actor: Actor, id: number) {
    if (!(await markRead(deps.db, actor, id))) throw notFound('resource');
    return { ok: true as const };
  }
  async function readAll(actor: Actor) {
    await markAllRead(deps.db, actor);
    return { ok: true as const };
  }
  /** Messages older than the retention, read or not: the case timeline keeps what happened. */
  async function purgeOlderThan(days: number, now: Date, batch = 5000) {
    const cutoff = new Date(now.getTime() - days * 86_400_000);
    let purged = 0;
    for (let n = batch; n === batch;) purged += (n = await deleteSentBefore(deps.db, cutoff, batch));
    return purged;
  }
  return { list, read, readAll, topic, purgeOlderThan };
}
export type NotificationService = ReturnType<typeof createNotificationService>;
