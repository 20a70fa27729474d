/**
 * Status back to the platform a case came from (12345: accepted, replied with the reply's text, closed), through
 * the outbox: written in the transition's transaction, delivered after commit as a signed POST to the platform's
 * callback, retried with back-off, and marked failed (dead) after its last attempt.
 */
import type { Db, Tx } from '../../db/database.ts';
import type { KeyRing } from '../../lib/personal-data.ts';
import type { Clock } from '../../lib/clock.ts';
import type { CaseRow } from '../cases/cases.repository.ts';
import type { AfterTransition } from '../cases/context.ts';
import { enqueue } from '../outbox/outbox.ts';
import type { TopicRegistry } from '../outbox/topics.ts';
import * as repo from './feeds.repository.ts';
import { feedText, SECRET_FIELD } from './messages.ts';
import { signedHeaders } from './signature.ts';

export const FEED_STATUS_TOPIC = 'feed_status';
export interface FeedStatusPayload { sourceId: string; externalId: string; caseId: string; number: string; status: string; seq: number; at: string; text: string | null }

const REPORT_CHANNELS = new Set(['hotline', 'police_push', 'petition']);
const RESULT_STATUSES = new Set(['replied', 'closed', 'archived', 'rejected']);
/** The sender's id under the name the platform used for it. */
const ID_FIELD: Record<string, string> = { hotline: '工单编号', police: '警情编号', petition: '信访件编号' };

/** The transition listener: a status change of a case a platform sent in, and wants to hear about. */
export function statusSync(): AfterTransition {
  return async (tx: Tx, before: CaseRow, after: CaseRow) => {
    if (before.status === after.status || !REPORT_CHANNELS.has(after.channel)) return;
    const cb = await repo.callbackOfCase(tx, after.id);
    if (!cb) return;
    const payload: FeedStatusPayload = {
      sourceId: cb.sourceId, externalId: cb.externalId, caseId: after.id, number: after.number, status: after.status, seq: after.version,
      at: after.updatedAt.toISOString(), text: RESULT_STATUSES.has(after.status) ? after.resultText : null,
    };
    await enqueue(tx, [{ topic: FEED_STATUS_TOPIC, payload: payload as unknown as Record<string, unknown> }]);
  };
}

export function registerFeedTopics(topics: TopicRegistry, deps: { db: Db; keys: KeyRing; clock: Clock; fetch?: typeof fetch }) {
  const send = deps.fetch ?? fetch;
  topics.register<FeedStatusPayload>({
    topic: FEED_STATUS_TOPIC, channel: 'webhook', local: false,
    // 30 s, 1 min, 2 min … up to an hour between tries; about a day in all before the message is marked failed
    retry: { maxAttempts: 30, backoffSeconds: (n) => Math.min(30 * 2 ** (n - 1), 3600) },
    async deliver(p) {
      const source = await repo.findSource(deps.db, p.sourceId);
      if (!source?.callbackUrl) return; // the platform stopped listening
      const body = JSON.stringify({
        [ID_FIELD[source.kind] ?? 'id']: p.externalId, 事项编号: p.number, 状态: p.status, 状态说明: feedText('status', p.status, 'zh-CN'),
        ...(p.text ? { 答复内容: p.text } : {}), 时间: p.at, 序号: p.seq,
      });
      const res = await send(source.callbackUrl, {
        method: 'POST', body, headers: signedHeaders(deps.keys.decrypt(SECRET_FIELD, source.secretEnc), body, deps.clock.now()),
        signal: AbortSignal.timeout(10_000), redirect: 'error',
      });
      if (!res.ok) throw new Error(`callback answered ${res.status}`);
    },
  });
}
