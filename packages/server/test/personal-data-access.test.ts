import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/access/actor.ts';
import { createKeyRing } from '../src/lib/personal-data.ts';
import { rotateKeys } from '../src/modules/users/rotate-keys.ts';
import { createServices } from '../src/services.ts';
import { createTestContext, TEST_SECRET, type TestContext } from './helpers/context.ts';
import { testDbKind } from './helpers/db.ts';
import { buildWorld, login, type World } from './helpers/world.ts';

let ctx: TestContext;
let w: World;
let dataDir: string | undefined;
beforeAll(async () => {
  if (testDbKind === 'pglite') dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fq-pd-'));
  ctx = await createTestContext({}, { dataDir });
  w = await buildWorld(ctx);
});
afterAll(async () => {
  await ctx?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

const unmask = (headers: Record<string, string>, id: string, payload: object) =>
  ctx.app.inject({ method: 'POST', url: `/api/v1/users/${id}/unmask`, headers, payload });

describe('personal data of staff', () => {
  it('phones are masked in lists and detail; colleagues are named (a staff name is not a resident\'s personal data)', async () => {
    const s = await login(ctx, 'a.all');
    const list = (await ctx.app.inject({ method: 'GET', url: '/api/v1/users?limit=500', headers: s.headers })).json().items;
    const staff = list.find((u: { id: string }) => u.id === w.users.a1Staff.id);
    expect(staff.phone).toBe('138****0004');
    expect(staff.displayName).toBe('张三丰');
    // nobody's phone in full but the reader's own
    expect(JSON.stringify(list).match(/138000000\d\d/g)).toEqual(['13800000002']);
  });

  it('is found by exact phone through the blind index', async () => {
    const s = await login(ctx, 'a.all');
    const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/users?phone=13800000004', headers: s.headers });
    expect(res.json().items.map((u: { id: string }) => u.id)).toEqual([w.users.a1Staff.id]);
  });

  it('is unmasked only with the permission and a reason, once per request, each time audited', async () => {
    const officer = await login(ctx, 'a.all'); // security officer of township A
    const noReason = await unmask(officer.headers, w.users.a1Staff.id, { field: 'phone', reason: '   ' });
    expect(noReason.statusCode).toBe(422);
    expect(noReason.json().error.code).toBe('REASON_REQUIRED');

    const before = await ctx.services.audit.list(systemActor(), { action: 'personal_data.unmask', limit: 500 });
    const ok = await unmask(officer.headers, w.users.a1Staff.id, { field: 'phone', reason: '回访核实联系电话' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().value).toBe('13800000004');
    const name = await unmask(officer.headers, w.users.a1Staff.id, { field: 'displayName', reason: '核对姓名' });
    expect(name.json().value).toBe('张三丰');
    const after = await ctx.services.audit.list(systemActor(), { action: 'personal_data.unmask', limit: 500 });
    expect(after.items.length - before.items.length).toBe(2);
    const entry = after.items.find((e) => e.id === ok.json().auditId)!;
    expect(entry).toMatchObject({ actorId: w.users.aAll.id, targetType: 'user', targetId: w.users.a1Staff.id });
    expect(entry.detail).toEqual({ field: 'phone', reason: '回访核实联系电话' });
    expect(JSON.stringify(after.items)).not.toContain('13800000004');

    // intake staff may unmask residents' data in their cases, but staff records need user.read too
    const intake = await login(ctx, 'a.intake');
    expect((await unmask(intake.headers, w.users.a1Staff.id, { field: 'phone', reason: '想看' })).statusCode).toBe(403);
    const handler = await login(ctx, 'housing.handler');
    const denied = await unmask(handler.headers, w.users.housing.id, { field: 'phone', reason: '想看' });
    expect(denied.statusCode).toBe(403);
    const afterDenied = await ctx.services.audit.list(systemActor(), { action: 'personal_data.unmask', limit: 500 });
    expect(afterDenied.items.length).toBe(after.items.length);
  });

  it('a security officer sees who looked at whom', async () => {
    const sec = await login(ctx, 'a.all');
    const res = await ctx.app.inject({ method: 'GET', url: `/api/v1/audit?action=personal_data.unmask&targetId=${w.users.a1Staff.id}`, headers: sec.headers });
    expect(res.statusCode).toBe(200);
    expect(res.json().items.every((e: { actorName: string }) => e.actorName === 'a.all')).toBe(true);
    expect(res.json().items.length).toBeGreaterThanOrEqual(2);
  });

  it('answers "who looked at this resident’s phone last month" in one query: by case number and days, with names, labels and a link; the same in Excel', async () => {
    const clerk = await login(ctx, 'a.intake');
    const created = await ctx.app.inject({ method: 'POST', url: '/api/v1/cases', headers: clerk.headers,
      payload: { channel: 'window', areaId: w.areas.a.id, categoryId: 1, description: '楼上漏水，回电核实', reporter: { name: '钱大妈', phone: '13655556666' } } });
    expect(created.statusCode, created.body).toBe(201);
    const { id, number } = created.json().case as { id: string; number: string };
    const seen = await ctx.app.inject({ method: 'POST', url: `/api/v1/cases/${id}/reporter/unmask`, headers: clerk.headers, payload: { field: 'phone', reason: '回电核实漏水位置' } });
    expect(seen.statusCode).toBe(200);
    const day = new Date(ctx.clock.now().getTime() + 8 * 3600_000).toISOString().slice(0, 10);
    const monthAgo = new Date(ctx.clock.now().getTime() + 8 * 3600_000 - 30 * 86_400_000).toISOString().slice(0, 10);
    const sec = await login(ctx, 'a.all');
    const ask = (q: string) => ctx.app.inject({ method: 'GET', url: `/api/v1/audit?action=personal_data.unmask&${q}`, headers: sec.headers });
    const found = (await ask(`target=${encodeURIComponent(number)}&from=${monthAgo}&to=${day}`)).json().items;
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      actorName: 'a.intake', actorDisplayName: '张三丰', targetType: 'case', targetId: id, targetLabel: number, targetLink: `/cases/${id}`,
      detail: { field: 'reporter.phone', reason: '回电核实漏水位置', number },
    });
    // by the case's id too; another person, an earlier stretch of days or another case find nothing
    expect((await ask(`target=${id}`)).json().items.map((e: { id: number }) => e.id)).toEqual([found[0].id]);
    expect((await ask(`target=${encodeURIComponent(number)}&actorId=${w.users.aAll.id}`)).json().items).toHaveLength(0);
    expect((await ask(`target=${encodeURIComponent(number)}&from=${monthAgo}&to=${monthAgo}`)).json().items).toHaveLength(0);
    expect((await ask('target=FQ-000000')).json().items).toHaveLength(0);
    // bad filters are refused plainly
    for (const q of ['from=yesterday', 'action=drop_table', 'target=%27%3B--']) {
      const res = await ask(q);
      expect(res.statusCode, q).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    const file = await ctx.app.inject({ method: 'GET', url: `/api/v1/audit/export?action=personal_data.unmask&target=${encodeURIComponent(number)}&locale=zh-CN`, headers: sec.headers });
    expect(file.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    const rows: string[][] = [];
    wb.worksheets[0]!.eachRow((r) => rows.push((r.values as unknown[]).slice(1).map(String)));
    expect(rows).toHaveLength(2);
    expect(rows[0]!.slice(0, 7)).toEqual(['时间', '操作人', '账号', '操作', '对象类型', '对象', '详情']);
    expect(rows[1]!.slice(1, 7)).toEqual(['张三丰', 'a.intake', '查看个人信息', '事项', number, '反映人电话：回电核实漏水位置']);
    expect(rows[1]![0]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(JSON.stringify(rows)).not.toContain('13655556666');
    // the export is on the record too
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/audit?action=audit.export', headers: sec.headers })).json().items[0]).toMatchObject({ actorName: 'a.all', detail: { rows: 1 } });
  });

  it('the stored database holds no plaintext phone or name', async () => {
    let dump: Buffer;
    if (ctx.database.kind === 'postgres') {
      dump = execFileSync(pgDump(), [ctx.database.url!], { maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
    } else {
      await ctx.database.close(); // flush PGlite to its files
      const chunks: Buffer[] = [];
      const walk = (d: string) => { for (const f of fs.readdirSync(d, { withFileTypes: true })) { const p = path.join(d, f.name); if (f.isDirectory()) walk(p); else chunks.push(fs.readFileSync(p)); } };
      walk(dataDir!);
      dump = Buffer.concat(chunks);
    }
    expect(dump.length).toBeGreaterThan(10_000);
    expect(dump.includes(Buffer.from('a.intake'))).toBe(true); // the dump is real: usernames are not personal data
    for (const phone of ['13800000001', '13800000004', '13800000010']) expect(dump.includes(Buffer.from(phone))).toBe(false);
    for (const name of ['张三丰', '王小五', '李四']) expect(dump.includes(Buffer.from(name))).toBe(false);
  });
});

describe('key rotation', () => {
  it('re-encrypts everything under the new secret; lookups keep working throughout', async () => {
    const db = await createTestContext();
    try {
      const world = await buildWorld(db);
      const next = 'n'.repeat(48);
      const rotatingConfig = { ...db.config, secret: next, previousSecrets: [TEST_SECRET] };
      const rotating = createServices(db.database.db, rotatingConfig);
      const sys = systemActor();
      // before rotation, with the new key current: old rows still found by phone and readable
      expect((await rotating.users.list(sys, { phone: '13800000006' })).items.map((u) => u.id)).toEqual([world.users.b1Staff.id]);
      const r = await rotateKeys(db.database.db, rotating.keys, rotating.audit);
      expect(r.rotated).toBe(10);
      expect((await rotateKeys(db.database.db, rotating.keys, rotating.audit)).rotated).toBe(0);
      // after: the old secret is no longer needed
      const only = createServices(db.database.db, { ...db.config, secret: next, previousSecrets: [] });
      expect((await only.users.unmask(sys, world.users.b1Staff.id, 'phone', 'rotation check')).value).toBe('13800000006');
      expect((await only.users.list(sys, { phone: '13800000006' })).items).toHaveLength(1);
      expect(createKeyRing(next).currentId).toBe(r.keyId);
    } finally {
      await db.close();
    }
  });
});

function pgDump(): string {
  const dir = process.env.FQ_PG_BIN;
  return dir ? path.join(dir, 'pg_dump') : 'pg_dump';
}
