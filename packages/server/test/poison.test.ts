import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Roles, routes, type OperationId, type RouteContract } from '@fengqiao/contracts';
import { systemActor } from '../src/access/actor.ts';
import { createTestContext, snapshot, type TestContext } from './helpers/context.ts';
import { buildWorld, login, PASSWORD, type Session } from './helpers/world.ts';

/**
 * Text PostgreSQL cannot store — a NUL character, a lone surrogate — and other poison, in every body field,
 * query parameter and path parameter of every operation: never a 5xx, never a changed row.
 */
const POISON = ['ab\u0000cd', 'ab\ud800cd', '\udfff', '\u0000', '张\u202e三', 'ab\u001bcd', 'x\u0085'];
const URL_POISON = ['%00', 'ab%00cd', '%ED%A0%80', '%C0%80', `${'9'.repeat(40)}`, '-1', '..%2F..%2Fetc%2Fpasswd'];

let ctx: TestContext;
let every: Session;
beforeAll(async () => {
  ctx = await createTestContext({ bodyLimitBytes: 64 * 1024 });
  const w = await buildWorld(ctx);
  await ctx.services.users.create(systemActor(), { username: 'county.every', displayName: '全角色', organizationId: w.orgs.county.id, roles: [...Roles], password: PASSWORD });
  every = await login(ctx, 'county.every');
});
afterAll(() => ctx?.close());

const propsOf = (schema: unknown): Record<string, { type?: string }> => ((schema as { properties?: Record<string, { type?: string }> } | undefined)?.properties ?? {});
const pathWith = (c: RouteContract, value: string) => c.url.replace(/:\w+/g, value);
const sample = (c: RouteContract) => c.url.replace(/:\w+/g, '1');

describe('poisoned input never gives a 5xx and changes nothing', () => {
  for (const [op, c] of Object.entries(routes) as [OperationId, RouteContract][]) {
    it(op, async () => {
      const before = await snapshot(ctx, ['sessions', 'audit_log']);
      const tries: { method: string; url: string; payload?: unknown; where: string; code?: string }[] = [];
      if (c.body && !c.upload) {
        for (const [name] of Object.entries(propsOf(c.body))) {
          for (const p of POISON) tries.push({ method: c.method, url: sample(c), payload: { [name]: p }, where: `body.${name}`, code: 'VALIDATION_FAILED' });
          tries.push({ method: c.method, url: sample(c), payload: { [name]: { nested: [POISON[0]] } }, where: `body.${name} (nested)` });
          tries.push({ method: c.method, url: sample(c), payload: { [name]: 'x'.repeat(70_000) }, where: `body.${name} (huge)` });
        }
        tries.push({ method: c.method, url: sample(c), payload: { [POISON[0]!]: 1 }, where: 'body key', code: 'VALIDATION_FAILED' });
      }
      for (const [name] of Object.entries(propsOf(c.querystring))) {
        for (const p of URL_POISON) tries.push({ method: c.method, url: `${sample(c)}?${name}=${p}`, where: `query.${name}=${p}` });
      }
      if (c.url.includes(':')) for (const p of URL_POISON) tries.push({ method: c.method, url: pathWith(c, p), where: `path ${p}` });
      for (const t of tries) {
        const res = await ctx.app.inject({ method: t.method as 'POST', url: t.url, headers: every.headers, ...(t.payload !== undefined ? { payload: t.payload as object } : {}) });
        expect(res.statusCode, `${op} ${t.where}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
        if (t.code && res.statusCode !== 413) expect(res.json().error.code, `${op} ${t.where}`).toBe(t.code);
      }
      expect(await snapshot(ctx, ['sessions', 'audit_log'])).toBe(before);
    });
  }
});
