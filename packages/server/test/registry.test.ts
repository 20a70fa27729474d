import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import ExcelJS from 'exceljs';
import jsQRModule from 'jsqr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/access/actor.ts';
import { rotateKeys } from '../src/modules/users/rotate-keys.ts';
import { withIdCheck } from '../src/modules/registry/identifiers.ts';
import { createServices } from '../src/services.ts';
import { createTestContext, snapshot, TEST_SECRET, type TestContext } from './helpers/context.ts';
import { testDbKind } from './helpers/db.ts';
import { buildWorld, login, type Session, type World } from './helpers/world.ts';

let ctx: TestContext;
let w: World;
let dataDir: string | undefined;
let all: Session; // township A, every role
let grid: Session; // a grid worker of A's grid
const sq = (x: number, y: number, d: number) => ({ type: 'Polygon', coordinates: [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]] });
// 甲一村 covers (125.40…125.42, 43.80…43.82); its grid 1 the south-west quarter
const VILLAGE = sq(125.40, 43.80, 0.02);
const GRID = sq(125.40, 43.80, 0.01);

/** Every person this file registers, so that the dump test can look for each of them. */
const seeded: { name: string; idNumber: string; phone: string }[] = [];
const person = (i: number) => {
  const p = { name: `钱${['一鸣', '二丫', '三多', '四海', '五福', '六顺'][i % 6]}${i}`, idNumber: withIdCheck(`2201021985${String(1 + (i % 12)).padStart(2, '0')}${String(10 + i)}${String(100 + i)}`), phone: `137${String(20_000_000 + i * 7919)}` };
  seeded.push(p);
  return p;
};

