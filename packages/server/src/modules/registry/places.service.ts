import crypto from 'node:crypto';
import { maskName, maskPhone } from '@fengqiao/contracts';
import type { Db, Executor } from '../../db/database.ts';
import { authorize, type Actor } from '../../access/actor.ts';
import { visibleTo } from '../../access/scope.ts';
import type { Clock } from '../../lib/clock.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import type { KeyRing } from '../../lib/personal-data.ts';
import { decodeCursor, isoRequired, pageOf } from '../../lib/paging.ts';
import { toWgs84Point, type Crs } from '../../lib/geo.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { GridLocator } from './grid-index.ts';
import { checkFields, codeOf, codeTables } from './codes.ts';
import { isCreditCode, isMobile } from './identifiers.ts';
import type { RegistryLookups } from './lookups.ts';
import type { PeopleService } from './people.service.ts';
import { PERSON_FIELDS } from './people.service.ts';
import * as repo from './registry.repository.ts';

export interface PlaceInput {
  kind: string; name: string; address?: string | null; areaId?: number; code?: string;
  location?: { lon: number; lat: number; crs?: Crs } | null; attributes?: Record<string, unknown>;
}


/** Places with their QR codes, organisations (非公有制经济组织和社会组织) and visits (走访记录). */
export function createPlacesService(deps: {
  db: Db; keys: KeyRing; audit: AuditService; clock: Clock; grids: GridLocator; lookups: RegistryLookups;
  people: Pick<PeopleService, 'loadPerson'>;
}) {
  const { db, keys, audit, clock } = deps;
  const { areaFor, placeFor } = deps.lookups;

  /** A stable code for the QR sticker: short, unambiguous characters, never reused. */
  const newPlaceCode = () => {
    const alphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
    const bytes = crypto.randomBytes(8);
    return `P${Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('')}`;
  };

  async function createPlace(actor: Actor, input: PlaceInput) {
    authorize(actor, 'registry.write');
    const def = codeTables.placeKinds.find((k) => k.code === input.kind);
    if (!def) throw new AppError('VALIDATION_FAILED', { detail: `kind: unknown code “${input.kind}”` });
    const { values, problems } = checkFields(def.fields, input.attributes ?? {});
    if (problems.length) throw new AppError('VALIDATION_FAILED', { detail: problems.join('; ') });
    const point = input.location ? toWgs84Point(input.location.lon, input.location.lat, input.location.crs ?? 'wgs84') : null;
    // a place with a point and no area lands in the grid that contains it
    let areaId = input.areaId;
    if (point) {
      const grid = await deps.grids.lookup(point[0], point[1], areaId ? (await areaFor(actor, areaId)).path : actor.areaPath);
      if (grid) areaId = grid.id;
    }
    if (!areaId) throw new AppError('VALIDATION_FAILED', { detail: 'areaId, or a location inside a grid' });
    return db.transaction(async (tx) => {
      const area = await areaFor(actor, areaId!, tx);
      const code = input.code?.trim() || newPlaceCode();
      if (await repo.placeCodeTaken(tx, code)) throw new AppError('PLACE_CODE_TAKEN', { code });
      const row = await repo.insertPlace(tx, {
        code, kind: input.kind, name: input.name.trim(), address: input.address?.trim() || null,
        lon: point ? Math.round(point[0] * 1e7) / 1e7 : null, lat: point ? Math.round(point[1] * 1e7) / 1e7 : null,
        areaId: area.id, areaPath: area.path, attributes: values,
      });
      await audit.record(actor, { action: 'place.create', targetType: 'place', targetId: row.id, areaPath: area.path, detail: { code, name: row.name } }, tx);
      return presentPlace(row);
    });
  }

  async function updatePlace(actor: Actor, id: number, patch: Partial<Omit<PlaceInput, 'code'>> & { active?: boolean }) {
    authorize(actor, 'registry.write');
    return db.transaction(async (tx) => {
      const row = await placeFor(actor, id, tx);
      const kind = patch.kind ?? row.kind;
      const def = codeTables.placeKinds.find((k) => k.code === kind);
      if (!def) throw new AppError('VALIDATION_FAILED', { detail: `kind: unknown code “${kind}”` });
      const { values, problems } = checkFields(def.fields, patch.attributes ?? row.attributes);
      if (problems.length) throw new AppError('VALIDATION_FAILED', { detail: problems.join('; ') });
      const area = patch.areaId ? await areaFor(actor, patch.areaId, tx) : null;
      const point = patch.location ? toWgs84Point(patch.location.lon, patch.location.lat, patch.location.crs ?? 'wgs84') : null;
      const updated = await repo.updatePlace(tx, id, {
        kind, attributes: values, ...(patch.name ? { name: patch.name.trim() } : {}), ...(patch.address !== undefined ? { address: patch.address?.trim() || null } : {}),
        ...(area ? { areaId: area.id, areaPath: area.path } : {}), ...(patch.active !== undefined ? { active: patch.active } : {}),
        ...(point ? { lon: point[0], lat: point[1] } : patch.location === null ? { lon: null, lat: null } : {}), updatedAt: clock.now(),
      });
      await audit.record(actor, { action: 'place.update', targetType: 'place', targetId: id, areaPath: updated.areaPath, detail: { fields: Object.keys(patch) } }, tx);
      return presentPlace(updated);
    });
  }

  async function getPlace(actor: Actor, id: number) {
    authorize(actor, 'registry.read');
    return presentPlace(await placeFor(actor, id));
  }

  async function listPlaces(actor: Actor, q: { areaId?: number; kind?: string; q?: string; limit?: number; cursor?: string }) {
    authorize(actor, 'registry.read');
    const limit = q.limit ?? 50;
    const rows = await repo.listPlaces(db, visibleTo(actor, repo.scopeColumns.places), {
      areaPath: q.areaId ? (await areaFor(actor, q.areaId)).path : undefined, kind: q.kind, q: q.q, afterId: decodeCursor<number>(q.cursor, 'number'),
    }, limit + 1);
    const page = pageOf(rows, limit, (r) => r.id);
    return { items: page.items.map(presentPlace), nextCursor: page.nextCursor };
  }

  function presentPlace(r: repo.PlaceRow) {
    return {
      id: r.id, code: r.code, kind: r.kind, name: r.name, address: r.address, location: r.lon !== null && r.lat !== null ? { lon: r.lon, lat: r.lat } : null,
      areaId: r.areaId, areaPath: r.areaPath, attributes: r.attributes, active: r.active, createdAt: isoRequired(r.createdAt), updatedAt: isoRequired(r.updatedAt),
    };
  }

  async function createOrganization(actor: Actor, input: {
    kind: string; name: string; creditCode?: string | null; contactName?: string | null; contactPhone?: string | null;
    address?: string | null; areaId?: number; placeId?: number | null; attributes?: Record<string, unknown>;
  }) {
    authorize(actor, 'registry.write');
    if (!codeOf(codeTables.organizationKinds, input.kind)) throw new AppError('VALIDATION_FAILED', { detail: `kind: unknown code “${input.kind}”` });
    const credit = input.creditCode?.trim().toUpperCase() || null;
    if (credit && !isCreditCode(credit)) throw new AppError('VALIDATION_FAILED', { detail: 'creditCode: not a valid unified social credit code' });
    if (input.contactPhone && !isMobile(input.contactPhone)) throw new AppError('VALIDATION_FAILED', { detail: 'contactPhone: not a mobile number' });
    return db.transaction(async (tx) => {
      const place = input.placeId ? await placeFor(actor, input.placeId, tx) : null;
      const area = await areaFor(actor, input.areaId ?? place?.areaId ?? -1, tx);
      if (credit && await repo.creditCodeTaken(tx, credit)) throw new AppError('ORGANIZATION_DUPLICATE');
      const row = await repo.insertOrganization(tx, {
        kind: codeOf(codeTables.organizationKinds, input.kind)!, name: input.name.trim(), creditCode: credit,
        contactNameEnc: input.contactName?.trim() ? keys.encrypt(PERSON_FIELDS.orgContactName, input.contactName.trim()) : null,
        contactPhoneEnc: input.contactPhone?.trim() ? keys.encrypt(PERSON_FIELDS.orgContactPhone, input.contactPhone.trim()) : null,
        address: input.address?.trim() || null, placeId: place?.id ?? null, areaId: area.id, areaPath: area.path, attributes: input.attributes ?? {},
      });
      await audit.record(actor, { action: 'registry_organization.create', targetType: 'registry_organization', targetId: row.id, areaPath: area.path }, tx);
      return presentOrganization(row);
    });
  }

  async function listOrganizations(actor: Actor, q: { areaId?: number; kind?: string; limit?: number; cursor?: string }) {
    authorize(actor, 'registry.read');
    const limit = q.limit ?? 50;
    const rows = await repo.listOrganizations(db, visibleTo(actor, repo.scopeColumns.organizations), {
      areaPath: q.areaId ? (await areaFor(actor, q.areaId)).path : undefined, kind: q.kind, afterId: decodeCursor<number>(q.cursor, 'number'),
    }, limit + 1);
    const page = pageOf(rows, limit, (r) => r.id);
    return { items: page.items.map(presentOrganization), nextCursor: page.nextCursor };
  }

  function presentOrganization(r: repo.RegistryOrgRow) {
    const name = r.contactNameEnc ? keys.decrypt(PERSON_FIELDS.orgContactName, r.contactNameEnc) : null;
    const phone = r.contactPhoneEnc ? keys.decrypt(PERSON_FIELDS.orgContactPhone, r.contactPhoneEnc) : null;
    return {
      id: r.id, kind: r.kind, name: r.name, creditCode: r.creditCode, contactName: name ? maskName(name) : null, contactPhone: phone ? maskPhone(phone) : null,
      address: r.address, placeId: r.placeId, areaId: r.areaId, areaPath: r.areaPath, createdAt: isoRequired(r.createdAt),
    };
  }

  async function subjectArea(actor: Actor, type: 'person' | 'place' | 'organization', id: string, ex: Executor = db): Promise<string> {
    if (type === 'person') return (await deps.people.loadPerson(actor, id, ex)).areaPath;
    if (type === 'place') {
      if (!/^\d+$/.test(id)) throw notFound('place');
      return (await placeFor(actor, Number(id), ex)).areaPath;
    }
    if (!/^\d+$/.test(id)) throw notFound('organization');
    const o = await repo.findOrganization(ex, visibleTo(actor, repo.scopeColumns.organizations), Number(id));
    if (!o) throw notFound('organization');
    return o.areaPath;
  }

  async function recordVisit(actor: Actor, input: { subjectType: 'person' | 'place' | 'organization'; subjectId: string; kind: string; note: string; visitedAt?: string }) {
    authorize(actor, 'registry.write');
    const kind = codeOf(codeTables.visitKinds, input.kind);
    if (!kind) throw new AppError('VALIDATION_FAILED', { detail: `kind: unknown code “${input.kind}”` });
    const at = input.visitedAt ? new Date(input.visitedAt) : clock.now();
    if (at.getTime() > clock.now().getTime() + 5 * 60_000) throw new AppError('VALIDATION_FAILED', { detail: 'visitedAt: in the future' });
    return db.transaction(async (tx) => {
      const areaPath = await subjectArea(actor, input.subjectType, input.subjectId, tx);
      const row = await repo.insertVisit(tx, {
        subjectType: input.subjectType, subjectId: input.subjectId, areaPath, kind, visitedAt: at, visitorId: actor.userId,
        visitorName: actor.username, note: input.note.trim(),
      });
      // a follow-up of a special-population person moves their next follow-up date
      if (input.subjectType === 'person' && kind === 'follow_up') {
        const groups = await repo.groupsOf(tx, [input.subjectId]);
        for (const g of groups) {
          const days = codeTables.groups.find((d) => d.code === g.kind)?.followUpDays ?? 30;
          const next = new Date(at.getTime() + days * 86400_000 + 8 * 3600_000).toISOString().slice(0, 10);
          await repo.setGroupFollowUp(tx, g.id, next, clock.now());
        }
      }
      return presentVisit(row);
    });
  }

  async function listVisits(actor: Actor, q: { subjectType?: 'person' | 'place' | 'organization'; subjectId?: string; areaId?: number; limit?: number; cursor?: string }) {
    authorize(actor, 'registry.read');
    const limit = q.limit ?? 50;
    const rows = await repo.listVisits(db, visibleTo(actor, repo.scopeColumns.visits), {
      subjectType: q.subjectType, subjectId: q.subjectId, areaPath: q.areaId ? (await areaFor(actor, q.areaId)).path : undefined,
      beforeId: decodeCursor<number>(q.cursor, 'number'),
    }, limit + 1);
    const page = pageOf(rows, limit, (r) => r.id);
    return { items: page.items.map(presentVisit), nextCursor: page.nextCursor };
  }

  const presentVisit = (r: repo.VisitRow) => ({
    id: r.id, subjectType: r.subjectType as 'person' | 'place' | 'organization', subjectId: r.subjectId, kind: r.kind,
    visitedAt: isoRequired(r.visitedAt), visitorName: r.visitorName, note: r.note,
  });

  return { createPlace, updatePlace, getPlace, listPlaces, presentPlace, createOrganization, listOrganizations, recordVisit, listVisits };
}
export type PlacesService = ReturnType<typeof createPlacesService>;
