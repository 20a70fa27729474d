import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Plugin } from 'vite';

const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt|map)$/;

/**
 * Every text file of the build written again beside itself as `.br` (brotli, quality 11) and `.gz` (gzip, level
 * 9), once, at build time: the server sends whichever the browser accepts (@fastify/static `preCompressed`)
 * without compressing anything per request.
 */
export function precompress(minBytes = 512): Plugin {
  let outDir = 'dist';
  return {
    name: 'fengqiao-precompress',
    apply: 'build',
    configResolved(config) { outDir = path.resolve(config.root, config.build.outDir); },
    writeBundle(_options, bundle) {
      // what this build wrote (a second build into the same directory leaves the first's files alone)
      for (const file of Object.keys(bundle).map((f) => path.join(outDir, f)).filter((f) => COMPRESSIBLE.test(f) && !f.includes(`${path.sep}.vite${path.sep}`) && fs.existsSync(f))) {
        const bytes = fs.readFileSync(file);
        if (bytes.length < minBytes) continue;
        fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(bytes, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }));
        fs.writeFileSync(`${file}.gz`, zlib.gzipSync(bytes, { level: 9 }));
      }
    },
  };
}
