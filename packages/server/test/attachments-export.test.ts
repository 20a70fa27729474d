import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import sharp from 'sharp';
import { sql } from 'drizzle-orm';
import { createTestContext, type TestContext } from './helpers/context.ts';
import { caseApi, demoWorld } from './helpers/demo.ts';
import type { Session } from './helpers/world.ts';
import { systemActor } from '../src/access/actor.ts';

/** Photos and documents of cases, the resident page's public lookups, and the Excel ledger. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const HTML = Buffer.from('<!doctype html><script>alert(document.cookie)</script>');

let ctx: TestContext;
let d: Awaited<ReturnType<typeof demoWorld>>;
let api: ReturnType<typeof caseApi>;
let intake: Session;
beforeAll(async () => {
  ctx = await createTestContext({ sessionIdleMinutes: 24 * 60, sessionMaxHours: 720, attachmentMaxBytes: 64 * 1024 });
  d = await demoWorld(ctx);
  api = caseApi(ctx);
  intake = await d.as('intake');
});
afterAll(() => ctx?.close());

const picture = async (b: Buffer) => { const m = await sharp(b).metadata(); return { format: m.format, width: m.width, height: m.height }; };
const count = async (table: string) => Number(((await ctx.database.db.execute(sql.raw(`select count(*)::int as n from ${table}`))) as unknown as { rows: { n: number }[] }).rows[0]!.n);
const files = (dir = ctx.config.attachmentsDir): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name)) : []);
const publicUpload = (body: Buffer, type: string, name = 'photo.png') =>
  ctx.app.inject({ method: 'POST', url: '/api/v1/public/attachments', headers: { 'content-type': type, 'x-file-name': encodeURIComponent(name) }, payload: body });

describe('attachments', () => {
  it('a resident uploads a photo, reports with it, and staff see it — served inline with nosniff and a sandbox', async () => {
    const up = await publicUpload(PNG, 'image/png', '路灯.png');
    expect(up.statusCode, up.body).toBe(201);
    expect(up.json()).toMatchObject({ contentType: 'image/png', fileName: '路灯.png' });
    const place = d.area('220102200001G01');
    const report = await ctx.app.inject({ method: 'POST', url: '/api/v1/public/cases', payload: {
      channel: 'qr_code', placeCode: place.code, categoryId: (await d.category('A02')).id, description: '路灯不亮，晚上很黑', attachmentIds: [up.json().id],
    } });
    expect(report.statusCode, report.body).toBe(201);
    const [found] = (await ctx.app.inject({ method: 'GET', url: `/api/v1/cases?number=${report.json().number}`, headers: intake.headers })).json().items;
    const detail = await api.get(intake, found.id);
    expect((detail as unknown as { attachments: { id: string }[] }).attachments.map((a) => a.id)).toEqual([up.json().id]);
    expect(detail.timeline[0].payload.attachments).toEqual([up.json().id]);

    const file = await ctx.app.inject({ method: 'GET', url: `/api/v1/attachments/${up.json().id}`, headers: intake.headers });
    expect(file.statusCode).toBe(200);
    expect(await picture(file.rawPayload)).toEqual({ format: 'png', width: 1, height: 1 }); // decoded and encoded again (uploads.test.ts)
    expect(file.rawPayload.length).toBe(up.json().size);
    expect(file.headers['content-type']).toBe('image/png');
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    expect(String(file.headers['content-security-policy'])).toContain('sandbox');
    expect(String(file.headers['content-disposition'])).toMatch(/^inline; filename\*=UTF-8''/);
    // residents cannot read it back without signing in
    expect((await ctx.app.inject({ method: 'GET', url: `/api/v1/attachments/${up.json().id}` })).statusCode).toBe(401);
  });

  it('decides the type from the bytes: HTML named image/png is refused and nothing is stored', async () => {
    const rows = await count('attachments');
    const stored = files().length;
    for (const [body, type] of [[HTML, 'image/png'], [HTML, 'application/octet-stream'], [PNG, 'image/jpeg'], [PDF, 'application/pdf']] as const) {
      const res = await publicUpload(body, type);
      expect(res.statusCode, `${type}`).toBe(415);
      expect(res.json().error.code).toBe('ATTACHMENT_PHOTO_ONLY'); // a resident is told what they may send: photos
    }
    const text = await ctx.app.inject({ method: 'POST', url: '/api/v1/public/attachments', headers: { 'content-type': 'text/html' }, payload: HTML });
    expect(text.statusCode).toBe(415);
    expect(await count('attachments')).toBe(rows);
    expect(files().length).toBe(stored);
  });

  it('staff may attach a PDF, which always downloads; a file over the limit is a clear 413', async () => {
    const up = await ctx.app.inject({ method: 'POST', url: '/api/v1/attachments', headers: { ...intake.headers, 'content-type': 'application/pdf', 'x-file-name': 'minutes.pdf' }, payload: PDF });
    expect(up.statusCode, up.body).toBe(201);
    const created = await api.create(intake, { channel: 'window', areaId: d.area('220102200001').id, categoryId: (await d.category('D02')).id, description: '邻里噪音纠纷，附调解笔录', attachmentIds: [up.json().id] });
    expect((created as unknown as { attachments: unknown[] }).attachments).toHaveLength(1);
    const file = await ctx.app.inject({ method: 'GET', url: `/api/v1/attachments/${up.json().id}`, headers: intake.headers });
    expect(String(file.headers['content-disposition'])).toMatch(/^attachment;/);

    const big = Buffer.concat([PNG, Buffer.alloc(70 * 1024)]);
    const res = await publicUpload(big, 'image/png');
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('a grid worker handles a case on the spot with a photo of the result; someone else’s upload changes nothing', async () => {
    const worker = await d.as('gridworker');
    const grid = (await ctx.services.areas.list(systemActor(), { q: '惠民嘉苑第1网格', limit: 5 })).items[0]!;
    const created = await api.create(worker, { channel: 'grid_patrol', areaId: grid.id, categoryId: (await d.category('A02')).id, description: '楼道堆放杂物，已当场清理' });
    const id = created.case.id as string;
    const upload = async (s: Session) => (await ctx.app.inject({ method: 'POST', url: '/api/v1/attachments', headers: { ...s.headers, 'content-type': 'image/png', 'x-file-name': 'after.png' }, payload: PNG })).json().id as string;
    const others = await upload(intake);
    const before = await api.get(worker, id);
    const refused = await api.tryAct(worker, id, 'handle_on_spot', { result: '已清理', attachmentIds: [others] });
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.json().error.code).toBe('ATTACHMENT_LIMIT');
    const unchanged = await api.get(worker, id);
    expect([unchanged.case.version, unchanged.case.status, unchanged.timeline.length]).toEqual([before.case.version, before.case.status, before.timeline.length]);

    const photo = await upload(worker);
    const done = await api.act(worker, id, 'handle_on_spot', { result: '杂物已清理，通道畅通', attachmentIds: [photo] });
    expect(done.case.status).toBe('replied');
    expect((done as unknown as { attachments: { id: string; fileName: string }[] }).attachments.map((a) => a.id)).toEqual([photo]);
    const last = done.timeline[done.timeline.length - 1];
    expect([last.action, last.payload.attachments]).toEqual(['handle_on_spot', [photo]]);
    // the community that owns the case sees the photo with the result
    const file = await ctx.app.inject({ method: 'GET', url: `/api/v1/attachments/${photo}`, headers: (await d.as('village')).headers });
    expect(file.statusCode).toBe(200);
    expect(await picture(file.rawPayload)).toEqual({ format: 'png', width: 1, height: 1 });
  });

  it('the reporter sees the photos of the result with the reply, and no other file of the case', async () => {
    const worker = await d.as('gridworker');
    const own = (await publicUpload(PNG, 'image/png', '堆物.png')).json().id as string;
    const report = await ctx.app.inject({ method: 'POST', url: '/api/v1/public/cases', payload: {
      channel: 'qr_code', placeCode: '220102200001G01', categoryId: (await d.category('A02')).id, description: '消防通道堆满杂物', attachmentIds: [own],
    } });
    expect(report.statusCode, report.body).toBe(201);
    const { number, trackingSecret } = report.json() as { number: string; trackingSecret: string };
    const track = async () => (await ctx.app.inject({ method: 'GET', url: `/api/v1/public/cases/${number}?secret=${trackingSecret}` })).json();
    const photoOf = (id: string, secret = trackingSecret) => ctx.app.inject({ method: 'GET', url: `/api/v1/public/cases/${number}/photos/${id}?secret=${secret}` });
    expect((await track()).resultPhotos).toEqual([]);
    expect((await photoOf(own)).statusCode).toBe(404); // the report's own photo is not a result's

    const [found] = (await ctx.app.inject({ method: 'GET', url: `/api/v1/cases?number=${number}`, headers: worker.headers })).json().items;
    const after = (await ctx.app.inject({ method: 'POST', url: '/api/v1/attachments', headers: { ...worker.headers, 'content-type': 'image/png', 'x-file-name': 'after.png' }, payload: PNG })).json().id as string;
    await api.act(worker, found.id, 'handle_on_spot', { result: '杂物已清走，通道畅通', attachmentIds: [after] });
    const seen = await track();
    expect([seen.status, seen.result, seen.resultPhotos]).toEqual(['replied', '杂物已清走，通道畅通', [after]]);
    const file = await photoOf(after);
    expect(file.statusCode).toBe(200);
    expect(await picture(file.rawPayload)).toEqual({ format: 'png', width: 1, height: 1 });
    expect(file.headers['content-type']).toBe('image/png');
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    expect(String(file.headers['content-security-policy'])).toContain('sandbox');
    // a wrong secret, a photo of the report, another case's file, a bad id: not found or refused, never a 5xx
    expect((await photoOf(after, 'WRONGCODE22')).statusCode).toBe(404);
    expect((await photoOf(own)).statusCode).toBe(404);
    expect((await photoOf('00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await photoOf('not-a-uuid')).statusCode).toBe(400);
  });

  it('an intake may name only its own fresh, unlinked uploads; otherwise nothing is created', async () => {
    const mine = (await publicUpload(PNG, 'image/png')).json().id as string;
    const staffUpload = (await ctx.app.inject({ method: 'POST', url: '/api/v1/attachments', headers: { ...intake.headers, 'content-type': 'image/png' }, payload: PNG })).json().id as string;
    const body = (ids: string[]) => ({ channel: 'mobile_web', areaId: d.area('220102200001').id, categoryId: 1, description: '测试附件归属', attachmentIds: ids });
    const cases = await count('cases');
    for (const ids of [[staffUpload], [mine, '00000000-0000-4000-8000-000000000000']]) {
      const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/public/cases', payload: body(ids) });
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json().error.code).toBe('ATTACHMENT_LIMIT');
    }
    expect(await count('cases')).toBe(cases);
    // a day later the upload has expired; the hourly purge removes its row and its file
    ctx.clock.advance(25 * 3600_000);
    const late = await ctx.app.inject({ method: 'POST', url: '/api/v1/public/cases', payload: body([mine]) });
    expect(late.json().error.code).toBe('ATTACHMENT_LIMIT');
    const before = files().length;
    expect(await ctx.services.attachments.purgeUnlinked()).toBeGreaterThanOrEqual(2);
    expect(files().length).toBeLessThanOrEqual(before - 2);
    expect((await ctx.database.db.execute(sql`select count(*)::int as n from attachments where case_id is null`) as unknown as { rows: { n: number }[] }).rows[0]!.n).toBe(0);
  });
});

describe('the resident page’s lookups', () => {
  it('a QR code’s place code names its area and the trail above it; an unknown code is a 404', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/public/places/220102200001G01' });
    expect(res.statusCode).toBe(200);
    expect(res.json().areaId).toBe(d.area('220102200001G01').id);
    expect(res.json().areaTrail.slice(0, 3)).toEqual(['长春市', '南关区', '幸福乡']);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/public/places/NOPE' })).statusCode).toBe(404);
  });

  it('walks the area tree one level at a time', async () => {
    const roots = (await ctx.app.inject({ method: 'GET', url: '/api/v1/public/areas' })).json().items;
    expect(roots.map((a: { name: string }) => a.name)).toEqual(['长春市']);
    const counties = (await ctx.app.inject({ method: 'GET', url: `/api/v1/public/areas?parentId=${roots[0].id}` })).json().items;
    expect(counties[0]).toMatchObject({ name: '南关区', hasChildren: true });
  });
});

describe('the Excel ledger (台账)', () => {
  beforeAll(async () => { intake = await d.as('intake'); }); // the clock moved a day above
  it('exports the filtered list with reporters masked, and audits the export', async () => {
    const phone = '13812345678';
    const created = await api.create(intake, {
      channel: 'hotline', areaId: d.area('220102200001').id, categoryId: (await d.category('A09')).id, description: '夜间广场舞噪音扰民',
      reporter: { name: '王小明', phone },
    });
    const audits = await count('audit_log');
    const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/cases/export?channel=hotline', headers: { ...intake.headers, 'accept-language': 'zh-CN' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(String(res.headers['content-disposition'])).toContain('.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const rows: string[][] = [];
    wb.worksheets[0]!.eachRow((r) => rows.push((r.values as unknown[]).slice(1).map(String)));
    expect(rows[0]![0]).toBe('事项编号');
    const mine = rows.find((r) => r[0] === created.case.number)!;
    expect(mine).toBeDefined();
    expect(mine).toContain('王*明');
    expect(mine).toContain('138****5678');
    expect(mine).toContain('电话');
    expect(rows.every((r) => r[2] === '电话' || r[0] === '事项编号')).toBe(true); // the filter applies
    expect(res.rawPayload.includes(Buffer.from(phone))).toBe(false);
    expect(await count('audit_log')).toBe(audits + 1);
  });

  it('filters the list by case number and by open or finished', async () => {
    const created = await api.create(intake, { channel: 'window', areaId: d.area('220102200001').id, categoryId: 1, description: '按编号查找' });
    const byNumber = (await ctx.app.inject({ method: 'GET', url: `/api/v1/cases?number=${created.case.number}`, headers: intake.headers })).json().items;
    expect(byNumber.map((c: { id: string }) => c.id)).toEqual([created.case.id]);
    await api.act(intake, created.case.id, 'reject', { reason: '重复登记' });
    const open = (await ctx.app.inject({ method: 'GET', url: '/api/v1/cases?open=true&limit=500', headers: intake.headers })).json().items;
    const done = (await ctx.app.inject({ method: 'GET', url: '/api/v1/cases?open=false&limit=500', headers: intake.headers })).json().items;
    expect(open.map((c: { id: string }) => c.id)).not.toContain(created.case.id);
    expect(done.map((c: { id: string }) => c.id)).toContain(created.case.id);
  });
});

describe('what the case screen needs', () => {
  it('offers as targets the organisations below the owning center and the departments above it', async () => {
    const village = await d.as('village');
    const created = await api.create(village, { channel: 'window', areaId: d.area('220102200001').id, categoryId: 1, description: '目标单位列表' });
    const res = await ctx.app.inject({ method: 'GET', url: `/api/v1/cases/${created.case.id}/targets`, headers: village.headers });
    expect(res.statusCode).toBe(200);
    const names = res.json().items.map((o: { name: string }) => o.name);
    expect(names).toContain('南关区住房和城乡建设局'); // a department above
    expect(names).toContain('惠民嘉苑社区第1网格工作站'); // a center below
    expect(names).not.toContain('幸福乡综治中心'); // a center above: only by escalation
    expect(names).not.toContain('惠民嘉苑社区综治中心'); // itself
    expect(names.some((n: string) => n.startsWith('南岭'))).toBe(false); // another township
  });

  it('reveals a reporter’s phone only with the permission and a reason, once per audit entry', async () => {
    const village = await d.as('village');
    const created = await api.create(village, { channel: 'hotline', areaId: d.area('220102200001').id, categoryId: 1, description: '回电核实', reporter: { name: '赵大爷', phone: '13700001111' } });
    const url = `/api/v1/cases/${created.case.id}/reporter/unmask`;
    const grid = await d.as('gridworker'); // no unmask permission (signed in first: a sign-in is audited too)
    const audits = await count('audit_log');
    const noReason = await ctx.app.inject({ method: 'POST', url, headers: village.headers, payload: { field: 'phone', reason: '' } });
    expect(noReason.statusCode).toBe(400);
    const ok = await ctx.app.inject({ method: 'POST', url, headers: village.headers, payload: { field: 'phone', reason: '回电核实诉求' } });
    expect(ok.json()).toMatchObject({ field: 'phone', value: '13700001111' });
    expect(await count('audit_log')).toBe(audits + 1);
    const denied = await ctx.app.inject({ method: 'POST', url, headers: grid.headers, payload: { field: 'phone', reason: '好奇' } });
    expect(denied.statusCode).toBe(403);
    expect(await count('audit_log')).toBe(audits + 1);
  });
});