beforeAll(async () => {
  if (testDbKind === 'pglite') dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fq-reg-'));
  ctx = await createTestContext({ publicUrl: 'https://fq.example.test' }, { dataDir });
  w = await buildWorld(ctx);
  const sys = systemActor();
  await ctx.services.grids.setBoundary(sys, w.areas.a1.id, VILLAGE, 'wgs84');
  await ctx.services.grids.setBoundary(sys, w.areas.a1g.id, GRID, 'wgs84');
  const gridOrg = await ctx.services.organizations.create(sys, { kind: 'center', name: '甲一村第1网格工作站', areaId: w.areas.a1g.id });
  const worker = await ctx.services.users.create(sys, { username: 'a1g.worker', displayName: '网格员甲', organizationId: gridOrg.id, roles: ['grid_worker'], phone: '13800000099', password: 'Correct-horse-42' });
  await ctx.services.grids.setWorkers(sys, w.areas.a1g.id, [worker.id]);
  all = await login(ctx, 'a.all');
  grid = await login(ctx, 'a1g.worker');
});
afterAll(async () => {
  await ctx?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

const api = (s: Session, method: string, url: string, payload?: unknown, headers: Record<string, string> = {}) =>
  ctx.app.inject({ method: method as 'GET', url, headers: { ...s.headers, ...headers }, payload: payload as object });

describe('people (实有人口)', () => {
  it('validates at the edge: a bad ID number, phone or code is refused and nothing is written', async () => {
    const p = person(1);
    const before = await snapshot(ctx, ['sessions']);
    for (const bad of [
      { idNumber: p.idNumber.slice(0, 17) + (p.idNumber[17] === '1' ? '2' : '1') }, { idNumber: '22010219851340123X' }, { phone: '12345' }, { residency: 'martian' },
    ]) {
      const res = await api(grid, 'POST', '/api/v1/registry/people', { residency: 'registered', name: p.name, idNumber: p.idNumber, areaId: w.areas.a1g.id, ...bad });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    expect(await snapshot(ctx, ['sessions'])).toBe(before);
  });

  it('registers a person masked, finds them by exact ID number, refuses a second record of the same ID', async () => {
    const p = person(2);
    const res = await api(grid, 'POST', '/api/v1/registry/people', { residency: '流动人口', name: p.name, idNumber: p.idNumber.toLowerCase(), phone: p.phone, areaId: w.areas.a1g.id, relationToHead: '户主' });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ residency: 'floating', relationToHead: 'head', idNumber: `${p.idNumber.slice(0, 6)}********${p.idNumber.slice(14)}`, phone: `137****${p.phone.slice(7)}`, birthYear: 1985 });
    expect(body.name).toMatch(/^钱\*+\d$/);
    expect(JSON.stringify(body)).not.toContain(p.idNumber.slice(6, 14));
    const found = await api(all, 'GET', `/api/v1/registry/people?idNumber=${p.idNumber}`);
    expect(found.json().items.map((x: { id: string }) => x.id)).toEqual([body.id]);
    const dup = await api(all, 'POST', '/api/v1/registry/people', { residency: 'registered', name: '别人', idNumber: p.idNumber, areaId: w.areas.a1.id });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('PERSON_DUPLICATE');
  });

  it('reveals a field only with the permission and a reason, once per call, each audited; the security officer sees who looked at whom', async () => {
    const p = person(3);
    const created = (await api(all, 'POST', '/api/v1/registry/people', { residency: 'registered', name: p.name, idNumber: p.idNumber, phone: p.phone, areaId: w.areas.a1g.id })).json();
    const count = async () => (await ctx.services.audit.list(systemActor(), { action: 'personal_data.unmask', limit: 500 })).items.filter((e) => e.targetId === created.id).length;
    // a grid worker keeps the registry but has no unmask permission
    expect((await api(grid, 'POST', `/api/v1/registry/people/${created.id}/unmask`, { field: 'idNumber', reason: '核实' })).statusCode).toBe(403);
    expect((await api(all, 'POST', `/api/v1/registry/people/${created.id}/unmask`, { field: 'idNumber', reason: ' ' })).json().error.code).toBe('REASON_REQUIRED');
    expect(await count()).toBe(0);
    const id = await api(all, 'POST', `/api/v1/registry/people/${created.id}/unmask`, { field: 'idNumber', reason: '办理低保核实身份' });
    expect(id.json().value).toBe(p.idNumber);
    const phone = await api(all, 'POST', `/api/v1/registry/people/${created.id}/unmask`, { field: 'phone', reason: '联系本人' });
    expect(phone.json().value).toBe(p.phone);
    expect(await count()).toBe(2);
    const view = await api(all, 'GET', `/api/v1/audit?action=personal_data.unmask&targetId=${created.id}`);
    const entries = view.json().items as { actorName: string; detail: { field: string; reason: string } }[];
    expect(entries.map((e) => [e.actorName, e.detail.field, e.detail.reason]).sort()).toEqual([['a.all', 'idNumber', '办理低保核实身份'], ['a.all', 'phone', '联系本人']]);
    expect(JSON.stringify(entries)).not.toContain(p.idNumber);
  });

  it('keeps special groups with their attention level and encrypted follow-up fields; a follow-up visit moves the next date', async () => {
    const p = person(4);
    const created = (await api(grid, 'POST', '/api/v1/registry/people', { residency: 'registered', name: p.name, idNumber: p.idNumber, areaId: w.areas.a1g.id })).json();
    const bad = await api(grid, 'PUT', `/api/v1/registry/people/${created.id}/groups/community_correction`, { attentionLevel: 'high', details: { correctionType: 'vacation' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/correctionType.*startOn: required/);
    const ok = await api(grid, 'PUT', `/api/v1/registry/people/${created.id}/groups/community_correction`, {
      attentionLevel: '严加关注', details: { correctionType: '缓刑', startOn: '2026-01-01', endOn: '2027-01-01', offence: '危险驾驶' }, nextFollowUpOn: '2026-01-08',
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().groups).toEqual([{ kind: 'community_correction', attentionLevel: 'high', nextFollowUpOn: '2026-01-08' }]);
    expect(JSON.stringify(ok.json())).not.toContain('危险驾驶');
    const listed = await api(all, 'GET', '/api/v1/registry/people?group=community_correction&attention=high');
    expect(listed.json().items.map((x: { id: string }) => x.id)).toContain(created.id);
    const details = await api(all, 'POST', `/api/v1/registry/people/${created.id}/unmask`, { field: 'groupDetails', reason: '矫正衔接' });
    expect(JSON.parse(details.json().value)).toEqual({ community_correction: { correctionType: 'probation', startOn: '2026-01-01', endOn: '2027-01-01', offence: '危险驾驶' } });

    const visit = await api(grid, 'POST', '/api/v1/registry/visits', { subjectType: 'person', subjectId: created.id, kind: 'follow_up', note: '本周按时报到' });
    expect(visit.statusCode).toBe(201);
    const after = (await api(grid, 'GET', `/api/v1/registry/people/${created.id}`)).json();
    const expected = new Date(ctx.clock.now().getTime() + 7 * 86400_000 + 8 * 3600_000).toISOString().slice(0, 10);
    expect(after.groups[0].nextFollowUpOn).toBe(expected);
    const visits = await api(grid, 'GET', `/api/v1/registry/visits?subjectType=person&subjectId=${created.id}`);
    expect(visits.json().items).toEqual([expect.objectContaining({ kind: 'follow_up', visitorName: 'a1g.worker', note: '本周按时报到' })]);
  });

  it('archives, then purges: personal data erased for good, anonymous statistics kept', async () => {
    const p = person(5);
    const created = (await api(all, 'POST', '/api/v1/registry/people', { residency: 'registered', name: p.name, idNumber: p.idNumber, phone: p.phone, areaId: w.areas.a1g.id, address: '甲一村5号' })).json();
    await api(all, 'PUT', `/api/v1/registry/people/${created.id}/groups/released_prisoner`, { attentionLevel: 'low', details: { releasedOn: '2024-05-01', offence: '诈骗' } });
    expect((await api(all, 'POST', `/api/v1/registry/people/${created.id}/purge`, { reason: '保存期满' })).json().error.code).toBe('PERSON_NOT_ARCHIVED');
    expect((await api(all, 'POST', `/api/v1/registry/people/${created.id}/archive`, { reason: '迁出' })).json().status).toBe('archived');
    // only administrators purge
    expect((await api(grid, 'POST', `/api/v1/registry/people/${created.id}/purge`, { reason: '保存期满' })).statusCode).toBe(403);
    const purged = await api(all, 'POST', `/api/v1/registry/people/${created.id}/purge`, { reason: '保存期满' });
    expect(purged.json()).toMatchObject({ status: 'purged', name: null, idNumber: null, phone: null, hasAddress: false, gender: '1', birthYear: 1985, residency: 'registered' });
    const rows = await ctx.database.db.execute(`select name_enc, id_number_enc, id_number_bidx, phone_enc, address_enc from people where id = '${created.id}'` as never);
    expect((rows as unknown as { rows: Record<string, unknown>[] }).rows[0]).toEqual({ name_enc: null, id_number_enc: null, id_number_bidx: null, phone_enc: null, address_enc: null });
    const groups = await ctx.database.db.execute(`select kind, details_enc from person_groups where person_id = '${created.id}'` as never);
    expect((groups as unknown as { rows: unknown[] }).rows).toEqual([{ kind: 'released_prisoner', details_enc: null }]);
    expect((await api(all, 'POST', `/api/v1/registry/people/${created.id}/unmask`, { field: 'idNumber', reason: '查' })).json().value).toBeNull();
    // the ID number may be registered again (a returning resident starts a new record)
    expect((await api(all, 'POST', '/api/v1/registry/people', { residency: 'registered', name: p.name, idNumber: p.idNumber, areaId: w.areas.a1g.id })).statusCode).toBe(201);
  });
});

describe('people import (Excel)', () => {
  async function xlsx(rows: (string | number)[][]) {
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('实有人口');
    for (const r of rows) sheet.addRow(r);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }
  const upload = (file: Buffer, query: string) => api(all, 'POST', `/api/v1/registry/people/import?format=xlsx&${query}`, file, { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });

  it('reports every bad row and writes nothing; with skipInvalid imports the good rows', async () => {
    const a = person(6); const b = person(7); const c = person(8);
    const file = await xlsx([
      ['姓名', '公民身份号码', '手机号', '人口类型', '与户主关系', '房间号'],
      [a.name, a.idNumber, a.phone, '户籍人口', '户主', '101'],
      [b.name, Number(b.idNumber.slice(0, 15)), b.phone, '户籍人口', '配偶', '101'], // a number cell: digits lost
      [c.name, c.idNumber, c.phone, '境外人员', '岳父', '102'],
    ]);
    const before = await snapshot(ctx, ['sessions']);
    const report = (await upload(file, `areaId=${w.areas.a1g.id}`)).json();
    expect(report).toMatchObject({ rows: 3, imported: 0, skipped: 2, committed: false });
    expect(report.problems).toEqual(expect.arrayContaining([
      expect.objectContaining({ row: 3, field: 'idNumber', problem: expect.stringMatching(/stored as a number/) }),
      expect.objectContaining({ row: 4, field: 'relationToHead', problem: expect.stringMatching(/岳父/) }),
    ]));
    expect(await snapshot(ctx, ['sessions'])).toBe(before);

    const partial = (await upload(file, `areaId=${w.areas.a1g.id}&skipInvalid=true`)).json();
    expect(partial).toMatchObject({ rows: 3, imported: 1, skipped: 2, committed: true });
    const found = (await api(all, 'GET', `/api/v1/registry/people?idNumber=${a.idNumber}`)).json().items;
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ residency: 'registered', relationToHead: 'head', room: '101', areaId: w.areas.a1g.id });
  });

  it('an importer cannot put people outside their jurisdiction', async () => {
    const d = person(9);
    const file = await xlsx([['姓名', '公民身份号码', '网格编码'], [d.name, d.idNumber, w.areas.b1.code!]]);
    const report = (await upload(file, '')).json();
    expect(report.committed).toBe(false);
    expect(report.problems[0]).toMatchObject({ row: 2, field: 'areaCode' });
  });
});

describe('places, QR codes and grids', () => {
  it('a place with a point lands in the grid that contains it; its QR code decodes to the resident page with its code', async () => {
    const res = await api(grid, 'POST', '/api/v1/registry/places', { kind: 'residential', name: '甲一村3栋', address: '甲一村幸福路3号', location: { lon: 125.405, lat: 43.805 }, attributes: { households: 24 } });
    expect(res.statusCode).toBe(201);
    const place = res.json();
    expect(place.areaId).toBe(w.areas.a1g.id);
    expect(place.code).toMatch(/^P[0-9A-Z]{8}$/);
    const school = await api(grid, 'POST', '/api/v1/registry/places', { kind: 'school', name: '甲一小学', areaId: w.areas.a1g.id, attributes: { schoolType: 'high_school' } });
    expect(school.statusCode).toBe(400);

    const sheet = await api(all, 'GET', `/api/v1/registry/places/qr-sheet?areaId=${w.areas.a1.id}&format=svg&page=1`);
    expect(sheet.statusCode).toBe(200);
    expect(sheet.headers['content-type']).toMatch(/image\/svg\+xml/);
    const svg = sheet.body;
    expect(svg).toContain('甲一村3栋');
    const decoded = decodeQrFromSheet(svg, place.code);
    expect(decoded).toBe(`https://fq.example.test/m/?place=${place.code}`);

    // the resident page: the place names its grid, and a report there is filed in that grid, at the place
    const pub = await ctx.app.inject({ method: 'GET', url: `/api/v1/public/places/${place.code}` });
    expect(pub.json()).toMatchObject({ code: place.code, name: '甲一村3栋', areaId: w.areas.a1g.id });
    const category = (await ctx.services.categories.byCode('A01'))!;
    const report = await ctx.app.inject({ method: 'POST', url: '/api/v1/public/cases', payload: { channel: 'qr_code', placeCode: place.code, categoryId: category.id, description: '3栋楼道灯坏了', areaId: w.areas.b1.id } });
    expect(report.statusCode).toBe(201);
    const listed = (await ctx.services.cases.list(systemActor(), { number: report.json().number })).items[0]!;
    const filed = (await ctx.services.cases.get(systemActor(), listed.id)).case;
    expect(filed.area.id).toBe(w.areas.a1g.id);
    expect(filed.address).toBe('甲一村3栋 甲一村幸福路3号');
  });

  it('staff intake with a point inside a grid of the chosen village files the case in that grid', async () => {
    const category = (await ctx.services.categories.byCode('A01'))!;
    const res = await api(all, 'POST', '/api/v1/cases', { channel: 'window', areaId: w.areas.a1.id, categoryId: category.id, description: '路面塌陷', location: { lon: 125.402, lat: 43.803 } });
    expect(res.statusCode).toBe(201);
    expect(res.json().case.area.id).toBe(w.areas.a1g.id);
    const outside = await api(all, 'POST', '/api/v1/cases', { channel: 'window', areaId: w.areas.a1.id, categoryId: category.id, description: '路面塌陷', location: { lon: 125.415, lat: 43.815 } });
    expect(outside.json().case.area.id).toBe(w.areas.a1.id); // no grid there: the village keeps it
  });

  it('refuses a grid outside its parent village and a self-crossing one, reporting each by index', async () => {
    const fc = { type: 'FeatureCollection', features: [
      { type: 'Feature', properties: { name: '越界网格', code: 'A1G77' }, geometry: sq(125.43, 43.80, 0.005) },
      { type: 'Feature', properties: { name: '蝴蝶网格', code: 'A1G78' }, geometry: { type: 'Polygon', coordinates: [[[125.41, 43.81], [125.415, 43.815], [125.415, 43.81], [125.41, 43.815], [125.41, 43.81]]] } },
      { type: 'Feature', properties: { name: '好网格', code: 'A1G79' }, geometry: sq(125.41, 43.81, 0.005) },
    ] };
    const res = await api(all, 'POST', `/api/v1/grids/import?crs=wgs84&parentCode=${w.areas.a1.code}`, Buffer.from(JSON.stringify(fc)), { 'content-type': 'application/geo+json' });
    expect(res.json()).toMatchObject({ features: 3, created: 0, committed: false, problems: [
      { index: 0, name: '越界网格', reason: expect.stringMatching(/outside its parent/) },
      { index: 1, name: '蝴蝶网格', reason: expect.stringMatching(/intersects itself/) },
    ] });
    const broken = await api(all, 'POST', '/api/v1/grids/import?crs=wgs84', Buffer.from('{"type": "Feature'), { 'content-type': 'application/geo+json' });
    expect(broken.json().error.code).toBe('BAD_JSON');
  });

  it('a grid’s page shows its worker, people, places and open cases; the map counts open cases per grid', async () => {
    const page = (await api(all, 'GET', `/api/v1/grids/${w.areas.a1g.id}`)).json();
    expect(page.workers.map((x: { username: string }) => x.username)).toEqual(['a1g.worker']);
    expect(page.workers[0].name).toBe('网**甲');
    expect(page.counts.people).toBe(page.people.length);
    expect(page.counts.people).toBeGreaterThanOrEqual(4);
    expect(page.places.map((p: { name: string }) => p.name)).toContain('甲一村3栋');
    expect(page.counts.openCases).toBe(2);
    const r7 = (v: number) => Math.round(v * 1e7) / 1e7; // stored to 1e-7° (about 1 cm)
    expect(page.grid.boundary).toEqual({ type: 'Polygon', coordinates: [GRID.coordinates[0]!.map(([x, y]) => [r7(x!), r7(y!)])] });

    const map = (await api(all, 'GET', `/api/v1/map?areaId=${w.areas.a.id}`)).json();
    const feature = map.features.find((f: { properties: { id: number } }) => f.properties.id === w.areas.a1g.id);
    expect(feature.properties).toMatchObject({ openCases: 2, highAttention: 1, name: '甲一村第1网格' });
    // three open cases with points: the QR report (at its place's point), and two staff reports with a point
    expect(map.clusters.reduce((s: number, c: { count: number }) => s + c.count, 0)).toBe(3);
  });
});

describe('personal data at rest', () => {
  it('rotating the key re-encrypts the registry; exact lookups keep working', async () => {
    const next = 'r'.repeat(48);
    const rotating = createServices(ctx.database.db, { ...ctx.config, secret: next, previousSecrets: [TEST_SECRET] });
    const r = await rotateKeys(ctx.database.db, rotating.keys, rotating.audit);
    expect(r.rotated).toBeGreaterThan(seeded.length);
    const only = createServices(ctx.database.db, { ...ctx.config, secret: next, previousSecrets: [] });
    const p = seeded[1]!;
    const found = await only.registry.listPeople(systemActor(), { idNumber: p.idNumber });
    expect(found.items).toHaveLength(1);
    expect((await only.registry.unmaskPerson(systemActor(), found.items[0]!.id, 'phone', 'rotation check')).value).toBe(p.phone);
  });

  it('a dump of the database holds no plaintext ID number, phone or name of any registered person', async () => {
    expect(seeded.length).toBeGreaterThanOrEqual(8);
    let dump: Buffer;
    if (ctx.database.kind === 'postgres') {
      const bin = process.env.FQ_PG_BIN ? path.join(process.env.FQ_PG_BIN, 'pg_dump') : 'pg_dump';
      dump = execFileSync(bin, [ctx.database.url!], { maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
    } else {
      await ctx.database.close(); // flush PGlite to its files
      const chunks: Buffer[] = [];
      const walk = (d: string) => { for (const f of fs.readdirSync(d, { withFileTypes: true })) { const p = path.join(d, f.name); if (f.isDirectory()) walk(p); else chunks.push(fs.readFileSync(p)); } };
      walk(dataDir!);
      dump = Buffer.concat(chunks);
    }
    expect(dump.includes(Buffer.from('甲一村3栋'))).toBe(true); // the dump is real: place names are not personal data
    for (const p of seeded) {
      expect(dump.includes(Buffer.from(p.idNumber))).toBe(false);
      expect(dump.includes(Buffer.from(p.phone))).toBe(false);
      expect(dump.includes(Buffer.from(p.name))).toBe(false);
    }
    for (const secret of ['危险驾驶', '诈骗']) expect(dump.includes(Buffer.from(secret))).toBe(false);
  });
});

/**
 * Rasterises the QR code of one place from the printed sheet (its SVG path of dark modules, 1 unit per
 * module) and decodes it with jsQR, as a phone's camera would.
 */
// jsqr is CommonJS: its default export is the exports object at run time
const jsQR = ((jsQRModule as unknown as { default?: unknown }).default ?? jsQRModule) as unknown as (data: Uint8ClampedArray, w: number, h: number) => { data: string } | null;
function decodeQrFromSheet(svg: string, code: string): string | null {
  const cell = new RegExp(`<g class="place" data-code="${code}">.*?<svg class="qr"[^>]*viewBox="-4 -4 (\\d+) \\d+"[^>]*>.*?<path d="([^"]+)"`).exec(svg);
  if (!cell) return null;
  const modules = Number(cell[1]); const d = cell[2]!; // the view box includes a quiet zone of 4 modules each side
  const scale = 6; const px = modules * scale;
  const rgba = new Uint8ClampedArray(px * px * 4).fill(255);
  for (const m of d.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g)) {
    const x0 = Number(m[1]) + 4; const y0 = Number(m[2]) + 4; const wdt = Number(m[3]);
    for (let y = y0 * scale; y < (y0 + 1) * scale; y++) for (let x = x0 * scale; x < (x0 + wdt) * scale; x++) {
      const i = (y * px + x) * 4; rgba[i] = rgba[i + 1] = rgba[i + 2] = 0;
    }
  }
  return jsQR(rgba, px, px)?.data ?? null;
}
