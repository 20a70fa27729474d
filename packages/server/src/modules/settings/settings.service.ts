import type { Tier } from '@fengqiao/contracts';
import type { Db } from '../../db/database.ts';
import { authorize, type Actor } from '../../access/actor.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { isoRequired } from '../../lib/paging.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { CalendarService } from '../calendar/calendar.service.ts';
import { presentCategory, type CategoryService } from '../categories/categories.service.ts';
import * as repo from './settings.repository.ts';

type Span = { amount: number; unit: 'hours' | 'working_days' };
type MediationSpan = { amount: number; unit: 'days' | 'working_days' } | null;
const mediationSpan = (amount: number | null, unit: string | null): MediationSpan => (amount === null ? null : { amount, unit: unit as 'days' | 'working_days' });

/**
 * Installation-wide settings: deadline policies, the working-day calendar, the category tree.
 * They apply to every jurisdiction, so only administrators at county level or above change them.
 * Each change and its audit entry commit in one transaction.
 */
export function createSettingsService(deps: { db: Db; audit: AuditService; calendar: CalendarService; categories: CategoryService }) {
  const { db, audit } = deps;

  function assertInstallationAdmin(actor: Actor) {
    authorize(actor, 'settings.write');
    if (actor.kind !== 'system' && actor.areaPath.split('/').filter(Boolean).length > 2) throw new AppError('FORBIDDEN');
  }

  const presentPolicy = (p: repo.PolicyRow) => ({
    id: p.id, categoryId: p.categoryId, tier: p.tier as Tier | null,
    contact: { amount: p.contactAmount, unit: p.contactUnit as Span['unit'] }, handle: { amount: p.handleAmount, unit: p.handleUnit as Span['unit'] },
    reply: { amount: p.replyAmount, unit: p.replyUnit as Span['unit'] },
    mediationAccept: mediationSpan(p.mediationAcceptAmount, p.mediationAcceptUnit), mediation: mediationSpan(p.mediationAmount, p.mediationUnit),
    updatedAt: isoRequired(p.updatedAt),
  });

  async function listPolicies() {
    return { items: (await repo.listPolicies(db)).map(presentPolicy) };
  }

  async function putPolicy(actor: Actor, v: { categoryId: number | null; tier: Tier | null; contact: Span; handle: Span; reply: Span; mediationAccept?: MediationSpan; mediation?: MediationSpan }) {
    assertInstallationAdmin(actor);
    if (v.categoryId !== null && !(await deps.categories.get(v.categoryId))) throw notFound('category');
    return db.transaction(async (tx) => {
      const row = await repo.upsertPolicy(tx, {
        categoryId: v.categoryId, tier: v.tier, contactAmount: v.contact.amount, contactUnit: v.contact.unit,
        handleAmount: v.handle.amount, handleUnit: v.handle.unit, replyAmount: v.reply.amount, replyUnit: v.reply.unit,
        mediationAcceptAmount: v.mediationAccept?.amount ?? null, mediationAcceptUnit: v.mediationAccept?.unit ?? null,
        mediationAmount: v.mediation?.amount ?? null, mediationUnit: v.mediation?.unit ?? null,
      });
      await audit.record(actor, { action: 'settings.deadline_policy', targetType: 'deadline_policy', targetId: row.id, areaPath: '/', detail: { ...v } }, tx);
      return presentPolicy(row);
    });
  }

  async function deletePolicy(actor: Actor, id: number) {
    assertInstallationAdmin(actor);
    await db.transaction(async (tx) => {
      if (!(await repo.deletePolicy(tx, id))) throw notFound('resource');
      await audit.record(actor, { action: 'settings.deadline_policy_delete', targetType: 'deadline_policy', targetId: id, areaPath: '/' }, tx);
    });
  }

  async function listDays(from: string, to: string) {
    return { items: (await deps.calendar.listDays(from, to)).map((d) => ({ day: d.day, kind: d.kind as 'holiday' | 'workday', name: d.name, source: d.source })) };
  }

  async function putDay(actor: Actor, day: string, kind: 'holiday' | 'workday', name: string) {
    assertInstallationAdmin(actor);
    await db.transaction(async (tx) => {
      await deps.calendar.setDay(day, kind, name, tx);
      await audit.record(actor, { action: 'settings.calendar_day', targetType: 'calendar_day', targetId: day, areaPath: '/', detail: { kind, name } }, tx);
    });
    deps.calendar.invalidate();
    return { day, kind, name, source: 'admin' };
  }

  async function deleteDay(actor: Actor, day: string) {
    assertInstallationAdmin(actor);
    await db.transaction(async (tx) => {
      await deps.calendar.setDay(day, null, '', tx);
      await audit.record(actor, { action: 'settings.calendar_day_delete', targetType: 'calendar_day', targetId: day, areaPath: '/' }, tx);
    });
    deps.calendar.invalidate();
  }

  async function createCategory(actor: Actor, v: { parentId: number; code: string; name: string; nameEn: string }) {
    assertInstallationAdmin(actor);
    const parent = await deps.categories.get(v.parentId);
    if (!parent || parent.parentId !== null) throw new AppError('VALIDATION_FAILED', { detail: 'parentId must be a top-level group' });
    if (await deps.categories.byCode(v.code)) throw new AppError('CONFLICT');
    const row = await db.transaction(async (tx) => {
      const created = await deps.categories.create(tx, { ...v, caseType: parent.caseType });
      await audit.record(actor, { action: 'settings.category_create', targetType: 'category', targetId: created.id, areaPath: '/', detail: { code: v.code, name: v.name } }, tx);
      return created;
    });
    deps.categories.invalidate();
    return presentCategory(row);
  }

  async function updateCategory(actor: Actor, id: number, v: { name?: string; nameEn?: string; active?: boolean }) {
    assertInstallationAdmin(actor);
    const row = await db.transaction(async (tx) => {
      const updated = await deps.categories.update(tx, id, v);
      if (!updated) throw notFound('category');
      await audit.record(actor, { action: 'settings.category_update', targetType: 'category', targetId: id, areaPath: '/', detail: v }, tx);
      return updated;
    });
    deps.categories.invalidate();
    return presentCategory(row);
  }

  return { listPolicies, putPolicy, deletePolicy, listDays, putDay, deleteDay, createCategory, updateCategory };
}
export type SettingsService = ReturnType<typeof createSettingsService>;
