/**
 * What a case is as data: a new case's columns, the snapshot its events carry, and how the events rebuild it.
 */
import type { CaseStatus } from '@fengqiao/contracts';
import type { ClockName } from './deadlines.ts';
import type { CaseFacts } from './cases.workflow.ts';
import type { CasePatch, CaseRow } from './cases.repository.ts';

/** Field names bound into each ciphertext of a case (see lib/personal-data.ts). */
/** The actor name of a resident's own steps (a report from the resident page, a rating): no person's name is kept. */
export const RESIDENT_ACTOR = 'reporter';
/** Names that earlier versions wrote for a resident's rating. */
const RESIDENT_NAMES = new Set([RESIDENT_ACTOR, '群众评价']);

/** Who took a step of a case's timeline: staff (with an account), the resident, or the system (jobs, imports). */
export function eventActor(e: { actorId: string | null; actorName: string }): 'staff' | 'resident' | 'system' {
  if (e.actorId) return 'staff';
  return RESIDENT_NAMES.has(e.actorName) ? 'resident' : 'system';
}

export const CASE_FIELDS = { reporterName: 'cases.reporter_name', reporterPhone: 'cases.reporter_phone', trackingSecret: 'cases.tracking_secret' } as const;

/**
 * Columns the events leave out: identity, bookkeeping, the tracking secret and the reporter's personal data —
 * the timeline is append-only, so what it copied could never be re-encrypted by a key rotation nor erased.
 * The reporter's fields live in the case row alone. The intake statement leaves out the same.
 */
export const NOT_IN_SNAPSHOT = ['id', 'version', 'createdAt', 'updatedAt', 'idempotencyKey', 'idempotencyHash', 'trackingSecretEnc', 'number',
  'reporterNameEnc', 'reporterPhoneEnc', 'reporterPhoneBidx', 'repeatOf'] as const;
/** Ciphertexts and blind indexes: never in an event as the API shows it (events written before 0007 held them). */
const NOT_SHOWN = ['reporterNameEnc', 'reporterPhoneEnc', 'reporterPhoneBidx'] as const;

// A case has some fifty columns. V8 keeps an object built as one literal, or copied from one, on its fast
// paths; an object built key by key (`out[k] = v`) becomes a dictionary, and copying or serialising it costs
// tens of µs (measured) — on intake's path that was a tenth of the server's time.

/** The patch as JSON holds it: dates as ISO strings. A patch without dates is returned as it is. */
export function jsonPatch(p: CasePatch): Record<string, unknown> {
  let out: Record<string, unknown> | null = null;
  for (const k in p) {
    const v = (p as Record<string, unknown>)[k];
    if (v instanceof Date) { out ??= { ...p }; out[k] = v.toISOString(); }
  }
  return out ?? p;
}

/** The columns the events describe: everything but NOT_IN_SNAPSHOT. */
export function snapshotOf(row: CaseRow): CasePatch {
  const { id: _id, version: _version, createdAt: _createdAt, updatedAt: _updatedAt, idempotencyKey: _key, idempotencyHash: _hash, trackingSecretEnc: _secret, number: _number,
    reporterNameEnc: _name, reporterPhoneEnc: _phone, reporterPhoneBidx: _index, repeatOf: _repeat, ...rest } = row;
  return rest;
}

/** An event's payload as the API shows it. */
export function shownPayload(payload: Record<string, unknown>): Record<string, unknown> {
  const patch = payload.patch as Record<string, unknown> | undefined;
  if (!patch || !NOT_SHOWN.some((k) => k in patch)) return payload;
  const shown = { ...patch };
  for (const k of NOT_SHOWN) delete shown[k];
  return { ...payload, patch: shown };
}

/** What intake decides about a new case; every other column starts at its initial value. */
export type IntakeColumns = Pick<CaseRow, 'caseType' | 'channel' | 'status' | 'categoryId' | 'areaId' | 'areaPath' | 'owningOrgId' | 'description'
  | 'peopleInvolved' | 'address' | 'lon' | 'lat' | 'reporterNameEnc' | 'reporterPhoneEnc' | 'reporterPhoneBidx' | 'anonymous' | 'trackingSecretEnc'
  | 'idempotencyKey' | 'idempotencyHash' | 'createdBy' | 'createdAt' | 'dueBy'>;

/** A new case with every column given (the number is drawn when it is written), as one object literal. */
export function newCaseRow(v: IntakeColumns, id: string): CaseRow {
  return {
    id, number: '', version: 1, caseType: v.caseType, channel: v.channel, status: v.status, tier: null, categoryId: v.categoryId, areaId: v.areaId,
    areaPath: v.areaPath, owningOrgId: v.owningOrgId, assigneeOrgId: null, dispatchOrgId: null, coHandlerOrgIds: [], description: v.description,
    peopleInvolved: v.peopleInvolved, address: v.address, lon: v.lon, lat: v.lat, reporterNameEnc: v.reporterNameEnc, reporterPhoneEnc: v.reporterPhoneEnc,
    reporterPhoneBidx: v.reporterPhoneBidx, anonymous: v.anonymous, trackingSecretEnc: v.trackingSecretEnc, idempotencyKey: v.idempotencyKey, idempotencyHash: v.idempotencyHash,
    createdBy: v.createdBy, returnCount: 0, reopenCount: 0, finalAssignment: false, resumeStatus: null, suspendedAt: null, leaderUserId: null,
    supervisionLevel: null, supervisionDueAt: null, extensionRequest: null, mergedIntoId: null, acceptedAt: null, contactDueAt: null, contactedAt: null,
    handleDueAt: null, dueBy: v.dueBy, repliedAt: null, replyDueAt: null, resultText: null, visitResult: null, closedAt: null, warnings: [], repeatOf: null,
    createdAt: v.createdAt, updatedAt: v.createdAt,
  };
}

/** Rebuilds a case's state from its events (tests check it always equals the row). */
export function replayEvents(events: { payload: Record<string, unknown> }[]): Record<string, unknown> {
  return events.reduce<Record<string, unknown>>((state, e) => Object.assign(state, e.payload.patch as Record<string, unknown>), {});
}
export const caseStateJson = (row: CaseRow) => jsonPatch(snapshotOf(row));

/** Warnings of the given clocks dropped (a clock that moved may warn again). */
export const dropWarnings = (warnings: string[], clocks: ClockName[]) => warnings.filter((w) => !clocks.some((c) => w.startsWith(`${c}_`)));

/** What the transition table looks at. */
export function factsOf(r: CaseRow & { owningOrgAreaPath: string }): CaseFacts {
  return {
    status: r.status as CaseStatus, areaPath: r.areaPath, owningOrgId: r.owningOrgId, owningOrgAreaPath: r.owningOrgAreaPath, assigneeOrgId: r.assigneeOrgId,
    dispatchOrgId: r.dispatchOrgId, coHandlerOrgIds: r.coHandlerOrgIds, finalAssignment: r.finalAssignment,
    extensionRequest: r.extensionRequest ?? null, hasReporterPhone: r.reporterPhoneEnc !== null, contacted: r.contactedAt !== null,
    visitResult: r.visitResult,
  };
}
