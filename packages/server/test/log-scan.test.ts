import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { systemActor } from '../src/access/actor.ts';
import { buildApp } from '../src/http/app.ts';
import { redactUrl } from '../src/http/logging.ts';
import { createTestContext, type TestContext } from './helpers/context.ts';
import { buildWorld, PASSWORD, type World } from './helpers/world.ts';

/**
 * The log of a whole run holds no credential and none of the personal values the run created: the requests
 * below carry a tracking secret, an API token, a session, phones, an ID number and names in every place a
 * client puts them (query strings, headers, bodies, a hostile X-Request-Id), and every line is checked.
 */
const lines: string[] = [];
let ctx: TestContext;
let app: FastifyInstance;
let w: World;
beforeAll(async () => {
  ctx = await createTestContext();
  w = await buildWorld(ctx);
  app = await buildApp({ services: ctx.services, database: ctx.database, logger: { level: 'debug', stream: { write: (l) => { lines.push(l); } } }, rateLimitMultiplier: 1000 });
  await app.ready();
});
afterAll(async () => { await app?.close(); await ctx?.close(); });

describe('logs', () => {
  it('hold no secret and no personal value of a full run', async () => {
    const secrets: string[] = [];
    const phone = '13712345678'; const idNumber = '110101199003070011'; const name = '欧阳明月';
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'a.all', password: PASSWORD } });
    const session = login.cookies.find((c) => c.name === 'fq_session')!.value;
    const csrf = login.json().csrfToken as string;
    const headers = { cookie: `fq_session=${session}`, 'x-csrf-token': csrf, 'x-request-id': `evil\n${'x'.repeat(500)}` };
    secrets.push(session, csrf, PASSWORD);
    const { token } = await ctx.services.tokens.create(systemActor(), { userId: w.users.aAll.id, name: 'log test' });
    secrets.push(token);

    const category = (await ctx.services.categories.byCode('A01'))!;
    const reported = await app.inject({ method: 'POST', url: '/api/v1/public/cases', payload: { channel: 'mobile_web', areaId: w.areas.a1.id, categoryId: category.id, description: '路灯不亮', reporter: { name, phone } } });
    expect(reported.statusCode).toBe(201);
    const { number, trackingSecret } = reported.json();
    secrets.push(trackingSecret);
    expect((await app.inject({ url: `/api/v1/public/cases/${number}?secret=${encodeURIComponent(trackingSecret)}` })).statusCode).toBe(200);
    await app.inject({ url: `/m/track/${number}?s=${encodeURIComponent(trackingSecret)}`, headers: { accept: 'text/html' } });
    expect((await app.inject({ method: 'POST', url: '/api/v1/registry/people', headers, payload: { residency: 'registered', name, idNumber, phone, areaId: w.areas.a1.id } })).statusCode).toBe(201);
    expect((await app.inject({ url: `/api/v1/registry/people?idNumber=${idNumber}`, headers })).json().items).toHaveLength(1);
    expect((await app.inject({ url: `/api/v1/registry/people?phone=${phone}`, headers })).statusCode).toBe(200);
    expect((await app.inject({ url: `/api/v1/users?phone=${phone}&q=${encodeURIComponent(name)}`, headers })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/v1/areas', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(200);
    await app.inject({ url: `/api/v1/cases?number=${number}&cursor=not-a-cursor`, headers }); // a bad cursor: an error line
    await app.inject({ url: `/no/such/route?secret=${encodeURIComponent(trackingSecret)}&phone=${phone}` });
    // an Open311 client may send everything in the query string, its key included
    const open311 = `/open311/v2/requests.json?api_key=${token}&service_code=A01&address_id=${w.areas.a1.code}&first_name=${encodeURIComponent(name)}&phone=${phone}&description=${encodeURIComponent(`${name}家门口路灯不亮`)}`;
    expect((await app.inject({ method: 'POST', url: open311 })).statusCode).toBe(200);
    expect((await app.inject({ url: `/open311/v2/requests.xml?api_key=${token}&status=open` })).statusCode).toBe(200);

    const log = lines.join('');
    expect(lines.length).toBeGreaterThan(10);
    for (const v of [...secrets, phone, idNumber, name, encodeURIComponent(name)]) expect(lines.filter((l) => l.includes(v)), `the log holds ${v}`).toEqual([]);
    expect(log).toContain('secret=***');
    // the request id is ours; the client's is a cleaned label beside it
    expect(log).not.toContain('x'.repeat(65));
    for (const l of lines) {
      const entry = JSON.parse(l) as { reqId?: string };
      if (entry.reqId) expect(entry.reqId).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('redacts sensitive query values and keeps the rest', () => {
    expect(redactUrl('/api/v1/public/cases/X?secret=abc&x=1')).toBe('/api/v1/public/cases/X?secret=***&x=1');
    expect(redactUrl('/m/track/N?s=q%2Bz')).toBe('/m/track/N?s=***');
    expect(redactUrl('/api/v1/registry/people?idNumber=1&limit=5&PHONE=2')).toBe('/api/v1/registry/people?idNumber=***&limit=5&PHONE=***');
    expect(redactUrl('/api/v1/areas')).toBe('/api/v1/areas');
    expect(redactUrl('/api/v1/sms/receipts/aliyun/receipt-token-0123456789?x=1')).toBe('/api/v1/sms/receipts/aliyun/***?x=1');
  });
});
