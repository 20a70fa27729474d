import { maskPhone, type Role } from '@fengqiao/contracts';
import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/database.ts';
import { organizations, users } from '../../db/schema.ts';
import { authorize, type Actor } from '../../access/actor.ts';
import { assertWithin, visibleTo } from '../../access/scope.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { credentialsChanged } from '../../lib/credential-cache.ts';
import { decodeCursor, isoRequired, pageOf } from '../../lib/paging.ts';
import type { KeyRing } from '../../lib/personal-data.ts';
import type { PasswordHasher } from '../../lib/passwords.ts';
import type { Clock } from '../../lib/clock.ts';
import { isStrongPassword, MIN_PASSWORD } from '../../config.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { findOrganization } from '../organizations/organizations.repository.ts';
import * as repo from './users.repository.ts';
import { clearThrottle, loginNameHash } from '../auth/auth.repository.ts';

const scopeOf = (actor: Actor) => visibleTo(actor, { areaPath: users.areaPath, organizationId: users.organizationId });
const orgScopeOf = (actor: Actor) => visibleTo(actor, { areaPath: organizations.areaPath, organizationId: organizations.id });

/** Field names bound into the ciphertexts (additional authenticated data) and the blind index. */
export const USER_FIELDS = { displayName: 'users.display_name', phone: 'users.phone' } as const;

