import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/access/actor.ts';
import { createTestContext, type TestContext } from './helpers/context.ts';
import { buildWorld, login, type Session, type World } from './helpers/world.ts';

let ctx: TestContext;
let w: World;
let admin: Session;
beforeAll(async () => {
  ctx = await createTestContext();
  w = await buildWorld(ctx);
  admin = await login(ctx, 'a.all');
});
afterAll(() => ctx?.close());

const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, s: Session = admin) =>
  ctx.app.inject({ method, url, headers: s.headers, ...(payload ? { payload } : {}) });
const auditOf = async (targetType: string, targetId: string | number) =>
  (await ctx.services.audit.list(systemActor(), { targetType, targetId: String(targetId), limit: 100 })).items.map((e) => e.action);

describe('areas', () => {
  it('builds paths from the tree, so that "everything under" is a prefix', async () => {
    const v = (await call('POST', '/api/v1/areas', { parentId: w.areas.a.id, level: 'village', name: '甲二村', code: '990102001002', official: true })).json();
    expect(v).toMatchObject({ parentId: w.areas.a.id, level: 'village', depth: 3, path: `${w.areas.a.path}${v.id}/` });
    const g = (await call('POST', '/api/v1/areas', { parentId: v.id, level: 'grid', name: '甲二村第1网格' })).json();
    expect(g.path.startsWith(v.path)).toBe(true);
    const children = (await call('GET', `/api/v1/areas?parentId=${v.id}`)).json().items;
    expect(children.map((c: { id: number }) => c.id)).toEqual([g.id]);
    expect(await auditOf('area', v.id)).toEqual(['area.create']);
  });

  it('renames, finds by name, and deletes only empty areas', async () => {
    const g = (await call('POST', '/api/v1/areas', { parentId: w.areas.a1.id, level: 'grid', name: '临时网格' })).json();
    expect((await call('PATCH', `/api/v1/areas/${g.id}`, { name: '正式网格' })).json().name).toBe('正式网格');
    expect((await call('GET', `/api/v1/areas?q=${encodeURIComponent('正式')}`)).json().items.map((a: { id: number }) => a.id)).toEqual([g.id]);
    expect((await call('DELETE', `/api/v1/areas/${g.id}`)).statusCode).toBe(200);
    expect((await call('GET', `/api/v1/areas/${g.id}`)).statusCode).toBe(404);
    expect(await auditOf('area', g.id)).toEqual(['area.delete', 'area.update', 'area.create']);
  });

  it('nobody deletes the root of their own jurisdiction', async () => {
    const empty = await login(ctx, 'b1.staff');
    expect((await call('DELETE', `/api/v1/areas/${w.areas.a.id}`)).json().error.code).toBe('OUT_OF_SCOPE');
    expect((await call('DELETE', `/api/v1/areas/${w.areas.b1.id}`, undefined, empty)).statusCode).toBe(403);
  });

  it('only administrators change areas', async () => {
    const intake = await login(ctx, 'a.intake');
    const res = await call('POST', '/api/v1/areas', { parentId: w.areas.a1.id, level: 'grid', name: '未授权' }, intake);
    expect(res.statusCode).toBe(403);
  });
});

describe('organisations', () => {
  it('creates a department (type required) and a center (no type)', async () => {
    const bad = await call('POST', '/api/v1/organizations', { kind: 'department', name: '无类型部门', areaId: w.areas.a.id });
    expect(bad.statusCode).toBe(400);
    const dept = (await call('POST', '/api/v1/organizations', { kind: 'department', departmentType: 'justice', name: '甲镇司法所', areaId: w.areas.a.id })).json();
    expect(dept).toMatchObject({ kind: 'department', departmentType: 'justice', areaPath: w.areas.a.path, active: true });
    const listed = (await call('GET', `/api/v1/organizations?departmentType=justice`)).json().items;
    expect(listed.map((o: { id: number }) => o.id)).toEqual([dept.id]);
    expect((await call('PATCH', `/api/v1/organizations/${dept.id}`, { active: false })).json().active).toBe(false);
    expect(await auditOf('organization', dept.id)).toEqual(['organization.update', 'organization.create']);
  });
});

describe('users', () => {
  it('creates staff with roles in an organisation of the jurisdiction; the account can sign in', async () => {
    const res = await call('POST', '/api/v1/users', {
      username: 'a1.grid', displayName: '赵网格', organizationId: w.orgs.a1.id, roles: ['grid_worker'], phone: '13912345678', password: 'Grid-worker-01',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ username: 'a1.grid', displayName: '赵网格', phone: '139****5678', areaPath: w.areas.a1.path, roles: ['grid_worker'] });
    const s = await login(ctx, 'a1.grid', 'Grid-worker-01');
    const me = (await call('GET', '/api/v1/auth/me', undefined, s)).json();
    expect(me.permissions).toEqual(['area.read', 'attachment.upload', 'case.create', 'figures.read', 'organization.read', 'registry.read', 'registry.write', 'sweep.report', 'token.own']);
  });

  it('changes roles and phone; filters by role and organisation', async () => {
    const id = w.users.a1Staff.id;
    const res = await call('PATCH', `/api/v1/users/${id}`, { roles: ['intake', 'mediator'], phone: '13700000000' });
    expect(res.json()).toMatchObject({ roles: ['intake', 'mediator'], phone: '137****0000' });
    const byRole = (await call('GET', '/api/v1/users?role=mediator')).json().items.map((u: { id: string }) => u.id);
    expect(byRole).toContain(id);
    expect(byRole).not.toContain(w.users.aIntake.id);
    const byOrg = (await call('GET', `/api/v1/users?organizationId=${w.orgs.a1.id}`)).json().items;
    expect(byOrg.every((u: { organizationId: number }) => u.organizationId === w.orgs.a1.id)).toBe(true);
    const entry = (await ctx.services.audit.list(systemActor(), { targetId: id, action: 'user.update', limit: 5 })).items[0]!;
    expect(JSON.stringify(entry.detail)).not.toContain('13700000000');
  });

  it('an administrator cannot disable or demote themselves', async () => {
    expect((await call('PATCH', `/api/v1/users/${w.users.aAll.id}`, { disabled: true })).statusCode).toBe(403);
    expect((await call('PATCH', `/api/v1/users/${w.users.aAll.id}`, { roles: ['intake'] })).statusCode).toBe(403);
  });

  it('everyone can read themselves, even without user.read', async () => {
    const s = await login(ctx, 'a.intake');
    expect((await call('GET', `/api/v1/users/${w.users.aIntake.id}`, undefined, s)).statusCode).toBe(200);
    expect((await call('GET', `/api/v1/users/${w.users.a1Staff.id}`, undefined, s)).statusCode).toBe(403);
  });
});
