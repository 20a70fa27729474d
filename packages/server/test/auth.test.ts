import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { apiTokens } from '../src/db/schema.ts';
import { createTestContext, type TestContext } from './helpers/context.ts';
import { buildWorld, login, PASSWORD, type World } from './helpers/world.ts';

let ctx: TestContext;
let w: World;
beforeAll(async () => {
  ctx = await createTestContext({ loginMaxFailures: 3, loginLockMinutes: 10, loginAccountMaxFailures: 8, sessionIdleMinutes: 30 });
  w = await buildWorld(ctx);
});
afterAll(() => ctx?.close());

const post = (url: string, payload: object, headers: Record<string, string> = {}, remoteAddress = '127.0.0.1') =>
  ctx.app.inject({ method: 'POST', url, payload, headers, remoteAddress });

describe('sign-in', () => {
  it('sets an HttpOnly SameSite cookie and returns who I am with a CSRF token', async () => {
    const res = await post('/api/v1/auth/login', { username: 'a.intake', password: PASSWORD });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'fq_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    const body = res.json();
    expect(body.user.username).toBe('a.intake');
    expect(body.user.displayName).toBe('张三丰'); // oneself: name and phone in full
    expect(body.user.phone).toBe('13800000003');
    expect(body.area.id).toBe(w.areas.a.id);
    expect(body.permissions).toContain('personal_data.unmask');
    expect(body.csrfToken).toMatch(/^[\w-]{20,}$/);
  });

  it('answers a wrong password and an unknown user the same way', async () => {
    const wrong = await post('/api/v1/auth/login', { username: 'a1.staff', password: 'nope-nope-1' });
    const unknown = await post('/api/v1/auth/login', { username: 'nobody.here', password: 'nope-nope-1' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('AUTH_INVALID_CREDENTIALS');
    expect(unknown.json().error.message).toBe(wrong.json().error.message);
    expect(wrong.cookies).toHaveLength(0);
  });

  it('pauses an address after repeated failures, even against the right password, until the lock ends; other addresses still sign in', async () => {
    const from = '198.51.100.7';
    for (let i = 0; i < 2; i++) expect((await post('/api/v1/auth/login', { username: 'b1.staff', password: 'bad-password-1' }, {}, from)).statusCode).toBe(401);
    const third = await post('/api/v1/auth/login', { username: 'b1.staff', password: 'bad-password-1' }, {}, from);
    expect(third.statusCode).toBe(423);
    expect(third.json().error.code).toBe('AUTH_ACCOUNT_LOCKED');
    const right = await post('/api/v1/auth/login', { username: 'b1.staff', password: PASSWORD }, { 'accept-language': 'en-US' }, from);
    expect(right.statusCode).toBe(423);
    expect(right.json().error.message).toMatch(/locked until/);
    // the member of staff at their own desk is not locked out by someone else's guesses
    expect((await post('/api/v1/auth/login', { username: 'b1.staff', password: PASSWORD }, {}, '203.0.113.20')).statusCode).toBe(200);
    ctx.clock.advance(11 * 60_000);
    expect((await post('/api/v1/auth/login', { username: 'b1.staff', password: PASSWORD }, {}, from)).statusCode).toBe(200);
    const audit = await ctx.services.audit.list((await import('../src/access/actor.ts')).systemActor(), { targetId: w.users.b1Staff.id, limit: 50 });
    expect(audit.items.map((e) => e.action)).toEqual(expect.arrayContaining(['auth.login_failed', 'auth.login']));
  });

  it('answers an unknown name exactly like a real one, paused or not', async () => {
    const from = '198.51.100.8';
    const answers = async (username: string) => {
      const out: { status: number; code: string; message: string }[] = [];
      for (let i = 0; i < 4; i++) {
        const r = await post('/api/v1/auth/login', { username, password: 'bad-password-1' }, {}, from);
        out.push({ status: r.statusCode, code: r.json().error.code, message: r.json().error.message.replace(/\S*\d{4}-\d\d-\d\d\S*/g, 'T') });
      }
      return out;
    };
    const real = await answers('b.all');
    const unknown = await answers('no.such.person');
    expect(real.map((a) => a.status)).toEqual([401, 401, 423, 423]);
    expect(unknown).toEqual(real);
  });

  it('locks the account itself once failures from every address together reach the ceiling', async () => {
    // eight addresses, one wrong password each: no address is paused, but the account has had enough
    for (let i = 0; i < 7; i++) expect((await post('/api/v1/auth/login', { username: 'housing.handler', password: 'bad-password-1' }, {}, `192.0.2.${i + 1}`)).statusCode).toBe(401);
    expect((await post('/api/v1/auth/login', { username: 'housing.handler', password: 'bad-password-1' }, {}, '192.0.2.8')).statusCode).toBe(423);
    expect((await post('/api/v1/auth/login', { username: 'housing.handler', password: PASSWORD }, {}, '192.0.2.99')).statusCode).toBe(423);
    const admin = await login(ctx, 'county.admin');
    const users = await ctx.app.inject({ method: 'GET', url: '/api/v1/users?q=housing.handler', headers: admin.headers });
    expect(users.json().items.find((u: { username: string }) => u.username === 'housing.handler')?.locked).toBe(true);
    const audit = await ctx.services.audit.list((await import('../src/access/actor.ts')).systemActor(), { targetId: w.users.housing.id, limit: 50 });
    expect(audit.items.map((e) => e.action)).toContain('auth.locked');
  });

  it('an administrator can unlock a locked account', async () => {
    for (let i = 0; i < 3; i++) await post('/api/v1/auth/login', { username: 'a1.staff', password: 'bad-password-1' });
    expect((await post('/api/v1/auth/login', { username: 'a1.staff', password: PASSWORD })).statusCode).toBe(423);
    const admin = await login(ctx, 'a.all');
    const res = await post(`/api/v1/users/${w.users.a1Staff.id}/unlock`, {}, admin.headers);
    expect(res.statusCode).toBe(200);
    expect(res.json().locked).toBe(false);
    expect((await post('/api/v1/auth/login', { username: 'a1.staff', password: PASSWORD })).statusCode).toBe(200);
  });

  it('refuses a disabled account', async () => {
    const admin = await login(ctx, 'county.admin');
    await ctx.app.inject({ method: 'PATCH', url: `/api/v1/users/${w.users.police.id}`, headers: admin.headers, payload: { disabled: true } });
    const res = await post('/api/v1/auth/login', { username: 'police.handler', password: PASSWORD });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('AUTH_ACCOUNT_DISABLED');
  });
});

describe('sessions', () => {
  it('expire after the idle timeout and say so', async () => {
    const s = await login(ctx, 'a.intake');
    ctx.clock.advance(29 * 60_000);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: s.headers })).statusCode).toBe(200);
    ctx.clock.advance(29 * 60_000); // activity at minute 29 keeps it alive until minute 59
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: s.headers })).statusCode).toBe(200);
    ctx.clock.advance(31 * 60_000);
    const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: s.headers });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('AUTH_SESSION_EXPIRED');
    // and it stays dead
    ctx.clock.advance(-60 * 60_000);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: s.headers })).statusCode).toBe(401);
    ctx.clock.advance(60 * 60_000);
  });

  it('require the CSRF token on unsafe methods with the cookie', async () => {
    const s = await login(ctx, 'a.all');
    const url = `/api/v1/areas/${w.areas.a1g.id}`;
    const noToken = await ctx.app.inject({ method: 'PATCH', url, headers: { cookie: s.cookie }, payload: { name: '改名网格' } });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().error.code).toBe('CSRF_TOKEN_INVALID');
    const wrong = await ctx.app.inject({ method: 'PATCH', url, headers: { cookie: s.cookie, 'x-csrf-token': `${s.csrf.slice(0, -1)}${s.csrf.endsWith('x') ? 'y' : 'x'}` }, payload: { name: '改名网格' } });
    expect(wrong.statusCode).toBe(403);
    const area = await ctx.app.inject({ method: 'GET', url, headers: { cookie: s.cookie } });
    expect(area.json().name).toBe('甲一村第1网格');
    const ok = await ctx.app.inject({ method: 'PATCH', url, headers: s.headers, payload: { name: '改名网格' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().name).toBe('改名网格');
  });

  it('end at logout', async () => {
    const s = await login(ctx, 'a.intake');
    expect((await post('/api/v1/auth/logout', {}, s.headers)).statusCode).toBe(200);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: s.headers })).statusCode).toBe(401);
  });

  it('end when an administrator resets the password', async () => {
    const s = await login(ctx, 'b1.staff');
    const admin = await login(ctx, 'b.all');
    const res = await post(`/api/v1/users/${w.users.b1Staff.id}/password`, { password: 'Brand-new-pass-9' }, admin.headers);
    expect(res.statusCode).toBe(200);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: s.headers })).statusCode).toBe(401);
    expect((await post('/api/v1/auth/login', { username: 'b1.staff', password: PASSWORD })).statusCode).toBe(401);
    expect((await post('/api/v1/auth/login', { username: 'b1.staff', password: 'Brand-new-pass-9' })).statusCode).toBe(200);
  });

  it('let a user change their own password, refusing weak ones', async () => {
    const s = await login(ctx, 'a1.staff');
    const weak = await post('/api/v1/auth/password', { currentPassword: PASSWORD, newPassword: 'short' }, s.headers);
    expect(weak.statusCode).toBe(422);
    expect(weak.json().error.code).toBe('PASSWORD_TOO_WEAK');
    const wrong = await post('/api/v1/auth/password', { currentPassword: 'not-mine-123', newPassword: 'Another-pass-77' }, s.headers);
    expect(wrong.statusCode).toBe(401);
    const ok = await post('/api/v1/auth/password', { currentPassword: PASSWORD, newPassword: 'Another-pass-77' }, s.headers);
    expect(ok.statusCode).toBe(200);
    expect((await post('/api/v1/auth/login', { username: 'a1.staff', password: 'Another-pass-77' })).statusCode).toBe(200);
  });
});