export function createUserService(deps: { db: Db; audit: AuditService; keys: KeyRing; hasher: PasswordHasher; clock: Clock }) {
  const { db, audit, keys, hasher, clock } = deps;

  function checkPassword(pw: string) {
    if (!isStrongPassword(pw)) throw new AppError('PASSWORD_TOO_WEAK', { min: MIN_PASSWORD });
  }

  /** Reading a user: `user.read` within scope, or oneself. */
  async function load(actor: Actor, id: string) {
    if (actor.userId !== id) authorize(actor, 'user.read');
    const row = await repo.findUser(db, actor.userId === id ? sql`true` : scopeOf(actor), id);
    if (!row) throw notFound('user');
    return row;
  }

  async function get(actor: Actor, id: string) {
    return present(actor, await load(actor, id));
  }

  async function list(actor: Actor, q: { organizationId?: number; role?: string; q?: string; phone?: string; limit?: number; cursor?: string }) {
    authorize(actor, 'user.read');
    const limit = q.limit ?? 50;
    const rows = await repo.listUsers(db, scopeOf(actor), {
      organizationId: q.organizationId, role: q.role, q: q.q,
      phoneBidx: q.phone ? keys.blindIndexes(USER_FIELDS.phone, q.phone) : undefined,
      afterUsername: decodeCursor<string>(q.cursor, 'string'), limit: limit + 1,
    });
    const page = pageOf(rows, limit, (r) => r.username);
    return { items: page.items.map((r) => present(actor, r)), nextCursor: page.nextCursor };
  }

  async function create(actor: Actor, input: {
    username: string; displayName: string; organizationId: number; roles: Role[]; phone?: string | null; password: string; locale?: string;
  }) {
    authorize(actor, 'user.write');
    checkPassword(input.password);
    const passwordHash = await hasher.hash(input.password); // outside the transaction: it is slow on purpose
    return db.transaction(async (tx) => {
      const org = await findOrganization(tx, orgScopeOf(actor), input.organizationId);
      if (!org) throw notFound('organization');
      assertWithin(actor, { areaPath: org.areaPath, organizationId: org.id });
      if (await repo.usernameExists(tx, input.username)) throw new AppError('USERNAME_TAKEN', { username: input.username });
      const row = await repo.insertUser(tx, {
        username: input.username,
        displayNameEnc: keys.encrypt(USER_FIELDS.displayName, input.displayName),
        phoneEnc: input.phone ? keys.encrypt(USER_FIELDS.phone, input.phone) : null,
        phoneBidx: input.phone ? keys.blindIndex(USER_FIELDS.phone, input.phone) : null,
        organizationId: org.id, areaPath: org.areaPath, roles: input.roles, passwordHash, locale: input.locale ?? 'zh-CN',
      });
      await audit.record(actor, { action: 'user.create', targetType: 'user', targetId: row.id, areaPath: row.areaPath, organizationId: row.organizationId, detail: { username: row.username, roles: row.roles } }, tx);
      return present(actor, row);
    });
  }

  /** Loads a user inside a transaction for a change, checking scope and that nobody locks themselves out. */
  async function loadForChange(tx: Tx, actor: Actor, id: string) {
    authorize(actor, 'user.write');
    const row = await repo.findUser(tx, scopeOf(actor), id);
    if (!row) throw notFound('user');
    assertWithin(actor, { areaPath: row.areaPath, organizationId: row.organizationId });
    return row;
  }

  async function update(actor: Actor, id: string, input: { displayName?: string; roles?: Role[]; phone?: string | null; disabled?: boolean; locale?: string }) {
    try {
      return await updateInTx(actor, id, input);
    } finally {
      credentialsChanged(); // roles and the disabled flag travel with every cached token of the account
    }
  }

  async function updateInTx(actor: Actor, id: string, input: { displayName?: string; roles?: Role[]; phone?: string | null; disabled?: boolean; locale?: string }) {
    return db.transaction(async (tx) => {
      const row = await loadForChange(tx, actor, id);
      if (actor.userId === id && (input.disabled === true || (input.roles && !input.roles.includes('admin')))) {
        throw new AppError('FORBIDDEN'); // an administrator cannot disable or demote themselves
      }
      const patch: Partial<typeof users.$inferInsert> = {};
      if (input.displayName !== undefined) patch.displayNameEnc = keys.encrypt(USER_FIELDS.displayName, input.displayName);
      if (input.phone !== undefined) {
        patch.phoneEnc = input.phone ? keys.encrypt(USER_FIELDS.phone, input.phone) : null;
        patch.phoneBidx = input.phone ? keys.blindIndex(USER_FIELDS.phone, input.phone) : null;
      }
      if (input.roles) patch.roles = input.roles;
      if (input.disabled !== undefined) patch.disabled = input.disabled;
      if (input.locale) patch.locale = input.locale;
      const updated = await repo.updateUser(tx, id, patch);
      if (input.disabled) await repo.revokeSessionsOf(tx, id);
      await audit.record(actor, {
        action: 'user.update', targetType: 'user', targetId: id, areaPath: row.areaPath, organizationId: row.organizationId,
        detail: { fields: Object.keys(input), roles: input.roles, disabled: input.disabled }, // never the personal values
      }, tx);
      return present(actor, updated);
    });
  }

  async function resetPassword(actor: Actor, id: string, password: string) {
    checkPassword(password);
    const passwordHash = await hasher.hash(password);
    await db.transaction(async (tx) => {
      const row = await loadForChange(tx, actor, id);
      await repo.updateUser(tx, id, { passwordHash, passwordChangedAt: clock.now(), failedLogins: 0, lockedUntil: null });
      await clearThrottle(tx, loginNameHash(keys, row.username));
      await repo.revokeSessionsOf(tx, id);
      await audit.record(actor, { action: 'user.reset_password', targetType: 'user', targetId: id, areaPath: row.areaPath, organizationId: row.organizationId }, tx);
    });
  }

  async function unlock(actor: Actor, id: string) {
    return db.transaction(async (tx) => {
      const row = await loadForChange(tx, actor, id);
      const updated = await repo.updateUser(tx, id, { failedLogins: 0, lockedUntil: null });
      await clearThrottle(tx, loginNameHash(keys, row.username)); // every address paused for this account, too
      await audit.record(actor, { action: 'user.unlock', targetType: 'user', targetId: id, areaPath: row.areaPath, organizationId: row.organizationId }, tx);
      return present(actor, updated);
    });
  }

  /** Shows one personal field in clear, once, to someone allowed to see it and who says why; always audited. */
  async function unmask(actor: Actor, id: string, field: 'phone' | 'displayName', reason: string) {
    authorize(actor, 'personal_data.unmask');
    if (!reason.trim()) throw new AppError('REASON_REQUIRED');
    const row = await load(actor, id);
    const enc = field === 'phone' ? row.phoneEnc : row.displayNameEnc;
    const value = enc ? keys.decrypt(USER_FIELDS[field], enc) : null;
    const auditId = await audit.record(actor, {
      action: 'personal_data.unmask', targetType: 'user', targetId: id, areaPath: row.areaPath, organizationId: row.organizationId,
      detail: { field, reason: reason.trim() },
    });
    return { field, value, auditId };
  }

  /**
   * A colleague's name is shown as it is (staff names are not a resident's personal data); a phone in full to
   * oneself only, masked to everyone else (revealed with a reason, audited).
   */
  function present(actor: Actor, r: repo.UserRow) {
    const phone = r.phoneEnc ? keys.decrypt(USER_FIELDS.phone, r.phoneEnc) : null;
    const fullPhone = actor.userId === r.id;
    return {
      id: r.id, username: r.username, displayName: keys.decrypt(USER_FIELDS.displayName, r.displayNameEnc),
      organizationId: r.organizationId, areaPath: r.areaPath, roles: r.roles as Role[], phone: phone && !fullPhone ? maskPhone(phone) : phone,
      locale: r.locale, disabled: r.disabled, locked: Boolean(r.lockedUntil && r.lockedUntil > clock.now()),
      createdAt: isoRequired(r.createdAt), updatedAt: isoRequired(r.updatedAt),
    };
  }

  return { get, list, create, update, resetPassword, unlock, unmask, present };
}
export type UserService = ReturnType<typeof createUserService>;
