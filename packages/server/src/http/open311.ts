/**
 * The Open311 GeoReport v2 edge at /open311: its own formats (XML and JSON by the file extension), its own
 * form-encoded bodies and its own error documents, in a scope of their own so that the JSON API keeps its rules.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCodes, formatMessage, pickLocale } from '@fengqiao/contracts';
import type { Services } from '../services.ts';
import type { Actor } from '../access/actor.ts';
import { AppError } from '../lib/errors.ts';
import { CONTENT_TYPES, render, splitFormat, type Format } from '../modules/open311/format.ts';
import type { Form } from '../modules/open311/requests.ts';
import { requestContext } from './session.ts';

const formatOfUrl = (url: string): Format => (/\.json(\?|$)/i.test(url) ? 'json' : 'xml');

/** Open311's statuses: 404 for what does not exist, 403 for a missing or wrong api_key, 400 for the rest. */
function statusOf(err: unknown): { status: number; message: (req: FastifyRequest) => string } {
  const locale = (req: FastifyRequest) => pickLocale(req.headers['accept-language']);
  if (err instanceof AppError) {
    const http = ErrorCodes[err.code];
    const status = err.code === 'NOT_FOUND' ? 404 : http === 401 || http === 403 || http === 423 ? 403 : http >= 500 ? http : [409, 413, 415, 429].includes(http) ? http : 400;
    return { status, message: (req) => formatMessage(locale(req), err.code, { requestId: req.id, ...err.params }) };
  }
  const e = err as { statusCode?: number; code?: string; validation?: unknown };
  if (e.statusCode === 429) return { status: 429, message: (req) => formatMessage(locale(req), 'RATE_LIMITED') };
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return { status: 413, message: (req) => formatMessage(locale(req), 'PAYLOAD_TOO_LARGE', { limit: '64 KiB' }) };
  if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return { status: 415, message: (req) => formatMessage(locale(req), 'UNSUPPORTED_MEDIA_TYPE') };
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
    return { status: 400, message: (req) => formatMessage(locale(req), 'VALIDATION_FAILED', { detail: e.code ?? 'request' }) };
  }
  return { status: 500, message: (req) => formatMessage(locale(req), 'INTERNAL', { requestId: req.id }) };
}

function sendError(req: FastifyRequest, reply: FastifyReply, err: unknown) {
  const { status, message } = statusOf(err);
  if (status >= 500) req.log.error({ err }, 'open311 error');
  const format = formatOfUrl(req.url);
  return reply.status(status).type(CONTENT_TYPES[format]).send(render(format, 'errors', [{ code: status, description: message(req) }]));
}

