import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { auditLog } from '../../db/schema.ts';

export type AuditRow = typeof auditLog.$inferSelect;
export type NewAuditRow = typeof auditLog.$inferInsert;

export async function insertAudit(ex: Executor, row: NewAuditRow): Promise<number> {
  const [r] = await ex.insert(auditLog).values(row).returning({ id: auditLog.id });
  return r!.id;
}

export async function listAudit(ex: Executor, where: SQL, filters: {
  action?: string; actorId?: string; targetType?: string; targetId?: string; beforeId?: number; limit: number;
}): Promise<AuditRow[]> {
  const conds: (SQL | undefined)[] = [where];
  if (filters.action) conds.push(eq(auditLog.action, filters.action));
  if (filters.actorId) conds.push(eq(auditLog.actorId, filters.actorId));
  if (filters.targetType) conds.push(eq(auditLog.targetType, filters.targetType));
  if (filters.targetId) conds.push(eq(auditLog.targetId, filters.targetId));
  if (filters.beforeId !== undefined) conds.push(lt(auditLog.id, filters.beforeId));
  return ex.select().from(auditLog).where(and(...conds)).orderBy(desc(auditLog.id)).limit(filters.limit);
}
