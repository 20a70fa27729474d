import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

interface Chunk { file: string; isEntry?: boolean; src?: string; imports?: string[]; dynamicImports?: string[]; css?: string[] }

/**
 * What a browser must download before an entry's first screen shows: the entry chunk and everything it
 * imports statically (lazy screens excluded), gzipped. Also the total of all JavaScript, for the README.
 */
export function bundleSizes(dist = path.resolve(import.meta.dirname, 'dist')) {
  // two builds (vite.config.ts, vite.resident.config.ts), each with its manifest
  const read = (name: string) => JSON.parse(fs.readFileSync(path.join(dist, '.vite', name), 'utf8')) as Record<string, Chunk>;
  const manifests = { console: read('manifest.json'), resident: read('resident-manifest.json') };
  const gz = (file: string) => zlib.gzipSync(fs.readFileSync(path.join(dist, file)), { level: 9 }).length;
  const firstScreen = (manifest: Record<string, Chunk>, key: string) => {
    const seen = new Set<string>();
    const walk = (k: string) => {
      if (seen.has(k)) return;
      seen.add(k);
      for (const i of manifest[k]?.imports ?? []) walk(i);
    };
    walk(key);
    const files = [...seen].map((k) => manifest[k]!.file);
    return { files: files.length, js: files.reduce((n, f) => n + gz(f), 0) };
  };
  const entry = (manifest: Record<string, Chunk>, html: string) => Object.keys(manifest).find((k) => manifest[k]!.isEntry && manifest[k]!.src === html)!;
  const allJs = fs.readdirSync(path.join(dist, 'assets')).filter((f) => f.endsWith('.js')).reduce((n, f) => n + gz(path.join('assets', f)), 0);
  return {
    console: firstScreen(manifests.console, entry(manifests.console, 'index.html')),
    resident: firstScreen(manifests.resident, entry(manifests.resident, 'm/index.html')), allJs,
  };
}

if (process.argv[1] && import.meta.filename === path.resolve(process.argv[1])) {
  const s = bundleSizes();
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  console.log(`resident page first screen: ${kb(s.resident.js)} gzipped JS in ${s.resident.files} files`);
  console.log(`console first screen:       ${kb(s.console.js)} gzipped JS in ${s.console.files} files`);
  console.log(`all console JavaScript:     ${kb(s.allJs)} gzipped`);
}
