/**
 * Reads of cases: lists with their filters, the ledger export, queue counts, a case's detail, its dispatch
 * targets, the audited reveal of its reporter — and the reads other modules make (the grid page, the map).
 * Every one is inside `visibleCases(actor)`, the scope of access/scope.ts.
 */
import { and, eq, gte, inArray, isNull, lte, sql, type SQL } from 'drizzle-orm';
import { OpenStatuses, type CaseStatus, type Metric, type Queue } from '@fengqiao/contracts';
import { authorize, type Actor } from '../../access/actor.ts';
import { areasVisibleTo, searchScope, underPath } from '../../access/scope.ts';
import { areas, cases } from '../../db/schema.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { decodeCursor, encodeCursor, isoRequired } from '../../lib/paging.ts';
import { findArea } from '../areas/areas.repository.ts';
import { targetsFor } from '../organizations/organizations.repository.ts';
import { CASE_FIELDS, eventActor, shownPayload } from './case-record.ts';
import * as repo from './cases.repository.ts';
import { searchQueries } from '../triage/search-terms.ts';
import { visibleCases, type CaseDeps } from './context.ts';
import { presentCase } from './present.ts';
import type { WorkCalendar } from '../calendar/working-time.ts';
import { countQueues, overdueCondition, queueCondition } from './queues.ts';

export interface CaseFilters {
  status?: string; channel?: string; categoryId?: number; tier?: string; areaId?: number; createdFrom?: string; createdTo?: string;
  overdue?: boolean; queue?: Queue; open?: boolean; number?: string; q?: string; metric?: Metric; assigneeOrgId?: number; areaDirect?: boolean; leaderMe?: boolean; instructedByMe?: boolean;
  supervisedByMe?: boolean;
}
const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const open = inArray(cases.status, [...OpenStatuses]);

