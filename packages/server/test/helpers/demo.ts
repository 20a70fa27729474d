import { expect } from 'vitest';
import type { Role } from '@fengqiao/contracts';
import { systemActor } from '../../src/access/actor.ts';
import { seedDemo } from '../../src/demo/seed-demo.ts';
import type { TestContext } from './context.ts';
import { login, type Session } from './world.ts';

export const DEMO_PASSWORD = 'Demo-password-2026';

/** The demo jurisdiction (长春市南关区) plus a few lookups the stories need. */
export async function demoWorld(ctx: TestContext) {
  await seedDemo(ctx.services, DEMO_PASSWORD);
  const sys = systemActor();
  const areas = (await ctx.services.areas.list(sys, { limit: 500 })).items;
  const orgs = (await ctx.services.organizations.list(sys, { limit: 500 })).items;
  const area = (code: string) => areas.find((a) => a.code === code)!;
  const org = (name: string) => { const o = orgs.find((x) => x.name === name); if (!o) throw new Error(`no org ${name}`); return o; };
  const category = async (code: string) => (await ctx.services.categories.byCode(code))!;
  let n = 0;
  /** A staff account in any organisation, for stories that need one the demo does not have. */
  const staff = async (orgName: string, roles: Role[]) => {
    const username = `staff.${++n}`;
    await ctx.services.users.create(sys, { username, displayName: '测试员', organizationId: org(orgName).id, roles, password: DEMO_PASSWORD });
    return login(ctx, username, DEMO_PASSWORD);
  };
  const as = (username: string) => login(ctx, username, DEMO_PASSWORD);
  return { area, org, category, staff, as };
}

export function caseApi(ctx: TestContext) {
  const get = async (s: Session, id: string) => {
    const res = await ctx.app.inject({ method: 'GET', url: `/api/v1/cases/${id}`, headers: s.headers });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { case: any; timeline: any[] };
  };
  const tryAct = async (s: Session, id: string, action: string, body: Record<string, unknown> = {}) => {
    const current = await ctx.app.inject({ method: 'GET', url: `/api/v1/cases/${id}`, headers: s.headers });
    const version = current.statusCode === 200 ? current.json().case.version : 1;
    return ctx.app.inject({ method: 'POST', url: `/api/v1/cases/${id}/${action}`, headers: s.headers, payload: { version, ...body } });
  };
  const act = async (s: Session, id: string, action: string, body: Record<string, unknown> = {}) => {
    const res = await tryAct(s, id, action, body);
    expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
    return res.json() as { case: any; timeline: any[] };
  };
  const create = async (s: Session, body: Record<string, unknown>, key?: string) => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/cases', headers: { ...s.headers, ...(key ? { 'idempotency-key': key } : {}) }, payload: body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { case: any; timeline: any[]; receipt: { number: string; trackingSecret: string } };
  };
  const queues = async (s: Session) => (await ctx.app.inject({ method: 'GET', url: '/api/v1/cases/queues', headers: s.headers })).json() as Record<string, number>;
  return { get, act, tryAct, create, queues };
}
