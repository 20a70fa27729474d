import type { Db, Executor } from '../../db/database.ts';
import { auditLog } from '../../db/schema.ts';
import { authorize, type Actor } from '../../access/actor.ts';
import { visibleTo } from '../../access/scope.ts';
import { decodeCursor, isoRequired, pageOf } from '../../lib/paging.ts';
import { insertAudit, listAudit, type AuditRow } from './audit.repository.ts';

export interface AuditEvent {
  action: string;
  targetType?: string | null;
  targetId?: string | number | null;
  /** Whose jurisdiction the entry belongs to; defaults to the actor's. */
  areaPath?: string;
  organizationId?: number | null;
  detail?: Record<string, unknown>;
}

export function createAuditService(deps: { db: Db }) {
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

  async function list(actor: Actor, q: { action?: string; actorId?: string; targetType?: string; targetId?: string; limit?: number; cursor?: string }) {
    authorize(actor, 'audit.read');
    const limit = q.limit ?? 50;
    const rows = await listAudit(deps.db, visibleTo(actor, { areaPath: auditLog.areaPath, organizationId: auditLog.organizationId }), {
      ...q, beforeId: decodeCursor<number>(q.cursor, 'number'), limit: limit + 1,
    });
    const page = pageOf(rows, limit, (r) => r.id);
    return { items: page.items.map(presentAudit), nextCursor: page.nextCursor };
  }

  return { record, list };
}
export type AuditService = ReturnType<typeof createAuditService>;

export function presentAudit(r: AuditRow) {
  return {
    id: r.id, at: isoRequired(r.at), actorId: r.actorId, actorName: r.actorName, action: r.action,
    targetType: r.targetType, targetId: r.targetId, ip: r.ip, requestId: r.requestId, detail: r.detail ?? {},
  };
}
