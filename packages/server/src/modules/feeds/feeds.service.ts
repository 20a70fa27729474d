/**
 * Inbound feeds, administered: an administrator connects a platform (its kind, the integration account its cases
 * are filed as, a default category, a status callback), gets its signing secret once, rotates it, switches it off,
 * and registers a device platform's devices to places. Receiving is inbound.ts; status back is feeds.topics.ts.
 */
import type { DeviceKind, FeedKind, FeedSourceCreate, FeedSourceUpdate, FeedDeviceCreate, FeedDeviceUpdate } from '@fengqiao/contracts';
import type { Static } from 'typebox';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { authorize, type Actor } from '../../access/actor.ts';
import { assertWithin, visibleTo } from '../../access/scope.ts';
import { feedSources, users } from '../../db/schema.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { checkOutboundUrl } from '../../lib/outbound-url.ts';
import { iso, isoRequired } from '../../lib/paging.ts';
import type { KeyRing } from '../../lib/personal-data.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { CategoryService } from '../categories/categories.service.ts';
import { findUser, findUserWithOrg } from '../users/users.repository.ts';
import { findPlaceWithArea } from '../registry/registry.repository.ts';
import * as repo from './feeds.repository.ts';
import { SECRET_FIELD } from './messages.ts';
import { newSecret } from './signature.ts';

type SourceListRow = Awaited<ReturnType<typeof repo.listSources>>[number];

function presentSource(r: SourceListRow) {
  const s = r.s;
  return {
    id: s.id, kind: s.kind as FeedKind, name: s.name, userId: s.userId, username: r.username,
    organization: { id: s.organizationId, name: r.organizationName }, defaultCategoryId: s.defaultCategoryId, callbackUrl: s.callbackUrl,
    alarmWindowMinutes: s.alarmWindowMinutes, active: s.active, createdAt: isoRequired(s.createdAt),
    endpoint: `/api/v1/feeds/${s.id}/messages`, messages: r.messages, lastMessageAt: iso(r.lastMessageAt),
  };
}

function presentDevice(r: NonNullable<Awaited<ReturnType<typeof repo.findDevice>>>) {
  const d = r.d;
  return {
    id: d.id, sourceId: d.sourceId, code: d.code, kind: d.kind as DeviceKind, name: d.name, place: { id: d.placeId, code: r.placeCode, name: r.placeName },
    areaId: d.areaId, categoryId: d.categoryId, openCaseId: d.openCaseId, lastAlarmAt: iso(d.lastAlarmAt), alarmCount: d.alarmCount, active: d.active,
  };
}

