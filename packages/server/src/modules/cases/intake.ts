/**
 * Intake (受理登记): a report from staff (window, hotline, patrol, integrations) or from a resident (QR code,
 * mobile page) becomes a case in the center that must receive it, with its first event and the notice to
 * that center — in one statement (intake-writer.ts), or in one transaction with the photos it names.
 */
import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Attachment, CaseStatus, Channel } from '@fengqiao/contracts';
import type { Executor } from '../../db/database.ts';
import { authorize, type Actor } from '../../access/actor.ts';
import { areasVisibleTo } from '../../access/scope.ts';
import { areas, cases } from '../../db/schema.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { toWgs84Point } from '../../lib/geo.ts';
import { chinaDay } from '../calendar/working-time.ts';
import { searchDoc } from '../triage/search-terms.ts';
import { areasOnPath, findArea, findAreaByCode, findAreaById, type AreaRow } from '../areas/areas.repository.ts';
import { centersAbove, findOrgWithLevel } from '../organizations/organizations.repository.ts';
import { findPlaceWithArea } from '../registry/registry.repository.ts';
import { CASE_FIELDS, RESIDENT_ACTOR, jsonPatch, newCaseRow, snapshotOf, type IntakeColumns } from './case-record.ts';
import { findCaseRow, type CaseRow } from './cases.repository.ts';
import { newCaseNotice } from './cases.topics.ts';
import { ttlCache, type CaseDeps } from './context.ts';
import { createIntakeWriter, writeCaseInTransaction, type NewCase } from './intake-writer.ts';
import { TRACKING_CODE_ALPHABET, TRACKING_CODE_LENGTH } from '@fengqiao/contracts/links';


/** The field name of the keyed hash of a request that carried an Idempotency-Key (a hash, so no personal data is kept twice). */
const IDEMPOTENCY_FIELD = 'cases.idempotency_request';

/** The request as one string, object keys sorted: the same report sent twice gives the same text. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

export interface IntakeInput {
  channel: Channel; areaId?: number; placeCode?: string; categoryId: number; description: string; peopleInvolved?: number; attachmentIds?: string[];
  address?: string; location?: { lon: number; lat: number; crs?: 'wgs84' | 'gcj02' | 'bd09' };
  reporter?: { name?: string; phone?: string }; anonymous?: boolean;
  /** A deadline the sending platform set (integrations only): the handle clock is capped by it. */
  dueBy?: Date;
}

/** What intake answers: the case as written (or the earlier one for a repeated key) and what the response shows. */
export type IntakeResult =
  | { created: true; row: CaseRow; area: AreaRow; owner: { id: number; name: string; areaPath: string }; categoryName: string; actorName: string;
    attachments: Attachment[]; reporter: { name: string | null; phone: string | null }; patch: Record<string, unknown>; trackingSecret: string }
  | { created: false; row: CaseRow; trackingSecret: string };

