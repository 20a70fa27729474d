import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { users } from '../../db/schema.ts';
import { authorize, type Actor } from '../../access/actor.ts';
import { assertWithin, visibleTo } from '../../access/scope.ts';
import { notFound } from '../../lib/errors.ts';
import { credentialsChanged } from '../../lib/credential-cache.ts';
import { iso, isoRequired } from '../../lib/paging.ts';
import type { Clock } from '../../lib/clock.ts';
import type { KeyRing } from '../../lib/personal-data.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { findUser } from '../users/users.repository.ts';
import type { ApiTokenRow } from '../auth/auth.repository.ts';
import * as repo from './tokens.repository.ts';

const ownerScope = (actor: Actor) => visibleTo(actor, { areaPath: users.areaPath, organizationId: users.organizationId });

/**
 * API tokens act as their owner (usually an `integration` account of a police, 12345 or sensor platform).
 * Everyone may hold tokens of their own; administrators manage those of accounts in their jurisdiction.
 */
export function createTokenService(deps: { db: Db; audit: AuditService; keys: KeyRing; clock: Clock }) {
  const { db, audit, keys, clock } = deps;

  async function create(actor: Actor, input: { userId?: string; name: string; expiresInDays?: number }) {
    const forSelf = !input.userId || input.userId === actor.userId;
    authorize(actor, forSelf ? 'token.own' : 'token.manage');
    const ownerId = forSelf ? actor.userId : input.userId!;
    if (!ownerId) throw notFound('user');
    return db.transaction(async (tx) => {
      const owner = await findUser(tx, forSelf ? eq(users.id, ownerId) : ownerScope(actor), ownerId);
      if (!owner) throw notFound('user');
      if (!forSelf) assertWithin(actor, { areaPath: owner.areaPath, organizationId: owner.organizationId });
      const token = `fqt_${crypto.randomBytes(32).toString('base64url')}`;
      const row = await repo.insertToken(tx, {
        userId: owner.id, name: input.name, prefix: token.slice(0, 12), tokenHash: keys.tokenHash(token), createdBy: actor.userId,
        expiresAt: input.expiresInDays ? new Date(clock.now().getTime() + input.expiresInDays * 86_400_000) : null,
      });
      await audit.record(actor, { action: 'token.create', targetType: 'api_token', targetId: row.id, areaPath: owner.areaPath, organizationId: owner.organizationId, detail: { owner: owner.username, name: input.name } }, tx);
      return { token, apiToken: presentToken(row) };
    });
  }

  async function list(actor: Actor, userId?: string) {
    const manage = actor.permissions.has('token.manage');
    if (!manage) authorize(actor, 'token.own');
    const scope = manage ? ownerScope(actor) : eq(users.id, actor.userId ?? '00000000-0000-0000-0000-000000000000');
    const rows = await repo.listTokens(db, scope, userId);
    return { items: rows.map(presentToken) };
  }

  async function revoke(actor: Actor, id: string) {
    await db.transaction(async (tx) => {
      const found = await repo.findTokenWithOwner(tx, id);
      if (!found) throw notFound('token');
      if (found.t.userId !== actor.userId) {
        // someone else's token: only an administrator whose jurisdiction holds its owner may see it exists
        if (!actor.permissions.has('token.manage') || !(await findUser(tx, ownerScope(actor), found.t.userId))) throw notFound('token');
      }
      await repo.revokeToken(tx, id);
      await audit.record(actor, { action: 'token.revoke', targetType: 'api_token', targetId: id, areaPath: found.areaPath, organizationId: found.organizationId }, tx);
    });
    credentialsChanged();
  }

  return { create, list, revoke };
}
export type TokenService = ReturnType<typeof createTokenService>;

export function presentToken(r: ApiTokenRow) {
  return {
    id: r.id, userId: r.userId, name: r.name, prefix: r.prefix, createdAt: isoRequired(r.createdAt),
    lastUsedAt: iso(r.lastUsedAt), expiresAt: iso(r.expiresAt), revokedAt: iso(r.revokedAt),
  };
}
