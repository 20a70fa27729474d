import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';

export const consoleDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../console/dist');

/**
 * The web console (packages/console, built by Vite) is served at `/`; unknown non-API paths fall back
 * to its index.html so that the console's own routes survive a reload. Hashed assets are cached for good. The
 * build writes each text file precompressed beside itself (packages/console/precompress.ts): a browser that
 * accepts brotli or gzip gets those bytes as they are.
 */
export async function installConsole(app: FastifyInstance, dir = consoleDist): Promise<boolean> {
  const index = path.join(dir, 'index.html');
  if (!fs.existsSync(index)) {
    app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.type('text/plain; charset=utf-8')
      .send('The web console is not built yet: run `npm run build:console`. The API is at /api/v1, its reference at /docs.\n'));
    return false;
  }
  await app.register(fastifyStatic, {
    root: dir, prefix: '/', wildcard: false, index: ['index.html'], preCompressed: true,
    setHeaders: (res, file) => {
      res.header('x-content-type-options', 'nosniff');
      res.header('cache-control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  return true;
}

/** For the not-found handler: a browser asking for a console page gets the console. */
export function wantsConsolePage(method: string, url: string, accept: string | undefined): boolean {
  return method === 'GET' && !url.startsWith('/api/') && !url.startsWith('/docs') && (accept ?? '').includes('text/html');
}
