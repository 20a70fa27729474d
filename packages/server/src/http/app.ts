import { endStreams } from './command-center-handlers.ts';
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { routes, ErrorBody, type OperationId, type RouteContract } from '@fengqiao/contracts';
import type { Services } from '../services.ts';
import { appliedMigrationCount, type Database } from '../db/database.ts';
import { installErrorHandling } from './errors.ts';
import { refuseUnstorableText } from './poison.ts';
import { cleanClientRequestId, serializeError, serializeRequest } from './logging.ts';
import { validatorCompiler } from './validation.ts';
import { backlogGauges, diskBudgetGauges, installMetrics, replicaGauges } from './metrics.ts';
import { readBacklog } from '../ops/backlog.ts';
import { readPreference, type Replica } from '../db/replica.ts';
import { createHandlers, type HandlerContext, type Handlers } from './handlers.ts';
import { authenticate } from './session.ts';
import { installConsole } from './console.ts';
import { installSecurityHeaders } from './security-headers.ts';
import { installOpen311 } from './open311.ts';
import { installFeeds } from './feeds.ts';
import { installSmsReceipts } from './sms-receipts.ts';

export interface AppOptions {
  services: Services;
  /** The streaming replica lists and exports read from, when READ_DATABASE_URL is set. */
  replica?: Replica | null;
  /** Set while the server drains before it stops: /readyz answers 503 so a balancer sends new requests elsewhere. */
  lifecycle?: { draining: boolean };
  database: Pick<Database, 'ping' | 'kind'>;
  /** false: no log; otherwise the level and where lines go (default: the configured level, to stdout). */
  logger?: false | { level?: string; stream?: { write(line: string): void } };
  /** Built console to serve at `/` (default: packages/console/dist). */
  consoleDir?: string;
  /** Scales every endpoint's rate limit (tests and benchmarks raise it). */
  rateLimitMultiplier?: number;
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const { services: s } = opts;
  const app = Fastify({
    logger: opts.logger === false ? false : {
      level: opts.logger?.level ?? s.config.logLevel,
      ...(opts.logger?.stream ? { stream: opts.logger.stream } : {}),
      // secrets and personal data never reach a log line: headers with credentials, query values (logging.ts)
      redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'],
      serializers: { req: serializeRequest, err: serializeError },
    },
    bodyLimit: s.config.bodyLimitBytes,
    trustProxy: s.config.trustProxy,
    // our own id for every request; a client's X-Request-Id is kept apart, cleaned (clientRequestId)
    requestIdHeader: false,
    genReqId: () => crypto.randomUUID(),
    ajv: { customOptions: { removeAdditional: false } },
  });
  app.setValidatorCompiler(validatorCompiler());
  app.addHook('onRequest', async (req) => { req.clientRequestId = cleanClientRequestId(req.headers['x-request-id']); });
  app.addHook('onSend', async (req, reply) => { reply.header('x-request-id', req.id); });
  app.addHook('preClose', async () => { endStreams(); });
  installErrorHandling(app, s.config.bodyLimitBytes, opts.consoleDir);
  refuseUnstorableText(app);
  installMetrics(app, { token: s.config.metricsToken }, (registry) => {
    diskBudgetGauges(registry, () => s.attachments.diskBudget());
    backlogGauges(registry, () => readBacklog(s.db));
    if (opts.replica) replicaGauges(registry, opts.replica);
  });

  await installSecurityHeaders(app, { https: s.config.cookieSecure, mapTileUrl: s.config.mapTileUrl });
  // answers over 1 KB compressed for a client that accepts it (brotli, else gzip); the console's files come
  // precompressed from the build, pictures and Office files are compressed already, the live stream is written raw
  await app.register(compress, { global: true, threshold: 1024, encodings: ['br', 'gzip'], brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } } });
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Fengqiao API', version: '0.1.0', description: 'Grassroots comprehensive governance center platform (枫桥). Errors: `{ error: { code, message, requestId } }`; codes are stable.' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'fq_session' },
          token: { type: 'http', scheme: 'bearer', description: 'API token: fqt_…' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    if (opts.lifecycle?.draining) {
      reply.status(503);
      return { status: 'draining', database: opts.database.kind };
    }
    try {
      await opts.database.ping();
      const migrations = await appliedMigrationCount(s.db);
      const replica = opts.replica ? { replica: { lagSeconds: opts.replica.lagSeconds(), inUse: opts.replica.inUse() } } : {};
      return { status: 'ready', database: opts.database.kind, migrations, ...replica };
    } catch {
      reply.status(503);
      return { status: 'unavailable', database: opts.database.kind };
    }
  });

  // uploads arrive as the file's raw bytes; the attachment service decides the real type from the bytes
  app.addContentTypeParser(['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/heic', 'application/pdf', 'application/octet-stream',
    // registry imports: people files and grid polygons
    'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/geo+json'],
    { parseAs: 'buffer', bodyLimit: s.config.attachmentMaxBytes }, (_req, body, done) => done(null, body));
  const handlers = createHandlers(s);
  for (const [op, contract] of Object.entries(routes) as [OperationId, RouteContract][]) {
    registerRoute(app, s, contract, handlers[op] as Handlers[OperationId], opts.rateLimitMultiplier ?? 1, opts.replica ?? null);
  }
  await installOpen311(app, s, opts.rateLimitMultiplier ?? 1);
  await installFeeds(app, s, opts.rateLimitMultiplier ?? 1);
  installSmsReceipts(app, s);
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await installConsole(app, opts.consoleDir);
  return app;
}

function registerRoute(app: FastifyInstance, s: Services, c: RouteContract, handler: Handlers[OperationId], rateLimitMultiplier: number, replica: Replica | null) {
  const status = c.status ?? 200;
  app.route({
    method: c.method,
    url: c.url,
    ...(c.upload ? { bodyLimit: s.config.attachmentMaxBytes } : {}),
    config: c.rateLimit ? { rateLimit: { max: c.rateLimit * rateLimitMultiplier, timeWindow: '1 minute' } } : {},
    schema: {
      operationId: c.operationId,
      summary: c.summary,
      tags: c.tags,
      ...(c.auth === 'user' ? { security: [{ session: [] }, { token: [] }] } : {}),
      ...(c.params ? { params: c.params } : {}),
      ...(c.querystring ? { querystring: c.querystring } : {}),
      ...(c.body ? { body: c.body } : {}),
      // a file answer is documented by its media type and sent as bytes (a Buffer skips serialisation)
      response: {
        [status]: c.binary ? { description: c.summary, content: { [c.binary]: { schema: { type: 'string', format: 'binary' } } } } : c.response,
        '4xx': ErrorBody, '5xx': ErrorBody,
      },
    },
    preHandler: c.auth === 'user' ? async (req) => { req.actor = await authenticate(s, req); } : undefined,
    handler: async (req, reply) => {
      const ctx = { params: req.params, query: req.query, body: req.body, actor: req.actor!, req, reply } as HandlerContext<OperationId>;
      const run = () => (handler as (ctx: HandlerContext<OperationId>) => Promise<unknown>)(ctx);
      if (!replica) return run();
      // read-your-writes: whoever changed something in the last REPLICA_MAX_LAG_SECONDS reads from the primary
      const result = await readPreference.run({ primary: Boolean(req.cookies.fq_wrote) }, run);
      if (c.method !== 'GET') reply.setCookie('fq_wrote', '1', { path: '/', httpOnly: true, sameSite: 'lax', maxAge: s.config.replicaMaxLagSeconds + 1 });
      return result;
    },
  });
}
