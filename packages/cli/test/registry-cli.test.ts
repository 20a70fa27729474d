import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import gcoordModule from 'gcoord';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../server/test/helpers/db.ts';
import { withIdCheck } from '../../server/src/modules/registry/identifiers.ts';

// gcoord is CommonJS: at run time the default import is its exports object
const gcoord = ((gcoordModule as unknown as { default?: unknown }).default ?? gcoordModule) as unknown as {
  transform(p: [number, number], from: unknown, to: unknown): [number, number]; WGS84: unknown; GCJ02: unknown;
};
const BIN = fileURLToPath(new URL('../bin/fengqiao.mjs', import.meta.url));
const SECRET = 'cli-test-secret-cli-test-secret-0123456';

let dir: string;
let pgDb: TestDatabase | null = null;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fq-cli-reg-'));
  env = { ...process.env, DATA_DIR: path.join(dir, 'data'), FENGQIAO_SECRET: SECRET, LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  if (process.env.FQ_TEST_DATABASE_URL) {
    pgDb = await createTestDatabase();
    env.DATABASE_URL = pgDb.url!;
  }
});
afterAll(async () => {
  await pgDb?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function run(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const write = (name: string, content: string | object) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
};

// A 20 × 15 lattice of 300 grids, 0.002° (about 160 m) square, drawn in GCJ-02 — as a 高德 map gives them.
const X0 = 125.3; const Y0 = 43.85; const STEP = 0.002; const COLS = 20; const ROWS = 15;
const VILLAGE = '220102200001'; // 惠民嘉苑社区, from the real division codes
const gridCode = (c: number, r: number) => `T${String(r).padStart(2, '0')}${String(c).padStart(2, '0')}`;
function lattice() {
  const features = [];
  for (let r = 0; r < ROWS; r++) for (let c = 0; c < COLS; c++) {
    const x = X0 + c * STEP; const y = Y0 + r * STEP;
    const ring = [[x, y], [x + STEP, y], [x + STEP, y + STEP], [x, y + STEP], [x, y]].map(([a, b]) => [Number(a!.toFixed(6)), Number(b!.toFixed(6))]);
    features.push({ type: 'Feature', properties: { name: `测试第${r * COLS + c + 1}网格`, code: gridCode(c, r), parentCode: VILLAGE }, geometry: { type: 'Polygon', coordinates: [ring] } });
  }
  return { type: 'FeatureCollection', features };
}

// each test starts CLI or server processes that open the embedded database: their time follows the machine's
describe('fengqiao import (CLI)', { timeout: 180_000 }, () => {
  it('imports a real county’s official divisions, and again without duplicates', () => {
    const first = run(['import', 'divisions', '220102']);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    const m = /(\d+) area\(s\) created, 0 already present \((\d+) township\(s\), (\d+) village\(s\)\)/.exec(first.out);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBe(2 + Number(m![2]) + Number(m![3])); // city + county + townships + villages
    expect(Number(m![2])).toBeGreaterThan(10);
    const again = run(['import', 'divisions', '220102']);
    expect(again.out).toMatch(/ 0 area\(s\) created, \d+ already present/);
    expect(run(['import', 'divisions', '999999']).code).toBe(1);
  });

  it('refuses a GeoJSON file with broken features, naming each by index and reason, and imports nothing', () => {
    const fc = lattice();
    const broken = structuredClone(fc);
    broken.features[3]!.geometry.coordinates[0]!.pop(); // ring not closed
    const bow = broken.features[7]!.geometry.coordinates[0]!; // a bow tie: the ring crosses itself
    [bow[1], bow[2]] = [bow[2]!, bow[1]!];
    (broken.features[11]!.properties as Record<string, unknown>).name = '';
    const r = run(['import', 'grids', write('broken.geojson', broken), '--crs', 'gcj02']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/feature #3 \(测试第4网格\): ring 0: ring is not closed/);
    expect(r.err).toMatch(/feature #7 \(测试第8网格\): ring 0: ring intersects itself/);
    expect(r.err).toMatch(/feature #11: property “name” is required/);
    expect(r.err).toMatch(/3 invalid feature\(s\) of 300; nothing imported/);
    expect(run(['locate', String(X0 + 0.001), String(Y0 + 0.001), '--crs', 'gcj02']).code).toBe(1); // still no grids

    const skipped = run(['import', 'grids', write('broken2.geojson', broken), '--crs', 'gcj02', '--skip-invalid']);
    expect(skipped.code).toBe(0);
    expect(skipped.out).toMatch(/Grids: 297 created, 0 updated, 3 skipped of 300/);
  });

  it('converts GCJ-02 input to WGS-84: a known point lands in the right grid', () => {
    const r = run(['import', 'grids', write('grids.geojson', lattice()), '--crs', 'gcj02']);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/Grids: 3 created, 297 updated, 0 skipped of 300/);
    // a place surveyed with GPS (WGS-84); on a 高德 map (GCJ-02) it sits in lattice cell (c, row)
    const wgs: [number, number] = [125.31513, 43.86077];
    const [gx, gy] = gcoord.transform(wgs, gcoord.WGS84, gcoord.GCJ02);
    const c = Math.floor((gx - X0) / STEP); const row = Math.floor((gy - Y0) / STEP);
    const naive = [Math.floor((wgs[0] - X0) / STEP), Math.floor((wgs[1] - Y0) / STEP)];
    expect(naive).not.toEqual([c, row]); // without the conversion the point would land elsewhere (the offset is ~500 m)
    const found = run(['locate', String(wgs[0]), String(wgs[1])]);
    expect(found.err).toBe('');
    expect(found.out.split('\t')[0]).toBe(gridCode(c, row));
    // the same place given in GCJ-02 (a phone's map) resolves to the same grid
    expect(run(['locate', String(gx), String(gy), '--crs', 'gcj02']).out.split('\t')[0]).toBe(gridCode(c, row));
  });

  it('imports people from CSV: all or nothing, with a reason for every bad row', () => {
    const ok1 = withIdCheck('22010219800101123'); const ok2 = withIdCheck('22010219920315204');
    const badSum = ok1.slice(0, 17) + (ok1[17] === '0' ? '1' : '0');
    const csv = [
      '姓名,公民身份号码,手机号,人口类型,网格编码,与户主关系',
      `张三,${ok1},13912345678,户籍人口,${gridCode(0, 0)},户主`,
      `李四,${badSum},13912345679,户籍人口,${gridCode(0, 0)},配偶`,
      `王五,${ok2},1391234,流动人口,${gridCode(1, 0)},`,
      `赵六,${ok1},13912345670,外星人口,${gridCode(9, 99)},`,
    ].join('\n');
    const refused = run(['import', 'people', write('people.csv', csv)]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/row 3, idNumber: invalid ID number \(checksum\)/);
    expect(refused.err).toMatch(/row 4, phone: not a mobile number/);
    expect(refused.err).toMatch(/row 5, residency: unknown code “外星人口”/);
    expect(refused.err).toMatch(/row 5, areaCode: unknown area/);
    expect(refused.err).toMatch(/row 5, idNumber: duplicate of row 2/);
    expect(refused.err).toMatch(/3 invalid row\(s\) of 4; nothing imported/);

    const good = run(['import', 'people', write('people-ok.csv', csv.split('\n').slice(0, 2).join('\n'))]);
    expect(good.err).toBe('');
    expect(good.out).toMatch(/People: 1 imported, 0 row\(s\) skipped of 1/);
    const again = run(['import', 'people', write('people-again.csv', csv.split('\n').slice(0, 2).join('\n'))]);
    expect(again.err).toMatch(/row 2, idNumber: already in the registry/);
  });
});
