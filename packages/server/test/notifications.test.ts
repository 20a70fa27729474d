import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/access/actor.ts';
import { createTestContext, type TestContext } from './helpers/context.ts';
import { buildWorld, login, PASSWORD, type Session, type World } from './helpers/world.ts';

/** The inbox: nobody is told of their own action; each person reads their own copy, one message or all. */
let ctx: TestContext;
let w: World;
let clerk: Session;
let colleague: Session;
let third: Session;
beforeAll(async () => {
  ctx = await createTestContext();
  w = await buildWorld(ctx);
  await ctx.services.users.create(systemActor(), { username: 'a.third', displayName: '第三人', organizationId: w.orgs.a.id, roles: ['dispatcher'], password: PASSWORD });
  clerk = await login(ctx, 'a.all');
  colleague = await login(ctx, 'a.intake');
  third = await login(ctx, 'a.third');
}, 120_000);
afterAll(() => ctx?.close());

const inbox = async (s: Session, unread = false) =>
  (await ctx.app.inject({ url: `/api/v1/notifications?limit=100${unread ? '&unread=true' : ''}`, headers: s.headers })).json().items as { id: number; title: string; readAt: string | null }[];
const report = async (s: Session, text: string) => {
  const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/cases', headers: s.headers, payload: { channel: 'window', areaId: w.areas.a.id, categoryId: (await ctx.services.categories.byCode('A02'))!.id, description: text } });
  expect(res.statusCode, res.body).toBe(201);
  await ctx.services.outbox.drain();
  return res.json().case as { id: string; number: string; version: number };
};

describe('notifications', () => {
  it('the clerk who registers a case is not told of it; colleagues are', async () => {
    const c = await report(clerk, '甲镇路灯不亮');
    expect((await inbox(clerk)).some((n) => n.title.includes(c.number))).toBe(false);
    expect((await inbox(colleague)).some((n) => n.title.includes(c.number))).toBe(true);
    // the same for an action: the supervising leader's notice goes to the center, not back to the leader
    const res = await ctx.app.inject({ method: 'POST', url: `/api/v1/cases/${c.id}/supervise`, headers: clerk.headers, payload: { version: c.version, level: 'yellow', dueInWorkingDays: 2, note: '请尽快处理' } });
    expect(res.statusCode, res.body).toBe(200);
    await ctx.services.outbox.drain();
    const supervised = (n: { title: string }) => n.title.includes(c.number) && n.title.includes('督办');
    expect((await inbox(clerk)).some(supervised)).toBe(false);
    expect((await inbox(colleague)).some(supervised)).toBe(true);
    // the workbench in English: the same messages, titled in English
    const english = ((await ctx.app.inject({ url: '/api/v1/notifications?limit=100', headers: { ...colleague.headers, 'accept-language': 'en-US' } })).json().items as { title: string }[])
      .filter((n) => n.title.includes(c.number));
    expect(english.length).toBe(2);
    expect(english.filter((n) => /[\u3400-\u9fff]/.test(n.title))).toEqual([]);
  });

  it('reading one message marks it for the reader only; all read marks everything so far', async () => {
    await report(clerk, '甲镇井盖缺失');
    const unread = await inbox(colleague, true);
    expect(unread.length).toBeGreaterThan(0);
    const first = unread[0]!;
    expect((await ctx.app.inject({ method: 'POST', url: `/api/v1/notifications/${first.id}/read`, headers: colleague.headers })).statusCode).toBe(200);
    expect((await inbox(colleague, true)).map((n) => n.id)).not.toContain(first.id);
    expect((await inbox(colleague)).find((n) => n.id === first.id)!.readAt).not.toBeNull();
    expect((await inbox(third, true)).map((n) => n.id)).toContain(first.id);

    expect((await ctx.app.inject({ method: 'POST', url: '/api/v1/notifications/read-all', headers: third.headers })).statusCode).toBe(200);
    expect(await inbox(third, true)).toEqual([]);
    const later = await report(clerk, '甲镇垃圾满溢');
    expect((await inbox(third, true)).map((n) => n.title).join()).toContain(later.number);
  });

  it('a leader finds again the cases they supervised (督办), and nobody else\'s', async () => {
    const mine = async (s: Session) => ((await ctx.app.inject({ url: '/api/v1/cases?supervisedByMe=true&limit=50', headers: s.headers })).json().items as { number: string }[]).map((c) => c.number);
    const c = await report(colleague, '甲镇桥梁护栏损坏');
    const res = await ctx.app.inject({ method: 'POST', url: `/api/v1/cases/${c.id}/supervise`, headers: clerk.headers, payload: { version: c.version, level: 'red', dueInWorkingDays: 1, note: '限期整改' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(await mine(clerk)).toContain(c.number);
    expect(await mine(colleague)).not.toContain(c.number);
  });

  it('a message of another organisation cannot be marked', async () => {
    const other = await login(ctx, 'b.all');
    const mine = (await inbox(colleague))[0]!;
    const res = await ctx.app.inject({ method: 'POST', url: `/api/v1/notifications/${mine.id}/read`, headers: other.headers });
    expect(res.statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'POST', url: '/api/v1/notifications/99999999999/read', headers: colleague.headers })).statusCode).toBe(404);
  });
});
