import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestContext, type TestContext } from './helpers/context.ts';
import { housekeeping } from '../src/housekeeping.ts';

/** Tables that only grow are kept flat: delivered outbox messages and old in-app messages go on a schedule; nothing else does. */
let ctx: TestContext;
beforeAll(async () => { ctx = await createTestContext({ outboxRetentionDays: 7, notificationRetentionDays: 180 }); }, 120_000);
afterAll(() => ctx?.close());

const DAY = 86_400_000;
const rows = async (q: string) => ((await ctx.database.db.execute(sql.raw(q))) as unknown as { rows: Record<string, unknown>[] }).rows;
const ago = (days: number) => new Date(ctx.clock.now().getTime() - days * DAY).toISOString();

describe('housekeeping', () => {
  it('deletes delivered outbox messages past their retention, in batches; never a pending, in-flight or failed one', async () => {
    const add = (status: string, days: number | null, tag: string) => rows(`insert into outbox (topic, payload, status, created_at, delivered_at)
      values ('test.topic', '{"tag":"${tag}"}', '${status}', '${ago(days ?? 30)}', ${days === null ? 'null' : `'${ago(days)}'`})`);
    for (let i = 0; i < 5; i++) await add('done', 8 + i, `old-${i}`);
    await add('done', 6, 'recent');
    await add('pending', null, 'pending');
    await add('processing', null, 'processing');
    await add('failed', null, 'failed');
    expect(await ctx.services.outbox.purgeDelivered(7, ctx.clock.now(), 2)).toBe(5); // three batches of at most two
    expect((await rows(`select payload->>'tag' as tag from outbox where topic = 'test.topic' order by id`)).map((r) => r.tag)).toEqual(['recent', 'pending', 'processing', 'failed']);
    expect(await ctx.services.outbox.purgeDelivered(7, ctx.clock.now())).toBe(0);
  });

  it('deletes in-app messages older than their retention with what readers marked; newer ones and their reads stay', async () => {
    const [old] = await rows(`insert into notifications (organization_id, kind, title, body, created_at) values (1, 'test', 'old', '', '${ago(200)}') returning id`);
    const [fresh] = await rows(`insert into notifications (organization_id, kind, title, body, created_at) values (1, 'test', 'fresh', '', '${ago(10)}') returning id`);
    const reader = '11111111-1111-4111-8111-111111111111';
    await rows(`insert into notification_reads (user_id, notification_id) values ('${reader}', ${old!.id}), ('${reader}', ${fresh!.id})`);
    const n = await housekeeping(ctx.services);
    expect(n.notifications).toBe(1);
    expect((await rows(`select title from notifications where kind = 'test'`)).map((r) => r.title)).toEqual(['fresh']);
    expect((await rows(`select notification_id from notification_reads where user_id = '${reader}'`)).map((r) => Number(r.notification_id))).toEqual([Number(fresh!.id)]);
    expect((await housekeeping(ctx.services)).notifications).toBe(0);
  });
});
