/**
 * Where platforms send their messages: POST /api/v1/feeds/{id}/messages, JSON signed over its raw bytes (the
 * signature is checked before the body is read as JSON). Errors are the JSON API's own documents.
 */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../services.ts';
import { FeedReceipt } from '@fengqiao/contracts';
import { AppError } from '../lib/errors.ts';

export async function installFeeds(app: FastifyInstance, s: Services, rateLimitMultiplier: number) {
  await app.register(async (scope) => {
    // the bytes as sent: what the signature covers
    scope.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: 256 * 1024 }, (_req, body, done) => done(null, body));
    scope.post<{ Params: { id: string } }>('/api/v1/feeds/:id/messages', {
      config: { rateLimit: { max: 120_000 * rateLimitMultiplier, timeWindow: '1 minute' } },
      schema: {
        tags: ['feeds'], operationId: 'receiveFeedMessage',
        summary: 'A platform’s message (12345 work order, police incident, petition, device alarm or clear), JSON signed with X-Fq-Timestamp and X-Fq-Signature: sha256=HMAC-SHA256(secret, "<timestamp>.<body>")',
        response: { 200: FeedReceipt },
      },
    }, async (req) => {
      if (!Buffer.isBuffer(req.body)) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
      return s.inbound.receive(req.params.id, req.headers, req.body);
    });
  });
}