export function createIntake(deps: CaseDeps) {
  const { db, keys, clock } = deps;
  const writer = createIntakeWriter(db);
  const numberPrefixCache = ttlCache<string, string>(5 * 60_000);
  const orgCache = ttlCache<number, Awaited<ReturnType<typeof findOrgWithLevel>>>(60_000);
  const visibleAreaCache = ttlCache<string, AreaRow | undefined>(30_000);

  /** The center that receives a report from an area: the nearest one at or above it, above grid level. */
  async function nearestCenter(ex: Executor, areaPath: string) {
    const centers = await centersAbove(ex, areaPath);
    const c = centers.find((x) => x.level !== 'grid') ?? centers[0];
    if (!c) throw new AppError('CASE_NO_CENTER');
    return c;
  }

  /** The prefix of `<deepest official division code>-<YYYYMMDD>-<serial>`; the serial is drawn by the INSERT itself. */
  async function caseNumberPrefix(areaPath: string, now: Date): Promise<string> {
    const code = await numberPrefixCache(areaPath, async () => {
      const onPath = await areasOnPath(db, areaPath);
      return onPath.find((a) => a.official && a.code)?.code ?? onPath[0]?.code ?? 'FQ';
    });
    return `${code}-${chinaDay(now).replaceAll('-', '')}-`;
  }

  /** Where the report lands: the actor's own visible area, a QR code's place, or an area picked on the page. */
  async function locate(actor: Actor | null, input: IntakeInput) {
    let area: AreaRow | undefined;
    let address: string | null = null;
    let point: [number, number] | null = null;
    if (actor) {
      const areaId = input.areaId;
      if (areaId === undefined) throw new AppError('VALIDATION_FAILED', { detail: 'areaId' });
      // the answer depends only on where the actor stands and which area: cached briefly (areas are rarely edited)
      area = await visibleAreaCache(`${actor.areaPath}|${actor.organizationKind ?? ''}|${actor.kind}|${areaId}`,
        () => findArea(db, areasVisibleTo(actor, areas.path), areaId));
    } else if (input.placeCode) {
      // the QR code's place decides the area; it cannot be overridden (a grid's code serves where no place is registered)
      const found = await findPlaceWithArea(db, input.placeCode.trim());
      if (found) {
        area = found.area;
        address = [found.place.name, found.place.address].filter(Boolean).join(' ');
        if (!input.location && found.place.lon !== null && found.place.lat !== null) point = [found.place.lon, found.place.lat];
      } else {
        area = await findAreaByCode(db, input.placeCode.trim());
      }
    } else if (input.areaId !== undefined) {
      area = await findAreaById(db, input.areaId);
    } else {
      throw new AppError('VALIDATION_FAILED', { detail: 'placeCode or areaId' });
    }
    if (!area) throw notFound('area');
    if (input.location) {
      const [x, y] = toWgs84Point(input.location.lon, input.location.lat, input.location.crs ?? 'wgs84');
      point = [Math.round(x * 1e7) / 1e7, Math.round(y * 1e7) / 1e7];
      // a point inside a grid of the chosen area places the case in that grid
      if (area.level !== 'grid' && deps.grids) {
        const grid = await deps.grids.lookup(point[0], point[1], area.path);
        if (grid) area = (await findAreaById(db, grid.id)) ?? area;
      }
    }
    return { area, address, point };
  }

  /** A repeated Idempotency-Key: the first case, when the request is the same one; refused when it is not. */
  const alreadyThere = (row: CaseRow, requestHash: string | null): IntakeResult => {
    if (row.idempotencyHash && requestHash && !keys.blindIndexes(IDEMPOTENCY_FIELD, requestHash).includes(row.idempotencyHash)) {
      throw new AppError('IDEMPOTENCY_KEY_REUSED');
    }
    return { created: false, row, trackingSecret: keys.decrypt(CASE_FIELDS.trackingSecret, row.trackingSecretEnc!) };
  };
  /** The case a write left out holds the report's Idempotency-Key (intake-writer.ts): read it and answer with it. */
  const twin = async (key: string | null, requestHash: string | null): Promise<IntakeResult> => {
    const existing = key ? await findCaseRow(db, eq(cases.idempotencyKey, key)) : undefined;
    if (!existing) throw new Error('case not written');
    return alreadyThere(existing, requestHash);
  };

  /**
   * Registers a report. Staff intake (actor set) lands in the actor's own center when it covers the area;
   * public reports land in the nearest center. A repeated Idempotency-Key returns the first case instead of a second.
   */
  async function intake(actor: Actor | null, input: IntakeInput, idempotencyKey: string | null): Promise<IntakeResult> {
    const now = clock.now();
    const key = idempotencyKey ? `${actor?.userId ?? 'public'}:${idempotencyKey.slice(0, 100)}` : null;
    const requestHash = key ? canonicalJson(input) : null;
    const category = await deps.categories.get(input.categoryId);
    if (!category || !category.active) throw notFound('category');
    // reads and the case number come before the write
    const { area, address, point } = await locate(actor, input);
    const own = actor?.organizationId ? await orgCache(actor.organizationId, () => findOrgWithLevel(db, actor.organizationId!)) : undefined;
    const owner = own && own.kind === 'center' && own.level !== 'grid' && area.path.startsWith(own.areaPath) ? own : await nearestCenter(db, area.path);
    const anonymous = Boolean(input.anonymous);
    const name = anonymous ? null : input.reporter?.name ?? null;
    const phone = input.reporter?.phone ?? null;
    const secret = newTrackingCode();
    const columns: IntakeColumns = {
      caseType: category.caseType, channel: input.channel, status: 'pending_acceptance' satisfies CaseStatus,
      categoryId: category.id, areaId: area.id, areaPath: area.path, owningOrgId: owner.id,
      description: input.description.trim(), peopleInvolved: input.peopleInvolved ?? 1, address: input.address ?? address,
      lon: point?.[0] ?? null, lat: point?.[1] ?? null,
      reporterNameEnc: name ? keys.encrypt(CASE_FIELDS.reporterName, name) : null,
      reporterPhoneEnc: phone ? keys.encrypt(CASE_FIELDS.reporterPhone, phone) : null,
      reporterPhoneBidx: phone ? keys.blindIndex(CASE_FIELDS.reporterPhone, phone) : null,
      anonymous, trackingSecretEnc: keys.encrypt(CASE_FIELDS.trackingSecret, secret), idempotencyKey: key,
      idempotencyHash: requestHash ? keys.blindIndex(IDEMPOTENCY_FIELD, requestHash) : null,
      createdBy: actor?.userId ?? null, createdAt: now, dueBy: input.dueBy ?? null,
    };
    const row = newCaseRow(columns, crypto.randomUUID());
    const actorName = actor?.username ?? RESIDENT_ACTOR;
    const ids = input.attachmentIds ?? [];
    const c: NewCase = {
      row,
      meta: {
        numberPrefix: await caseNumberPrefix(area.path, now), eventAt: now, actorId: actor?.userId ?? null, actorName,
        actorOrgId: actor?.organizationId ?? null, notify: newCaseNotice(row.id, owner.id, input.description, actor?.userId ?? null), attachments: ids.length ? ids : null,
        search: searchDoc([input.description, input.address]),
      },
    };
    let attachments: Attachment[] = [];
    let number: string | null = null;
    if (!ids.length) number = await writer.write(c);
    else {
      await db.transaction(async (tx) => {
        number = await writeCaseInTransaction(tx, c);
        if (number) attachments = await deps.attachments.link(tx, actor, ids, row.id, area.path, now);
      });
    }
    // a repeated Idempotency-Key is found by the write itself, which then writes nothing: the case holding the key answers
    if (number === null) return twin(key, requestHash);
    row.number = number;
    // the statement made the first event's patch from this same row: the patch shown is the one stored
    return {
      created: true, row, area, owner, categoryName: category.name, actorName, attachments, reporter: { name, phone },
      patch: jsonPatch(snapshotOf(row)), trackingSecret: secret,
    };
  }

  /** Staff and integrations: needs `case.create`. */
  async function intakeByStaff(actor: Actor, input: IntakeInput, idempotencyKey: string | null) {
    authorize(actor, 'case.create');
    return intake(actor, input, idempotencyKey);
  }

  return { intake, intakeByStaff };
}
export type Intake = ReturnType<typeof createIntake>;

/** A resident's 查询码: ten characters drawn uniformly from the thirty that cannot be mistaken (contracts/links.ts). */
export function newTrackingCode(): string {
  return Array.from({ length: TRACKING_CODE_LENGTH }, () => TRACKING_CODE_ALPHABET[crypto.randomInt(TRACKING_CODE_ALPHABET.length)]).join('');
}
