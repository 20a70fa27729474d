import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/access/actor.ts';
import { MAX_ATTEMPTS } from '../src/modules/webhooks/delivery.ts';
import { createTestContext, type TestContext } from './helpers/context.ts';
import { buildWorld, login, type Session, type World } from './helpers/world.ts';

/**
 * Outbound webhooks: a township's subscription hears its own cases' events and warnings, signed; a receiver that
 * is down for a while gets every delivery once and in order per case when it is back; a dead delivery is replayed.
 */
let ctx: TestContext;
let w: World;
let admin: Session;
const sys = systemActor();
const got: { event: string; delivery: string; body: Record<string, any>; raw: string; headers: http.IncomingHttpHeaders }[] = [];
let up = true;
let server: http.Server;
let url = '';
let hook = { id: '', secret: '' };

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => { raw += c.toString('utf8'); });
    req.on('end', () => {
      if (!up) { res.statusCode = 503; res.end('down'); return; }
      got.push({ event: String(req.headers['x-fq-event']), delivery: String(req.headers['x-fq-delivery']), body: JSON.parse(raw), raw, headers: req.headers });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  ctx = await createTestContext();
  w = await buildWorld(ctx);
  admin = await login(ctx, 'a.all');
  const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: admin.headers, payload: { name: '甲镇网格平台', url, events: ['case.created', 'case.status_changed', 'warning.raised'] } });
  expect(res.statusCode, res.body).toBe(201);
  hook = { id: res.json().subscription.id, secret: res.json().secret };
}, 120_000);
afterAll(async () => { await ctx?.close(); server?.close(); });

/** The fan-out, then every outbox message due — with the back-off's waits skipped. */
async function pump(rounds = 1) {
  for (let i = 0; i < rounds; i++) {
    await ctx.services.webhooks.delivery.drain();
    await ctx.database.db.execute(sql`update outbox set available_at = now() where status = 'pending'`);
    await ctx.services.outbox.drain();
  }
}
const category = async () => (await ctx.services.categories.byCode('A02'))!.id;
const act = async (id: string, action: string, body: Record<string, unknown>) => {
  const v = (await ctx.services.cases.get(sys, id)).case.version;
  await ctx.services.cases.act(sys, id, action as never, { version: v, ...body } as never);
};
const deliveries = async (q = '') => (await ctx.app.inject({ url: `/api/v1/webhooks/${hook.id}/deliveries?limit=200${q}`, headers: admin.headers })).json().items as any[];

describe('outbound webhooks', () => {
  it('the receiver is down for a while, then back: every delivery arrives once, in order per case, signed; nothing of another township', async () => {
    up = false;
    const made: string[] = [];
    for (const text of ['甲一村路灯不亮', '甲一村井盖缺失']) {
      made.push((await ctx.services.cases.createByStaff(sys, { channel: 'window', areaId: w.areas.a1.id, categoryId: await category(), description: text }, null)).case.id);
    }
    const other = (await ctx.services.cases.createByStaff(sys, { channel: 'window', areaId: w.areas.b1.id, categoryId: await category(), description: '乙一社区路灯不亮' }, null)).case.id;
    for (const id of made) {
      await act(id, 'accept', { tier: 'general' });
      await act(id, 'dispatch', { organizationId: w.orgs.housing.id });
    }
    await act(other, 'accept', { tier: 'general' });
    await pump(3);
    expect(got).toHaveLength(0);
    const waiting = await deliveries();
    expect(waiting).toHaveLength(6);
    expect(waiting.every((d) => d.status === 'pending' && d.attempts >= 1)).toBe(true);
    expect(waiting.some((d) => d.lastError === 'answered 503')).toBe(true);

    up = true;
    await pump(4);
    expect(got).toHaveLength(6);
    expect(new Set(got.map((g) => g.delivery)).size).toBe(6);
    for (const id of made) {
      const mine = got.filter((g) => g.body.case.id === id);
      expect(mine.map((g) => g.event)).toEqual(['case.created', 'case.status_changed', 'case.status_changed']);
      expect(mine.map((g) => g.body.change.seq)).toEqual([1, 2, 3]);
    }
    expect(got.some((g) => g.body.case.id === other)).toBe(false);
    for (const g of got) {
      const sig = crypto.createHmac('sha256', hook.secret).update(`${g.headers['x-fq-timestamp']}.${g.raw}`).digest('hex');
      expect(g.headers['x-fq-signature']).toBe(`sha256=${sig}`);
      expect(String(g.body.id)).toBe(g.delivery);
    }
    expect((await deliveries()).every((d) => d.status === 'delivered')).toBe(true);
    // nothing is sent twice when the outbox and the fan-out run again
    await pump(2);
    expect(got).toHaveLength(6);
  });

  it('a warning of the township is delivered; a dead delivery is replayed from the log', async () => {
    got.length = 0;
    await ctx.services.cases.createByStaff(sys, { channel: 'window', areaId: w.areas.a1.id, categoryId: await category(), description: '甲一村数十户村民反映工资拖欠', peopleInvolved: 30 }, null);
    await ctx.services.commandCenter.warnings.evaluateAll();
    up = false;
    await pump(MAX_ATTEMPTS + 1);
    const dead = (await deliveries('&status=dead'));
    // the case, and each warning it raised (many people; wage arrears)
    expect([...new Set(dead.map((d) => d.event))].sort()).toEqual(['case.created', 'warning.raised']);
    expect(dead.every((d) => d.attempts === MAX_ATTEMPTS)).toBe(true);
    up = true;
    await pump(2);
    expect(got).toHaveLength(0); // dead stays dead until someone replays it
    for (const d of dead) {
      const res = await ctx.app.inject({ method: 'POST', url: `/api/v1/webhooks/${hook.id}/deliveries/${d.id}/replay`, headers: admin.headers });
      expect(res.statusCode, res.body).toBe(200);
    }
    await pump(2);
    expect(got.map((g) => g.event).sort()).toEqual(dead.map((d) => d.event).sort());
    expect(got.find((g) => g.event === 'warning.raised')!.body.warning).toMatchObject({ level: expect.any(String), area: { code: expect.any(String) } });
    const again = await ctx.app.inject({ method: 'POST', url: `/api/v1/webhooks/${hook.id}/deliveries/${dead[0]!.id}/replay`, headers: admin.headers });
    expect(again.statusCode).toBe(200); // a delivered one may be sent again on purpose
  });

  it('bad input: a URL that is not http(s), no events, an unknown event', async () => {
    for (const payload of [{ name: 'x', url: 'ftp://example/x', events: ['case.created'] }, { name: 'x', url, events: [] }, { name: 'x', url, events: ['case.deleted'] },
      // where cloud machines hand out their credentials, and a URL carrying a password
      { name: 'x', url: 'http://169.254.169.254/latest/meta-data/', events: ['case.created'] }, { name: 'x', url: 'http://[fe80::1]/x', events: ['case.created'] },
      { name: 'x', url: 'http://user:pw@example.gov.cn/x', events: ['case.created'] }]) {
      const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: admin.headers, payload });
      expect(res.statusCode).toBe(400);
    }
    const listed = (await ctx.app.inject({ url: '/api/v1/webhooks', headers: admin.headers })).json().items as any[];
    expect(listed).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain(hook.secret);
  });
});
