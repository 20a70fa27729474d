import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { systemActor } from '../src/access/actor.ts';
import { outbox } from '../src/db/schema.ts';
import { enqueue } from '../src/modules/outbox/outbox.ts';
import { createMessageCatalog } from '../src/modules/outbox/topics.ts';
import { createTestContext, type TestContext } from './helpers/context.ts';
import { buildWorld, login, type World } from './helpers/world.ts';

let ctx: TestContext;
let w: World;
beforeAll(async () => {
  ctx = await createTestContext();
  w = await buildWorld(ctx);
});
afterAll(() => ctx?.close());

const rowOf = async (topic: string) => (await ctx.database.db.select().from(outbox).where(eq(outbox.topic, topic)))[0]!;
/** Makes a pending message due now (the worker's back-off is counted by the database's clock). */
const dueNow = (id: number) => ctx.database.db.update(outbox).set({ availableAt: sql`now() - interval '1 second'` }).where(eq(outbox.id, id));

describe('outbox topics', () => {
  it('a message of a topic nobody registered waits with back-off, and is delivered once its topic is registered', async () => {
    await enqueue(ctx.database.db, [{ topic: 'test_later', payload: { n: 1 } }]);
    await ctx.services.outbox.runOnce();
    const waiting = await rowOf('test_later');
    expect(waiting).toMatchObject({ status: 'pending', attempts: 1 });
    expect(waiting.lastError).toContain('unknown topic');
    const delivered: unknown[] = [];
    ctx.services.topics.register({ topic: 'test_later', channel: 'webhook', local: false, async deliver(p) { delivered.push(p); } });
    await dueNow(waiting.id);
    await ctx.services.outbox.drain();
    expect(delivered).toEqual([{ n: 1 }]);
    expect(await rowOf('test_later')).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('follows the topic’s retry policy and marks the message failed after its last attempt', async () => {
    let calls = 0;
    ctx.services.topics.register({
      topic: 'test_flaky', channel: 'webhook', local: false, retry: { maxAttempts: 2, backoffSeconds: () => 0 },
      async deliver() { calls++; throw new Error('gateway down'); },
    });
    await enqueue(ctx.database.db, [{ topic: 'test_flaky', payload: {} }]);
    await ctx.services.outbox.runOnce();
    await dueNow((await rowOf('test_flaky')).id);
    await ctx.services.outbox.runOnce();
    expect(calls).toBe(2);
    expect(await rowOf('test_flaky')).toMatchObject({ status: 'failed', attempts: 2, lastError: 'Error: gateway down' });
  });

  it('a topic is registered once', () => {
    expect(() => ctx.services.topics.register({ topic: 'notify', channel: 'in_app', local: true, async deliver() {} })).toThrow(/twice/);
  });

  it('a template needs both languages', () => {
    expect(() => createMessageCatalog().add('x', { only: { 'zh-CN': '只有中文' } as never })).toThrow(/en-US/);
  });

  it('an in-app notice shows its title in the reader’s language', async () => {
    const c = await ctx.services.cases.createByStaff(systemActor(), { channel: 'window', areaId: w.areas.a1.id, categoryId: (await ctx.services.categories.byCode('A01'))!.id, description: '路灯不亮' }, null);
    await ctx.services.outbox.drain();
    const s = await login(ctx, 'a1.staff');
    const zh = (await ctx.app.inject({ url: '/api/v1/notifications', headers: s.headers })).json().items;
    const en = (await ctx.app.inject({ url: '/api/v1/notifications', headers: { ...s.headers, 'accept-language': 'en-US' } })).json().items;
    expect(zh.find((n: { caseId: string }) => n.caseId === c.case.id)).toMatchObject({ kind: 'case_new', title: `新事项待受理 ${c.case.number}`, body: '路灯不亮' });
    expect(en.find((n: { caseId: string }) => n.caseId === c.case.id)).toMatchObject({ kind: 'case_new', title: `New case to accept ${c.case.number}` });
  });
});
