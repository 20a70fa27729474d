import { maskName, type AuditAction, type Locale } from '@fengqiao/contracts';
import type { Db, Executor } from '../../db/database.ts';
import { auditLog } from '../../db/schema.ts';
import { authorize, type Actor } from '../../access/actor.ts';
import { visibleTo } from '../../access/scope.ts';
import { endOfChinaDay } from '../calendar/working-time.ts';
import type { KeyRing } from '../../lib/personal-data.ts';
import { decodeCursor, isoRequired, pageOf } from '../../lib/paging.ts';
import type { StaffNames } from '../users/staff-names.ts';
import { auditWorkbook } from './export.ts';
import { caseIdsByNumber, insertAudit, listAudit, targetNames, type AuditRow } from './audit.repository.ts';

export interface AuditEvent {
  action: AuditAction;
  targetType?: string | null;
  targetId?: string | number | null;
  /** Whose jurisdiction the entry belongs to; defaults to the actor's. */
  areaPath?: string;
  organizationId?: number | null;
  detail?: Record<string, unknown>;
}

export interface AuditQuery {
  action?: AuditAction; actorId?: string; targetType?: string; targetId?: string; target?: string; from?: string; to?: string;
}

/** The person field a registry person's name is encrypted under (people.service.ts's PERSON_FIELDS.name). */
const PERSON_NAME = 'people.name';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EXPORT_MAX = 50_000;
const DAY = 86_400_000;

export function createAuditService(deps: { db: Db; keys: KeyRing; staff: StaffNames }) {
  /** Written in the caller's transaction when there is one, so an audited change and its entry commit together. */
  async function record(actor: Actor, event: AuditEvent, ex: Executor = deps.db): Promise<number> {
    return insertAudit(ex, {
      actorId: actor.userId,
      actorName: actor.username,
      action: event.action,
      targetType: event.targetType ?? null,
      targetId: event.targetId === undefined || event.targetId === null ? null : String(event.targetId),
      areaPath: event.areaPath ?? actor.areaPath,
      organizationId: event.organizationId ?? actor.organizationId,
      ip: actor.ip,
      userAgent: actor.userAgent,
      requestId: actor.requestId,
      detail: event.detail ?? {},
    });
  }

  /** The filters as the repository takes them: a case number becomes its case's id; days are China-time days. */
  async function filtersOf(q: AuditQuery) {
    const target = q.target?.trim();
    const targetIds = target === undefined ? undefined : UUID.test(target) ? [target.toLowerCase()] : [...await caseIdsByNumber(deps.db, target), target];
    return {
      action: q.action, actorId: q.actorId, targetType: q.targetType, targetId: q.targetId, targetIds,
      since: q.from ? new Date(endOfChinaDay(q.from).getTime() - DAY) : undefined, until: q.to ? endOfChinaDay(q.to) : undefined,
    };
  }

  const scope = (actor: Actor) => visibleTo(actor, { areaPath: auditLog.areaPath, organizationId: auditLog.organizationId });

  async function list(actor: Actor, q: AuditQuery & { limit?: number; cursor?: string }) {
    authorize(actor, 'audit.read');
    const limit = q.limit ?? 50;
    const rows = await listAudit(deps.db, scope(actor), { ...await filtersOf(q), beforeId: decodeCursor<number>(q.cursor, 'number'), limit: limit + 1 });
    const page = pageOf(rows, limit, (r) => r.id);
    return { items: await present(page.items), nextCursor: page.nextCursor };
  }

  /** The filtered log as a workbook, newest first; exporting is itself an entry of the log. */
  async function exportLog(actor: Actor, q: AuditQuery, locale: Locale) {
    authorize(actor, 'audit.read');
    const rows = await listAudit(deps.db, scope(actor), { ...await filtersOf(q), limit: EXPORT_MAX });
    const body = await auditWorkbook(await present(rows), locale);
    await record(actor, { action: 'audit.export', detail: { filters: q, rows: rows.length } });
    return body;
  }

  /** Entries with the names people know: colleagues by name, cases by number, areas and organisations by name. */
  async function present(rows: AuditRow[]) {
    const of = (type: string) => rows.filter((r) => r.targetType === type && r.targetId).map((r) => r.targetId!);
    const caseOf = (r: AuditRow) => (r.targetType === 'case' || r.targetType === 'mediation' || r.targetType === 'mediation_party' ? r.targetId?.split('/')[0] ?? null : null);
    const ints = (xs: string[]) => xs.map(Number).filter(Number.isSafeInteger);
    const caseIds = [...new Set(rows.map(caseOf).filter((x): x is string => Boolean(x && UUID.test(x))))];
    const [staff, named] = await Promise.all([
      deps.staff.names([...rows.map((r) => r.actorId), ...of('user')]),
      targetNames(deps.db, { cases: caseIds, areas: ints(of('area')), orgs: ints(of('organization')), categories: ints(of('category')), people: of('person').filter((x) => UUID.test(x)) }),
    ]);
    const names = new Map<string, string>([
      ...named.cases.map((x) => [`case:${x.id}`, x.name] as const),
      ...named.areas.map((x) => [`area:${x.id}`, x.name] as const),
      ...named.orgs.map((x) => [`organization:${x.id}`, x.name] as const),
      ...named.categories.map((x) => [`category:${x.id}`, x.name] as const),
      ...named.people.map((x) => [`person:${x.id}`, x.nameEnc ? maskName(deps.keys.decrypt(PERSON_NAME, x.nameEnc)) : ''] as const),
      ...[...staff].map(([id, name]) => [`user:${id}`, name] as const),
    ]);
    return rows.map((r) => {
      const caseId = caseOf(r);
      const targetLabel = caseId ? names.get(`case:${caseId}`) ?? null : r.targetType && r.targetId ? names.get(`${r.targetType}:${r.targetId}`) ?? null : null;
      const targetLink = caseId ? (r.targetType === 'case' ? `/cases/${caseId}` : `/mediations/${caseId}`)
        : r.targetType === 'user' ? '/users' : r.targetType === 'area' ? '/areas' : r.targetType === 'organization' ? '/organizations' : r.targetType === 'person' ? '/registry' : null;
      return {
        id: r.id, at: isoRequired(r.at), actorId: r.actorId, actorName: r.actorName, actorDisplayName: r.actorId ? staff.get(r.actorId) ?? null : null,
        action: r.action, targetType: r.targetType, targetId: r.targetId, targetLabel, targetLink, ip: r.ip, requestId: r.requestId, detail: r.detail ?? {},
      };
    });
  }

  return { record, list, exportLog };
}
export type AuditService = ReturnType<typeof createAuditService>;
export type AuditEntry = Awaited<ReturnType<AuditService['list']>>['items'][number];
