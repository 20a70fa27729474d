import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { sql } from 'drizzle-orm';
import { createTestContext, type TestContext } from './helpers/context.ts';
import { demoWorld } from './helpers/demo.ts';
import type { Session } from './helpers/world.ts';
import { MAX_IMAGE_SIDE } from '../src/modules/attachments/images.ts';

/**
 * Residents' uploads cannot fill a disk: pictures are decoded and encoded again (no junk behind a picture's
 * signature, no EXIF location kept), one address has a daily byte budget, residents' unlinked uploads have a
 * budget in all and expire within the hour, and /metrics shows how much of it is taken.
 */
const MiB = 1024 * 1024;
let ctx: TestContext;
let d: Awaited<ReturnType<typeof demoWorld>>;
let intake: Session;
beforeAll(async () => {
  ctx = await createTestContext({ sessionIdleMinutes: 24 * 60, sessionMaxHours: 720, rateLimitMultiplier: 1000, publicUploadDailyBytes: 1 * MiB, publicUploadUnlinkedMaxBytes: 2 * MiB });
  d = await demoWorld(ctx);
  intake = await d.as('intake');
}, 120_000);
afterAll(() => ctx?.close());

const upload = (body: Buffer, from: string, type = 'image/jpeg') =>
  ctx.app.inject({ method: 'POST', url: '/api/v1/public/attachments', headers: { 'content-type': type, 'x-file-name': 'photo.jpg' }, payload: body, remoteAddress: from });
