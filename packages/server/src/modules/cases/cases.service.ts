import crypto from 'node:crypto';
import { and, eq, gte, inArray, isNotNull, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import gcoordModule from 'gcoord';
import type { GridLocator } from '../registry/grid-index.ts';
import {
  maskName, maskPhone, OpenStatuses, Queues, type CaseAction, type CaseStatus, type Channel, type Queue, type Tier, type VisitResult,
} from '@fengqiao/contracts';
import type { Db, Executor, Tx } from '../../db/database.ts';
import { authorize, systemActor, type Actor } from '../../access/actor.ts';
import { areasVisibleTo, casesVisibleTo, underPath } from '../../access/scope.ts';
import { areas, cases } from '../../db/schema.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { decodeCursor, encodeCursor, iso, isoRequired } from '../../lib/paging.ts';
import type { Clock } from '../../lib/clock.ts';
import type { KeyRing } from '../../lib/personal-data.ts';
import type { CalendarService } from '../calendar/calendar.service.ts';
import { addDuration, addWorkingDays, chinaDay, shiftForPause, type WorkCalendar } from '../calendar/working-time.ts';
import type { CategoryService } from '../categories/categories.service.ts';
import type { AttachmentService } from '../attachments/attachments.service.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { Attachment } from '@fengqiao/contracts';
import { enqueue, type OutboxMessage } from '../outbox/outbox.ts';
import { createIntakeWriter } from './intake-writer.ts';
import { clockState, policyFor, SOON_MS, type ClockName, type Policy } from './deadlines.ts';
import { allowedActions, judge, type CaseFacts } from './state-machine.ts';
import * as repo from './cases.repository.ts';

// gcoord is CommonJS: at run time the default import is its exports object; its typings describe an ES default.
const gcoord = ((gcoordModule as unknown as { default?: unknown }).default ?? gcoordModule) as unknown as {
  transform(p: [number, number], from: string, to: string): [number, number]; GCJ02: string; BD09: string; WGS84: string;
};

export const CASE_FIELDS = { reporterName: 'cases.reporter_name', reporterPhone: 'cases.reporter_phone', trackingSecret: 'cases.tracking_secret' } as const;

/** Tier → the area level whose center owns the case (Baiyin's rule; configurable). */
export const DEFAULT_TIER_LEVELS: Record<Tier, string> = { general: 'village', major: 'township', difficult: 'county', cross_region: 'city' };
const LEVEL_DEPTH: Record<string, number> = { city: 0, county: 1, township: 2, village: 3, grid: 4 };

export interface CaseServiceOptions { tierLevels?: Record<Tier, string>; maxReturns?: number }
type Input = Record<string, unknown> & { version: number };

export interface IntakeInput {
  channel: Channel; areaId?: number; placeCode?: string; categoryId: number; description: string; peopleInvolved?: number; attachmentIds?: string[];
  address?: string; location?: { lon: number; lat: number; crs?: 'wgs84' | 'gcj02' | 'bd09' };
  reporter?: { name?: string; phone?: string }; anonymous?: boolean;
}

// A case has some fifty columns. V8 keeps an object built as one literal, or copied from one, on its fast
// paths; an object built key by key (`out[k] = v`) becomes a dictionary, and copying or serialising it costs
// tens of µs (measured) — on intake's path that was a tenth of the server's time.

/** The patch as JSON holds it: dates as ISO strings. A patch without dates is returned as it is. */
function jsonPatch(p: repo.CasePatch): Record<string, unknown> {
  let out: Record<string, unknown> | null = null;
  for (const k in p) {
    const v = (p as Record<string, unknown>)[k];
    if (v instanceof Date) { out ??= { ...p }; out[k] = v.toISOString(); }
  }
  return out ?? p;
}
/** The columns the events describe: everything but identity, bookkeeping and secrets. */
export function snapshotOf(row: repo.CaseRow): repo.CasePatch {
  const { id: _id, version: _version, createdAt: _createdAt, updatedAt: _updatedAt, idempotencyKey: _key, trackingSecretEnc: _secret, number: _number, ...rest } = row;
  return rest;
}

/** Ciphertexts and blind indexes stay in the database: an event's patch as the API shows it leaves them out. */
function shownPayload(payload: Record<string, unknown>): Record<string, unknown> {
  const patch = payload.patch as Record<string, unknown> | undefined;
  if (!patch || !('reporterNameEnc' in patch || 'reporterPhoneEnc' in patch || 'reporterPhoneBidx' in patch)) return payload;
  const { reporterNameEnc: _name, reporterPhoneEnc: _phone, reporterPhoneBidx: _index, ...shown } = patch;
  return { ...payload, patch: shown };
}

/** What intake decides about a new case; every other column starts at its initial value. */
type IntakeColumns = Pick<repo.CaseRow, 'caseType' | 'channel' | 'status' | 'categoryId' | 'areaId' | 'areaPath' | 'owningOrgId' | 'description'
  | 'peopleInvolved' | 'address' | 'lon' | 'lat' | 'reporterNameEnc' | 'reporterPhoneEnc' | 'reporterPhoneBidx' | 'anonymous' | 'trackingSecretEnc'
  | 'idempotencyKey' | 'createdBy' | 'createdAt'>;

/** A new case with every column given (the number is drawn when it is written), as one object literal. */
export function newCaseRow(v: IntakeColumns, id: string): repo.CaseRow {
  return {
    id, number: '', version: 1, caseType: v.caseType, channel: v.channel, status: v.status, tier: null, categoryId: v.categoryId, areaId: v.areaId,
    areaPath: v.areaPath, owningOrgId: v.owningOrgId, assigneeOrgId: null, dispatchOrgId: null, coHandlerOrgIds: [], description: v.description,
    peopleInvolved: v.peopleInvolved, address: v.address, lon: v.lon, lat: v.lat, reporterNameEnc: v.reporterNameEnc, reporterPhoneEnc: v.reporterPhoneEnc,
    reporterPhoneBidx: v.reporterPhoneBidx, anonymous: v.anonymous, trackingSecretEnc: v.trackingSecretEnc, idempotencyKey: v.idempotencyKey,
    createdBy: v.createdBy, returnCount: 0, reopenCount: 0, finalAssignment: false, resumeStatus: null, suspendedAt: null, leaderUserId: null,
    supervisionLevel: null, supervisionDueAt: null, extensionRequest: null, mergedIntoId: null, acceptedAt: null, contactDueAt: null, contactedAt: null,
    handleDueAt: null, repliedAt: null, replyDueAt: null, resultText: null, visitResult: null, closedAt: null, warnings: [],
    createdAt: v.createdAt, updatedAt: v.createdAt,
  };
}
/** Rebuilds a case's state from its events (tests check it always equals the row). */
export function replayEvents(events: { payload: Record<string, unknown> }[]): Record<string, unknown> {
  return events.reduce<Record<string, unknown>>((state, e) => Object.assign(state, e.payload.patch as Record<string, unknown>), {});
}
export const caseStateJson = (row: repo.CaseRow) => jsonPatch(snapshotOf(row));
const dropWarnings = (warnings: string[], clocks: ClockName[]) => warnings.filter((w) => !clocks.some((c) => w.startsWith(`${c}_`)));

export function createCaseService(deps: {
  db: Db; keys: KeyRing; clock: Clock; calendar: CalendarService; categories: CategoryService; attachments: AttachmentService; audit: AuditService; grids?: GridLocator; options?: CaseServiceOptions;
}) {
  const { db, keys, clock } = deps;
  const tierLevels = deps.options?.tierLevels ?? DEFAULT_TIER_LEVELS;
  const maxReturns = deps.options?.maxReturns ?? 2;
  const visible = (actor: Actor) => casesVisibleTo(actor, cases);
  const writer = createIntakeWriter(db);

  /** Small read-through caches for what intake reads every time and administrators rarely change. */
  function ttlCache<K, V>(ttlMs: number) {
    const m = new Map<K, { v: V; at: number }>();
    return async (k: K, load: () => Promise<V>): Promise<V> => {
      const hit = m.get(k);
      if (hit && Date.now() - hit.at < ttlMs) return hit.v;
      const v = await load();
      if (m.size > 10_000) m.clear();
      m.set(k, { v, at: Date.now() });
      return v;
    };
  }
  const numberPrefixCache = ttlCache<string, string>(5 * 60_000);
  const orgCache = ttlCache<number, Awaited<ReturnType<typeof repo.findOrgWithLevel>>>(60_000);
  const visibleAreaCache = ttlCache<string, typeof areas.$inferSelect | undefined>(30_000);

  /**
   * Intake without attachments: the intake writer puts the case, its first event and its outbox row in one
   * statement, together with the reports that arrived meanwhile (intake-writer.ts). The event's snapshot is
   * the row exactly as inserted: every column is given, none left to the database.
   */
  async function intakeInOneStatement(actor: Actor | null, columns: IntakeColumns, numberPrefix: string, ctx: {
    category: { name: string }; area: typeof areas.$inferSelect; owner: { id: number; name: string; areaPath: string }; description: string; now: Date;
    reporter: { name: string | null; phone: string | null }; trackingSecret: string;
  }) {
    const row = newCaseRow(columns, crypto.randomUUID());
    const actorName = actor?.username ?? 'reporter';
    // the writer makes the first event's patch from the row it sends, in the statement: the patch shown here is the same
    const patch = jsonPatch(snapshotOf(row));
    row.number = await writer.write({
      row,
      meta: {
        numberPrefix, eventAt: ctx.now, actorId: actor?.userId ?? null, actorName, actorOrgId: actor?.organizationId ?? null,
        notify: { kind: 'case_new', caseId: row.id, organizationIds: [ctx.owner.id], title: '新事项待受理 ', body: ctx.description.slice(0, 100) },
      },
    });
    return { row, created: true as const, withNames: named(row, ctx), actorName, attachments: [] as Attachment[], reporter: ctx.reporter, patch, trackingSecret: ctx.trackingSecret };
  }

  /** A new case with the names the response shows, all known at intake: no second read. */
  const named = (row: repo.CaseRow, ctx: { category: { name: string }; area: { name: string }; owner: { name: string; areaPath: string } }): repo.CaseWithNames =>
    Object.assign(row, {
      categoryName: ctx.category.name, areaName: ctx.area.name, owningOrgName: ctx.owner.name, owningOrgAreaPath: ctx.owner.areaPath,
      assigneeOrgName: null, dispatchOrgName: null,
    });
  /** A repeated Idempotency-Key: the first report's case, written before. */
  const alreadyThere = (row: repo.CaseRow) =>
    ({ row, created: false as const, withNames: undefined, actorName: '', attachments: [] as Attachment[], reporter: undefined, patch: undefined, trackingSecret: null });

  function facts(r: repo.CaseRow & { owningOrgAreaPath: string }): CaseFacts {
    return {
      status: r.status as CaseStatus, areaPath: r.areaPath, owningOrgId: r.owningOrgId, owningOrgAreaPath: r.owningOrgAreaPath, assigneeOrgId: r.assigneeOrgId,
      dispatchOrgId: r.dispatchOrgId, coHandlerOrgIds: r.coHandlerOrgIds, finalAssignment: r.finalAssignment,
      extensionRequest: r.extensionRequest ?? null, hasReporterPhone: r.reporterPhoneEnc !== null, contacted: r.contactedAt !== null,
      visitResult: r.visitResult,
    };
  }

  /* ─────────────── intake ─────────────── */

  /** The center that receives a report from an area: the nearest one at or above it, above grid level. */
  async function nearestCenter(tx: Executor, areaPath: string) {
    const centers = await repo.centersAbove(tx, areaPath);
    const c = centers.find((x) => x.level !== 'grid') ?? centers[0];
    if (!c) throw new AppError('CASE_NO_CENTER');
    return c;
  }

  /** The prefix of `<deepest official division code>-<YYYYMMDD>-<serial>`; the serial is drawn by the INSERT itself. */
  async function caseNumberPrefix(tx: Executor, areaPath: string, now: Date): Promise<string> {
    const code = await numberPrefixCache(areaPath, async () => {
      const onPath = await repo.areasOnPath(tx, areaPath);
      return onPath.find((a) => a.official && a.code)?.code ?? onPath[0]?.code ?? 'FQ';
    });
    return `${code}-${chinaDay(now).replaceAll('-', '')}-`;
  }

  /**
   * Registers a report. Staff intake (actor set) lands in the actor's own center when it covers the area;
   * public reports land in the nearest center. A repeated Idempotency-Key returns the first case instead of a second.
   */
  async function intake(actor: Actor | null, input: IntakeInput, idempotencyKey: string | null) {
    const now = clock.now();
    const key = idempotencyKey ? `${actor?.userId ?? 'public'}:${idempotencyKey.slice(0, 100)}` : null;
    if (key) {
      const existing = await repo.findCaseRow(db, eq(cases.idempotencyKey, key));
      if (existing) return alreadyThere(existing);
    }
    const category = await deps.categories.get(input.categoryId);
    if (!category || !category.active) throw notFound('category');

    // Reads and the case number come before the transaction, which then only writes.
    let area: typeof areas.$inferSelect | undefined;
    let placeAddress: string | null = null;
    let placePoint: [number, number] | null = null;
    if (actor) {
      const areaId = input.areaId;
      if (areaId === undefined) throw new AppError('VALIDATION_FAILED', { detail: 'areaId' });
      // the answer depends only on where the actor stands and which area: cached briefly (areas are rarely edited)
      area = await visibleAreaCache(`${actor.areaPath}|${actor.organizationKind ?? ''}|${actor.kind}|${areaId}`,
        async () => (await db.select().from(areas).where(and(areasVisibleTo(actor, areas.path), eq(areas.id, areaId))))[0]);
    } else if (input.placeCode) {
      // the QR code's place decides the area; it cannot be overridden (a grid's code serves where no place is registered)
      const found = await repo.findPlaceWithArea(db, input.placeCode.trim());
      if (found) {
        area = found.area;
        placeAddress = [found.place.name, found.place.address].filter(Boolean).join(' ');
        if (!input.location && found.place.lon !== null && found.place.lat !== null) placePoint = [found.place.lon, found.place.lat];
      } else {
        area = await repo.findAreaByCode(db, input.placeCode.trim());
      }
    } else if (input.areaId !== undefined) {
      area = await repo.findAreaById(db, input.areaId);
    } else {
      throw new AppError('VALIDATION_FAILED', { detail: 'placeCode or areaId' });
    }
    if (!area) throw notFound('area');

    let lon: number | null = placePoint?.[0] ?? null;
    let lat: number | null = placePoint?.[1] ?? null;
    if (input.location) {
      const crs = input.location.crs ?? 'wgs84';
      const [x, y] = crs === 'wgs84' ? [input.location.lon, input.location.lat]
        : gcoord.transform([input.location.lon, input.location.lat], crs === 'gcj02' ? gcoord.GCJ02 : gcoord.BD09, gcoord.WGS84) as [number, number];
      lon = Math.round(x * 1e7) / 1e7;
      lat = Math.round(y * 1e7) / 1e7;
      // a point inside a grid of the chosen area places the case in that grid
      if (area.level !== 'grid' && deps.grids) {
        const grid = await deps.grids.lookup(lon, lat, area.path);
        if (grid) area = (await repo.findAreaById(db, grid.id)) ?? area;
      }
    }
    const own = actor?.organizationId ? await orgCache(actor.organizationId, () => repo.findOrgWithLevel(db, actor.organizationId!)) : undefined;
    const owner = own && own.kind === 'center' && own.level !== 'grid' && area.path.startsWith(own.areaPath)
      ? own : await nearestCenter(db, area.path);
    const anonymous = Boolean(input.anonymous);
    const name = anonymous ? undefined : input.reporter?.name;
    const phone = input.reporter?.phone;
    const secret = crypto.randomBytes(9).toString('base64url');
    const numberPrefix = await caseNumberPrefix(db, area.path, now);
    const values = {
      caseType: category.caseType, channel: input.channel, status: 'pending_acceptance', tier: null,
      categoryId: category.id, areaId: area.id, areaPath: area.path, owningOrgId: owner.id,
      description: input.description.trim(), peopleInvolved: input.peopleInvolved ?? 1, address: input.address ?? placeAddress, lon, lat,
      reporterNameEnc: name ? keys.encrypt(CASE_FIELDS.reporterName, name) : null,
      reporterPhoneEnc: phone ? keys.encrypt(CASE_FIELDS.reporterPhone, phone) : null,
      reporterPhoneBidx: phone ? keys.blindIndex(CASE_FIELDS.reporterPhone, phone) : null,
      anonymous, trackingSecretEnc: keys.encrypt(CASE_FIELDS.trackingSecret, secret), idempotencyKey: key,
      createdBy: actor?.userId ?? null, createdAt: now,
    };

    try {
      if (!input.attachmentIds?.length) return await intakeInOneStatement(actor, values, numberPrefix, { category, area, owner, description: input.description, now, reporter: { name: name ?? null, phone: phone ?? null }, trackingSecret: secret });
      let linked: Attachment[] = [];
      const { row, patch } = await db.transaction(async (tx) => {
        const row = await repo.insertCase(tx, { ...values, number: repo.nextNumberSql(numberPrefix) });
        linked = await deps.attachments.link(tx, actor, input.attachmentIds ?? [], row.id, area.path, now);
        // the first event carries the whole initial state, so that the events alone rebuild the case
        const patch = jsonPatch(snapshotOf(row));
        const event = {
          caseId: row.id, seq: 1, at: now, actorId: actor?.userId ?? null, actorName: actor?.username ?? 'reporter',
          actorOrgId: actor?.organizationId ?? null, action: 'create', fromStatus: null, toStatus: 'pending_acceptance',
          payload: { patch, ...(linked.length ? { attachments: linked.map((a) => a.id) } : {}) },
        };
        await repo.insertEvent(tx, event);
        await enqueue(tx, [{ topic: 'notify', payload: { kind: 'case_new', caseId: row.id, organizationIds: [owner.id], title: `新事项待受理 ${row.number}`, body: input.description.slice(0, 100) } }]);
        return { row, patch };
      });
      return {
        row, created: true as const, withNames: named(row, { category, area, owner }), actorName: actor?.username ?? 'reporter', attachments: linked,
        reporter: { name: name ?? null, phone: phone ?? null }, patch, trackingSecret: secret,
      };
    } catch (e) {
      // two retries of one report racing: the loser returns the winner's case
      if (key && /idempotency/.test(String((e as { constraint?: string }).constraint ?? (e as Error).message))) {
        const existing = await repo.findCaseRow(db, eq(cases.idempotencyKey, key));
        if (existing) return alreadyThere(existing);
      }
      throw e;
    }
  }

  async function createByStaff(actor: Actor, input: IntakeInput, idempotencyKey: string | null) {
    if (!['intake', 'dispatcher', 'grid_worker', 'integration'].some((r) => actor.roles.includes(r as never)) && actor.kind !== 'system') {
      throw new AppError('FORBIDDEN');
    }
    const r = await intake(actor, input, idempotencyKey);
    // the receipt for the reporter: the number and the tracking secret (a retried request gets the same again)
    const receipt = { number: r.row.number, trackingSecret: r.trackingSecret ?? keys.decrypt(CASE_FIELDS.trackingSecret, r.row.trackingSecretEnc!) };
    if (!r.created) return { ...(await get(actor, r.row.id)), receipt };
    return {
      receipt,
      case: present(r.withNames, actor, clock.now(), r.reporter),
      timeline: [{
        seq: 1, at: isoRequired(r.row.createdAt), actorName: r.actorName, actorOrgId: actor.organizationId, action: 'create',
        fromStatus: null, toStatus: 'pending_acceptance' as CaseStatus, note: null,
        payload: shownPayload({ patch: r.patch, ...(r.attachments.length ? { attachments: r.attachments.map((a) => a.id) } : {}) }),
      }],
      attachments: r.attachments,
    };
  }

  async function createPublic(input: IntakeInput, idempotencyKey: string | null) {
    const { row, trackingSecret } = await intake(null, input, idempotencyKey);
    return { number: row.number, trackingSecret: trackingSecret ?? keys.decrypt(CASE_FIELDS.trackingSecret, row.trackingSecretEnc!), status: row.status as CaseStatus };
  }

  /* ─────────────── transitions ─────────────── */

  interface Effect { patch: repo.CasePatch; note?: string | null; messages?: OutboxMessage[]; payload?: Record<string, unknown> }
  interface Ctx { tx: Tx; actor: Actor; row: repo.CaseRow; input: Input; now: Date; cal: WorkCalendar; policy: () => Promise<Policy> }

  const notifyCase = (row: repo.CaseRow, kind: string, title: string, orgs: (number | null)[], body = ''): OutboxMessage =>
    ({ topic: 'notify', payload: { kind, caseId: row.id, organizationIds: [...new Set(orgs.filter((o): o is number => o !== null))], title: `${title} ${row.number}`, body } });
  const sms = (row: repo.CaseRow, template: 'accepted' | 'replied' | 'reopened'): OutboxMessage[] =>
    (row.reporterPhoneEnc ? [{ topic: 'sms', payload: { caseId: row.id, template, number: row.number } }] : []);

  async function validTarget(tx: Tx, ownerOrgId: number, targetId: number) {
    const owner = await repo.findOrg(tx, ownerOrgId);
    const target = await repo.findOrg(tx, targetId);
    if (!owner || !target || !target.active) throw new AppError('CASE_INVALID_TARGET', { reason: 'not an active organisation' });
    const below = target.areaPath.startsWith(owner.areaPath);
    const upperDepartment = target.kind === 'department' && owner.areaPath.startsWith(target.areaPath);
    if (!below && !upperDepartment) throw new AppError('CASE_INVALID_TARGET', { reason: 'outside the owning center’s jurisdiction' });
    return target;
  }

  async function tierCenter(tx: Tx, areaPath: string, tier: Tier) {
    const want = LEVEL_DEPTH[tierLevels[tier]] ?? 3;
    const centers = (await repo.centersAbove(tx, areaPath)).filter((c) => c.level !== 'grid');
    // the center at the tier's level, or the nearest one above it when that level has none
    const c = centers.find((x) => LEVEL_DEPTH[x.level]! <= want);
    if (!c) throw new AppError('CASE_NO_CENTER');
    return c;
  }

  const effects: Record<CaseAction, (c: Ctx) => Promise<Effect>> = {
    async accept({ tx, actor, row, input, now, cal }) {
      const tier = input.tier as Tier;
      const center = await tierCenter(tx, row.areaPath, tier);
      const own = await repo.findOrg(tx, row.owningOrgId);
      if (actor.kind !== 'system' && own && !center.areaPath.startsWith(own.areaPath)) throw new AppError('CASE_TIER_NEEDS_ESCALATION');
      const policy = await policyFor(tx, row.categoryId, tier);
      return {
        patch: {
          status: 'pending_dispatch', tier, owningOrgId: center.id, acceptedAt: now,
          contactDueAt: addDuration(now, policy.contact.amount, policy.contact.unit, cal),
          handleDueAt: addDuration(now, policy.handle.amount, policy.handle.unit, cal),
        },
        note: (input.note as string) ?? null,
        messages: [...sms(row, 'accepted'), ...(center.id !== row.owningOrgId ? [notifyCase(row, 'case_sent_down', '事项已下派', [center.id])] : [])],
      };
    },
    async reject({ input, now }) {
      return { patch: { status: 'rejected', closedAt: now, resultText: input.reason as string }, note: input.reason as string };
    },
    async set_tier({ tx, row, input, cal }) {
      const tier = input.tier as Tier;
      const policy = await policyFor(tx, row.categoryId, tier);
      const handleDueAt = row.acceptedAt ? addDuration(row.acceptedAt, policy.handle.amount, policy.handle.unit, cal) : row.handleDueAt;
      return { patch: { tier, handleDueAt, warnings: dropWarnings(row.warnings, ['handle']) }, note: (input.note as string) ?? null };
    },
    async dispatch({ tx, row, input }) {
      const target = await validTarget(tx, row.owningOrgId, input.organizationId as number);
      return {
        patch: { status: 'pending_signoff', assigneeOrgId: target.id, dispatchOrgId: row.owningOrgId },
        note: (input.note as string) ?? null, payload: { organizationName: target.name },
        messages: [notifyCase(row, 'case_dispatched', '新派单待签收', [target.id], row.description.slice(0, 100))],
      };
    },
    async sign_for({ input }) { return { patch: { status: 'in_progress' }, note: (input.note as string) ?? null }; },
    async return({ row, input }) {
      const returnCount = row.returnCount + 1;
      const ruling = returnCount > maxReturns;
      return {
        patch: { status: ruling ? 'ruling' : 'pending_dispatch', assigneeOrgId: null, returnCount },
        note: input.reason as string,
        messages: [notifyCase(row, ruling ? 'case_ruling' : 'case_returned', ruling ? '多次退单待裁定' : '事项被退回', [row.dispatchOrgId ?? row.owningOrgId], input.reason as string)],
      };
    },
    async rule({ tx, row, input }) {
      const target = await validTarget(tx, row.dispatchOrgId ?? row.owningOrgId, input.organizationId as number);
      return {
        patch: { status: 'pending_signoff', assigneeOrgId: target.id, finalAssignment: true },
        note: (input.note as string) ?? null, payload: { organizationName: target.name },
        messages: [notifyCase(row, 'case_dispatched', '裁定承办（不得再退）', [target.id])],
      };
    },
    async escalate({ tx, row, input, cal }) {
      const own = await repo.findOrg(tx, row.owningOrgId);
      const parent = (await repo.centersAbove(tx, own!.areaPath)).find((c) => c.areaPath !== own!.areaPath && own!.areaPath.startsWith(c.areaPath));
      if (!parent) throw new AppError('CASE_NO_CENTER');
      const tier = (input.tier as Tier | undefined) ?? (row.tier as Tier | null);
      const patch: repo.CasePatch = { status: 'pending_dispatch', owningOrgId: parent.id, assigneeOrgId: null, tier };
      if (tier !== row.tier && tier && row.acceptedAt) {
        const policy = await policyFor(tx, row.categoryId, tier);
        patch.handleDueAt = addDuration(row.acceptedAt, policy.handle.amount, policy.handle.unit, cal);
        patch.warnings = dropWarnings(row.warnings, ['handle']);
      }
      return {
        patch, note: input.reason as string, payload: { from: own!.name, to: parent.name },
        messages: [notifyCase(row, 'case_escalated', '下级上报事项', [parent.id], input.reason as string)],
      };
    },
    async send_down({ tx, row, input }) {
      const target = await repo.findOrg(tx, input.organizationId as number);
      const own = await repo.findOrg(tx, row.owningOrgId);
      if (!target || target.kind !== 'center' || !target.active || target.id === own!.id
        || !target.areaPath.startsWith(own!.areaPath) || !row.areaPath.startsWith(target.areaPath)) {
        throw new AppError('CASE_INVALID_TARGET', { reason: 'send down to a center between this one and the case’s area' });
      }
      return { patch: { owningOrgId: target.id }, note: (input.note as string) ?? null, payload: { to: target.name }, messages: [notifyCase(row, 'case_sent_down', '事项已下派', [target.id])] };
    },
    async add_co_handler({ tx, row, input }) {
      const target = await validTarget(tx, row.owningOrgId, input.organizationId as number);
      if (row.coHandlerOrgIds.includes(target.id) || target.id === row.assigneeOrgId) throw new AppError('CASE_INVALID_TARGET', { reason: 'already handling it' });
      return { patch: { coHandlerOrgIds: [...row.coHandlerOrgIds, target.id] }, note: (input.note as string) ?? null, messages: [notifyCase(row, 'case_co_handling', '协办事项', [target.id])] };
    },
    async contact({ input, now }) { return { patch: { contactedAt: now }, note: (input.note as string) ?? null }; },
    async request_extension({ actor, row, input }) {
      return {
        patch: { extensionRequest: { workingDays: input.workingDays as number, reason: input.reason as string, by: actor.username } },
        note: input.reason as string, messages: [notifyCase(row, 'case_extension_requested', '延期申请待审批', [row.owningOrgId])],
      };
    },
    async approve_extension({ row, input, cal }) {
      const n = row.extensionRequest!.workingDays;
      return {
        patch: { extensionRequest: null, handleDueAt: addWorkingDays(row.handleDueAt ?? clock.now(), n, cal), warnings: dropWarnings(row.warnings, ['handle']) },
        note: (input.note as string) ?? null, payload: { workingDays: n },
        messages: [notifyCase(row, 'case_extension_approved', '延期申请已批准', [row.assigneeOrgId])],
      };
    },
    async deny_extension({ row, input }) {
      return { patch: { extensionRequest: null }, note: input.reason as string, messages: [notifyCase(row, 'case_extension_denied', '延期申请未批准', [row.assigneeOrgId], input.reason as string)] };
    },
    async suspend({ row, input, now }) {
      return { patch: { status: 'suspended', resumeStatus: row.status, suspendedAt: now }, note: input.reason as string };
    },
    async resume({ row, input, now, cal, policy }) {
      const p = await policy();
      const since = row.suspendedAt ?? now;
      const shift = (due: Date | null, unit: Policy['handle']['unit']) => (due ? shiftForPause(due, unit, since, now, cal) : null);
      const patch: repo.CasePatch = { status: row.resumeStatus!, resumeStatus: null, suspendedAt: null };
      const moved: ClockName[] = [];
      if (row.contactDueAt && !row.contactedAt) { patch.contactDueAt = shift(row.contactDueAt, p.contact.unit); moved.push('contact'); }
      if (row.handleDueAt && !row.repliedAt) { patch.handleDueAt = shift(row.handleDueAt, p.handle.unit); moved.push('handle'); }
      if (row.supervisionDueAt) patch.supervisionDueAt = shift(row.supervisionDueAt, 'working_days');
      patch.warnings = dropWarnings(row.warnings, moved);
      return { patch, note: (input.note as string) ?? null, payload: { pausedMs: now.getTime() - since.getTime() } };
    },
    async supervise({ row, input, now, cal }) {
      const level = input.level as string;
      return {
        patch: { supervisionLevel: level, supervisionDueAt: addWorkingDays(now, input.dueInWorkingDays as number, cal) },
        note: input.note as string,
        messages: [notifyCase(row, 'case_supervised', level === 'red' ? '红牌督办' : level === 'yellow' ? '黄牌督办' : '督办', [row.owningOrgId, row.assigneeOrgId], input.note as string)],
      };
    },
    async take_ownership({ actor, input }) { return { patch: { leaderUserId: actor.userId }, note: (input.note as string) ?? null }; },
    async instruct({ row, input }) {
      return { patch: {}, note: input.note as string, messages: [notifyCase(row, 'case_instruction', '领导批示', [row.owningOrgId, row.assigneeOrgId], input.note as string)] };
    },
    async handle_on_spot({ tx, row, input, now, cal }) {
      const tier = (row.tier as Tier | null) ?? 'general';
      const policy = await policyFor(tx, row.categoryId, tier);
      return {
        patch: {
          status: 'replied', tier, acceptedAt: row.acceptedAt ?? now, contactedAt: row.contactedAt ?? now, repliedAt: now,
          handleDueAt: row.handleDueAt ?? now, resultText: input.result as string,
          replyDueAt: addDuration(now, policy.reply.amount, policy.reply.unit, cal),
        },
        note: input.result as string, messages: [...sms(row, 'replied'), notifyCase(row, 'case_replied', '现场直办待回访', [row.owningOrgId])],
      };
    },
    async reply({ row, input, now, cal, policy }) {
      const p = await policy();
      return {
        patch: { status: 'replied', repliedAt: now, resultText: input.result as string, contactedAt: row.contactedAt ?? now, replyDueAt: addDuration(now, p.reply.amount, p.reply.unit, cal) },
        note: input.result as string, messages: [...sms(row, 'replied'), notifyCase(row, 'case_replied', '事项已答复待回访', [row.owningOrgId])],
      };
    },
    async return_visit({ row, input, now, cal, policy }) {
      const result = input.result as VisitResult;
      if (result !== 'unsatisfied') return { patch: { status: 'closed', closedAt: now, visitResult: result }, note: (input.note as string) ?? null, payload: { result } };
      const p = await policy();
      return {
        patch: {
          status: row.assigneeOrgId ? 'in_progress' : 'pending_dispatch', visitResult: 'unsatisfied', reopenCount: row.reopenCount + 1,
          repliedAt: null, replyDueAt: null, handleDueAt: addDuration(now, p.handle.amount, p.handle.unit, cal),
          warnings: dropWarnings(row.warnings, ['handle', 'reply']),
        },
        note: (input.note as string) ?? null, payload: { result, reopened: true },
        messages: [...sms(row, 'reopened'), notifyCase(row, 'case_reopened', '群众不满意，事项重新办理', [row.assigneeOrgId ?? row.owningOrgId], (input.note as string) ?? '')],
      };
    },
    async merge({ tx, actor, row, input, now }) {
      const master = await repo.findCaseRow(tx, and(visible(actor), eq(cases.id, input.masterCaseId as string))!);
      if (!master || master.id === row.id || !(OpenStatuses as readonly string[]).includes(master.status) || master.status === 'suspended') {
        throw new AppError('CASE_INVALID_TARGET', { reason: 'the master case must be another open case you can see' });
      }
      return { patch: { status: 'merged', mergedIntoId: master.id, closedAt: now }, note: (input.note as string) ?? null, payload: { masterNumber: master.number } };
    },
    async close({ input, now }) { return { patch: { status: 'closed', closedAt: now }, note: (input.note as string) ?? null }; },
    async archive({ input }) { return { patch: { status: 'archived' }, note: (input.note as string) ?? null }; },
  };

  /** Runs one action: checks scope, role, state and version; writes the change, its event and its outbox rows in one transaction. */
  async function act(actor: Actor, id: string, action: CaseAction, input: Input) {
    // read outside the transaction: PGlite has one connection, and the transaction holds it
    const cal = await deps.calendar.calendar();
    await db.transaction(async (tx) => {
      const row = await repo.findCaseForAction(tx, and(visible(actor), eq(cases.id, id))!);
      if (!row) throw notFound('case');
      await transition(tx, cal, actor, row, action, input);
    });
    return getAfterAction(actor, id);
  }

  async function transition(tx: Tx, cal: WorkCalendar, actor: Actor, row: repo.CaseRow & { owningOrgAreaPath: string }, action: CaseAction, input: Input, actorName?: string) {
    const verdict = judge(actor, facts(row), action);
    if (verdict === 'forbidden') throw new AppError('FORBIDDEN');
    if (verdict === 'invalid_transition') throw new AppError('CASE_INVALID_TRANSITION', { status: row.status, action });
    if (input.version !== row.version) throw new AppError('CONFLICT');
    const now = clock.now();
    let cached: Policy | undefined;
    const policy = async () => (cached ??= await policyFor(tx, row.categoryId, row.tier));
    const effect = await effects[action]({ tx, actor, row, input, now, cal, policy });
    const updated = await repo.updateCase(tx, row.id, row.version, effect.patch);
    if (!updated) throw new AppError('CONFLICT');
    // photos of the result (reply, handling on the spot): the caller's own recent uploads, linked in this transaction
    const attachmentIds = Array.isArray(input.attachmentIds) ? (input.attachmentIds as string[]) : [];
    if (attachmentIds.length) await deps.attachments.link(tx, actor, attachmentIds, row.id, row.areaPath, now);
    await repo.insertEvent(tx, {
      caseId: row.id, seq: updated.version, at: now, actorId: actor.userId, actorName: actorName ?? actor.username, actorOrgId: actor.organizationId,
      action, fromStatus: row.status, toStatus: updated.status, note: effect.note ?? null,
      payload: { patch: jsonPatch(effect.patch), ...(effect.payload ?? {}), ...(attachmentIds.length ? { attachments: attachmentIds } : {}) },
    });
    await enqueue(tx, effect.messages ?? []);
    return updated;
  }

  /* ─────────────── reads ─────────────── */

  /** `reporter`: the plaintext when the caller has just encrypted it (intake), so that it is not decrypted again only to be masked. */
  function present(r: repo.CaseWithNames, actor: Actor, now: Date, reporter?: { name: string | null; phone: string | null }) {
    const suspended = r.status === 'suspended';
    const phone = reporter ? reporter.phone : r.reporterPhoneEnc ? keys.decrypt(CASE_FIELDS.reporterPhone, r.reporterPhoneEnc) : null;
    const name = reporter ? reporter.name : r.reporterNameEnc ? keys.decrypt(CASE_FIELDS.reporterName, r.reporterNameEnc) : null;
    const clockOf = (n: ClockName, due: Date | null, done: Date | null) => ({ dueAt: iso(due), doneAt: iso(done), state: clockState(n, due, done, suspended, now) });
    return {
      id: r.id, number: r.number, version: r.version, caseType: r.caseType as 'appeal' | 'hazard' | 'dispute', channel: r.channel as Channel, status: r.status as CaseStatus,
      tier: r.tier as Tier | null, category: { id: r.categoryId, name: r.categoryName }, area: { id: r.areaId, name: r.areaName }, areaPath: r.areaPath,
      owningOrg: { id: r.owningOrgId, name: r.owningOrgName },
      assigneeOrg: r.assigneeOrgId ? { id: r.assigneeOrgId, name: r.assigneeOrgName ?? '' } : null,
      dispatchOrg: r.dispatchOrgId ? { id: r.dispatchOrgId, name: r.dispatchOrgName ?? '' } : null,
      coHandlerOrgIds: r.coHandlerOrgIds, description: r.description, peopleInvolved: r.peopleInvolved, address: r.address,
      location: r.lon !== null && r.lat !== null ? { lon: r.lon, lat: r.lat } : null,
      reporter: { name: name ? maskName(name) : null, phone: phone ? maskPhone(phone) : null, anonymous: r.anonymous },
      returnCount: r.returnCount, reopenCount: r.reopenCount, finalAssignment: r.finalAssignment, leaderUserId: r.leaderUserId,
      supervision: r.supervisionLevel ? { level: r.supervisionLevel as 'normal', dueAt: iso(r.supervisionDueAt) } : null,
      extensionRequest: r.extensionRequest ?? null, mergedIntoId: r.mergedIntoId,
      clocks: {
        contact: clockOf('contact', r.contactDueAt, r.contactedAt),
        handle: clockOf('handle', r.handleDueAt, r.repliedAt),
        reply: clockOf('reply', r.replyDueAt, r.closedAt),
      },
      resultText: r.resultText, visitResult: r.visitResult as VisitResult | null,
      createdAt: isoRequired(r.createdAt), acceptedAt: iso(r.acceptedAt), closedAt: iso(r.closedAt),
      allowedActions: allowedActions(actor, facts(r)) as string[],
    };
  }

  async function detail(where: SQL, actor: Actor, id: string) {
    const r = await repo.findCase(db, where, id);
    if (!r) throw notFound('case');
    const events = await repo.listEvents(db, id);
    return {
      attachments: await deps.attachments.listForCase(id),
      case: present(r, actor, clock.now()),
      timeline: events.map((e) => ({
        seq: e.seq, at: isoRequired(e.at), actorName: e.actorName, actorOrgId: e.actorOrgId, action: e.action,
        fromStatus: e.fromStatus as CaseStatus | null, toStatus: e.toStatus as CaseStatus, note: e.note, payload: shownPayload(e.payload),
      })),
    };
  }

  const get = (actor: Actor, id: string) => detail(visible(actor), actor, id);

  /** The reporter's name or phone in full, for a call back: needs the permission and a reason, and is audited. */
  async function unmaskReporter(actor: Actor, id: string, field: 'name' | 'phone', reason: string) {
    authorize(actor, 'personal_data.unmask');
    if (!reason.trim()) throw new AppError('REASON_REQUIRED');
    const row = await repo.findCaseRow(db, and(visible(actor), eq(cases.id, id))!);
    if (!row) throw notFound('case');
    const enc = field === 'phone' ? row.reporterPhoneEnc : row.reporterNameEnc;
    const value = enc ? keys.decrypt(field === 'phone' ? CASE_FIELDS.reporterPhone : CASE_FIELDS.reporterName, enc) : null;
    const auditId = await deps.audit.record(actor, {
      action: 'personal_data.unmask', targetType: 'case', targetId: id, areaPath: row.areaPath, organizationId: row.owningOrgId,
      detail: { field: `reporter.${field}`, reason: reason.trim(), number: row.number },
    });
    return { field, value, auditId };
  }

  /** Where this case may be dispatched, sent down, ruled to or asked for help: the organisation picker's tree. */
  async function targets(actor: Actor, id: string) {
    const r = await repo.findCase(db, visible(actor), id);
    if (!r) throw notFound('case');
    const rows = await repo.targetsFor(db, r.owningOrgAreaPath);
    return { items: rows.filter((o) => o.id !== r.owningOrgId).map((o) => ({ ...o, kind: o.kind as 'center', departmentType: o.departmentType as never })) };
  }
  /** After an action the case may have left the actor's view (a return, an escalation): show the result once. */
  const getAfterAction = (actor: Actor, id: string) => detail(sql`true`, actor, id);

  const SOON_FLAGS = ['contact_soon', 'handle_soon', 'reply_soon'];
  const OVERDUE_FLAGS = ['contact_overdue', 'handle_overdue', 'reply_overdue'];
  const flags = (list: string[]) => sql`${cases.warnings} && ${sql.raw(`array[${list.map((f) => `'${f}'`).join(',')}]::text[]`)}`;
  const openNow = inArray(cases.status, ['pending_acceptance', 'pending_dispatch', 'pending_signoff', 'in_progress', 'ruling', 'replied']);

  /** The queues a case in the caller's work in hand can be in, and their conditions on the indexed columns. */
  const WORK_QUEUES = ['to_sign', 'in_progress', 'due_soon', 'overdue', 'supervised'] as const;
  function workQueueCondition(q: (typeof WORK_QUEUES)[number]): SQL {
    switch (q) {
      case 'to_sign': return sql`${cases.status} = 'pending_signoff'`;
      case 'in_progress': return sql`${cases.status} = 'in_progress'`;
      case 'due_soon': return sql`${flags(SOON_FLAGS)} and not (${flags(OVERDUE_FLAGS)})`;
      case 'overdue': return flags(OVERDUE_FLAGS);
      case 'supervised': return isNotNull(cases.supervisionLevel);
    }
  }

  function queueCondition(actor: Actor, q: Queue): SQL {
    const org = actor.organizationId ?? -1;
    const mine = sql`(${cases.owningOrgId} = ${org} or ${cases.assigneeOrgId} = ${org})`;
    switch (q) {
      case 'to_accept': return and(eq(cases.status, 'pending_acceptance'), eq(cases.owningOrgId, org))!;
      case 'to_dispatch': return and(eq(cases.status, 'pending_dispatch'), eq(cases.owningOrgId, org))!;
      case 'to_sign': return and(eq(cases.status, 'pending_signoff'), eq(cases.assigneeOrgId, org))!;
      case 'in_progress': return and(eq(cases.status, 'in_progress'), eq(cases.assigneeOrgId, org))!;
      case 'due_soon': return and(openNow, mine, flags(SOON_FLAGS), sql`not (${flags(OVERDUE_FLAGS)})`)!;
      case 'overdue': return and(openNow, mine, flags(OVERDUE_FLAGS))!;
      case 'supervised': return and(openNow, isNotNull(cases.supervisionLevel), actor.userId ? sql`(${mine} or ${cases.leaderUserId} = ${actor.userId})` : mine)!;
      case 'to_revisit': return and(eq(cases.status, 'replied'), eq(cases.owningOrgId, org))!;
      case 'ruling': return and(eq(cases.status, 'ruling'), eq(cases.dispatchOrgId, org))!;
    }
  }

  async function list(actor: Actor, q: {
    status?: string; channel?: string; categoryId?: number; tier?: string; areaId?: number; createdFrom?: string; createdTo?: string;
    overdue?: boolean; queue?: Queue; open?: boolean; number?: string; limit?: number; cursor?: string;
  }) {
    const limit = q.limit ?? 50;
    const conds = await filters(actor, q);
    const after = decodeCursor<string>(q.cursor, 'string');
    const [createdAt, id] = after ? after.split('|') : [];
    const rows = await repo.listCases(db, and(...conds)!, limit + 1, after ? { createdAt: createdAt!, id: id! } : undefined);
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    const now = clock.now();
    return {
      items: items.map((r) => present(r, actor, now)),
      nextCursor: rows.length > limit && last ? encodeCursor(`${last.createdAt.toISOString()}|${last.id}`) : null,
    };
  }

  /** The list's filters as conditions, always inside the actor's view. */
  async function filters(actor: Actor, q: {
    status?: string; channel?: string; categoryId?: number; tier?: string; areaId?: number; createdFrom?: string; createdTo?: string;
    overdue?: boolean; queue?: Queue; open?: boolean; number?: string;
  }) {
    const conds: (SQL | undefined)[] = [visible(actor)];
    if (q.number) conds.push(eq(cases.number, q.number.trim()));
    if (q.open !== undefined) conds.push(q.open ? inArray(cases.status, [...OpenStatuses]) : sql`not (${inArray(cases.status, [...OpenStatuses])})`);
    if (q.queue) conds.push(queueCondition(actor, q.queue));
    if (q.status) conds.push(eq(cases.status, q.status));
    if (q.channel) conds.push(eq(cases.channel, q.channel));
    if (q.tier) conds.push(eq(cases.tier, q.tier));
    if (q.categoryId !== undefined) {
      const ids = (await deps.categories.list()).filter((c) => c.id === q.categoryId || c.parentId === q.categoryId).map((c) => c.id);
      conds.push(inArray(cases.categoryId, ids.length ? ids : [-1]));
    }
    if (q.areaId !== undefined) {
      const [a] = await db.select().from(areas).where(and(areasVisibleTo(actor, areas.path), eq(areas.id, q.areaId)));
      if (!a) throw notFound('area');
      conds.push(underPath(cases.areaPath, a.path));
    }
    if (q.createdFrom) conds.push(gte(cases.createdAt, new Date(q.createdFrom)));
    if (q.createdTo) conds.push(lte(cases.createdAt, new Date(q.createdTo)));
    if (q.overdue !== undefined) conds.push(q.overdue ? flags(OVERDUE_FLAGS) : sql`not (${flags(OVERDUE_FLAGS)})`);
    return conds;
  }

  /** Every case matching the filters, newest first, in pages of 1,000, for the ledger export (masked like the list). */
  async function* exportRows(actor: Actor, q: Parameters<typeof filters>[1], max = 50_000) {
    const conds = await filters(actor, q);
    let after: { createdAt: string; id: string } | undefined;
    let n = 0;
    const now = clock.now();
    for (;;) {
      const rows = await repo.listCases(db, and(...conds)!, 1000, after);
      for (const r of rows) {
        if (n++ >= max) return;
        yield present(r, actor, now);
      }
      const last = rows[rows.length - 1];
      if (rows.length < 1000 || !last) return;
      after = { createdAt: last.createdAt.toISOString(), id: last.id };
    }
  }

  /**
   * All nine counts, in two parts of one statement. The organisation's work in hand (cases assigned to it,
   * waiting for sign-off or in progress) — most of a department's open cases — is counted from a partial
   * covering index alone (cases_assigned_work_idx: an index-only scan, no table rows read); being assigned to
   * the caller's organisation, those cases are always within its view. Everything else that concerns the
   * caller is counted as before, from the table, within the caller's view.
   */
  async function queues(actor: Actor) {
    const all = Queues;
    const org = actor.organizationId ?? -1;
    // literals, not parameters, so that the planner can match the partial index's predicate
    const work = sql`${cases.assigneeOrgId} = ${org} and ${cases.status} in ('pending_signoff', 'in_progress')`;
    const workCounts = sql.join(WORK_QUEUES.map((q) => sql`count(*) filter (where ${workQueueCondition(q)})::int as ${sql.identifier(`work_${q}`)}`), sql`, `);
    const rest = and(
      openNow, sql`not (${work})`,
      or(eq(cases.owningOrgId, org), eq(cases.dispatchOrgId, org),
        sql`(${cases.assigneeOrgId} = ${org} and ${cases.status} in ('pending_acceptance', 'pending_dispatch', 'ruling', 'replied'))`,
        actor.userId ? eq(cases.leaderUserId, actor.userId) : undefined),
    )!; // every queue holds open cases only
    const counts = sql.join(all.map((q) => sql`count(*) filter (where ${queueCondition(actor, q)})::int as ${sql.identifier(q)}`), sql`, `);
    const r = await db.execute(sql`select w.*, r.* from (select ${workCounts} from ${cases} where ${work}) w,
      (select ${counts} from ${cases} where ${and(visible(actor), rest)}) r`);
    const row = ((r as unknown as { rows: Record<string, number>[] }).rows[0] ?? {}) as Record<string, number>;
    return Object.fromEntries(all.map((q) => [q, Number(row[q] ?? 0) + Number(row[`work_${q}`] ?? 0)])) as Record<Queue, number>;
  }

  /* ─────────────── deadlines ─────────────── */

  /**
   * Marks clocks about to run out and run out, once each, with an event and a notification.
   * Bounded batches; safe to run twice or on several servers (a concurrent change just wins).
   */
  async function scanDeadlines(batch = 200): Promise<number> {
    const now = clock.now();
    const system = systemActor('deadline-job');
    const specs: { clock: ClockName; due: typeof cases.contactDueAt | typeof cases.handleDueAt | typeof cases.replyDueAt; stop: SQL; statuses: string[] }[] = [
      { clock: 'contact', due: cases.contactDueAt, stop: isNull(cases.contactedAt), statuses: ['pending_dispatch', 'pending_signoff', 'in_progress', 'ruling'] },
      { clock: 'handle', due: cases.handleDueAt, stop: isNull(cases.repliedAt), statuses: ['pending_dispatch', 'pending_signoff', 'in_progress', 'ruling'] },
      { clock: 'reply', due: cases.replyDueAt, stop: isNull(cases.closedAt), statuses: ['replied'] },
    ];
    let total = 0;
    for (const s of specs) {
      for (const kind of ['overdue', 'soon'] as const) {
        const flag = `${s.clock}_${kind}`;
        const limitAt = kind === 'overdue' ? now : new Date(now.getTime() + SOON_MS[s.clock]);
        for (;;) {
          const rows = await db.select().from(cases).where(and(
            inArray(cases.status, s.statuses), isNotNull(s.due), lte(s.due, limitAt), s.stop, sql`not (${flag} = any(${cases.warnings}))`,
          )).limit(batch);
          for (const row of rows) {
            const warnings = [...row.warnings, flag, ...(kind === 'overdue' && !row.warnings.includes(`${s.clock}_soon`) ? [`${s.clock}_soon`] : [])];
            await db.transaction(async (tx) => {
              const updated = await repo.updateCase(tx, row.id, row.version, { warnings });
              if (!updated) return; // changed meanwhile; the next run looks again
              await repo.insertEvent(tx, {
                caseId: row.id, seq: updated.version, at: now, actorId: null, actorName: system.username, actorOrgId: null,
                action: 'deadline_warning', fromStatus: row.status, toStatus: row.status, note: flag, payload: { patch: { warnings }, clock: s.clock, kind },
              });
              await enqueue(tx, [notifyCase(row, `case_${flag}`, kind === 'overdue' ? '事项已超期' : '事项即将超期', [row.owningOrgId, row.assigneeOrgId], flag)]);
              total++;
            });
          }
          if (rows.length < batch) break;
        }
      }
    }
    return total;
  }

  /* ─────────────── the reporter ─────────────── */

  async function findByNumberAndSecret(number: string, secret: string) {
    const row = await repo.findCaseRow(db, eq(cases.number, number));
    const stored = row?.trackingSecretEnc ? keys.decrypt(CASE_FIELDS.trackingSecret, row.trackingSecretEnc) : null;
    const a = Buffer.from(stored ?? crypto.randomBytes(9).toString('base64url'));
    const b = Buffer.from(secret);
    if (!row || a.length !== b.length || !crypto.timingSafeEqual(a, b)) throw notFound('case');
    return row;
  }

  async function track(number: string, secret: string) {
    const row = await findByNumberAndSecret(number, secret);
    const r = (await repo.findCase(db, sql`true`, row.id))!;
    const events = await repo.listEvents(db, row.id);
    return {
      number: r.number, status: r.status as CaseStatus, category: r.categoryName, area: r.areaName, createdAt: isoRequired(r.createdAt),
      timeline: events.filter((e) => e.fromStatus !== e.toStatus || e.action === 'create')
        .map((e) => ({ at: isoRequired(e.at), action: e.action, toStatus: e.toStatus as CaseStatus })),
      result: ['replied', 'closed', 'archived', 'rejected'].includes(r.status) ? r.resultText : null,
      canRate: r.status === 'replied', visitResult: r.visitResult as VisitResult | null,
    };
  }

  /** The reporter's own rating counts as the return visit; 不满意 reopens the case. */
  async function rate(number: string, secret: string, result: VisitResult, comment?: string) {
    const row = await findByNumberAndSecret(number, secret);
    const cal = await deps.calendar.calendar();
    await db.transaction(async (tx) => {
      const fresh = (await repo.findCaseForAction(tx, eq(cases.id, row.id)))!;
      await transition(tx, cal, systemActor('reporter'), fresh, 'return_visit', { version: fresh.version, result, note: comment ?? '' }, '群众评价');
    });
    return track(number, secret);
  }

  return { createByStaff, createPublic, act, get, targets, unmaskReporter, list, exportRows, queues, scanDeadlines, track, rate, facts };
}
export type CaseService = ReturnType<typeof createCaseService>;
