import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { routes, type RouteContract } from '@fengqiao/contracts';
import { createTestContext, snapshot, type TestContext } from './helpers/context.ts';
import { buildWorld, login, type Session, type World } from './helpers/world.ts';

let ctx: TestContext;
let w: World;
let admin: Session;
beforeAll(async () => {
  ctx = await createTestContext({ bodyLimitBytes: 16 * 1024 });
  w = await buildWorld(ctx);
  admin = await login(ctx, 'county.admin');
});
afterAll(() => ctx?.close());

/** Every endpoint that takes a body, with its path filled by a real record of the world. */
function bodyRoutes(): { contract: RouteContract; url: string }[] {
  const fill = (c: RouteContract) => c.url.replace(':id', c.url.includes('/users/') ? w.users.a1Staff.id : c.url.includes('/tokens/') ? '00000000-0000-4000-8000-000000000000' : String(c.url.includes('/organizations/') ? w.orgs.a1.id : w.areas.a1.id));
  return (Object.values(routes) as RouteContract[]).filter((c) => c.body).map((c) => ({ contract: c, url: fill(c) }));
}

async function expectRefusedAndUnchanged(send: () => Promise<{ statusCode: number; json(): any }>, codes: string[]) {
  const before = await snapshot(ctx, ['sessions']);
  const res = await send();
  expect(res.statusCode).toBeGreaterThanOrEqual(400);
  expect(res.statusCode).toBeLessThan(500);
  expect(codes).toContain(res.json().error.code);
  expect(res.json().error.message.length).toBeGreaterThan(0);
  expect(await snapshot(ctx, ['sessions'])).toBe(before);
  return res;
}

describe('bad input gets a 4xx with a stable code and changes nothing', () => {
  it('malformed JSON', async () => {
    for (const { contract, url } of bodyRoutes()) {
      await expectRefusedAndUnchanged(() => ctx.app.inject({
        method: contract.method, url, headers: { ...admin.headers, 'content-type': 'application/json' }, payload: '{"name": "甲", ',
      }), ['BAD_JSON']);
    }
  });

  it('unknown fields', async () => {
    const res = await expectRefusedAndUnchanged(() => ctx.app.inject({
      method: 'POST', url: '/api/v1/areas', headers: admin.headers,
      payload: { parentId: w.areas.a.id, level: 'village', name: '新村', isAdmin: true },
    }), ['VALIDATION_FAILED']);
    expect(res.json().error.details[0].message).toContain('isAdmin');
  });

  it('wrong types are not coerced', async () => {
    await expectRefusedAndUnchanged(() => ctx.app.inject({
      method: 'POST', url: '/api/v1/areas', headers: admin.headers, payload: { parentId: String(w.areas.a.id), level: 'village', name: '新村' },
    }), ['VALIDATION_FAILED']);
    await expectRefusedAndUnchanged(() => ctx.app.inject({
      method: 'PATCH', url: `/api/v1/users/${w.users.a1Staff.id}`, headers: admin.headers, payload: { disabled: 'true' },
    }), ['VALIDATION_FAILED']);
    await expectRefusedAndUnchanged(() => ctx.app.inject({
      method: 'GET', url: '/api/v1/areas?limit=abc', headers: admin.headers,
    }), ['VALIDATION_FAILED']);
    await expectRefusedAndUnchanged(() => ctx.app.inject({
      method: 'GET', url: '/api/v1/users/not-a-uuid', headers: admin.headers,
    }), ['VALIDATION_FAILED']);
  });

  it('oversized bodies', async () => {
    const res = await expectRefusedAndUnchanged(() => ctx.app.inject({
      method: 'POST', url: '/api/v1/areas', headers: admin.headers,
      payload: { parentId: w.areas.a.id, level: 'village', name: '村'.repeat(20_000) },
    }), ['PAYLOAD_TOO_LARGE']);
    expect(res.statusCode).toBe(413);
  });

  it('wrong content type', async () => {
    await expectRefusedAndUnchanged(() => ctx.app.inject({
      method: 'POST', url: '/api/v1/areas', headers: { ...admin.headers, 'content-type': 'application/xml' }, payload: '<area/>',
    }), ['UNSUPPORTED_MEDIA_TYPE']);
  });

  it('a bad login creates no session', async () => {
    for (const payload of [{ username: 'county.admin', password: 'wrong-password-1' }, { username: '', password: 'x' }, { username: 'x' }]) {
      const before = await snapshot(ctx, ['audit_log', 'users', 'login_throttle']);
      const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload });
      expect([400, 401]).toContain(res.statusCode);
      expect(['AUTH_INVALID_CREDENTIALS', 'VALIDATION_FAILED']).toContain(res.json().error.code);
      expect(await snapshot(ctx, ['audit_log', 'users', 'login_throttle'])).toBe(before);
    }
  });

  it('an unknown route is a 404 with the same error shape, in English when asked', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/nothing', headers: { 'accept-language': 'en-US,en;q=0.9' } });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatchObject({ code: 'NOT_FOUND', message: 'Endpoint not found' });
  });

  it('domain rules: an area level that cannot sit under its parent, a duplicate code, a weak password', async () => {
    await expectRefusedAndUnchanged(() => ctx.app.inject({
      method: 'POST', url: '/api/v1/areas', headers: admin.headers, payload: { parentId: w.areas.a1.id, level: 'township', name: '倒挂' },
    }), ['AREA_LEVEL_INVALID']);
    await expectRefusedAndUnchanged(() => ctx.app.inject({
      method: 'POST', url: '/api/v1/areas', headers: admin.headers, payload: { parentId: w.areas.a.id, level: 'village', name: '重码', code: '990102001001' },
    }), ['AREA_CODE_TAKEN']);
    await expectRefusedAndUnchanged(() => ctx.app.inject({
      method: 'POST', url: '/api/v1/users', headers: admin.headers,
      payload: { username: 'weak.pw', displayName: '弱密码', organizationId: w.orgs.a.id, roles: ['intake'], password: 'password' },
    }), ['PASSWORD_TOO_WEAK']);
    await expectRefusedAndUnchanged(() => ctx.app.inject({
      method: 'POST', url: '/api/v1/users', headers: admin.headers,
      payload: { username: 'a.intake', displayName: '重名', organizationId: w.orgs.a.id, roles: ['intake'], password: 'Password-1234' },
    }), ['USERNAME_TAKEN']);
    await expectRefusedAndUnchanged(() => ctx.app.inject({
      method: 'DELETE', url: `/api/v1/areas/${w.areas.a.id}`, headers: admin.headers,
    }), ['AREA_HAS_CHILDREN']);
  });

  it('random bodies on every endpoint never cause a 5xx', async () => {
    const targets = bodyRoutes();
    await fc.assert(fc.asyncProperty(
      fc.constantFrom(...targets),
      fc.oneof(fc.jsonValue(), fc.dictionary(fc.constantFrom('name', 'parentId', 'level', 'code', 'roles', 'password', 'username', 'organizationId', 'field', 'reason', 'phone', 'kind', 'areaId'), fc.jsonValue())),
      async ({ contract, url }, body) => {
        const res = await ctx.app.inject({ method: contract.method, url, headers: { ...admin.headers, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
        expect(res.statusCode).toBeLessThan(500);
        if (res.statusCode >= 400) expect(typeof res.json().error.code).toBe('string');
      },
    ), { numRuns: 300 });
  });
});
