import type { FastifyInstance } from 'fastify';
import { AppError } from '../lib/errors.ts';

/**
 * Text PostgreSQL cannot store: a NUL character (refused in `text`) and a lone UTF-16 surrogate (refused in
 * `jsonb`, and not a character at all); and text that disguises itself. Refused once, at the edge, for every
 * body, query and path parameter, so that no operation answers 500 to them and no record holds them.
 */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/**
 * Characters no field of a governance record needs and that disguise text: control characters (tab, line feed
 * and carriage return stay — long texts keep their lines) and bidirectional overrides and isolates, which can
 * make a name or a file name read differently from what it is.
 */
const DISGUISING = /[\u0001-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const refused = (s: string) => UNSTORABLE.test(s) || DISGUISING.test(s);

/** The path (`body.reporter.name`) of the first string that cannot be stored, or null. */
export function unstorableAt(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return refused(value) ? path : null;
  if (depth > 32 || value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const at = unstorableAt(value[i], `${path}/${i}`, depth + 1);
      if (at) return at;
    }
    return null;
  }
  for (const [k, v] of Object.entries(value)) {
    if (refused(k)) return `${path}/${k}`;
    const at = unstorableAt(v, `${path}/${k}`, depth + 1);
    if (at) return at;
  }
  return null;
}

export function refuseUnstorableText(app: FastifyInstance) {
  app.addHook('preValidation', async (req) => {
    const at = unstorableAt(req.params, 'params') ?? unstorableAt(req.query, 'querystring') ?? unstorableAt(req.body, 'body');
    if (at) throw new AppError('VALIDATION_FAILED', { detail: `${at}: contains a control character, a bidirectional override or an unpaired surrogate` });
  });
}
