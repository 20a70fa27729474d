import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../server/test/helpers/context.ts';

/**
 * What a phone actually downloads: each page's first screen asked for over HTTP as a browser asks for it
 * (Accept-Encoding: br, gzip), counting the bytes the server sends — the page, its entry script and every module
 * it preloads, its style sheets.
 */
const dist = path.resolve(import.meta.dirname, '../dist');
let ctx: TestContext;
beforeAll(async () => { ctx = await createTestContext(); }, 120_000);
afterAll(() => ctx?.close());

const ACCEPT = { 'accept-encoding': 'gzip, deflate, br, zstd' };
async function firstScreen(page: string) {
  const html = await ctx.app.inject({ url: page, headers: { ...ACCEPT, accept: 'text/html' } });
  expect(html.statusCode).toBe(200);
  const text = html.headers['content-encoding'] === 'br' ? zlib.brotliDecompressSync(html.rawPayload).toString()
    : html.headers['content-encoding'] === 'gzip' ? zlib.gunzipSync(html.rawPayload).toString() : html.body;
  const urls = [...text.matchAll(/<(?:script[^>]*\ssrc|link[^>]*\shref)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
  expect(urls.length).toBeGreaterThan(0);
  let bytes = html.rawPayload.length;
  const encodings = new Set<string>();
  for (const url of urls) {
    const res = await ctx.app.inject({ url, headers: ACCEPT });
    expect(res.statusCode, url).toBe(200);
    encodings.add(String(res.headers['content-encoding']));
    bytes += res.rawPayload.length;
  }
  return { bytes, encodings, files: urls.length + 1 };
}

describe('what the server sends over the wire', () => {
  it('the resident page’s first screen is at most 200 KB, the console’s at most 300 KB, brotli-compressed', async () => {
    expect(fs.existsSync(path.join(dist, 'm', 'index.html.br')), 'build the console first (npm run build:console)').toBe(true);
    const resident = await firstScreen('/m/?place=X');
    const console_ = await firstScreen('/');
    expect([...resident.encodings]).toEqual(['br']);
    expect([...console_.encodings]).toEqual(['br']);
    console.log(`on the wire: resident first screen ${(resident.bytes / 1024).toFixed(1)} KB in ${resident.files} files, console ${(console_.bytes / 1024).toFixed(1)} KB in ${console_.files}`);
    expect(resident.bytes).toBeLessThanOrEqual(200 * 1024);
    expect(console_.bytes).toBeLessThanOrEqual(300 * 1024);
    expect(console_.bytes).toBeGreaterThan(resident.bytes); // measured on real files
    console.log(`on the wire: resident first screen ${(resident.bytes / 1024).toFixed(1)} KB in ${resident.files} files, console ${(console_.bytes / 1024).toFixed(1)} KB in ${console_.files}`);
  });

  it('a browser that accepts only gzip gets gzip, one that accepts nothing gets the file as it is', async () => {
    const script = [...fs.readFileSync(path.join(dist, 'm', 'index.html'), 'utf8').matchAll(/src="(\/assets\/[^"]+)"/g)][0]![1]!;
    const gz = await ctx.app.inject({ url: script, headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    const plain = await ctx.app.inject({ url: script });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(zlib.gunzipSync(gz.rawPayload).equals(plain.rawPayload)).toBe(true);
    expect(String(plain.headers['cache-control'])).toContain('immutable');
    expect(String(gz.headers.vary ?? '')).toMatch(/accept-encoding/i);
  });

  it('large API answers are compressed; small ones and the live stream are not', async () => {
    const docs = await ctx.app.inject({ url: '/openapi.json', headers: ACCEPT });
    expect(docs.headers['content-encoding']).toBe('br');
    expect(JSON.parse(zlib.brotliDecompressSync(docs.rawPayload).toString()).openapi).toBe('3.0.3');
    const health = await ctx.app.inject({ url: '/healthz', headers: ACCEPT });
    expect(health.headers['content-encoding']).toBeUndefined();
    expect(health.json()).toEqual({ status: 'ok' });
  });
});
