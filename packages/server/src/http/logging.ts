import type { FastifyRequest } from 'fastify';

/**
 * Query parameters that carry a credential or personal data: a tracking secret (`secret`, and `s` of the
 * resident page's link), exact-match lookups by phone or ID number, free-text searches that may hold a name,
 * and Open311's arguments (a client may send its key and the reporter's details in the query string).
 * Their values never reach a log line.
 */
const SENSITIVE_PARAMS = new Set(['secret', 's', 'idnumber', 'phone', 'q', 'name', 'token', 'password',
  'api_key', 'first_name', 'last_name', 'email', 'description', 'address_string', 'account_id', 'device_id']);

/** The URL as a log may keep it: each sensitive query parameter's value replaced by `***`. */
export function redactUrl(raw: string): string {
  // the SMS provider's receipt address carries a secret in its path
  const url = raw.replace(/^(\/api\/v1\/sms\/receipts\/[^/?]+\/)[^/?]+/, '$1***');
  const q = url.indexOf('?');
  if (q < 0) return url;
  const parts = url.slice(q + 1).split('&').map((pair) => {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    let name: string;
    try { name = decodeURIComponent(key.replace(/\+/g, ' ')); } catch { name = key; }
    return SENSITIVE_PARAMS.has(name.toLowerCase()) ? `${key}=***` : pair;
  });
  return `${url.slice(0, q + 1)}${parts.join('&')}`;
}

/** The request as logged: method, redacted URL, client address, and the id the client sent (cleaned), if any. */
export function serializeRequest(req: FastifyRequest) {
  return {
    method: req.method, url: redactUrl(req.url), remoteAddress: req.ip,
    ...(req.clientRequestId ? { clientRequestId: req.clientRequestId } : {}),
  };
}

/** A client's X-Request-Id, kept only as a label: at most 64 characters of [A-Za-z0-9._:-]. */
export function cleanClientRequestId(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const cleaned = v.replace(/[^A-Za-z0-9._:-]/g, '').slice(0, 64);
  return cleaned || undefined;
}

/** An unexpected error as logged: its kind and message, without a failed query's parameters (they may hold personal data). */
export function serializeError(err: unknown) {
  const e = err as { name?: string; code?: string; message?: string; stack?: string };
  const message = String(e?.message ?? err).split(/\nparams:|params: /)[0]!.slice(0, 2000);
  const stack = (e?.stack ?? '').split('\n').filter((l) => l.trimStart().startsWith('at ')).slice(0, 15).join('\n');
  return { type: e?.name ?? 'Error', message, stack, ...(e?.code ? { code: e.code } : {}) };
}
