/** The reporter's side: following a case by its number and tracking secret, and rating the result. */
import crypto from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { ResultStatuses, type CaseStatus, type VisitResult } from '@fengqiao/contracts';
import { systemActor } from '../../access/actor.ts';
import { cases } from '../../db/schema.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { isoRequired } from '../../lib/paging.ts';
import type { CaseActions } from './actions.ts';
import { CASE_FIELDS, RESIDENT_ACTOR } from './case-record.ts';
import * as repo from './cases.repository.ts';
import { newTrackingCode } from './intake.ts';
import { normalizeTrackingCode } from '@fengqiao/contracts/links';
import type { CaseDeps } from './context.ts';

export function createTracking(deps: CaseDeps, actions: CaseActions) {
  const { db, keys } = deps;

  /** The case with this number, when the secret matches; the comparison takes the same time either way. */
  async function findByNumberAndSecret(number: string, secret: string) {
    const row = await repo.findCaseRow(db, eq(cases.number, number));
    const stored = row?.trackingSecretEnc ? keys.decrypt(CASE_FIELDS.trackingSecret, row.trackingSecretEnc) : null;
    const a = Buffer.from(stored ?? newTrackingCode());
    const b = Buffer.from(normalizeTrackingCode(secret)); // typed in either case, with or without the dash
    if (!row || a.length !== b.length || !crypto.timingSafeEqual(a, b)) throw notFound('case');
    return row;
  }

  async function track(number: string, secret: string) {
    const row = await findByNumberAndSecret(number, secret);
    const r = (await repo.findCase(db, sql`true`, row.id))!;
    const events = await repo.listEvents(db, row.id);
    return {
      number: r.number, status: r.status as CaseStatus, category: r.categoryName, area: r.areaName, createdAt: isoRequired(r.createdAt),
      handler: r.assigneeOrgName ?? r.owningOrgName,
      timeline: events.filter((e) => e.fromStatus !== e.toStatus || e.action === 'create')
        .map((e) => ({ at: isoRequired(e.at), action: e.action, toStatus: e.toStatus as CaseStatus })),
      result: (ResultStatuses as readonly string[]).includes(r.status) ? r.resultText : null,
      canRate: r.status === 'replied', visitResult: r.visitResult as VisitResult | null,
      resultPhotos: (ResultStatuses as readonly string[]).includes(r.status) ? resultPhotoIds(events) : [],
    };
  }

  /** A photo of the result the reporter is shown: one of the current result's, never another attachment of the case. */
  async function resultPhoto(number: string, secret: string, id: string) {
    const row = await findByNumberAndSecret(number, secret);
    if (!(ResultStatuses as readonly string[]).includes(row.status) || !resultPhotoIds(await repo.listEvents(db, row.id)).includes(id)) throw notFound('attachment');
    const file = await deps.attachments.readOfCase(row.id, id);
    if (!file || !file.meta.contentType.startsWith('image/')) throw notFound('attachment');
    return file;
  }

  /** The reporter's own rating counts as the return visit; 不满意 reopens the case. */
  async function rate(number: string, secret: string, result: Exclude<VisitResult, 'unreachable'>, comment?: string) {
    const row = await findByNumberAndSecret(number, secret);
    const cal = await deps.calendar.calendar();
    await db.transaction(async (tx) => {
      const fresh = (await repo.findCaseForAction(tx, eq(cases.id, row.id)))!;
      await actions.transition(tx, cal, systemActor(RESIDENT_ACTOR), fresh, 'return_visit', { version: fresh.version, result, note: comment ?? '' });
    }).catch((e: unknown) => {
      // the transition table decides; the resident is told in plain words, not in the workflow's terms
      throw e instanceof AppError && e.code === 'CASE_INVALID_TRANSITION' ? new AppError('CASE_NOT_AWAITING_RATING') : e;
    });
    return track(number, secret);
  }

  return { track, rate, resultPhoto };
}

/** The photos of the latest result (a reply or the handling on the spot); a reopened case's next reply brings its own. */
function resultPhotoIds(events: { action: string; payload: Record<string, unknown> }[]): string[] {
  const last = events.findLast((e) => e.action === 'reply' || e.action === 'handle_on_spot');
  const ids = last?.payload.attachments;
  return Array.isArray(ids) ? ids.filter((x): x is string => typeof x === 'string') : [];
}
