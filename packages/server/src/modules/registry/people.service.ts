import { maskIdNumber, maskName, maskPhone } from '@fengqiao/contracts';
import type { Db, Executor } from '../../db/database.ts';
import type { people } from '../../db/schema.ts';
import { authorize, type Actor } from '../../access/actor.ts';
import { visibleTo } from '../../access/scope.ts';
import type { Clock } from '../../lib/clock.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import type { KeyRing } from '../../lib/personal-data.ts';
import { decodeCursor, iso, isoRequired, pageOf } from '../../lib/paging.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { checkFields, codeOf, codeTables } from './codes.ts';
import { idNumberFacts, idNumberProblem, isMobile } from './identifiers.ts';
import type { RegistryLookups } from './lookups.ts';
import * as repo from './registry.repository.ts';

/** Field names bound into each ciphertext (see lib/personal-data.ts and db/encrypted-columns.ts). */
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
type PersonInsert = typeof people.$inferInsert;

/**
 * People and their special groups (实有人口, 特殊人群, 重点青少年): personal fields encrypted, masked in every
 * answer, revealed only through `unmaskPerson` with a reason and an audit entry; archived, then purged.
 */
export function createPeopleService(deps: { db: Db; keys: KeyRing; audit: AuditService; clock: Clock; lookups: RegistryLookups }) {
  const { db, keys, audit, clock } = deps;
  const { areaFor, placeFor } = deps.lookups;

  /** Checks and encrypts one person's fields; the reasons it cannot be stored come back as problems. */
  function preparePerson(input: PersonInput): { problems: { field: string; problem: string }[]; values?: Omit<PersonInsert, 'areaId' | 'areaPath' | 'placeId'> } {
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
      const [row] = await repo.insertPeople(tx, [{ ...prepared.values!, areaId: area.id, areaPath: area.path, placeId: place?.id ?? null, createdBy: actor.userId }]);
      await audit.record(actor, { action: 'person.create', targetType: 'person', targetId: row!.id, areaPath: area.path }, tx);
      return presentPerson(row!, []);
    });
  }

  async function findByIdNumber(ex: Executor, idNumber: string) {
    return repo.findPersonByBlindIndex(ex, keys.blindIndexes(PERSON_FIELDS.idNumber, idNumber));
  }

  async function loadPerson(actor: Actor, id: string, ex: Executor = db) {
    authorize(actor, 'registry.read');
    const row = await repo.findPerson(ex, visibleTo(actor, repo.scopeColumns.people), id);
    if (!row) throw notFound('person');
    return row;
  }

  async function getPerson(actor: Actor, id: string) {
    const row = await loadPerson(actor, id);
    return presentPerson(row, await repo.groupsOf(db, [id]));
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
      const updated = await repo.updatePerson(tx, id, {
        ...prepared.values, ...(patch.placeId !== undefined ? { placeId: place?.id ?? null } : {}),
        ...(area ? { areaId: area.id, areaPath: area.path } : {}), updatedAt: clock.now(),
      });
      if (area) await repo.moveGroups(tx, id, area.path);
      // which fields changed is recorded, never their values
      await audit.record(actor, { action: 'person.update', targetType: 'person', targetId: id, areaPath: updated.areaPath, detail: { fields: Object.keys(patch) } }, tx);
      return presentPerson(updated, await repo.groupsOf(tx, [id]));
    });
  }

  async function listPeople(actor: Actor, q: {
    areaId?: number; placeId?: number; residency?: string; group?: string; attention?: string; idNumber?: string; phone?: string;
    status?: 'active' | 'archived' | 'purged'; limit?: number; cursor?: string;
  }) {
    authorize(actor, 'registry.read');
    const limit = q.limit ?? 50;
    const rows = await repo.listPeople(db, visibleTo(actor, repo.scopeColumns.people), {
      status: q.status ?? 'active', areaPath: q.areaId ? (await areaFor(actor, q.areaId)).path : undefined, placeId: q.placeId, residency: q.residency,
      idIndexes: q.idNumber ? keys.blindIndexes(PERSON_FIELDS.idNumber, q.idNumber) : undefined,
      phoneIndexes: q.phone ? keys.blindIndexes(PERSON_FIELDS.phone, q.phone) : undefined,
      group: q.group, attention: q.attention, beforeId: decodeCursor<string>(q.cursor, 'string'),
    }, limit + 1);
    const page = pageOf(rows, limit, (r) => r.id);
    const groups = await repo.groupsOf(db, page.items.map((r) => r.id));
    return { items: page.items.map((r) => presentPerson(r, groups.filter((g) => g.personId === r.id))), nextCursor: page.nextCursor };
  }

  /** One personal field in clear, for a stated reason; one audit entry per call (never with the value). */
  async function unmaskPerson(actor: Actor, id: string, field: PersonField | 'groupDetails', reason: string) {
    authorize(actor, 'personal_data.unmask');
    if (!reason.trim()) throw new AppError('REASON_REQUIRED');
    const row = await loadPerson(actor, id);
    let value: string | null;
    if (field === 'groupDetails') {
      const groups = await repo.groupsOf(db, [id]);
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
      await repo.upsertGroup(tx, { personId, areaPath: person.areaPath, kind, attentionLevel: level, detailsEnc, nextFollowUpOn: due, updatedAt: clock.now() });
      await audit.record(actor, { action: 'person.group', targetType: 'person', targetId: personId, areaPath: person.areaPath, detail: { kind, attentionLevel: level } }, tx);
      return presentPerson(person, await repo.groupsOf(tx, [personId]));
    });
  }

  async function removeGroup(actor: Actor, personId: string, kind: string) {
    authorize(actor, 'registry.write');
    return db.transaction(async (tx) => {
      const person = await loadPerson(actor, personId, tx);
      await repo.deleteGroup(tx, personId, kind);
      await audit.record(actor, { action: 'person.group_remove', targetType: 'person', targetId: personId, areaPath: person.areaPath, detail: { kind } }, tx);
      return presentPerson(person, await repo.groupsOf(tx, [personId]));
    });
  }

  /** Archive: out of the lists (moved away, deceased), data kept. */
  async function archivePerson(actor: Actor, id: string, reason: string) {
    authorize(actor, 'registry.write');
    if (!reason.trim()) throw new AppError('REASON_REQUIRED');
    return db.transaction(async (tx) => {
      const row = await loadPerson(actor, id, tx);
      if (row.status !== 'active') throw new AppError('CONFLICT');
      const updated = await repo.updatePerson(tx, id, { status: 'archived', archivedAt: clock.now(), updatedAt: clock.now() });
      await audit.record(actor, { action: 'person.archive', targetType: 'person', targetId: id, areaPath: row.areaPath, detail: { reason: reason.trim() } }, tx);
      return presentPerson(updated, []);
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
      const updated = await repo.updatePerson(tx, id, {
        status: 'purged', purgedAt: clock.now(), updatedAt: clock.now(), nameEnc: null, idNumberEnc: null, idNumberBidx: null,
        phoneEnc: null, phoneBidx: null, addressEnc: null, householdNo: null, relationToHead: null, room: null, placeId: null, attributes: {},
      });
      await repo.eraseGroupDetailsAndVisits(tx, id, clock.now());
      await audit.record(actor, { action: 'person.purge', targetType: 'person', targetId: id, areaPath: row.areaPath, detail: { reason: reason.trim() } }, tx);
      return presentPerson(updated, []);
    });
  }

  function presentPerson(r: repo.PersonRow, groups: repo.GroupRow[]) {
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

  return { preparePerson, findByIdNumber, loadPerson, createPerson, getPerson, updatePerson, listPeople, unmaskPerson, putGroup, removeGroup, archivePerson, purgePerson, presentPerson };
}
export type PeopleService = ReturnType<typeof createPeopleService>;