const rows = async (where = 'true') => Number(((await ctx.database.db.execute(sql.raw(`select count(*)::int as n from attachments where ${where}`))) as unknown as { rows: { n: number }[] }).rows[0]!.n);
const storedFiles = (): number => (fs.existsSync(ctx.config.attachmentsDir) ? fs.readdirSync(ctx.config.attachmentsDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length : 0);

/** A photo as a phone takes it: noise (so it does not compress to nothing), EXIF with the place it was taken. */
async function phonePhoto(width: number, height: number, seed = 1): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  let x = seed;
  for (let i = 0; i < raw.length; i++) { x = (x * 1103515245 + 12345) & 0x7fffffff; raw[i] = x >> 16; }
  return sharp(raw, { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 })
    .withExif({ IFD0: { Make: 'PhoneMaker', Model: 'Resident phone', Artist: '王小明' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '43/1 52/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '125/1 19/1 0/1' } })
    .toBuffer();
}

describe('public uploads', () => {
  it('keep a photo without its EXIF (no location, no camera, no owner), upright and at most MAX_IMAGE_SIDE wide', async () => {
    const original = await phonePhoto(640, 480);
    expect((await sharp(original).metadata()).exif).toBeDefined(); // the test photo does carry a location
    const up = await upload(original, '198.51.100.1');
    expect(up.statusCode, up.body).toBe(201);
    const file = await ctx.app.inject({ method: 'GET', url: `/api/v1/attachments/${up.json().id}`, headers: intake.headers });
    expect(file.statusCode).toBe(404); // nobody's to read until a case names it
    const stored = fs.readdirSync(ctx.config.attachmentsDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
    const newest = stored.map((f) => ({ f, t: fs.statSync(f).mtimeMs })).sort((a, b) => b.t - a.t)[0]!.f;
    const kept = fs.readFileSync(newest);
    const meta = await sharp(kept).metadata();
    expect([meta.format, meta.width, meta.height, meta.exif, meta.icc, meta.xmp]).toEqual(['jpeg', 640, 480, undefined, undefined, undefined]);
    expect(kept.includes(Buffer.from('PhoneMaker'))).toBe(false);
    expect(kept.length).toBe(up.json().size);

    const poster = await sharp({ create: { width: 5000, height: 1000, channels: 3, background: '#c33' } }).png().toBuffer();
    const big = await upload(poster, '198.51.100.1', 'image/png');
    expect(big.statusCode, big.body).toBe(201);
    const scaled = fs.readdirSync(ctx.config.attachmentsDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name))
      .map((f) => ({ f, t: fs.statSync(f).mtimeMs })).sort((a, b) => b.t - a.t)[0]!.f;
    expect(await sharp(fs.readFileSync(scaled)).metadata()).toMatchObject({ format: 'png', width: MAX_IMAGE_SIDE, height: MAX_IMAGE_SIDE / 5 });
  });

  it('refuse a file that only starts like a picture, saying so, and keep nothing', async () => {
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#fff' } }).png().toBuffer();
    const before = [await rows(), storedFiles()];
    for (const body of [Buffer.concat([png.subarray(0, 40), Buffer.alloc(4000, 0x41)]), Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(4000, 7)])]) {
      const res = await upload(body, '198.51.100.2', 'application/octet-stream');
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json().error.code).toBe('ATTACHMENT_UNREADABLE');
      expect(res.json().error.message).toContain('图片无法读取');
    }
    expect([await rows(), storedFiles()]).toEqual(before);
  });

  it('stop one address at its daily budget, which expiry does not reset; another address goes on', async () => {
    const photo = await phonePhoto(400, 400, 7);
    const from = '198.51.100.3';
    let sent = 0;
    let refused: { statusCode: number; json(): { error: { code: string; message: string } } } | null = null;
    for (let i = 0; i < 40 && !refused; i++) {
      const res = await upload(photo, from);
      if (res.statusCode === 201) sent += res.json().size as number;
      else refused = res;
    }
    expect(refused?.statusCode).toBe(429);
    expect(refused?.json().error.code).toBe('UPLOAD_DAILY_LIMIT');
    expect(sent).toBeLessThanOrEqual(1 * MiB);
    expect(sent).toBeGreaterThan(1 * MiB - 2 * photo.length);
    expect((await upload(photo, '198.51.100.4')).statusCode).toBe(201);
    // an hour later the unlinked photos are gone, and the address's day is still spent
    ctx.clock.advance(61 * 60_000);
    await ctx.services.attachments.purgeUnlinked();
    expect(await rows('case_id is null and uploaded_by is null')).toBe(0);
    expect((await upload(photo, from)).json().error.code).toBe('UPLOAD_DAILY_LIMIT');
    // the next day it may upload again
    ctx.clock.advance(24 * 3600_000);
    expect((await upload(photo, from)).statusCode).toBe(201);
    await ctx.services.attachments.purgeUnlinked();
  });

  it('pause every public upload while residents’ unlinked uploads fill their budget, and report it in /metrics', async () => {
    ctx.clock.advance(2 * 3600_000);
    await ctx.services.attachments.purgeUnlinked();
    const photo = await phonePhoto(400, 400, 9);
    let paused: { statusCode: number; json(): { error: { code: string } } } | null = null;
    for (let i = 0; i < 60 && !paused; i++) {
      const res = await upload(photo, `203.0.113.${i + 1}`);
      if (res.statusCode !== 201) paused = res;
    }
    expect(paused?.statusCode).toBe(503);
    expect(paused?.json().error.code).toBe('UPLOADS_PAUSED');
    const metrics = (await ctx.app.inject({ url: '/metrics' })).body;
    const gauge = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1]);
    expect(gauge('fengqiao_public_uploads_unlinked_bytes')).toBeGreaterThanOrEqual(2 * MiB);
    expect(gauge('fengqiao_public_uploads_unlinked_budget_bytes')).toBe(2 * MiB);
    expect(gauge('fengqiao_attachments_free_bytes')).toBeGreaterThan(0);
    // staff uploads are not residents': they go on
    const staff = await ctx.app.inject({ method: 'POST', url: '/api/v1/attachments', headers: { ...(await d.as('intake')).headers, 'content-type': 'image/jpeg' }, payload: photo });
    expect(staff.statusCode, staff.body).toBe(201);
    // 45 minutes later a resident cannot name them any more; the purge frees the budget
    ctx.clock.advance(46 * 60_000);
    expect(await ctx.services.attachments.purgeUnlinked()).toBeGreaterThan(0);
    expect((await upload(photo, '203.0.113.200')).statusCode).toBe(201);
  });

  it('a resident’s photo can be named by a report for 45 minutes, not after', async () => {
    const photo = await phonePhoto(64, 64, 3);
    const body = (id: string) => ({ channel: 'qr_code', placeCode: '220102200001G01', categoryId: 1, description: '路灯不亮，晚上很黑', attachmentIds: [id] });
    const late = (await upload(photo, '198.51.100.9')).json().id as string;
    ctx.clock.advance(46 * 60_000);
    const fresh = (await upload(photo, '198.51.100.9')).json().id as string;
    const refused = await ctx.app.inject({ method: 'POST', url: '/api/v1/public/cases', payload: body(late), remoteAddress: '198.51.100.9' });
    expect(refused.json().error.code, refused.body).toBe('ATTACHMENT_LIMIT');
    const ok = await ctx.app.inject({ method: 'POST', url: '/api/v1/public/cases', payload: body(fresh), remoteAddress: '198.51.100.9' });
    expect(ok.statusCode, ok.body).toBe(201);
  });
});
