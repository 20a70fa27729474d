import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../db/database.ts';
import { cases, notifications, outbox, smsMessages } from '../../db/schema.ts';
import type { KeyRing } from '../../lib/personal-data.ts';
import { maskPhone, trackingPath } from '@fengqiao/contracts';

/** In-app messages to organisations and users; delivered into `notifications`. */
export interface NotifyPayload { kind: string; caseId: string | null; organizationIds: number[]; userIds?: string[]; title: string; body: string }
/** A text to a case's reporter; the phone is read from the case (encrypted) at delivery, never copied here. */
export interface SmsPayload { caseId: string; template: 'accepted' | 'replied' | 'reopened'; number: string }

export type OutboxMessage = { topic: 'notify'; payload: NotifyPayload } | { topic: 'sms'; payload: SmsPayload };

/** Written in the caller's transaction: the side effect commits with the change, or not at all. */
export async function enqueue(ex: Executor, messages: OutboxMessage[], dedupe?: (m: OutboxMessage, i: number) => string | null): Promise<void> {
  if (!messages.length) return;
  await ex.insert(outbox).values(messages.map((m, i) => ({
    topic: m.topic, payload: m.payload as unknown as Record<string, unknown>, dedupeKey: dedupe?.(m, i) ?? null,
  }))).onConflictDoNothing();
}

export interface SmsSender { readonly name: string; send(phone: string, body: string): Promise<void> }

/** A text as it may be kept or logged: a tracking link's secret is a credential, and is left out. */
export const redactTracking = (body: string) => body.replace(/([?&]s=)[^&\s]+/g, '$1***');

/**
 * The default sender: records each message (phone encrypted, tracking secret left out) and logs it with the
 * phone masked. Real providers implement the same interface.
 */
export function createRecordingSmsSender(deps: { db: Db; keys: KeyRing; log: (msg: string) => void }): SmsSender {
  return {
    name: 'log',
    async send(phone, body) {
      const kept = redactTracking(body);
      await deps.db.insert(smsMessages).values({ phoneEnc: deps.keys.encrypt('sms.phone', phone), body: kept, provider: 'log' });
      deps.log(`SMS to ${maskPhone(phone)}: ${kept}`);
    },
  };
}

const smsText: Record<SmsPayload['template'], (n: string) => string> = {
  accepted: (n) => `【枫桥】您反映的事项已受理，编号 ${n}，我们会尽快办理并答复。`,
  replied: (n) => `【枫桥】您反映的事项（编号 ${n}）已办理完毕，请查看答复并对办理结果进行评价。`,
  reopened: (n) => `【枫桥】您反映的事项（编号 ${n}）已重新办理，我们会再次答复您。`,
};
/** With PUBLIC_URL set, each text carries the reporter's tracking link: progress, the reply, and the rating. */
const trackingText = (link: string) => `查看进度：${link}`;

const MAX_ATTEMPTS = 8;
const STALE_CLAIM_MS = 5 * 60_000;

/**
 * The outbox worker. Claims a bounded batch with FOR UPDATE SKIP LOCKED (several servers share the work),
 * delivers, and records the outcome on the row: done, or pending again with exponential back-off, or failed.
 * Claims left by a crashed worker return to pending after five minutes.
 */
export function createOutboxWorker(deps: { db: Db; keys: KeyRing; sms: SmsSender; publicUrl?: string | null; onError?: (e: unknown) => void }) {
  const { db, keys, sms } = deps;
  const base = deps.publicUrl?.replace(/\/+$/, '') ?? null;

  async function deliverNotify(p: NotifyPayload, id: number) {
    await db.transaction(async (tx) => {
      const rows = [
        ...p.organizationIds.map((organizationId) => ({ organizationId, userId: null, caseId: p.caseId, kind: p.kind, title: p.title, body: p.body })),
        ...(p.userIds ?? []).map((userId) => ({ organizationId: null, userId, caseId: p.caseId, kind: p.kind, title: p.title, body: p.body })),
      ];
      if (rows.length) await tx.insert(notifications).values(rows);
      await tx.update(outbox).set({ status: 'done', deliveredAt: sql`now()`, attempts: sql`${outbox.attempts} + 1` }).where(eq(outbox.id, id));
    });
  }

  async function deliverSms(p: SmsPayload, id: number) {
    const [c] = await db.select({ phoneEnc: cases.reporterPhoneEnc, secretEnc: cases.trackingSecretEnc }).from(cases).where(eq(cases.id, p.caseId));
    if (c?.phoneEnc) {
      const link = base && c.secretEnc
        ? `${base}${trackingPath(p.number, keys.decrypt('cases.tracking_secret', c.secretEnc))}` : null;
      await sms.send(keys.decrypt('cases.reporter_phone', c.phoneEnc), smsText[p.template](p.number) + (link ? trackingText(link) : ''));
    }
    await db.update(outbox).set({ status: 'done', deliveredAt: sql`now()`, attempts: sql`${outbox.attempts} + 1` }).where(eq(outbox.id, id));
  }

  /** One pass: returns how many messages were handled. */
  // Availability and claims use the database's clock, the one that stamped the rows.
  async function runOnce(batch = 100): Promise<number> {
    await db.update(outbox).set({ status: 'pending', lockedAt: null })
      .where(and(eq(outbox.status, 'processing'), lt(outbox.lockedAt, sql`now() - ${sql.raw(`interval '${STALE_CLAIM_MS / 1000} seconds'`)}`)));
    const claimed = await db.transaction(async (tx) => {
      const ids = await tx.execute<{ id: number }>(sql`select id from outbox where status = 'pending' and available_at <= now()
        order by id limit ${batch} for update skip locked`);
      const list = ((ids as unknown as { rows: { id: number }[] }).rows ?? []).map((r) => Number(r.id));
      if (!list.length) return [];
      return tx.update(outbox).set({ status: 'processing', lockedAt: sql`now()` }).where(inArray(outbox.id, list)).returning();
    });
    for (const row of claimed) {
      try {
        if (row.topic === 'notify') await deliverNotify(row.payload as unknown as NotifyPayload, row.id);
        else if (row.topic === 'sms') await deliverSms(row.payload as unknown as SmsPayload, row.id);
        else throw new Error(`unknown topic ${row.topic}`);
      } catch (e) {
        const attempts = row.attempts + 1;
        await db.update(outbox).set({
          status: attempts >= MAX_ATTEMPTS ? 'failed' : 'pending', attempts, lockedAt: null, lastError: String(e).slice(0, 500),
          availableAt: sql`now() + ${sql.raw(`interval '${2 ** attempts} seconds'`)}`,
        }).where(eq(outbox.id, row.id));
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
    let stopped = false;
    let running: Promise<unknown> = Promise.resolve();
    const timer = setInterval(() => {
      if (stopped) return;
      running = running.then(() => drain()).catch((e) => deps.onError?.(e));
    }, intervalMs);
    return async () => { stopped = true; clearInterval(timer); await running; };
  }

  return { runOnce, drain, start };
}
export type OutboxWorker = ReturnType<typeof createOutboxWorker>;