export async function installOpen311(app: FastifyInstance, s: Services, rateLimitMultiplier: number) {
  const o = s.open311;
  await app.register(async (scope) => {
    // a form as name → value(s); attribute[code] keeps its brackets in the name
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => {
      const form: Record<string, string | string[]> = {};
      for (const [k, v] of new URLSearchParams(body as string)) {
        const had = form[k];
        form[k] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v];
      }
      done(null, form);
    });
    scope.setErrorHandler((err, req, reply) => sendError(req, reply, err));
    scope.setNotFoundHandler((req, reply) => sendError(req, reply, new AppError('NOT_FOUND', { what: 'route' })));

    const locale = (req: FastifyRequest) => pickLocale(req.headers['accept-language']);
    const query = (req: FastifyRequest) => (req.query ?? {}) as Form;
    const body = (req: FastifyRequest): Form => {
      const b = req.body;
      if (b === undefined || b === null) return {};
      if (typeof b !== 'object' || Array.isArray(b) || Buffer.isBuffer(b)) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
      // a JSON body is taken like a form: each value as its text
      return Object.fromEntries(Object.entries(b as Record<string, unknown>).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : v === null ? undefined : String(v)]));
    };
    /** The api_key (query or form) or a bearer token: an API token's account. */
    async function caller(req: FastifyRequest, form: Form, required: boolean): Promise<Actor | null> {
      const auth = req.headers.authorization;
      const fromHeader = auth ? /^Bearer\s+(\S+)$/i.exec(auth)?.[1] : undefined;
      const raw = form.api_key ?? query(req).api_key ?? fromHeader;
      const key = (Array.isArray(raw) ? raw[0] : raw)?.trim();
      if (!key) {
        if (required) throw new AppError('UNAUTHENTICATED');
        return null;
      }
      return s.auth.authenticateToken(key, requestContext(req));
    }
    const send = (reply: FastifyReply, format: Format, root: string, value: unknown) =>
      reply.type(CONTENT_TYPES[format]).header('cache-control', 'no-store').send(render(format, root, value));
    const file = (raw: string): [string, Format] => {
      const parsed = splitFormat(raw);
      if (!parsed) throw new AppError('NOT_FOUND', { what: 'route' });
      return parsed;
    };
    const jurisdictionOf = (req: FastifyRequest) => {
      const j = query(req).jurisdiction_id;
      return (Array.isArray(j) ? j[0] : j)?.trim() || undefined;
    };
    // documented in /docs under their own tag; their arguments are checked by the module (requests.ts), their answers are Open311's
    const limit = (max: number, summary: string) => ({ config: { rateLimit: { max: max * rateLimitMultiplier, timeWindow: '1 minute' } }, schema: { tags: ['Open311 GeoReport v2'], summary } });
    const reads = (summary: string) => limit(600, summary);
    const writes = (summary: string) => limit(120, summary);
    const base = (req: FastifyRequest) => s.config.publicUrl ?? `${req.protocol}://${req.host}`;

    for (const format of ['json', 'xml'] as const) {
      scope.get(`/discovery.${format}`, reads(`Service discovery (${format})`), async (req, reply) => send(reply, format, 'discovery', await o.discovery(base(req), locale(req))));
      scope.get(`/v2/services.${format}`, reads(`Service list: the active categories (${format})`), async (req, reply) => send(reply, format, 'services', await o.services(jurisdictionOf(req), locale(req))));
      scope.get(`/v2/requests.${format}`, reads(`Service requests: service_request_id, service_code, start_date, end_date, status (${format})`), async (req, reply) => {
        const actor = await caller(req, {}, false);
        return send(reply, format, 'service_requests', await o.list(actor, query(req), s.clock.now(), locale(req)));
      });
      scope.post(`/v2/requests.${format}`, writes(`File a service request with an api_key (${format})`), async (req, reply) => {
        const form = { ...query(req), ...body(req) };
        const actor = await caller(req, form, true);
        const key = req.headers['idempotency-key'];
        const filed = await o.file(actor!, form, typeof key === 'string' && key.trim() ? key.trim() : null, locale(req));
        return send(reply, format, 'service_requests', filed);
      });
    }
    scope.get<{ Params: { file: string } }>('/v2/services/:file', reads('Service definition: /services/{service_code}.json|xml'), async (req, reply) => {
      const [code, format] = file(req.params.file);
      return send(reply, format, 'service_definition', await o.definition(jurisdictionOf(req), code, locale(req)));
    });
    // `/requests/{id}` is the specification's text; `/request/{id}` is its machine-readable description's
    for (const path of ['/v2/requests/:file', '/v2/request/:file']) {
      scope.get<{ Params: { file: string } }>(path, reads('One service request: /requests/{service_request_id}.json|xml'), async (req, reply) => {
        const [id, format] = file(req.params.file);
        const actor = await caller(req, {}, false);
        return send(reply, format, 'service_requests', await o.get(actor, jurisdictionOf(req), id, locale(req)));
      });
    }
    scope.get<{ Params: { file: string } }>('/v2/tokens/:file', reads('The service request of a token: /tokens/{token}.json|xml'), async (req, reply) => {
      const [token, format] = file(req.params.file);
      return send(reply, format, 'service_requests', await o.token(jurisdictionOf(req), token));
    });
  }, { prefix: '/open311' });
}
