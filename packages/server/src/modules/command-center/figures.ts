/**
 * Figures for an area subtree (or an organisation's own cases) and a period: counts and rates for the period,
 * the one before and the same one a year before; what is open now; one-dimensional breakdowns. Everything is
 * summed from the rollups (never a GROUP BY over `cases`), after folding what is queued, so that each number
 * equals the length of the case list it drills down to (docs/command-center.md).
 */
import { sql } from 'drizzle-orm';
import { RateNames, Rates, RollupCounters, type Dimension, type FigureSet, type Figures, type RateName } from '@fengqiao/contracts';
import type { Db } from '../../db/database.ts';
import { authorize, type Actor } from '../../access/actor.ts';
import { figuresScope } from '../../access/scope.ts';
import { notFound } from '../../lib/errors.ts';
import type { Clock } from '../../lib/clock.ts';
import { areasByIds, findAreaById, topAreaOf } from '../areas/areas.repository.ts';
import type { CategoryService } from '../categories/categories.service.ts';
import type { MediationService } from '../mediation/mediation.service.ts';
import { chinaToday, periodOf, previousPeriod, spansOf, yearBefore, type Period, type PeriodKind } from './periods.ts';
import * as repo from './rollups.repository.ts';
import type { Rollups } from './rollups.ts';

type Scope = ReturnType<typeof figuresScope>;
/** Whenever received: the all-time rows, one per area and value. */
const EVER = { from: '1970-01-01', to: '1970-01-01' };
/** The case list's parameter for each breakdown. */
const FILTER_PARAM = { channel: 'channel', category: 'categoryId', tier: 'tier', status: 'status', area: 'areaId' } as const;

export function ratesOf(s: repo.Sums): Record<RateName, number | null> {
  const out = {} as Record<RateName, number | null>;
  for (const name of RateNames) {
    const [num, dens] = Rates[name];
    const den = dens.reduce((a, k) => a + s[k], 0);
    out[name] = den ? Math.round((s[num] / den) * 10_000) / 10_000 : null;
  }
  return out;
}
const zero = (): repo.Sums => Object.fromEntries(RollupCounters.map((c) => [c, 0])) as repo.Sums;
const add = (a: repo.Sums, b: repo.Sums) => { for (const c of RollupCounters) a[c] += b[c]; return a; };

