import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../access/actor.ts';
import { AppError } from '../lib/errors.ts';
import type { Services } from '../services.ts';
import { presentArea } from '../modules/areas/areas.service.ts';
import { presentOrganization } from '../modules/organizations/organizations.service.ts';

export const SESSION_COOKIE = 'fq_session';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

declare module 'fastify' {
  interface FastifyRequest { actor?: Actor; csrfToken?: string | null; /** The client's own X-Request-Id, cleaned; never used as our id. */ clientRequestId?: string }
}

/**
 * Who is calling: an API token (Authorization: Bearer fqt_…) or a console session cookie.
 * Cookie sessions must echo their CSRF token in X-CSRF-Token on every unsafe method.
 */
export async function authenticate(s: Services, req: FastifyRequest): Promise<Actor> {
  const ctx = requestContext(req);
  const auth = req.headers.authorization;
  if (auth) {
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    if (!m) throw new AppError('UNAUTHENTICATED');
    req.csrfToken = null;
    return s.auth.authenticateToken(m[1]!, ctx);
  }
  const cookie = req.cookies[SESSION_COOKIE];
  if (!cookie) throw new AppError('UNAUTHENTICATED');
  const { actor, csrfToken } = await s.auth.authenticateSession(cookie, ctx);
  if (UNSAFE.has(req.method)) {
    const sent = req.headers['x-csrf-token'];
    const a = Buffer.from(typeof sent === 'string' ? sent : '');
    const b = Buffer.from(csrfToken);
    if (a.length !== b.length || !crypto.timingSafeEqual(a, b)) throw new AppError('CSRF_TOKEN_INVALID');
  }
  req.csrfToken = csrfToken;
  return actor;
}

export async function describeMe(s: Services, actor: Actor, csrfToken: string | null) {
  const user = await s.users.get(actor, actor.userId!);
  const organization = await s.organizations.get(actor, actor.organizationId!);
  const area = await s.areas.get(actor, Number(actor.areaPath.split('/').filter(Boolean).at(-1)));
  return {
    user, organization: presentOrganization(organization), area: presentArea(area), permissions: [...actor.permissions].sort(),
    csrfToken, sessionIdleMinutes: s.config.sessionIdleMinutes,
  };
}

export function requestContext(req: FastifyRequest) {
  return { ip: req.ip ?? null, userAgent: (req.headers['user-agent'] ?? '').slice(0, 300) || null, requestId: req.id };
}
