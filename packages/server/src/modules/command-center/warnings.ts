/**
 * Early warnings (四色预警): the evaluator looks at each case the database queued (a new case, or a change of
 * status, clocks or supervision), runs the rules that cover its area, and raises warnings — one open warning
 * per rule × area × window, later cases joining it as evidence — with their notices, all in one transaction.
 * Then the life of a warning (open → acknowledged → resolved, each by whom) and the rules as data.
 */
import { createRequire } from 'node:module';
import { and, eq, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { cases, warningRules, warnings } from '../../db/schema.ts';
import { authorize, type Actor } from '../../access/actor.ts';
import { figuresScope, underPath } from '../../access/scope.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import type { Clock } from '../../lib/clock.ts';
import type { KeyRing } from '../../lib/personal-data.ts';
import { iso, isoRequired } from '../../lib/paging.ts';
import { enqueue } from '../outbox/outbox.ts';
import { notifyMessage } from '../notifications/notifications.service.ts';
import type { MessageCatalog, Templates } from '../outbox/topics.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { CategoryService } from '../categories/categories.service.ts';
import { findAreaById } from '../areas/areas.repository.ts';
import type { Rollups } from './rollups.ts';
import * as repo from './warnings.repository.ts';
import { everyInterval } from '../../lib/background.ts';
import { DEFAULT_PARAMS, evaluators, WarningKinds, type Hit, type WarningKind } from './warning-rules.ts';

const require = createRequire(import.meta.url);
const messages = require('./command-center.messages.json') as { notify: Templates };
const LEVEL_NAMES = { red: ['红色', 'Red'], orange: ['橙色', 'Orange'], yellow: ['黄色', 'Yellow'], blue: ['蓝色', 'Blue'] } as const;
type Level = keyof typeof LEVEL_NAMES;

/** The rules a new installation starts with (installation-wide; each center may add its own). */
const DEFAULT_RULES: { kind: WarningKind; name: string; level: Level }[] = [
  { kind: 'group', name: '群体性事件苗头', level: 'red' },
  { kind: 'supervision', name: '红牌督办', level: 'red' },
  { kind: 'cluster', name: '同一网格同类事项聚集', level: 'orange' },
  { kind: 'special_population', name: '涉及特殊人群', level: 'orange' },
  { kind: 'repeat', name: '同一群众重复反映', level: 'yellow' },
  { kind: 'spike', name: '同类事项激增', level: 'yellow' },
  { kind: 'overdue', name: '事项超期', level: 'blue' },
];

/** A rule's hits by area × window, in the order they came. */
function byWindow(hits: Hit[]): Hit[][] {
  const groups = new Map<string, Hit[]>();
  for (const h of hits) {
    const key = `${h.candidate.areaId}|${h.candidate.windowKey}`;
    groups.set(key, [...(groups.get(key) ?? []), h]);
  }
  return [...groups.values()];
}

export function createWarnings(deps: { db: Db; clock: Clock; keys: KeyRing; audit: AuditService; categories: CategoryService; catalog: MessageCatalog; rollups: Rollups; onError?: (e: unknown) => void }) {
  const { db, keys } = deps;
  deps.catalog.add('notify', messages.notify);

  async function seedDefaultRules() {
    if (await repo.countRules(db)) return;
    for (const r of DEFAULT_RULES) await repo.insertRule(db, { ...r, areaPath: '/', params: DEFAULT_PARAMS[r.kind], organizationId: null });
  }

  const categoryName = async (id: number) => { const c = await deps.categories.get(id); return { name: c?.name ?? String(id), code: c?.code ?? '' }; };

  /**
   * Looks at up to `limit` queued cases; returns how many queue entries were consumed. Each rule looks at the whole
   * batch at once; its hits are raised once per window, the batch's later cases of a window joining as evidence.
   */
  async function evaluateOnce(limit = 500): Promise<number> {
    return db.transaction(async (tx) => {
      const { claimed, cases: claimedCases } = await repo.claimQueued(tx, limit);
      if (!claimedCases.length) return claimed;
      const rules = await repo.activeRules(tx);
      const now = deps.clock.now();
      for (const rule of rules) {
        const under = claimedCases.filter((c) => c.areaPath.startsWith(rule.areaPath));
        if (!under.length) continue;
        const hits = await evaluators[rule.kind as WarningKind]({ tx, keys, cases: under, rule, categoryName });
        for (const group of byWindow(hits)) {
          const last = group.at(-1)!;
          const caseIds = [...new Set(group.flatMap((h) => h.candidate.caseIds))];
          const { warning, created } = await repo.raise(tx, { ruleId: rule.id, kind: rule.kind, level: rule.level, ...last.candidate, caseIds, at: now }, group.map((h) => h.caseId));
          if (!created) continue;
          const [zh, en] = LEVEL_NAMES[rule.level as Level];
          await enqueue(tx, [notifyMessage({
            kind: 'warning_raised', caseId: last.caseId, organizationIds: [...new Set([...rule.notifyOrgIds, last.owningOrgId])], userIds: [],
            params: { title: warning.title, levelZh: zh, levelEn: en, warningId: warning.id }, body: '',
          })]);
        }
      }
      return claimed;
    });
  }

  async function evaluateAll(): Promise<number> {
    let total = 0;
    for (let n = await evaluateOnce(); n > 0; n = await evaluateOnce()) total += n;
    return total;
  }

  /** Background loop for `serve`: warnings within a couple of seconds of the case that triggers them. */
  function start(intervalMs = 1000, onError = deps.onError) {
    return everyInterval(intervalMs, async (stopped) => { while (!stopped() && (await evaluateOnce()) > 0); }, onError);
  }

  /** The warnings an actor may see: of their area subtree; for a department, those whose evidence it handles. */
  function visible(actor: Actor): SQL {
    const scope = figuresScope(actor);
    if (scope.kind === 'area') return underPath(warnings.areaPath, scope.areaPath);
    return sql`exists (select 1 from ${cases} where ${cases.id} = any(${warnings.caseIds}) and ${cases.assigneeOrgId} = ${scope.orgId})`;
  }

  const present = (w: repo.WarningRow) => ({
    id: w.id, ruleId: w.ruleId, kind: w.kind as WarningKind, level: w.level as Level, areaId: w.areaId, title: w.title, facts: w.facts,
    caseIds: w.caseIds, status: w.status as 'open' | 'acknowledged' | 'resolved', raisedAt: isoRequired(w.raisedAt),
    acknowledgedBy: w.acknowledgedByName, acknowledgedAt: iso(w.acknowledgedAt), resolvedBy: w.resolvedByName, resolvedAt: iso(w.resolvedAt), resolution: w.resolution,
  });

  async function list(actor: Actor, q: { status?: 'open' | 'acknowledged' | 'resolved' | 'active'; level?: Level; areaId?: number; limit?: number; cursor?: string }) {
    authorize(actor, 'figures.read');
    const conds: (SQL | undefined)[] = [visible(actor)];
    if (q.status === 'active') conds.push(repo.openWarnings);
    else if (q.status) conds.push(eq(warnings.status, q.status));
    if (q.level) conds.push(eq(warnings.level, q.level));
    if (q.areaId) {
      const a = await findAreaById(db, q.areaId);
      if (!a || !a.path.startsWith(actor.kind === 'system' ? '/' : actor.areaPath)) throw notFound('area');
      conds.push(underPath(warnings.areaPath, a.path));
    }
    const limit = q.limit ?? 50;
    const before = q.cursor ? Number(q.cursor) : undefined;
    if (q.cursor && !Number.isInteger(before)) throw new AppError('VALIDATION_FAILED', { detail: 'cursor' });
    const rows = await repo.listWarnings(db, and(...conds)!, limit, before);
    const items = rows.slice(0, limit).map(present);
    return { items, nextCursor: rows.length > limit ? String(items.at(-1)!.id) : null };
  }

  /** Acknowledge (认领) or resolve (办结) a warning in view; each step by whom, audited. */
  async function act(actor: Actor, id: number, step: 'acknowledge' | 'resolve', note?: string) {
    authorize(actor, 'warning.manage');
    const w = await repo.findWarning(db, visible(actor), id);
    if (!w) throw notFound('warning');
    if (step === 'resolve' && !note?.trim()) throw new AppError('REASON_REQUIRED');
    const now = deps.clock.now();
    return db.transaction(async (tx) => {
      const updated = step === 'acknowledge'
        ? await repo.updateWarning(tx, id, ['open'], { status: 'acknowledged', acknowledgedBy: actor.userId, acknowledgedByName: actor.username, acknowledgedAt: now })
        : await repo.updateWarning(tx, id, ['open', 'acknowledged'], {
          status: 'resolved', resolvedBy: actor.userId, resolvedByName: actor.username, resolvedAt: now, resolution: note!.trim(),
          ...(w.acknowledgedAt ? {} : { acknowledgedBy: actor.userId, acknowledgedByName: actor.username, acknowledgedAt: now }),
        });
      if (!updated) throw new AppError('WARNING_INVALID_TRANSITION', { status: w.status });
      await deps.audit.record(actor, { action: `warning.${step}`, targetType: 'warning', targetId: id, areaPath: w.areaPath, detail: { note: note?.trim() ?? null } }, tx);
      return present(updated);
    });
  }

  /** Rules an actor sees: installation-wide ones and those of the centers on their path or below. */
  function rulesVisible(actor: Actor): SQL {
    if (actor.kind === 'system') return sql`true`;
    return or(underPath(warningRules.areaPath, actor.areaPath), sql`${actor.areaPath} like ${warningRules.areaPath} || '%'`)!;
  }
  const presentRule = (r: repo.RuleRow) => ({
    id: r.id, organizationId: r.organizationId, areaPath: r.areaPath, kind: r.kind as WarningKind, name: r.name, level: r.level as Level,
    params: r.params, notifyOrgIds: r.notifyOrgIds, active: r.active,
  });
  async function listRules(actor: Actor) {
    authorize(actor, 'figures.read');
    return { items: (await repo.listRules(db, rulesVisible(actor))).map(presentRule) };
  }
  /** A center's own rule (for the cases of its area); installation-wide rules are changed by installation administrators. */
  async function createRule(actor: Actor, v: { kind: WarningKind; name: string; level: Level; params?: Record<string, unknown>; notifyOrgIds?: number[] }) {
    authorize(actor, 'warning.manage');
    if (!actor.organizationId) throw new AppError('FORBIDDEN');
    if (!WarningKinds.includes(v.kind)) throw new AppError('VALIDATION_FAILED', { detail: 'kind' });
    return db.transaction(async (tx) => {
      const r = await repo.insertRule(tx, {
        kind: v.kind, name: v.name.trim(), level: v.level, params: { ...DEFAULT_PARAMS[v.kind], ...(v.params ?? {}) },
        notifyOrgIds: v.notifyOrgIds ?? [], organizationId: actor.organizationId, areaPath: actor.areaPath,
      });
      await deps.audit.record(actor, { action: 'warning.rule_create', targetType: 'warning_rule', targetId: r.id, areaPath: actor.areaPath, detail: { kind: v.kind, level: v.level } }, tx);
      return presentRule(r);
    });
  }
  async function updateRule(actor: Actor, id: number, v: { name?: string; level?: Level; params?: Record<string, unknown>; notifyOrgIds?: number[]; active?: boolean }) {
    authorize(actor, 'warning.manage');
    const r = await repo.findRule(db, id);
    if (!r || !(await repo.listRules(db, and(rulesVisible(actor), eq(warningRules.id, id))!)).length) throw notFound('warning rule');
    const own = r.organizationId !== null && r.organizationId === actor.organizationId;
    const installationAdmin = actor.kind === 'system' || (actor.permissions.has('settings.write') && actor.areaPath.split('/').filter(Boolean).length <= 2);
    if (!own && !installationAdmin) throw new AppError('FORBIDDEN');
    return db.transaction(async (tx) => {
      const updated = await repo.updateRule(tx, id, {
        ...(v.name !== undefined ? { name: v.name.trim() } : {}), ...(v.level ? { level: v.level } : {}), ...(v.active !== undefined ? { active: v.active } : {}),
        ...(v.params ? { params: { ...r.params, ...v.params } } : {}), ...(v.notifyOrgIds ? { notifyOrgIds: v.notifyOrgIds } : {}),
      });
      await deps.audit.record(actor, { action: 'warning.rule_update', targetType: 'warning_rule', targetId: id, areaPath: r.areaPath, detail: { ...v } }, tx);
      return presentRule(updated!);
    });
  }

  /** Counts of open warnings by level, for the big screen. */
  async function openCounts(actor: Actor) {
    const rows = await db.select({ level: warnings.level, n: sql<number>`count(*)::int` }).from(warnings)
      .where(and(visible(actor), repo.openWarnings)).groupBy(warnings.level);
    return Object.fromEntries(rows.map((r) => [r.level, Number(r.n)])) as Partial<Record<Level, number>>;
  }

  return { seedDefaultRules, evaluateOnce, evaluateAll, start, list, act, listRules, createRule, updateRule, openCounts, queued: () => repo.queuedCount(db) };
}
export type WarningsService = ReturnType<typeof createWarnings>;