export function createFigures(deps: { db: Db; clock: Clock; rollups: Rollups; categories: CategoryService; mediation: MediationService }) {
  const { db } = deps;

  /**
   * Sums over a period for a scope: an area's own rows (they hold its subtree; `/` is the roots'), or an
   * organisation's rows in the roots; grouped by the dimension's value, by day, or by the areas just below
   * `childOf`, or not grouped.
   */
  async function sumOver(scope: Scope, from: string, to: string, dim: repo.Dim, groupBy?: 'val' | 'child' | 'bucket', childOf?: number) {
    const roots = scope.kind === 'organization' || scope.areaPath === '/' ? await repo.rootAreaIds(db) : [];
    const areaIds = groupBy === 'child' ? await repo.childAreaIds(db, childOf!)
      : scope.kind === 'organization' || scope.areaPath === '/' ? roots : [Number(scope.areaPath.split('/').filter(Boolean).at(-1))];
    const totals = new Map<string, repo.Sums>();
    // day by day (a trend) reads the day rows only; otherwise whole months come from the month rows
    const spans = from === EVER.from ? [{ grain: 'all' as const, ...EVER }] : groupBy === 'bucket' ? [{ grain: 'day' as const, from, to }] : spansOf(from, to);
    for (const span of spans) {
      const rows = await repo.sums(db, {
        grain: span.grain, from: span.from, to: span.to, areaIds, groupBy: groupBy === 'child' ? 'area' : groupBy,
        ...(scope.kind === 'organization' ? { dim: 'org' as const, val: String(scope.orgId) } : { dim }),
      });
      for (const r of rows) totals.set(r.key, add(totals.get(r.key) ?? zero(), r));
    }
    return totals;
  }

  async function figureSet(scope: Scope, p: Period): Promise<FigureSet> {
    const counts = (await sumOver(scope, p.from, p.to, 'channel')).get('') ?? zero();
    return {
      period: { from: p.from, to: p.to }, counts, rates: ratesOf(counts),
      averageHandleWorkingDays: counts.replied ? Math.round((counts.handleWorkingDays / counts.replied) * 10) / 10 : null,
    };
  }

  async function breakdown(scope: Scope, p: Period, dim: Dimension, area: { id: number; path: string; name: string }) {
    if (scope.kind === 'organization') return [];
    const rows = dim === 'area' ? await sumOver(scope, p.from, p.to, 'channel', 'child', area.id) : await sumOver(scope, p.from, p.to, dim, 'val');
    if (dim === 'area') {
      // the cases located at the area itself: its total less its children's
      const own = (await sumOver(scope, p.from, p.to, 'channel')).get('') ?? zero();
      for (const s of rows.values()) for (const c of RollupCounters) own[c] -= s[c];
      rows.set('', own);
    }
    const labels = new Map<string, string>();
    if (dim === 'area') {
      for (const a of await areasByIds(db, [...rows.keys()].filter(Boolean).map(Number))) labels.set(String(a.id), a.name);
    } else if (dim === 'category') {
      for (const c of await deps.categories.list()) labels.set(String(c.id), c.name);
    }
    return [...rows.entries()].filter(([, s]) => s.n > 0).map(([k, s]) => {
      const own = dim === 'area' && k === ''; // cases located at the area itself, not in a child
      const key = own ? String(area.id) : k;
      const filter: Record<string, string> = dim === 'area' ? { areaId: key, ...(own ? { areaDirect: 'true' } : {}) }
        : { [FILTER_PARAM[dim]]: dim === 'tier' && key === '' ? 'none' : key };
      return { key, label: labels.get(key) ?? (own ? area.name : key), n: s.n, open: s.open, overdue: s.overdue, rates: ratesOf(s), filter };
    }).sort((a, b) => b.n - a.n);
  }

  async function figures(actor: Actor, q: { areaId?: number; period?: PeriodKind; date?: string; from?: string; to?: string }): Promise<Figures> {
    authorize(actor, 'figures.read');
    const requested = q.areaId ? await findAreaById(db, q.areaId) : undefined;
    if (q.areaId && !requested) throw notFound('area');
    const scope = figuresScope(actor, requested);
    const area = requested ?? (await topAreaOf(db, actor.areaPath, sql`true`));
    if (!area) throw notFound('area');
    const p = periodOf(q.period ?? 'month', q.date ?? chinaToday(deps.clock.now()), q.from, q.to);
    await deps.rollups.catchUp(false);
    const pending = await deps.rollups.queued();
    const [current, previous, before] = await Promise.all([figureSet(scope, p), figureSet(scope, previousPeriod(p)), figureSet(scope, yearBefore(p))]);
    const now = (await sumOver(scope, EVER.from, EVER.to, 'channel')).get('') ?? zero();
    const dims = ['channel', 'category', 'tier', 'status', 'area'] as const;
    const parts = await Promise.all(dims.map((dim) => breakdown(scope, p, dim, area)));
    const mediation = scope.kind === 'area'
      ? await deps.mediation.figures(actor, { areaId: area.id, from: p.from, to: p.to })
      : await deps.mediation.figures(actor, { from: p.from, to: p.to });
    return {
      areaId: area.id, areaName: area.name, scope: scope.kind, current, previous, yearBefore: before,
      now: { open: now.open, overdue: now.overdue, supervised: now.supervised },
      breakdowns: Object.fromEntries(dims.map((d, i) => [d, parts[i]!])) as Figures['breakdowns'],
      mediation: { concluded: mediation.concluded, successRate: mediation.successRate },
      pending,
    };
  }

  return { figures, sumOver, figureSet };
}
export type FiguresService = ReturnType<typeof createFigures>;
