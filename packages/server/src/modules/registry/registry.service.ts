import crypto from 'node:crypto';
import { and, desc, eq, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { maskIdNumber, maskName, maskPhone } from '@fengqiao/contracts';
import type { Db, Executor } from '../../db/database.ts';
import { areas, people, personGroups, places, registryOrganizations, visits } from '../../db/schema.ts';
import { authorize, type Actor } from '../../access/actor.ts';
import { assertWithin, underPath, visibleTo } from '../../access/scope.ts';
import type { Clock } from '../../lib/clock.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import type { KeyRing } from '../../lib/personal-data.ts';
import { decodeCursor, iso, isoRequired, pageOf } from '../../lib/paging.ts';
import { toWgs84Point, type Crs } from '../../lib/geo.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { GridLocator } from './grid-index.ts';
import { checkFields, codeOf, codeTables } from './codes.ts';
import { idNumberFacts, idNumberProblem, isCreditCode, isMobile } from './identifiers.ts';

/** Field names bound into each ciphertext (see lib/personal-data.ts). */
export const PERSON_FIELDS = {
  name: 'people.name', idNumber: 'people.id_number', phone: 'people.phone', address: 'people.address', groupDetails: 'person_groups.details',
  orgContactName: 'registry_organizations.contact_name', orgContactPhone: 'registry_organizations.contact_phone',
} as const;

export type PersonField = 'name' | 'idNumber' | 'phone' | 'address';

export interface PersonInput {
  residency: string; name: string; idNumber?: string | null; phone?: string | null; address?: string | null;
  gender?: string | null; householdNo?: string | null; relationToHead?: string | null; room?: string | null;
  areaId?: number; placeId?: number | null; attributes?: Record<string, unknown>;
}
export interface PlaceInput {
  kind: string; name: string; address?: string | null; areaId?: number; code?: string;
  location?: { lon: number; lat: number; crs?: Crs } | null; attributes?: Record<string, unknown>;
}

type PersonRow = typeof people.$inferSelect;
type PlaceRow = typeof places.$inferSelect;
type Area = typeof areas.$inferSelect;

const scopedPeople = (actor: Actor) => visibleTo(actor, { areaPath: people.areaPath });

/**
 * The registry of people, places, organisations and visits (人、地、物、组织). Every read is scoped to the
 * actor's area subtree; personal fields are encrypted with the foundation's key ring, masked in every
 * answer and revealed only through `unmask`, which writes one audit entry per call.
 */
export function createRegistryService(deps: { db: Db; keys: KeyRing; audit: AuditService; clock: Clock; grids: GridLocator }) {
  const { db, keys, audit, clock } = deps;

  async function areaFor(actor: Actor, areaId: number, ex: Executor = db): Promise<Area> {
    const [a] = await ex.select().from(areas).where(eq(areas.id, areaId));
    if (!a) throw notFound('area');
    assertWithin(actor, { areaPath: a.path });
    return a;
  }
  async function placeFor(actor: Actor, placeId: number, ex: Executor = db): Promise<PlaceRow> {
    const [p] = await ex.select().from(places).where(and(eq(places.id, placeId), visibleTo(actor, { areaPath: places.areaPath })));
    if (!p) throw notFound('place');
    return p;
  }

  /* ───────────── people ───────────── */

  /** Checks and encrypts one person's fields; the reasons it cannot be stored come back as problems. */
  function preparePerson(input: PersonInput): { problems: { field: string; problem: string }[]; values?: Omit<typeof people.$inferInsert, 'areaId' | 'areaPath' | 'placeId'> } {
    const problems: { field: string; problem: string }[] = [];
    const residency = codeOf(codeTables.residency, input.residency ?? '');
    if (!residency) problems.push({ field: 'residency', problem: `unknown code “${input.residency ?? ''}”` });
    const name = input.name?.trim() ?? '';
    if (!name || name.length > 50) problems.push({ field: 'name', problem: 'required, up to 50 characters' });
    const idNumber = input.idNumber?.trim().toUpperCase() || null;
    const idProblem = idNumber ? idNumberProblem(idNumber) : null;
    if (idProblem) problems.push({ field: 'idNumber', problem: `invalid ID number (${idProblem})` });
    const phone = input.phone?.trim() || null;
    if (phone && !isMobile(phone)) problems.push({ field: 'phone', problem: 'not a mobile number' });
    const relation = input.relationToHead ? codeOf(codeTables.relationToHead, input.relationToHead) : null;
    if (input.relationToHead && !relation) problems.push({ field: 'relationToHead', problem: `unknown code “${input.relationToHead}”` });
    let gender = input.gender ? codeOf(codeTables.gender, input.gender) : null;
    if (input.gender && !gender) problems.push({ field: 'gender', problem: `unknown code “${input.gender}”` });
    if (problems.length) return { problems };
    const facts = idNumber ? idNumberFacts(idNumber) : null;
    gender ??= facts?.gender ?? null;
    return {
      problems,
      values: {
        residency: residency!, gender, birthYear: facts?.birthYear ?? null,
        nameEnc: keys.encrypt(PERSON_FIELDS.name, name),
        idNumberEnc: idNumber ? keys.encrypt(PERSON_FIELDS.idNumber, idNumber) : null,
        idNumberBidx: idNumber ? keys.blindIndex(PERSON_FIELDS.idNumber, idNumber) : null,
        phoneEnc: phone ? keys.encrypt(PERSON_FIELDS.phone, phone) : null,
        phoneBidx: phone ? keys.blindIndex(PERSON_FIELDS.phone, phone) : null,
        addressEnc: input.address?.trim() ? keys.encrypt(PERSON_FIELDS.address, input.address.trim()) : null,
        householdNo: input.householdNo?.trim() || null, relationToHead: relation, room: input.room?.trim() || null,
        attributes: input.attributes ?? {},
      },
    };
  }

  async function createPerson(actor: Actor, input: PersonInput) {
    authorize(actor, 'registry.write');
    const prepared = preparePerson(input);
    if (!prepared.values) throw new AppError('VALIDATION_FAILED', { detail: prepared.problems.map((p) => `${p.field}: ${p.problem}`).join('; ') });
    return db.transaction(async (tx) => {
      const place = input.placeId ? await placeFor(actor, input.placeId, tx) : null;
      const area = await areaFor(actor, input.areaId ?? place?.areaId ?? -1, tx);
      if (prepared.values!.idNumberBidx && (await findByIdNumber(tx, input.idNumber!))) throw new AppError('PERSON_DUPLICATE');
      const [row] = await tx.insert(people).values({ ...prepared.values!, areaId: area.id, areaPath: area.path, placeId: place?.id ?? null, createdBy: actor.userId }).returning();
      await audit.record(actor, { action: 'person.create', targetType: 'person', targetId: row!.id, areaPath: area.path }, tx);
      return presentPerson(row!, []);
    });
  }

  async function findByIdNumber(ex: Executor, idNumber: string) {
    const [row] = await ex.select({ id: people.id }).from(people).where(inArray(people.idNumberBidx, keys.blindIndexes(PERSON_FIELDS.idNumber, idNumber)));
    return row;
  }

  async function loadPerson(actor: Actor, id: string, ex: Executor = db) {
    authorize(actor, 'registry.read');
    const [row] = await ex.select().from(people).where(and(eq(people.id, id), scopedPeople(actor)));
    if (!row) throw notFound('person');
    return row;
  }

  async function getPerson(actor: Actor, id: string) {
    const row = await loadPerson(actor, id);
    const groups = await db.select().from(personGroups).where(eq(personGroups.personId, id));
    return presentPerson(row, groups);
  }

  async function updatePerson(actor: Actor, id: string, patch: Partial<PersonInput>) {
    authorize(actor, 'registry.write');
    return db.transaction(async (tx) => {
      const row = await loadPerson(actor, id, tx);
      if (row.status === 'purged') throw new AppError('PERSON_PURGED');
      const current = {
        residency: row.residency, name: keys.decrypt(PERSON_FIELDS.name, row.nameEnc!),
        idNumber: row.idNumberEnc ? keys.decrypt(PERSON_FIELDS.idNumber, row.idNumberEnc) : null,
        phone: row.phoneEnc ? keys.decrypt(PERSON_FIELDS.phone, row.phoneEnc) : null,
        address: row.addressEnc ? keys.decrypt(PERSON_FIELDS.address, row.addressEnc) : null,
        gender: row.gender, householdNo: row.householdNo, relationToHead: row.relationToHead, room: row.room, attributes: row.attributes,
      };
      const prepared = preparePerson({ ...current, ...patch });
      if (!prepared.values) throw new AppError('VALIDATION_FAILED', { detail: prepared.problems.map((p) => `${p.field}: ${p.problem}`).join('; ') });
      if (patch.idNumber && patch.idNumber.trim().toUpperCase() !== current.idNumber) {
        const other = await findByIdNumber(tx, patch.idNumber);
        if (other && other.id !== id) throw new AppError('PERSON_DUPLICATE');
      }
      const place = patch.placeId ? await placeFor(actor, patch.placeId, tx) : null;
      const area = patch.areaId ? await areaFor(actor, patch.areaId, tx) : place ? await areaFor(actor, place.areaId, tx) : null;
      const [updated] = await tx.update(people).set({
        ...prepared.values, ...(patch.placeId !== undefined ? { placeId: place?.id ?? null } : {}),
        ...(area ? { areaId: area.id, areaPath: area.path } : {}), updatedAt: clock.now(),
      }).where(eq(people.id, id)).returning();
      if (area) await tx.update(personGroups).set({ areaPath: area.path }).where(eq(personGroups.personId, id));
      // which fields changed is recorded, never their values
      await audit.record(actor, { action: 'person.update', targetType: 'person', targetId: id, areaPath: updated!.areaPath, detail: { fields: Object.keys(patch) } }, tx);
      const groups = await tx.select().from(personGroups).where(eq(personGroups.personId, id));
      return presentPerson(updated!, groups);
    });
  }

  async function listPeople(actor: Actor, q: {
    areaId?: number; placeId?: number; residency?: string; group?: string; attention?: string; idNumber?: string; phone?: string;
    status?: 'active' | 'archived' | 'purged'; limit?: number; cursor?: string;
  }) {
    authorize(actor, 'registry.read');
    const limit = q.limit ?? 50;
    const where: (SQL | undefined)[] = [scopedPeople(actor), eq(people.status, q.status ?? 'active')];
    if (q.areaId) where.push(underPath(people.areaPath, (await areaFor(actor, q.areaId)).path));
    if (q.placeId) where.push(eq(people.placeId, q.placeId));
    if (q.residency) where.push(eq(people.residency, q.residency));
    if (q.idNumber) where.push(inArray(people.idNumberBidx, keys.blindIndexes(PERSON_FIELDS.idNumber, q.idNumber)));
    if (q.phone) where.push(inArray(people.phoneBidx, keys.blindIndexes(PERSON_FIELDS.phone, q.phone)));
    if (q.group || q.attention) {
      where.push(sql`exists (select 1 from ${personGroups} g where g.person_id = ${people.id}${q.group ? sql` and g.kind = ${q.group}` : sql``}${q.attention ? sql` and g.attention_level = ${q.attention}` : sql``})`);
    }
    const after = decodeCursor<string>(q.cursor, 'string');
    if (after) where.push(lt(people.id, after));
    const rows = await db.select().from(people).where(and(...where)).orderBy(desc(people.id)).limit(limit + 1);
    const page = pageOf(rows, limit, (r) => r.id);
    const groups = page.items.length ? await db.select().from(personGroups).where(inArray(personGroups.personId, page.items.map((r) => r.id))) : [];
    return { items: page.items.map((r) => presentPerson(r, groups.filter((g) => g.personId === r.id))), nextCursor: page.nextCursor };
  }

  /** One personal field in clear, for a stated reason; one audit entry per call (never with the value). */
  async function unmaskPerson(actor: Actor, id: string, field: PersonField | 'groupDetails', reason: string) {
    authorize(actor, 'personal_data.unmask');
    if (!reason.trim()) throw new AppError('REASON_REQUIRED');
    const row = await loadPerson(actor, id);
    let value: string | null;
    if (field === 'groupDetails') {
      const groups = await db.select().from(personGroups).where(eq(personGroups.personId, id));
      value = JSON.stringify(Object.fromEntries(groups.map((g) => [g.kind, g.detailsEnc ? JSON.parse(keys.decrypt(PERSON_FIELDS.groupDetails, g.detailsEnc)) : {}])));
    } else {
      const enc = { name: row.nameEnc, idNumber: row.idNumberEnc, phone: row.phoneEnc, address: row.addressEnc }[field];
      value = enc ? keys.decrypt(PERSON_FIELDS[field], enc) : null;
    }
    const auditId = await audit.record(actor, {
      action: 'personal_data.unmask', targetType: 'person', targetId: id, areaPath: row.areaPath, detail: { field, reason: reason.trim() },
    });
    return { field, value, auditId };
  }

  /** Special population or key youth: adds the group, or updates its attention level and follow-up fields. */
  async function putGroup(actor: Actor, personId: string, kind: string, input: { attentionLevel: string; details: Record<string, unknown>; nextFollowUpOn?: string | null }) {
    authorize(actor, 'registry.write');
    const def = codeTables.groups.find((g) => g.code === kind);
    if (!def) throw new AppError('VALIDATION_FAILED', { detail: `group: unknown code “${kind}”` });
    const level = codeOf(codeTables.attentionLevels, input.attentionLevel);
    if (!level) throw new AppError('VALIDATION_FAILED', { detail: `attentionLevel: unknown code “${input.attentionLevel}”` });
    const { values, problems } = checkFields(def.fields, input.details);
    if (problems.length) throw new AppError('VALIDATION_FAILED', { detail: problems.join('; ') });
    return db.transaction(async (tx) => {
      const person = await loadPerson(actor, personId, tx);
      if (person.status !== 'active') throw new AppError('PERSON_PURGED');
      const due = input.nextFollowUpOn ?? new Date(clock.now().getTime() + (def.followUpDays ?? 30) * 86400_000 + 8 * 3600_000).toISOString().slice(0, 10);
      const detailsEnc = keys.encrypt(PERSON_FIELDS.groupDetails, JSON.stringify(values));
      await tx.insert(personGroups).values({ personId, areaPath: person.areaPath, kind, attentionLevel: level, detailsEnc, nextFollowUpOn: due })
        .onConflictDoUpdate({ target: [personGroups.personId, personGroups.kind], set: { attentionLevel: level, detailsEnc, nextFollowUpOn: due, updatedAt: clock.now() } });
      await audit.record(actor, { action: 'person.group', targetType: 'person', targetId: personId, areaPath: person.areaPath, detail: { kind, attentionLevel: level } }, tx);
      const groups = await tx.select().from(personGroups).where(eq(personGroups.personId, personId));
      return presentPerson(person, groups);
    });
  }

  async function removeGroup(actor: Actor, personId: string, kind: string) {
    authorize(actor, 'registry.write');
    return db.transaction(async (tx) => {
      const person = await loadPerson(actor, personId, tx);
      await tx.delete(personGroups).where(and(eq(personGroups.personId, personId), eq(personGroups.kind, kind)));
      await audit.record(actor, { action: 'person.group_remove', targetType: 'person', targetId: personId, areaPath: person.areaPath, detail: { kind } }, tx);
      return presentPerson(person, await tx.select().from(personGroups).where(eq(personGroups.personId, personId)));
    });
  }

  /** Archive: out of the lists (moved away, deceased), data kept. */
  async function archivePerson(actor: Actor, id: string, reason: string) {
    authorize(actor, 'registry.write');
    if (!reason.trim()) throw new AppError('REASON_REQUIRED');
    return db.transaction(async (tx) => {
      const row = await loadPerson(actor, id, tx);
      if (row.status !== 'active') throw new AppError('CONFLICT');
      const [updated] = await tx.update(people).set({ status: 'archived', archivedAt: clock.now(), updatedAt: clock.now() }).where(eq(people.id, id)).returning();
      await audit.record(actor, { action: 'person.archive', targetType: 'person', targetId: id, areaPath: row.areaPath, detail: { reason: reason.trim() } }, tx);
      return presentPerson(updated!, []);
    });
  }

  /**
   * Purge (retention ended): every personal field and the group details are erased for good; gender,
   * birth year, residency type, area and the group kinds stay, so statistics still add up.
   */
  async function purgePerson(actor: Actor, id: string, reason: string) {
    authorize(actor, 'registry.purge');
    if (!reason.trim()) throw new AppError('REASON_REQUIRED');
    return db.transaction(async (tx) => {
      const row = await loadPerson(actor, id, tx);
      if (row.status !== 'archived') throw new AppError('PERSON_NOT_ARCHIVED');
      const [updated] = await tx.update(people).set({
        status: 'purged', purgedAt: clock.now(), updatedAt: clock.now(), nameEnc: null, idNumberEnc: null, idNumberBidx: null,
        phoneEnc: null, phoneBidx: null, addressEnc: null, householdNo: null, relationToHead: null, room: null, placeId: null, attributes: {},
      }).where(eq(people.id, id)).returning();
      await tx.update(personGroups).set({ detailsEnc: null, nextFollowUpOn: null, updatedAt: clock.now() }).where(eq(personGroups.personId, id));
      await tx.delete(visits).where(and(eq(visits.subjectType, 'person'), eq(visits.subjectId, id)));
      await audit.record(actor, { action: 'person.purge', targetType: 'person', targetId: id, areaPath: row.areaPath, detail: { reason: reason.trim() } }, tx);
      return presentPerson(updated!, []);
    });
  }

  function presentPerson(r: PersonRow, groups: (typeof personGroups.$inferSelect)[]) {
    const dec = (field: keyof typeof PERSON_FIELDS, v: string | null) => (v ? keys.decrypt(PERSON_FIELDS[field], v) : null);
    const name = dec('name', r.nameEnc); const id = dec('idNumber', r.idNumberEnc); const phone = dec('phone', r.phoneEnc);
    return {
      id: r.id, residency: r.residency, status: r.status as 'active' | 'archived' | 'purged',
      name: name ? maskName(name) : null, idNumber: id ? maskIdNumber(id) : null, phone: phone ? maskPhone(phone) : null,
      hasAddress: Boolean(r.addressEnc), gender: r.gender, birthYear: r.birthYear, householdNo: r.householdNo, relationToHead: r.relationToHead,
      room: r.room, placeId: r.placeId, areaId: r.areaId, areaPath: r.areaPath, attributes: r.attributes,
      groups: groups.map((g) => ({ kind: g.kind, attentionLevel: g.attentionLevel, nextFollowUpOn: g.nextFollowUpOn })),
      createdAt: isoRequired(r.createdAt), updatedAt: isoRequired(r.updatedAt), archivedAt: iso(r.archivedAt), purgedAt: iso(r.purgedAt),
    };
  }

  /* ───────────── places ───────────── */

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
      const [taken] = await tx.select({ id: places.id }).from(places).where(eq(places.code, code));
      const [takenByArea] = await tx.select({ id: areas.id }).from(areas).where(eq(areas.code, code));
      if (taken || takenByArea) throw new AppError('PLACE_CODE_TAKEN', { code });
      const [row] = await tx.insert(places).values({
        code, kind: input.kind, name: input.name.trim(), address: input.address?.trim() || null,
        lon: point ? Math.round(point[0] * 1e7) / 1e7 : null, lat: point ? Math.round(point[1] * 1e7) / 1e7 : null,
        areaId: area.id, areaPath: area.path, attributes: values,
      }).returning();
      await audit.record(actor, { action: 'place.create', targetType: 'place', targetId: row!.id, areaPath: area.path, detail: { code, name: row!.name } }, tx);
      return presentPlace(row!);
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
      const [updated] = await tx.update(places).set({
        kind, attributes: values, ...(patch.name ? { name: patch.name.trim() } : {}), ...(patch.address !== undefined ? { address: patch.address?.trim() || null } : {}),
        ...(area ? { areaId: area.id, areaPath: area.path } : {}), ...(patch.active !== undefined ? { active: patch.active } : {}),
        ...(point ? { lon: point[0], lat: point[1] } : patch.location === null ? { lon: null, lat: null } : {}), updatedAt: clock.now(),
      }).where(eq(places.id, id)).returning();
      await audit.record(actor, { action: 'place.update', targetType: 'place', targetId: id, areaPath: updated!.areaPath, detail: { fields: Object.keys(patch) } }, tx);
      return presentPlace(updated!);
    });
  }

  async function getPlace(actor: Actor, id: number) {
    authorize(actor, 'registry.read');
    return presentPlace(await placeFor(actor, id));
  }

  async function listPlaces(actor: Actor, q: { areaId?: number; kind?: string; q?: string; limit?: number; cursor?: string }) {
    authorize(actor, 'registry.read');
    const limit = q.limit ?? 50;
    const where: (SQL | undefined)[] = [visibleTo(actor, { areaPath: places.areaPath })];
    if (q.areaId) where.push(underPath(places.areaPath, (await areaFor(actor, q.areaId)).path));
    if (q.kind) where.push(eq(places.kind, q.kind));
    if (q.q) where.push(sql`(${places.name} like ${`%${q.q}%`} or ${places.code} = ${q.q.trim()})`);
    const after = decodeCursor<number>(q.cursor, 'number');
    if (after) where.push(sql`${places.id} > ${after}`);
    const rows = await db.select().from(places).where(and(...where)).orderBy(places.id).limit(limit + 1);
    const page = pageOf(rows, limit, (r) => r.id);
    return { items: page.items.map(presentPlace), nextCursor: page.nextCursor };
  }

  function presentPlace(r: PlaceRow) {
    return {
      id: r.id, code: r.code, kind: r.kind, name: r.name, address: r.address, location: r.lon !== null && r.lat !== null ? { lon: r.lon, lat: r.lat } : null,
      areaId: r.areaId, areaPath: r.areaPath, attributes: r.attributes, active: r.active, createdAt: isoRequired(r.createdAt), updatedAt: isoRequired(r.updatedAt),
    };
  }

  /* ───────────── organisations ───────────── */

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
      if (credit) {
        const [dup] = await tx.select({ id: registryOrganizations.id }).from(registryOrganizations).where(eq(registryOrganizations.creditCode, credit));
        if (dup) throw new AppError('ORGANIZATION_DUPLICATE');
      }
      const [row] = await tx.insert(registryOrganizations).values({
        kind: codeOf(codeTables.organizationKinds, input.kind)!, name: input.name.trim(), creditCode: credit,
        contactNameEnc: input.contactName?.trim() ? keys.encrypt(PERSON_FIELDS.orgContactName, input.contactName.trim()) : null,
        contactPhoneEnc: input.contactPhone?.trim() ? keys.encrypt(PERSON_FIELDS.orgContactPhone, input.contactPhone.trim()) : null,
        address: input.address?.trim() || null, placeId: place?.id ?? null, areaId: area.id, areaPath: area.path, attributes: input.attributes ?? {},
      }).returning();
      await audit.record(actor, { action: 'registry_organization.create', targetType: 'registry_organization', targetId: row!.id, areaPath: area.path }, tx);
      return presentOrganization(row!);
    });
  }

  async function listOrganizations(actor: Actor, q: { areaId?: number; kind?: string; limit?: number; cursor?: string }) {
    authorize(actor, 'registry.read');
    const limit = q.limit ?? 50;
    const where: (SQL | undefined)[] = [visibleTo(actor, { areaPath: registryOrganizations.areaPath })];
    if (q.areaId) where.push(underPath(registryOrganizations.areaPath, (await areaFor(actor, q.areaId)).path));
    if (q.kind) where.push(eq(registryOrganizations.kind, q.kind));
    const after = decodeCursor<number>(q.cursor, 'number');
    if (after) where.push(sql`${registryOrganizations.id} > ${after}`);
    const rows = await db.select().from(registryOrganizations).where(and(...where)).orderBy(registryOrganizations.id).limit(limit + 1);
    const page = pageOf(rows, limit, (r) => r.id);
    return { items: page.items.map(presentOrganization), nextCursor: page.nextCursor };
  }

  function presentOrganization(r: typeof registryOrganizations.$inferSelect) {
    const name = r.contactNameEnc ? keys.decrypt(PERSON_FIELDS.orgContactName, r.contactNameEnc) : null;
    const phone = r.contactPhoneEnc ? keys.decrypt(PERSON_FIELDS.orgContactPhone, r.contactPhoneEnc) : null;
    return {
      id: r.id, kind: r.kind, name: r.name, creditCode: r.creditCode, contactName: name ? maskName(name) : null, contactPhone: phone ? maskPhone(phone) : null,
      address: r.address, placeId: r.placeId, areaId: r.areaId, areaPath: r.areaPath, createdAt: isoRequired(r.createdAt),
    };
  }

  /* ───────────── visits (走访记录) ───────────── */

  async function subjectArea(actor: Actor, type: 'person' | 'place' | 'organization', id: string, ex: Executor = db): Promise<string> {
    if (type === 'person') return (await loadPerson(actor, id, ex)).areaPath;
    if (type === 'place') {
      if (!/^\d+$/.test(id)) throw notFound('place');
      return (await placeFor(actor, Number(id), ex)).areaPath;
    }
    if (!/^\d+$/.test(id)) throw notFound('organization');
    const [o] = await ex.select().from(registryOrganizations).where(and(eq(registryOrganizations.id, Number(id)), visibleTo(actor, { areaPath: registryOrganizations.areaPath })));
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
      const [row] = await tx.insert(visits).values({
        subjectType: input.subjectType, subjectId: input.subjectId, areaPath, kind, visitedAt: at, visitorId: actor.userId,
        visitorName: actor.username, note: input.note.trim(),
      }).returning();
      // a follow-up of a special-population person moves their next follow-up date
      if (input.subjectType === 'person' && kind === 'follow_up') {
        const groups = await tx.select().from(personGroups).where(eq(personGroups.personId, input.subjectId));
        for (const g of groups) {
          const days = codeTables.groups.find((d) => d.code === g.kind)?.followUpDays ?? 30;
          const next = new Date(at.getTime() + days * 86400_000 + 8 * 3600_000).toISOString().slice(0, 10);
          await tx.update(personGroups).set({ nextFollowUpOn: next, updatedAt: clock.now() }).where(eq(personGroups.id, g.id));
        }
      }
      return presentVisit(row!);
    });
  }

  async function listVisits(actor: Actor, q: { subjectType?: 'person' | 'place' | 'organization'; subjectId?: string; areaId?: number; limit?: number; cursor?: string }) {
    authorize(actor, 'registry.read');
    const limit = q.limit ?? 50;
    const where: (SQL | undefined)[] = [visibleTo(actor, { areaPath: visits.areaPath })];
    if (q.subjectType && q.subjectId) where.push(eq(visits.subjectType, q.subjectType), eq(visits.subjectId, q.subjectId));
    if (q.areaId) where.push(underPath(visits.areaPath, (await areaFor(actor, q.areaId)).path));
    const after = decodeCursor<number>(q.cursor, 'number');
    if (after) where.push(lt(visits.id, after));
    const rows = await db.select().from(visits).where(and(...where)).orderBy(desc(visits.id)).limit(limit + 1);
    const page = pageOf(rows, limit, (r) => r.id);
    return { items: page.items.map(presentVisit), nextCursor: page.nextCursor };
  }

  const presentVisit = (r: typeof visits.$inferSelect) => ({
    id: r.id, subjectType: r.subjectType as 'person' | 'place' | 'organization', subjectId: r.subjectId, kind: r.kind,
    visitedAt: isoRequired(r.visitedAt), visitorName: r.visitorName, note: r.note,
  });

  return {
    preparePerson, findByIdNumber, createPerson, getPerson, updatePerson, listPeople, unmaskPerson, putGroup, removeGroup, archivePerson, purgePerson, presentPerson,
    createPlace, updatePlace, getPlace, listPlaces, presentPlace, placeFor, areaFor,
    createOrganization, listOrganizations, recordVisit, listVisits,
  };
}
export type RegistryService = ReturnType<typeof createRegistryService>;
