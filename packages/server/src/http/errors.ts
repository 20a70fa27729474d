import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCodes, formatMessage, pickLocale, type ErrorCode } from '@fengqiao/contracts';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../lib/errors.ts';
import { consoleDist, wantsConsolePage } from './console.ts';

function send(req: FastifyRequest, reply: FastifyReply, code: ErrorCode, params: Record<string, unknown> = {}, details?: { path: string; message: string }[]) {
  const locale = pickLocale(req.headers['accept-language']);
  const status = ErrorCodes[code];
  return reply.status(status).type('application/json; charset=utf-8').send({
    error: { code, message: formatMessage(locale, code, { requestId: req.id, ...params }), requestId: req.id, ...(details ? { details } : {}) },
  });
}

/**
 * One error handler: application errors keep their code; Fastify's own (validation, bad JSON, size,
 * media type, rate limit) get stable codes; anything else is a 500 whose text never reaches the client.
 */
export function installErrorHandling(app: FastifyInstance, bodyLimit: number, consoleDir = consoleDist) {
  app.setErrorHandler((err: FastifyError & { validation?: { instancePath: string; message?: string; params?: Record<string, unknown> }[]; validationContext?: string }, req, reply) => {
    if (err instanceof AppError) return send(req, reply, err.code, err.params);
    if (err.validation) {
      const details = err.validation.map((v) => {
        const extra = v.params?.additionalProperty ? ` (${String(v.params.additionalProperty)})` : '';
        return { path: `${err.validationContext ?? 'body'}${v.instancePath || ''}`, message: `${v.message ?? 'invalid'}${extra}` };
      });
      return send(req, reply, 'VALIDATION_FAILED', { detail: details.map((d) => `${d.path} ${d.message}`).join('; ') }, details);
    }
    switch (err.code) {
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return send(req, reply, 'BAD_JSON');
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return send(req, reply, 'PAYLOAD_TOO_LARGE', { limit: `${Math.round((req.routeOptions?.bodyLimit ?? bodyLimit) / 1024)} KiB` });
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return send(req, reply, 'UNSUPPORTED_MEDIA_TYPE');
      default:
    }
    if (err instanceof SyntaxError || (err.statusCode === 400 && err.code?.startsWith('FST_ERR_CTP'))) return send(req, reply, 'BAD_JSON');
    if (err.statusCode === 429) return send(req, reply, 'RATE_LIMITED');
    if (err.statusCode === 404) return send(req, reply, 'NOT_FOUND', { what: 'route' });
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return send(req, reply, 'VALIDATION_FAILED', { detail: err.code ?? 'request' });
    req.log.error({ err }, 'unhandled error');
    return send(req, reply, 'INTERNAL');
  });
  const consoleIndex = path.join(consoleDir, 'index.html');
  const residentIndex = path.join(consoleDir, 'm', 'index.html');
  app.setNotFoundHandler((req, reply) => {
    if (wantsConsolePage(req.method, req.url, req.headers.accept)) {
      // the resident page (/m/…) is its own small bundle; everything else is the console
      const page = req.url === '/m' || req.url.startsWith('/m/') || req.url.startsWith('/m?') ? residentIndex : consoleIndex;
      if (fs.existsSync(page)) {
        return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').header('x-content-type-options', 'nosniff').send(fs.createReadStream(page));
      }
    }
    return send(req, reply, 'NOT_FOUND', { what: 'route' });
  });
}
