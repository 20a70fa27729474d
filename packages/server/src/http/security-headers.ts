import type { FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';

/**
 * Security headers on every answer — the console, the resident page, /docs and the API — with @fastify/helmet:
 * - a Content-Security-Policy: scripts only from this origin (the built console has no inline script),
 *   styles from this origin and inline (Ant Design writes its styles at run time), pictures from here, `data:`,
 *   `blob:` and the configured map tile server, requests only to this origin, no plugins, no framing;
 * - `Referrer-Policy: no-referrer`: a resident's tracking link carries its secret, and no other site may see it;
 * - HSTS only when cookies are marked Secure (COOKIE_SECURE), i.e. when the installation is served over HTTPS.
 * An attachment sets its own stricter policy (a sandbox) in its route.
 */
export async function installSecurityHeaders(app: FastifyInstance, opts: { https: boolean; mapTileUrl: string | null }) {
  const tiles = opts.mapTileUrl ? [tileOrigin(opts.mapTileUrl)].filter((o): o is string => Boolean(o)) : [];
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:', ...tiles],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(opts.https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: opts.https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    // the map's tiles come from another origin; the resources served here are not meant for embedding elsewhere
    crossOriginEmbedderPolicy: false,
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
}

/** The origin of a tile URL template such as `https://t0.tianditu.gov.cn/DataServer?x={x}&y={y}&l={z}`. */
function tileOrigin(template: string): string | null {
  try {
    return new URL(template.replace(/\{[a-z]+\}/gi, '0')).origin;
  } catch {
    return null;
  }
}
