import type { Role } from '@fengqiao/contracts';
import { systemActor } from '../../src/access/actor.ts';
import type { TestContext } from './context.ts';

export const PASSWORD = 'Correct-horse-42';

/**
 * A small jurisdiction with two townships (A and B) under one county, departments at the county,
 * and one user per kind of actor the scoping rules distinguish. Overrides keep tests readable.
 */
export async function buildWorld(ctx: TestContext) {
  const s = ctx.services;
  const sys = systemActor('test');
  const area = (parentId: number | null, level: 'city' | 'county' | 'township' | 'village' | 'grid', name: string, code: string) =>
    s.areas.create(sys, { parentId, level, name, code, official: level !== 'grid' });
  const city = await area(null, 'city', '测试市', '990100');
  const county = await area(city.id, 'county', '测试区', '990102');
  const a = await area(county.id, 'township', '甲镇', '990102001');
  const a1 = await area(a.id, 'village', '甲一村', '990102001001');
  const a1g = await area(a1.id, 'grid', '甲一村第1网格', '990102001001G01');
  const b = await area(county.id, 'township', '乙镇', '990102002');
  const b1 = await area(b.id, 'village', '乙一社区', '990102002001');

  const org = (kind: 'center' | 'department' | 'mediation_committee', name: string, areaId: number, departmentType: 'housing' | 'police' | null = null) =>
    s.organizations.create(sys, { kind, name, areaId, departmentType });
  const orgs = {
    county: await org('center', '测试区综治中心', county.id),
    housing: await org('department', '测试区住建局', county.id, 'housing'),
    police: await org('department', '测试区公安分局', county.id, 'police'),
    a: await org('center', '甲镇综治中心', a.id),
    a1: await org('center', '甲一村综治中心', a1.id),
    aMediation: await org('mediation_committee', '甲镇人民调解委员会', a.id),
    b: await org('center', '乙镇综治中心', b.id),
    b1: await org('center', '乙一社区综治中心', b1.id),
  };

  const all: Role[] = ['admin', 'security_officer', 'leader', 'intake', 'dispatcher', 'mediator'];
  const user = (username: string, organizationId: number, roles: Role[], phone: string, displayName = '张三丰') =>
    s.users.create(sys, { username, displayName, organizationId, roles, phone, password: PASSWORD });
  const users = {
    countyAdmin: await user('county.admin', orgs.county.id, ['admin'], '13800000001'),
    /** Every permission there is, in township A. */
    aAll: await user('a.all', orgs.a.id, all, '13800000002'),
    aIntake: await user('a.intake', orgs.a.id, ['intake'], '13800000003'),
    a1Staff: await user('a1.staff', orgs.a1.id, ['intake', 'dispatcher'], '13800000004'),
    bAll: await user('b.all', orgs.b.id, all, '13800000005', '李四'),
    b1Staff: await user('b1.staff', orgs.b1.id, ['intake'], '13800000006', '王小五'),
    /** A department administrator: every permission, bounded to the department. */
    housingAll: await user('housing.all', orgs.housing.id, all, '13800000007'),
    housing: await user('housing.handler', orgs.housing.id, ['handler'], '13800000008'),
    police: await user('police.handler', orgs.police.id, ['handler'], '13800000009'),
    integration: await user('integration.b', orgs.b.id, ['integration'], '13800000010'),
  };
  return { areas: { city, county, a, a1, a1g, b, b1 }, orgs, users };
}
export type World = Awaited<ReturnType<typeof buildWorld>>;

export interface Session { cookie: string; csrf: string; headers: Record<string, string> }

export async function login(ctx: TestContext, username: string, password = PASSWORD): Promise<Session> {
  const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'fq_session')!;
  const csrf = res.json().csrfToken as string;
  return { cookie: `fq_session=${cookie.value}`, csrf, headers: { cookie: `fq_session=${cookie.value}`, 'x-csrf-token': csrf } };
}
