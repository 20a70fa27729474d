import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleSizes } from '../bundle-size.ts';

const dist = path.resolve(import.meta.dirname, '../dist');

describe('production bundle', () => {
  it('the resident page’s first screen loads at most 300 KB of gzipped JavaScript, and none of the console', () => {
    expect(fs.existsSync(path.join(dist, '.vite', 'manifest.json')), 'build the console first (npm run build:console)').toBe(true);
    const s = bundleSizes(dist);
    expect(s.resident.js).toBeLessThanOrEqual(300 * 1024);
    expect(s.console.js).toBeGreaterThan(s.resident.js * 0.5); // measured on real files, not an empty build
    const manifest = JSON.parse(fs.readFileSync(path.join(dist, '.vite', 'resident-manifest.json'), 'utf8')) as Record<string, { src?: string; isEntry?: boolean; imports?: string[] }>;
    const residentEntry = Object.keys(manifest).find((k) => manifest[k]!.src === 'm/index.html')!;
    const reachable = new Set<string>();
    const walk = (k: string) => { if (reachable.has(k)) return; reachable.add(k); for (const i of manifest[k]?.imports ?? []) walk(i); };
    walk(residentEntry);
    expect([...reachable].some((k) => /pages\/|console/.test(k) && k !== residentEntry)).toBe(false);
  });
});
