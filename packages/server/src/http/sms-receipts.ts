/**
 * Delivery receipts pushed by the SMS provider: POST /api/v1/sms/receipts/{provider}/{token}, the provider's own
 * JSON, answered as the provider expects. Providers do not sign their pushes, so the address carries a secret
 * (SMS_RECEIPT_TOKEN) given to the provider's console; without it configured the address does not exist.
 */
import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../services.ts';
import { AppError } from '../lib/errors.ts';

export function installSmsReceipts(app: FastifyInstance, s: Services) {
  app.post<{ Params: { provider: string; token: string } }>('/api/v1/sms/receipts/:provider/:token', {
    config: { rateLimit: { max: 6000, timeWindow: '1 minute' } },
    schema: { tags: ['sms'], operationId: 'receiveSmsReceipts', summary: 'Delivery receipts from the configured SMS provider (aliyun: SmsReport, tencent: its status callback)' },
  }, async (req) => {
    const expected = s.config.sms.receiptToken;
    const gateway = s.smsGateway;
    const a = Buffer.from(req.params.token);
    const b = Buffer.from(expected ?? '');
    if (!gateway || !expected || req.params.provider !== gateway.name || a.length !== b.length || !crypto.timingSafeEqual(a, b)) {
      throw new AppError('NOT_FOUND', { what: 'route' });
    }
    return (await gateway.receive(req.body)).answer;
  });
}