describe('session housekeeping', () => {
  it('purges sessions ended more than 30 days ago and keeps live ones', async () => {
    const { sessions } = await import('../src/db/schema.ts');
    const ended = await login(ctx, 'a.intake');
    await post('/api/v1/auth/logout', {}, ended.headers);
    const count = async () => (await ctx.database.db.select().from(sessions)).length;
    ctx.clock.advance(31 * 86_400_000);
    const live = await login(ctx, 'a.intake');
    const before = await count();
    const purged = await ctx.services.auth.purgeOldSessions();
    expect(purged).toBeGreaterThanOrEqual(1);
    expect(await count()).toBe(before - purged);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: live.headers })).statusCode).toBe(200);
  });
});

describe('API tokens', () => {
  it('authenticate without cookies or CSRF, and stop working when revoked', async () => {
    const admin = await login(ctx, 'b.all');
    const created = await post('/api/v1/tokens', { userId: w.users.integration.id, name: '12345 platform', expiresInDays: 30 }, admin.headers);
    expect(created.statusCode).toBe(201);
    const { token, apiToken } = created.json();
    expect(token.startsWith(apiToken.prefix)).toBe(true);
    const auth = { authorization: `Bearer ${token}` };
    const me = await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: auth });
    expect(me.json().user.username).toBe('integration.b');
    expect(me.json().csrfToken).toBeNull();
    const listed = (await ctx.app.inject({ method: 'GET', url: '/api/v1/tokens', headers: admin.headers })).json().items;
    expect(listed.map((t: { id: string }) => t.id)).toContain(apiToken.id);
    expect(JSON.stringify(listed)).not.toContain(token);
    expect((await ctx.app.inject({ method: 'DELETE', url: `/api/v1/tokens/${apiToken.id}`, headers: admin.headers })).statusCode).toBe(200);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: auth })).statusCode).toBe(401);
  });

  it('expire', async () => {
    const s = await login(ctx, 'a.intake');
    const { token } = (await post('/api/v1/tokens', { name: 'script', expiresInDays: 1 }, s.headers)).json();
    const auth = { authorization: `Bearer ${token}` };
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/areas', headers: auth })).statusCode).toBe(200);
    ctx.clock.advance(25 * 3_600_000);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/areas', headers: auth })).statusCode).toBe(401);
  });

  it('remember their owner for AUTH_CACHE_SECONDS: changes made here apply at once, changes by another process within the TTL', async () => {
    const admin = await login(ctx, 'b.all');
    const mint = async () => (await post('/api/v1/tokens', { userId: w.users.integration.id, name: 'police push' }, admin.headers)).json();
    const me = (auth: Record<string, string>) => ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: auth });

    // another server process revokes it (straight in the database): this process learns of it within the TTL
    const first = await mint();
    const auth = { authorization: `Bearer ${first.token}` };
    expect((await me(auth)).statusCode).toBe(200);
    await ctx.database.db.update(apiTokens).set({ revokedAt: new Date() }).where(eq(apiTokens.id, first.apiToken.id));
    expect((await me(auth)).statusCode).toBe(200);
    ctx.clock.advance(ctx.config.authCacheSeconds * 1000 + 1);
    expect((await me(auth)).statusCode).toBe(401);

    // roles changed through this process: the next request already has the new ones
    const second = await mint();
    const auth2 = { authorization: `Bearer ${second.token}` };
    expect((await me(auth2)).json().permissions).not.toContain('user.read');
    const patch = (payload: object) => ctx.app.inject({ method: 'PATCH', url: `/api/v1/users/${w.users.integration.id}`, payload, headers: admin.headers });
    expect((await patch({ roles: ['leader'] })).statusCode).toBe(200);
    expect((await me(auth2)).json().permissions).toContain('user.read');
    // and disabling the account ends its tokens at once
    expect((await patch({ disabled: true })).statusCode).toBe(200);
    expect((await me(auth2)).statusCode).toBe(401);
    expect((await patch({ disabled: false, roles: ['integration'] })).statusCode).toBe(200);
    expect((await me(auth2)).statusCode).toBe(200);
  });

  it('a malformed Authorization header is a clean 401', async () => {
    for (const authorization of ['Basic abc', 'Bearer', 'Bearer fqt_not-a-token']) {
      const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/areas', headers: { authorization } });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('UNAUTHENTICATED');
    }
  });
});
