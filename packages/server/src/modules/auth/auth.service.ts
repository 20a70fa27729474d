import crypto from 'node:crypto';
import type { OrgKind, Role } from '@fengqiao/contracts';
import type { Db } from '../../db/database.ts';
import type { Config } from '../../config.ts';
import { userActor, systemActor, type Actor } from '../../access/actor.ts';
import { AppError } from '../../lib/errors.ts';
import { credentialCache } from '../../lib/credential-cache.ts';
import type { Clock } from '../../lib/clock.ts';
import type { KeyRing } from '../../lib/personal-data.ts';
import type { PasswordHasher } from '../../lib/passwords.ts';
import { isStrongPassword, MIN_PASSWORD } from '../../config.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { findSessionUser, findTokenUser, findUserForLogin, findUserWithOrg, updateUser, revokeSessionsOf, type UserWithOrg } from '../users/users.repository.ts';
import * as repo from './auth.repository.ts';

export interface RequestContext { ip: string | null; userAgent: string | null; requestId: string | null }

/** Activity is written back at most this often, so that reads do not each cost a write. */
const TOUCH_EVERY_MS = 60_000;

export function createAuthService(deps: {
  db: Db; config: Config; keys: KeyRing; hasher: PasswordHasher; audit: AuditService; clock: Clock;
}) {
  const { db, config, keys, hasher, audit, clock } = deps;
  const idleMs = config.sessionIdleMinutes * 60_000;

  const actorOf = (u: UserWithOrg, ctx: RequestContext, sessionId: string | null = null) =>
    userActor({ id: u.id, username: u.username, organizationId: u.organizationId, organizationKind: u.organizationKind as OrgKind, areaPath: u.areaPath, roles: u.roles as Role[] }, { ...ctx, sessionId });

  /**
   * Password sign-in with lock-out per account name *and* address: N failures from one address pause that
   * address for M minutes, whatever is typed; a ceiling over every address locks the account itself.
   * An unknown name is counted and answered exactly like a real one, locked or not.
   */
  async function login(username: string, password: string, ctx: RequestContext) {
    const now = clock.now();
    const name = username.trim().toLowerCase();
    const key = { nameHash: repo.loginNameHash(keys, name), addressHash: keys.tokenHash(`login-address:${ctx.ip ?? ''}`) };
    const user = await findUserForLogin(db, name);
    const anonymous: Actor = { ...systemActor(username.slice(0, 64)), kind: 'user', permissions: new Set(), roles: [], ...ctx };
    const who = user ? actorOf(user, ctx) : anonymous;
    const at = user ? { areaPath: user.areaPath, organizationId: user.organizationId, targetType: 'user', targetId: user.id } : {};
    const unknown = user ? {} : { username: username.slice(0, 64) };

    const pair = await repo.findThrottle(db, key.nameHash, key.addressHash);
    const lockedUntil = [pair?.lockedUntil, user?.lockedUntil].filter((d): d is Date => Boolean(d && d > now)).sort((a, b) => b.getTime() - a.getTime())[0];
    if (lockedUntil) {
      await audit.record(who, { ...at, action: 'auth.login_failed', detail: { ...unknown, reason: 'locked' } });
      throw new AppError('AUTH_ACCOUNT_LOCKED', { until: lockedUntil.toISOString() });
    }
    const ok = await hasher.verify(user?.passwordHash ?? '', password); // same cost for an unknown name: no enumeration by timing
    if (!user || !ok) {
      const window = { now, windowStart: new Date(now.getTime() - config.loginLockMinutes * 60_000), lockUntil: new Date(now.getTime() + config.loginLockMinutes * 60_000) };
      const locked = await db.transaction(async (tx) => {
        const here = await repo.countFailure(tx, key, { ...window, max: config.loginMaxFailures });
        let account: Date | null = null;
        if (user) {
          const all = await repo.countFailure(tx, { nameHash: key.nameHash, addressHash: repo.ALL_ADDRESSES }, { ...window, max: config.loginAccountMaxFailures });
          if (all.lockedUntil && all.lockedUntil > now) {
            account = all.lockedUntil;
            await updateUser(tx, user.id, { failedLogins: all.failures, lockedUntil: account });
          }
        }
        const until = account ?? (here.lockedUntil && here.lockedUntil > now ? here.lockedUntil : null);
        const reason = user ? 'bad_password' : 'unknown_user';
        await audit.record(who, { ...at, action: account ? 'auth.locked' : 'auth.login_failed', detail: { ...unknown, reason, failures: here.failures, ...(until && !account ? { addressPaused: true } : {}) } }, tx);
        return until;
      });
      if (locked) throw new AppError('AUTH_ACCOUNT_LOCKED', { until: locked.toISOString() });
      throw new AppError('AUTH_INVALID_CREDENTIALS');
    }
    if (user.disabled) {
      await audit.record(who, { ...at, action: 'auth.login_failed', detail: { reason: 'disabled' } });
      throw new AppError('AUTH_ACCOUNT_DISABLED');
    }
    const sessionId = crypto.randomBytes(32).toString('base64url');
    const csrfToken = crypto.randomBytes(24).toString('base64url');
    await db.transaction(async (tx) => {
      await repo.insertSession(tx, {
        idHash: keys.tokenHash(sessionId), userId: user.id, csrfToken, createdAt: now, lastSeenAt: now,
        expiresAt: new Date(now.getTime() + config.sessionMaxHours * 3_600_000), ip: ctx.ip, userAgent: ctx.userAgent?.slice(0, 300) ?? null,
      });
      await updateUser(tx, user.id, { lastLoginAt: now });
      await repo.clearThrottle(tx, key.nameHash, key.addressHash); // this address starts afresh; the account's ceiling keeps counting
      await audit.record(who, { ...at, action: 'auth.login' }, tx);
    });
    return { sessionId, csrfToken, actor: actorOf(user, ctx, sessionId) };
  }

  /** Resolves a session cookie; idle sessions expire (and say so), absolute expiry caps every session. */
  async function authenticateSession(sessionId: string, ctx: RequestContext): Promise<{ actor: Actor; csrfToken: string }> {
    const now = clock.now();
    const idHash = keys.tokenHash(sessionId);
    const found = await findSessionUser(db, idHash);
    if (!found || found.session.revokedAt) throw new AppError('UNAUTHENTICATED');
    const { session: s, user } = found;
    if (s.expiresAt <= now || now.getTime() - s.lastSeenAt.getTime() > idleMs) {
      await repo.revokeSession(db, idHash, now);
      throw new AppError('AUTH_SESSION_EXPIRED');
    }
    if (user.disabled) throw new AppError('UNAUTHENTICATED');
    if (now.getTime() - s.lastSeenAt.getTime() > TOUCH_EVERY_MS) await repo.touchSession(db, idHash, now);
    return { actor: actorOf(user, ctx, idHash), csrfToken: s.csrfToken };
  }

  const tokenCache = credentialCache<Awaited<ReturnType<typeof findTokenUser>>>(config.authCacheSeconds * 1000, () => clock.now().getTime());

  async function authenticateToken(token: string, ctx: RequestContext): Promise<Actor> {
    const now = clock.now();
    const hash = keys.tokenHash(token);
    const found = await tokenCache.get(hash, () => findTokenUser(db, hash));
    if (!found) throw new AppError('UNAUTHENTICATED');
    const { token: t, user } = found;
    if (t.revokedAt || (t.expiresAt && t.expiresAt <= now) || user.disabled) throw new AppError('UNAUTHENTICATED');
    if (!t.lastUsedAt || now.getTime() - t.lastUsedAt.getTime() > TOUCH_EVERY_MS) {
      t.lastUsedAt = now; // the cached copy too: one write per minute, not one per request until the cache expires
      await repo.touchApiToken(db, t.id, now);
    }
    return actorOf(user, ctx);
  }

  async function logout(actor: Actor) {
    if (!actor.sessionId) return;
    await db.transaction(async (tx) => {
      await repo.revokeSession(tx, actor.sessionId!, clock.now());
      await audit.record(actor, { action: 'auth.logout', targetType: 'user', targetId: actor.userId }, tx);
    });
  }

  async function changePassword(actor: Actor, current: string, next: string) {
    const user = actor.userId ? await findUserWithOrg(db, actor.userId) : undefined;
    if (!user) throw new AppError('UNAUTHENTICATED');
    if (!(await hasher.verify(user.passwordHash, current))) throw new AppError('AUTH_INVALID_CREDENTIALS');
    if (!isStrongPassword(next)) throw new AppError('PASSWORD_TOO_WEAK', { min: MIN_PASSWORD });
    const passwordHash = await hasher.hash(next);
    await db.transaction(async (tx) => {
      await updateUser(tx, user.id, { passwordHash, passwordChangedAt: clock.now() });
      await revokeSessionsOf(tx, user.id); // every other session ends; the console signs in again
      await audit.record(actor, { action: 'auth.change_password', targetType: 'user', targetId: user.id, areaPath: user.areaPath }, tx);
    });
  }

  /** Housekeeping: sessions that ended or expired more than 30 days ago (the audit log keeps the sign-ins). */
  const purgeOldSessions = async () => {
    const n = await repo.deleteOldSessions(db, new Date(clock.now().getTime() - 30 * 86_400_000));
    await repo.deleteOldThrottles(db, new Date(clock.now().getTime() - 86_400_000));
    return n;
  };

  return { login, authenticateSession, authenticateToken, logout, changePassword, purgeOldSessions };
}
export type AuthService = ReturnType<typeof createAuthService>;