export function createFeedService(deps: { db: Db; keys: KeyRing; audit: AuditService; categories: CategoryService; changed?: (sourceId: string) => void }) {
  const { db, keys, audit } = deps;
  const scope = (actor: Actor) => visibleTo(actor, { areaPath: feedSources.areaPath, organizationId: feedSources.organizationId });

  async function shown(actor: Actor, id: string) {
    const [found] = await repo.listSources(db, and(scope(actor), eq(feedSources.id, id))!);
    if (!found) throw notFound('resource');
    return presentSource(found);
  }

  async function sourceOf(actor: Actor, id: string) {
    authorize(actor, 'token.manage');
    const s = await repo.findSource(db, id, scope(actor));
    if (!s) throw notFound('resource');
    return s;
  }

  /** A default category must be a category cases are filed under; police and petitions hand over disputes. */
  async function checkCategory(kind: string, id: number | null | undefined) {
    if (id === undefined || id === null) return;
    const all = await deps.categories.list();
    const c = all.find((x) => x.id === id);
    if (!c || !c.active || all.some((x) => x.parentId === id)) throw notFound('category');
    if ((kind === 'police' || kind === 'petition') && c.caseType !== 'dispute') {
      throw new AppError('VALIDATION_FAILED', { detail: 'defaultCategoryId: police and petition hand-overs are disputes; choose a dispute category' });
    }
  }

  async function list(actor: Actor) {
    authorize(actor, 'token.manage');
    return { items: (await repo.listSources(db, scope(actor))).map(presentSource) };
  }

  async function create(actor: Actor, input: Static<typeof FeedSourceCreate>) {
    authorize(actor, 'token.manage');
    const owner = await findUser(db, visibleTo(actor, { areaPath: users.areaPath, organizationId: users.organizationId }), input.userId);
    const account = owner ? await findUserWithOrg(db, owner.id) : undefined;
    if (!account) throw notFound('user');
    if (!account.roles.includes('integration') || account.disabled) {
      throw new AppError('FEED_ACCOUNT_INVALID', { detail: 'userId: choose an active account with the integration role (系统对接)' });
    }
    await checkCategory(input.kind, input.defaultCategoryId);
    if (input.callbackUrl) checkOutboundUrl(input.callbackUrl, 'callbackUrl');
    const secret = newSecret();
    const row = await db.transaction(async (tx) => {
      const r = await repo.insertSource(tx, {
        kind: input.kind, name: input.name.trim(), userId: account.id, organizationId: account.organizationId, areaPath: account.areaPath,
        secretEnc: keys.encrypt(SECRET_FIELD, secret), defaultCategoryId: input.defaultCategoryId ?? null, callbackUrl: input.callbackUrl ?? null,
        alarmWindowMinutes: input.alarmWindowMinutes ?? 60, createdBy: actor.userId,
      });
      await audit.record(actor, { action: 'feed.create', targetType: 'feed_source', targetId: r.id, areaPath: r.areaPath, organizationId: r.organizationId, detail: { kind: r.kind, name: r.name } }, tx);
      return r;
    });
    return { source: await shown(actor, row.id), secret };
  }

  async function update(actor: Actor, id: string, patch: Static<typeof FeedSourceUpdate>) {
    const s = await sourceOf(actor, id);
    await checkCategory(s.kind, patch.defaultCategoryId);
    if (patch.callbackUrl) checkOutboundUrl(patch.callbackUrl, 'callbackUrl');
    await db.transaction(async (tx) => {
      await repo.updateSource(tx, s.id, {
        ...(patch.name !== undefined ? { name: patch.name.trim() } : {}), ...(patch.defaultCategoryId !== undefined ? { defaultCategoryId: patch.defaultCategoryId } : {}),
        ...(patch.callbackUrl !== undefined ? { callbackUrl: patch.callbackUrl } : {}), ...(patch.alarmWindowMinutes !== undefined ? { alarmWindowMinutes: patch.alarmWindowMinutes } : {}),
        ...(patch.active !== undefined ? { active: patch.active } : {}),
      });
      await audit.record(actor, { action: 'feed.update', targetType: 'feed_source', targetId: s.id, areaPath: s.areaPath, organizationId: s.organizationId, detail: { fields: Object.keys(patch) } }, tx);
    });
    deps.changed?.(s.id);
    return shown(actor, s.id);
  }

  async function rotateSecret(actor: Actor, id: string) {
    const s = await sourceOf(actor, id);
    const secret = newSecret();
    await db.transaction(async (tx) => {
      await repo.updateSource(tx, s.id, { secretEnc: keys.encrypt(SECRET_FIELD, secret) });
      await audit.record(actor, { action: 'feed.rotate_secret', targetType: 'feed_source', targetId: s.id, areaPath: s.areaPath, organizationId: s.organizationId }, tx);
    });
    deps.changed?.(s.id);
    return { source: await shown(actor, s.id), secret };
  }

  async function deviceSource(actor: Actor, id: string) {
    const s = await sourceOf(actor, id);
    if (s.kind !== 'iot') throw new AppError('VALIDATION_FAILED', { detail: 'devices belong to a device platform (kind iot)' });
    return s;
  }

  /** The place a device hangs at, inside the platform's jurisdiction; the category its alarms are filed under. */
  async function placeFor(s: repo.SourceRow, code: string) {
    const found = await findPlaceWithArea(db, code.trim());
    if (!found) throw notFound('resource');
    if (!found.area.path.startsWith(s.areaPath)) throw new AppError('OUT_OF_SCOPE');
    return found;
  }

  async function listDevices(actor: Actor, id: string) {
    const s = await deviceSource(actor, id);
    return { items: (await repo.listDevices(db, s.id)).map(presentDevice) };
  }

  async function createDevice(actor: Actor, id: string, input: Static<typeof FeedDeviceCreate>) {
    const s = await deviceSource(actor, id);
    const { place, area } = await placeFor(s, input.placeCode);
    await checkCategory('iot', input.categoryId);
    const row = await db.transaction(async (tx) => {
      const d = await repo.insertDevice(tx, {
        sourceId: s.id, code: input.code, kind: input.kind, name: input.name.trim(), placeId: place.id, areaId: area.id, areaPath: area.path, categoryId: input.categoryId,
      }).catch((e: unknown) => {
        if (/feed_devices_code_key/.test(String((e as { constraint?: string }).constraint ?? (e as Error).message))) throw new AppError('CONFLICT');
        throw e;
      });
      await audit.record(actor, { action: 'feed.device_create', targetType: 'feed_device', targetId: d.id, areaPath: area.path, organizationId: s.organizationId, detail: { code: d.code, kind: d.kind } }, tx);
      return d;
    });
    return presentDevice((await repo.findDevice(db, s.id, row.id))!);
  }

  async function updateDevice(actor: Actor, id: string, deviceId: string, patch: Static<typeof FeedDeviceUpdate>) {
    const s = await deviceSource(actor, id);
    const d = await repo.findDevice(db, s.id, deviceId);
    if (!d) throw notFound('resource');
    const moved = patch.placeCode !== undefined ? await placeFor(s, patch.placeCode) : undefined;
    if (patch.categoryId !== undefined) await checkCategory('iot', patch.categoryId);
    assertWithin(actor, { areaPath: d.d.areaPath });
    await db.transaction(async (tx) => {
      await repo.updateDevice(tx, d.d.id, {
        ...(patch.name !== undefined ? { name: patch.name.trim() } : {}), ...(patch.categoryId !== undefined ? { categoryId: patch.categoryId } : {}),
        ...(patch.active !== undefined ? { active: patch.active } : {}),
        ...(moved ? { placeId: moved.place.id, areaId: moved.area.id, areaPath: moved.area.path } : {}),
      });
      await audit.record(actor, { action: 'feed.device_update', targetType: 'feed_device', targetId: d.d.id, areaPath: (moved?.area.path ?? d.d.areaPath), organizationId: s.organizationId, detail: { fields: Object.keys(patch) } }, tx);
    });
    return presentDevice((await repo.findDevice(db, s.id, d.d.id))!);
  }

  return { list, create, update, rotateSecret, listDevices, createDevice, updateDevice };
}
export type FeedService = ReturnType<typeof createFeedService>;
