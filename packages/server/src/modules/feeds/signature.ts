/**
 * Signed messages: the platform sends `X-Fq-Timestamp` (Unix seconds) and `X-Fq-Signature: sha256=<hex>`, the
 * HMAC-SHA256 under its secret of `<timestamp>.<the body's bytes>`. A timestamp more than five minutes off is
 * refused (a captured message cannot be sent again later), and the sender's own message id is taken only once.
 * The same scheme signs what Fengqiao sends back (status callbacks).
 */
import crypto from 'node:crypto';
import { AppError } from '../../lib/errors.ts';

export const TIMESTAMP_HEADER = 'x-fq-timestamp';
export const SIGNATURE_HEADER = 'x-fq-signature';
export const REPLAY_WINDOW_SECONDS = 300;

export function sign(secret: string, timestamp: number, body: Buffer | string): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

/** Headers of a signed request from Fengqiao. */
export function signedHeaders(secret: string, body: string, now: Date): Record<string, string> {
  const ts = Math.floor(now.getTime() / 1000);
  return { 'content-type': 'application/json; charset=utf-8', [TIMESTAMP_HEADER]: String(ts), [SIGNATURE_HEADER]: sign(secret, ts, body) };
}

export function verify(secret: string, headers: Record<string, string | string[] | undefined>, body: Buffer, now: Date): void {
  const one = (name: string) => { const v = headers[name]; return Array.isArray(v) ? v[0] : v; };
  const ts = one(TIMESTAMP_HEADER);
  const given = one(SIGNATURE_HEADER) ?? '';
  if (!ts || !/^\d{1,12}$/.test(ts)) throw new AppError('FEED_SIGNATURE_INVALID');
  const expected = Buffer.from(sign(secret, Number(ts), body));
  const actual = Buffer.from(given);
  if (expected.length !== actual.length || !crypto.timingSafeEqual(expected, actual)) throw new AppError('FEED_SIGNATURE_INVALID');
  // checked after the signature: an unsigned request learns nothing about the clock
  if (Math.abs(now.getTime() / 1000 - Number(ts)) > REPLAY_WINDOW_SECONDS) throw new AppError('FEED_TIMESTAMP_STALE', { seconds: REPLAY_WINDOW_SECONDS });
}

export const newSecret = () => `fqs_${crypto.randomBytes(32).toString('base64url')}`;
