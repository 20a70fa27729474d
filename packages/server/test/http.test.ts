import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '@fengqiao/contracts';
import { ApiError, createClient } from '@fengqiao/contracts/client';
import { createTestContext, type TestContext } from './helpers/context.ts';
import { buildWorld, PASSWORD, type World } from './helpers/world.ts';
import { systemActor } from '../src/access/actor.ts';
import { buildApp } from '../src/http/app.ts';
import { createServices } from '../src/services.ts';

let ctx: TestContext;
let w: World;
let base: string;
beforeAll(async () => {
  ctx = await createTestContext();
  w = await buildWorld(ctx);
  base = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => ctx?.close());

describe('operations endpoints', () => {
  it('health, readiness with the database and its migrations', async () => {
    expect((await ctx.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = (await ctx.app.inject({ url: '/readyz' })).json();
    expect(ready).toMatchObject({ status: 'ready', database: ctx.database.kind });
    expect(ready.migrations).toBeGreaterThanOrEqual(1);
  });

  it('Prometheus metrics count requests by route and status', async () => {
    await ctx.app.inject({ url: '/api/v1/areas' });
    const text = (await ctx.app.inject({ url: '/metrics' })).body;
    expect(text).toMatch(/fengqiao_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/areas",status="401"\} [1-9]/);
    expect(text).toContain('fengqiao_process_cpu_seconds_total');
  });

  it('metrics show what waits: outbox messages, rollup facts, cases for the warnings rules — and that the workers took it', async () => {
    const gauge = (text: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
    const category = (await ctx.services.categories.byCode('A01'))!;
    await ctx.services.cases.createByStaff(systemActor(), { channel: 'hotline', areaId: w.areas.a1.id, categoryId: category.id, description: '路灯不亮' }, null);
    await new Promise((r) => setTimeout(r, 1100)); // a scrape's reading is reused for a second
    const waiting = (await ctx.app.inject({ url: '/metrics' })).body;
    expect(gauge(waiting, 'fengqiao_outbox_pending_messages')).toBeGreaterThanOrEqual(1);
    expect(gauge(waiting, 'fengqiao_outbox_oldest_due_seconds')).toBeGreaterThanOrEqual(0);
    expect(gauge(waiting, 'fengqiao_rollup_queue_facts')).toBeGreaterThanOrEqual(1);
    expect(gauge(waiting, 'fengqiao_warning_queue_cases')).toBeGreaterThanOrEqual(1);
    await ctx.services.outbox.drain();
    await ctx.services.commandCenter.rollups.catchUp();
    await ctx.services.commandCenter.warnings.evaluateAll();
    await new Promise((r) => setTimeout(r, 1100)); // a scrape's reading is reused for a second
    const done = (await ctx.app.inject({ url: '/metrics' })).body;
    for (const name of ['fengqiao_outbox_pending_messages', 'fengqiao_outbox_oldest_due_seconds', 'fengqiao_rollup_queue_facts', 'fengqiao_warning_queue_cases']) {
      expect(gauge(done, name), name).toBe(0);
    }
  });

  it('metrics are for this machine’s scraper, or for whoever holds METRICS_TOKEN', async () => {
    expect((await ctx.app.inject({ url: '/metrics', remoteAddress: '203.0.113.9' })).statusCode).toBe(404);
    const app = await buildApp({ services: createServices(ctx.database.db, { ...ctx.config, metricsToken: 'metrics-token-0123456789' }), database: ctx.database, logger: false });
    try {
      expect((await app.inject({ url: '/metrics' })).statusCode).toBe(404);
      expect((await app.inject({ url: '/metrics', headers: { authorization: 'Bearer wrong-token-0123456789x' } })).statusCode).toBe(404);
      const ok = await app.inject({ url: '/metrics', remoteAddress: '203.0.113.9', headers: { authorization: 'Bearer metrics-token-0123456789' } });
      expect(ok.statusCode).toBe(200);
      expect(ok.body).toContain('fengqiao_process_cpu_seconds_total');
    } finally { await app.close(); }
  });

  it('send security headers on the console, the resident page, /docs and the API; HSTS only over HTTPS', async () => {
    for (const url of ['/', '/m/', '/m/track/220102200001-20261201-000001?s=secret', '/docs/', '/api/v1/public/categories']) {
      const res = await ctx.app.inject({ url, headers: { accept: 'text/html' } });
      expect(res.statusCode, url).toBeLessThan(400);
      const csp = String(res.headers['content-security-policy']);
      for (const d of ["default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "connect-src 'self'"]) expect(csp, `${url}: ${d}`).toContain(d);
      expect(csp).not.toMatch(/script-src[^;]*unsafe/);
      expect(res.headers['referrer-policy'], url).toBe('no-referrer'); // a tracking link's secret never leaves in a Referer
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['strict-transport-security'], url).toBeUndefined(); // this one is served over plain HTTP
    }
    const app = await buildApp({ services: createServices(ctx.database.db, { ...ctx.config, cookieSecure: true, mapTileUrl: 'https://tiles.example.org/{z}/{x}/{y}.png' }), database: ctx.database, logger: false });
    try {
      const res = await app.inject({ url: '/' });
      expect(res.headers['strict-transport-security']).toMatch(/max-age=31536000/);
      expect(String(res.headers['content-security-policy'])).toMatch(/img-src 'self' data: blob: https:\/\/tiles\.example\.org;/);
    } finally { await app.close(); }
  });

  it('assigns its own request id; a client’s is only a label beside it', async () => {
    // a client-sent id is not trusted as ours: it could repeat another request's id in the audit log
    const res = await ctx.app.inject({ url: '/healthz', headers: { 'x-request-id': 'abc-123' } });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const again = await ctx.app.inject({ url: '/healthz', headers: { 'x-request-id': 'abc-123' } });
    expect(again.headers['x-request-id']).not.toBe(res.headers['x-request-id']);
    const err = await ctx.app.inject({ url: '/api/v1/areas' });
    expect(err.json().error.requestId).toBe(err.headers['x-request-id']);
  });
});

describe('OpenAPI', () => {
  it('documents every endpoint with its operationId, request and response schemas', async () => {
    const doc = (await ctx.app.inject({ url: '/openapi.json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    const ops = new Map<string, { requestBody?: unknown; responses: Record<string, unknown> }>();
    for (const [p, methods] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
      for (const [m, op] of Object.entries(methods)) ops.set(`${m.toUpperCase()} ${p}`, op);
    }
    for (const c of Object.values(routes)) {
      const op = [...ops.entries()].find(([, o]) => (o as { operationId?: string }).operationId === c.operationId);
      expect(op, c.operationId).toBeDefined();
      expect(Object.keys(op![1].responses)).toContain(String(('status' in c && c.status) || 200));
      if ('body' in c) expect(op![1].requestBody, c.operationId).toBeDefined();
    }
    // besides the contracts: the Open311 interface, in the formats of its own specification (open311.test.ts)
    const open311 = [...ops.keys()].filter((k) => k.includes(' /open311/'));
    expect(open311.length).toBe(12);
    // the platforms' signed messages and the SMS provider's receipts, read in their senders' own formats
    const raw = ['POST /api/v1/feeds/{id}/messages', 'POST /api/v1/sms/receipts/{provider}/{token}'];
    for (const k of raw) expect(ops.get(k), k).toBeDefined();
    expect(ops.size - open311.length - raw.length).toBe(Object.keys(routes).length);
  });

  it('serves a browsable reference at /docs', async () => {
    const res = await ctx.app.inject({ url: '/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('swagger-ui');
  });
});

describe('the typed client', () => {
  it('signs in with a token, reads, writes and receives stable error codes', async () => {
    const { token } = await ctx.services.tokens.create(systemActor(), { userId: w.users.aAll.id, name: 'client test' });
    const client = createClient({ baseUrl: base, token, locale: 'en-US' });
    const me = await client.call('me');
    expect(me.user.username).toBe('a.all');
    const villages = await client.call('listAreas', { query: { level: 'village' } });
    expect(villages.items.map((a) => a.name)).toEqual(['甲一村']);
    const created = await client.call('createArea', { body: { parentId: w.areas.a1.id, level: 'grid', name: '甲一村第2网格' } });
    expect(created.path).toBe(`${w.areas.a1.path}${created.id}/`);
    const err = await client.call('getArea', { params: { id: w.areas.b.id } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('NOT_FOUND');
    expect((err as ApiError).message).toBe('Area not found');
  });

  it('pages with keyset cursors without gaps or repeats', async () => {
    const client = createClient({ baseUrl: base, token: (await ctx.services.tokens.create(systemActor(), { userId: w.users.countyAdmin.id, name: 'pager' })).token });
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.call('listAreas', { query: { limit: 2, ...(cursor ? { cursor } : {}) } });
      seen.push(...page.items.map((a) => a.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const all = await client.call('listAreas', { query: { limit: 500 } });
    expect(seen).toEqual(all.items.map((a) => a.id));
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('works with a browser-style session: cookie plus CSRF header', async () => {
    let cookie = '';
    let csrf: string | null = null;
    const fetchWithCookies: typeof fetch = async (url, init) => {
      const res = await fetch(url, { ...init, headers: { ...(init?.headers as Record<string, string>), ...(cookie ? { cookie } : {}) } });
      const set = res.headers.get('set-cookie');
      if (set) cookie = set.split(';')[0]!;
      return res;
    };
    const client = createClient({ baseUrl: base, fetch: fetchWithCookies, csrfToken: () => csrf });
    const me = await client.call('login', { body: { username: 'county.admin', password: PASSWORD } });
    csrf = me.csrfToken;
    const org = await client.call('createOrganization', { body: { kind: 'mediation_committee', name: '测试区人民调解委员会', areaId: w.areas.county.id } });
    expect(org.areaPath).toBe(w.areas.county.path);
    await client.call('logout');
    await expect(client.call('me')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});

describe('the web console', () => {
  it('is served at / with its assets, and console paths fall back to it; API paths do not', async () => {
    const { consoleDist } = await import('../src/http/console.ts');
    const fs = await import('node:fs');
    if (!fs.existsSync(`${consoleDist}/index.html`)) throw new Error('build the console first: npm run build:console (npm test does)');
    const root = await ctx.app.inject({ url: '/' });
    expect(root.statusCode).toBe(200);
    expect(root.headers['content-type']).toContain('text/html');
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(root.body)![1]!;
    const js = await ctx.app.inject({ url: asset });
    expect(js.statusCode).toBe(200);
    expect(js.headers['cache-control']).toContain('immutable');
    const deep = await ctx.app.inject({ url: '/users/123', headers: { accept: 'text/html' } });
    expect(deep.statusCode).toBe(200);
    expect(deep.body).toContain('<div id="root">');
    expect(deep.body).toContain('<title>枫桥 · 综治中心</title>');
    // the resident page is its own document, at /m/ and below it
    for (const url of ['/m/', '/m/?place=220102200001G01', '/m/track/220102-20261122-000001?s=abcdefgh']) {
      const page = await ctx.app.inject({ url, headers: { accept: 'text/html' } });
      expect(page.statusCode, url).toBe(200);
      expect(page.body, url).toContain('<title>码上反映 · 枫桥</title>');
    }
    const api = await ctx.app.inject({ url: '/api/v1/nope', headers: { accept: 'text/html' } });
    expect(api.statusCode).toBe(404);
    expect(api.json().error.code).toBe('NOT_FOUND');
  });
});