export function createCaseQueries(deps: CaseDeps) {
  const { db, keys, clock } = deps;
  // lists and exports may read from a streaming replica (db/replica.ts); everything else reads the primary
  const reads = deps.reads ?? (() => db);
  // the clocks say what is left in working days: each read takes the calendar once (the service caches it)
  const present = (r: repo.CaseWithNames, actor: Actor, now: Date, reporter?: { name: string | null; phone: string | null }, cal?: WorkCalendar) =>
    presentCase(keys, r, actor, now, reporter, cal);

  /** The list's filters as conditions, always inside the actor's view. */
  async function filters(actor: Actor, q: CaseFilters) {
    const conds: (SQL | undefined)[] = [visibleCases(actor)];
    if (q.number) conds.push(eq(cases.number, q.number.trim()));
    if (q.open !== undefined) conds.push(q.open ? open : sql`not (${open})`);
    if (q.queue) conds.push(queueCondition(actor, q.queue));
    if (q.status) conds.push(eq(cases.status, q.status));
    if (q.channel) conds.push(eq(cases.channel, q.channel));
    if (q.tier) conds.push(q.tier === 'none' ? isNull(cases.tier) : eq(cases.tier, q.tier));
    // the command center's drill-down: the same fact function the rollups sum (migration 0013)
    if (q.metric) conds.push(sql`(fq_case_facts(${cases})).${sql.identifier(snake(q.metric))} > 0`);
    if (q.assigneeOrgId !== undefined) conds.push(eq(cases.assigneeOrgId, q.assigneeOrgId));
    if (q.leaderMe) conds.push(actor.userId ? eq(cases.leaderUserId, actor.userId) : sql`false`);
    // what the actor did on a case: its instructions (批示) and supervisions (督办), read from the timeline
    // (the few cases one person acted on, found by their index first: case_events_actor_idx)
    const didOn = (action: string) => (actor.userId
      ? sql`${cases.id} in (select e.case_id from case_events e where e.actor_id = ${actor.userId}::uuid and e.action = ${action})` : sql`false`);
    if (q.instructedByMe) conds.push(didOn('instruct'));
    if (q.supervisedByMe) conds.push(didOn('supervise'));
    if (q.categoryId !== undefined) {
      const ids = (await deps.categories.list()).filter((c) => c.id === q.categoryId || c.parentId === q.categoryId).map((c) => c.id);
      conds.push(inArray(cases.categoryId, ids.length ? ids : [-1]));
    }
    if (q.areaId !== undefined) {
      const a = await findArea(db, areasVisibleTo(actor, areas.path), q.areaId);
      if (!a) throw notFound('area');
      conds.push(q.areaDirect ? eq(cases.areaId, a.id) : underPath(cases.areaPath, a.path));
    }
    if (q.createdFrom) conds.push(gte(cases.createdAt, new Date(q.createdFrom)));
    if (q.createdTo) conds.push(lte(cases.createdAt, new Date(q.createdTo)));
    if (q.overdue !== undefined) conds.push(overdueCondition(q.overdue));
    if (q.q !== undefined) {
      const tsq = searchQueries(q.q);
      conds.push(tsq ? sql`${cases.id} in (select case_id from case_search where doc @@ ${tsq.match}::tsquery)` : sql`false`);
    }
    return conds;
  }

  async function list(actor: Actor, q: CaseFilters & { limit?: number; cursor?: string }) {
    const limit = q.limit ?? 50;
    const tsq = q.q !== undefined ? searchQueries(q.q) : null;
    if (tsq) {
      // ranked by match (then newest first), paged by position: a search is read from its first page
      const offset = q.cursor ? Number(decodeCursor<string>(q.cursor, 'string')) : 0;
      if (!Number.isInteger(offset) || offset < 0) throw new AppError('VALIDATION_FAILED', { detail: 'cursor' });
      const where = and(...(await filters(actor, { ...q, q: undefined })))!;
      // the newest matches in the caller's area (or the area asked for) and among the cases its organisation sees
      // from outside it; `where` (the scope function and every filter) then decides
      const area = q.areaId !== undefined ? await findArea(db, areasVisibleTo(actor, areas.path), q.areaId) : null;
      const rows = await repo.searchCases(reads(), where, tsq, searchScope(actor, area ?? undefined), limit + 1, offset, { now: clock.now().getTime() });
      const cal = await deps.calendar.calendar();
      const now = clock.now();
      return { items: rows.slice(0, limit).map((r) => present(r, actor, now, undefined, cal)), nextCursor: rows.length > limit ? encodeCursor(String(offset + limit)) : null };
    }
    const conds = await filters(actor, q);
    const after = decodeCursor<string>(q.cursor, 'string');
    const [createdAt, id] = after ? after.split('|') : [];
    const rows = await repo.listCases(reads(), and(...conds)!, limit + 1, after ? { createdAt: createdAt!, id: id! } : undefined);
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    const cal = await deps.calendar.calendar();
    const now = clock.now();
    return {
      items: items.map((r) => present(r, actor, now, undefined, cal)),
      nextCursor: rows.length > limit && last ? encodeCursor(`${last.createdAt.toISOString()}|${last.id}`) : null,
    };
  }

  /** Every case matching the filters, newest first, in pages of 1,000, for the ledger export (masked like the list). */
  async function* exportRows(actor: Actor, q: CaseFilters, max = 50_000) {
    const conds = await filters(actor, q);
    let after: { createdAt: string; id: string } | undefined;
    let n = 0;
    const cal = await deps.calendar.calendar();
    const now = clock.now();
    for (;;) {
      const rows = await repo.listCases(reads(), and(...conds)!, 1000, after);
      for (const r of rows) {
        if (n++ >= max) return;
        yield present(r, actor, now, undefined, cal);
      }
      const last = rows[rows.length - 1];
      if (rows.length < 1000 || !last) return;
      after = { createdAt: last.createdAt.toISOString(), id: last.id };
    }
  }

  async function detail(where: SQL, actor: Actor, id: string) {
    const r = await repo.findCase(db, where, id);
    if (!r) throw notFound('case');
    const events = await repo.listEvents(db, id);
    const cal = await deps.calendar.calendar();
    const staff = (await deps.staff?.names(events.map((e) => e.actorId))) ?? new Map<string, string>();
    return {
      attachments: await deps.attachments.listForCase(id),
      case: present(r, actor, clock.now(), undefined, cal),
      timeline: events.map((e) => ({
        seq: e.seq, at: isoRequired(e.at), actor: eventActor(e), actorName: (e.actorId && staff.get(e.actorId)) || e.actorName, actorOrgId: e.actorOrgId, action: e.action,
        fromStatus: e.fromStatus as CaseStatus | null, toStatus: e.toStatus as CaseStatus, note: e.note, payload: shownPayload(e.payload),
      })),
    };
  }
  const get = (actor: Actor, id: string) => detail(visibleCases(actor), actor, id);
  /** After an action the case may have left the actor's view (a return, an escalation): the result is shown once. */
  const getAfterAction = (actor: Actor, id: string) => detail(sql`true`, actor, id);

  /** The reporter's name or phone in full, for a call back: needs the permission and a reason, and is audited. */
  async function unmaskReporter(actor: Actor, id: string, field: 'name' | 'phone', reason: string) {
    authorize(actor, 'personal_data.unmask');
    if (!reason.trim()) throw new AppError('REASON_REQUIRED');
    const row = await repo.findCaseRow(db, and(visibleCases(actor), eq(cases.id, id))!);
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
    const r = await repo.findCase(db, visibleCases(actor), id);
    if (!r) throw notFound('case');
    const rows = await targetsFor(db, r.owningOrgAreaPath);
    return { items: rows.filter((o) => o.id !== r.owningOrgId).map((o) => ({ ...o, kind: o.kind as 'center', departmentType: o.departmentType as never })) };
  }

  /* What other modules read of cases: open cases of an area subtree, always within the reader's view. */
  const openUnder = (actor: Actor, path: string) => and(visibleCases(actor), underPath(cases.areaPath, path), open)!;
  const subtree = {
    /** The newest open cases of a subtree (the grid page). */
    openCases: async (actor: Actor, path: string, limit: number) =>
      (await repo.listOpenBrief(db, openUnder(actor, path), limit)).map((c) => ({ ...c, status: c.status as CaseStatus, createdAt: c.createdAt.toISOString() })),
    countOpen: (actor: Actor, path: string) => repo.countWhere(db, openUnder(actor, path)),
    /** Open cases counted by their area path (the map sums them per grid). */
    openByAreaPath: (actor: Actor, path: string) => repo.countByAreaPath(db, openUnder(actor, path)),
    /** Points of located open cases, bounded (the map clusters them). */
    openPoints: (actor: Actor, path: string, limit: number) => repo.listPoints(db, openUnder(actor, path), limit),
  };

  return { list, exportRows, queues: (actor: Actor) => countQueues(db, actor), get, getAfterAction, unmaskReporter, targets, subtree, present };
}
export type CaseQueries = ReturnType<typeof createCaseQueries>;
export type CaseSubtreeReader = CaseQueries['subtree'];
