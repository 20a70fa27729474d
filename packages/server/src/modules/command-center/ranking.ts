/**
 * Rankings and assessment (考评): the child areas of an area (townships of a district, communities of a
 * township) or the departments handling its cases, scored by the year's formula — points per rate — over the
 * Wilson lower bound of each rate (95 %), so that 3 of 3 satisfied does not outrank 295 of 300; units below
 * the formula's minimum volume are listed with their figures but not ranked.
 */
import ExcelJS from 'exceljs';
import { eq, inArray, sql } from 'drizzle-orm';
import { Rates, type RateName } from '@fengqiao/contracts';
import type { Db } from '../../db/database.ts';
import { assessmentFormulas, organizations } from '../../db/schema.ts';
import { authorize, type Actor } from '../../access/actor.ts';
import { figuresScope } from '../../access/scope.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import type { Clock } from '../../lib/clock.ts';
import { areasByIds, findAreaById, topAreaOf } from '../areas/areas.repository.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { chinaToday, periodOf, type PeriodKind } from './periods.ts';
import type { FiguresService } from './figures.ts';
import { ratesOf } from './figures.ts';
import type * as repo from './rollups.repository.ts';

/** A year without its own formula: 100 points. */
export const DEFAULT_FORMULA = { weights: { handleOnTime: 30, contactOnTime: 20, satisfaction: 30, firstTimeResolution: 10, repeatShare: 10 } as Partial<Record<RateName, number>>, minVolume: 20 };

/** Wilson score interval's lower bound at 95 %: a rate that small samples cannot inflate. */
export function wilsonLower(successes: number, trials: number, z = 1.96): number | null {
  if (trials <= 0) return null;
  const p = successes / trials;
  const z2 = z * z;
  return (p + z2 / (2 * trials) - z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / (1 + z2 / trials);
}

/** Successes and trials of a rate; the repeat share counts against, so its complement is scored. */
function trialsOf(s: repo.Sums, rate: RateName): [number, number] {
  const [num, dens] = Rates[rate];
  const trials = dens.reduce((a, k) => a + s[k], 0);
  return rate === 'repeatShare' ? [trials - s[num], trials] : [s[num], trials];
}

export function scoreOf(s: repo.Sums, weights: Partial<Record<RateName, number>>): number {
  let score = 0;
  for (const [rate, w] of Object.entries(weights) as [RateName, number][]) {
    const [ok, n] = trialsOf(s, rate);
    score += w * (wilsonLower(ok, n) ?? 0);
  }
  return Math.round(score * 10) / 10;
}

export function createRanking(deps: { db: Db; clock: Clock; audit: AuditService; figures: FiguresService }) {
  const { db } = deps;

  async function formula(year: number) {
    const [f] = await db.select().from(assessmentFormulas).where(eq(assessmentFormulas.year, year));
    return f ? { year, weights: f.weights as Partial<Record<RateName, number>>, minVolume: f.minVolume, configured: true } : { year, ...DEFAULT_FORMULA, configured: false };
  }

  async function putFormula(actor: Actor, year: number, v: { weights: Partial<Record<RateName, number>>; minVolume: number }) {
    authorize(actor, 'settings.write');
    if (actor.kind !== 'system' && actor.areaPath.split('/').filter(Boolean).length > 2) throw new AppError('FORBIDDEN');
    for (const k of Object.keys(v.weights)) if (!(k in Rates)) throw new AppError('VALIDATION_FAILED', { detail: `unknown rate ${k}` });
    await db.transaction(async (tx) => {
      await tx.insert(assessmentFormulas).values({ year, weights: v.weights, minVolume: v.minVolume })
        .onConflictDoUpdate({ target: assessmentFormulas.year, set: { weights: v.weights, minVolume: v.minVolume, updatedAt: sql`now()` } });
      await deps.audit.record(actor, { action: 'settings.assessment_formula', targetType: 'assessment_formula', targetId: year, areaPath: '/', detail: { ...v } }, tx);
    });
    return formula(year);
  }

  async function ranking(actor: Actor, q: { areaId?: number; units?: 'areas' | 'departments'; period?: PeriodKind; date?: string; from?: string; to?: string }) {
    authorize(actor, 'figures.read');
    const requested = q.areaId ? await findAreaById(db, q.areaId) : undefined;
    if (q.areaId && !requested) throw notFound('area');
    const scope = figuresScope(actor, requested);
    if (scope.kind !== 'area') throw new AppError('FORBIDDEN'); // a department sees its own figures, not others' rankings
    const area = requested ?? (await topAreaOf(db, actor.areaPath, sql`true`));
    if (!area) throw notFound('area');
    const p = periodOf(q.period ?? 'month', q.date ?? chinaToday(deps.clock.now()), q.from, q.to);
    const f = await formula(Number(p.to.slice(0, 4)));
    const units = q.units ?? 'areas';
    const sums = units === 'areas'
      ? await deps.figures.sumOver(scope, p.from, p.to, 'channel', 'child', area.id)
      : await deps.figures.sumOver(scope, p.from, p.to, 'org', 'val');
    let names = new Map<string, string>();
    if (units === 'areas') names = new Map((await areasByIds(db, [...sums.keys()].filter(Boolean).map(Number))).map((a) => [String(a.id), a.name]));
    else {
      const ids = [...sums.keys()].map(Number).filter((x) => x > 0);
      const orgs = ids.length ? await db.select().from(organizations).where(inArray(organizations.id, ids)) : [];
      names = new Map(orgs.filter((o) => o.kind === 'department').map((o) => [String(o.id), o.name]));
    }
    const rows = [...sums.entries()].filter(([k, s]) => names.has(k) && s.n > 0).map(([k, s]) => ({
      unitId: Number(k), name: names.get(k)!, n: s.n, rates: ratesOf(s), score: scoreOf(s, f.weights), ranked: s.n >= f.minVolume, rank: null as number | null,
    }));
    rows.sort((a, b) => Number(b.ranked) - Number(a.ranked) || b.score - a.score || b.n - a.n);
    let rank = 0;
    for (const r of rows) if (r.ranked) r.rank = ++rank;
    return { areaId: area.id, areaName: area.name, units, period: { from: p.from, to: p.to }, formula: f, items: rows };
  }

  const pct = (x: number | null) => (x === null ? '' : Math.round(x * 1000) / 10);
  async function exportRanking(actor: Actor, q: Parameters<typeof ranking>[1], locale: 'zh-CN' | 'en-US') {
    const r = await ranking(actor, q);
    const wb = new ExcelJS.Workbook();
    wb.creator = 'Fengqiao';
    const title = locale === 'zh-CN' ? `${r.areaName}考评排名` : `${r.areaName} ranking`;
    const ws = wb.addWorksheet(title.slice(0, 31), { views: [{ state: 'frozen', ySplit: 2 }] });
    ws.addRow([`${title} ${r.period.from} – ${r.period.to}`]);
    ws.addRow(locale === 'zh-CN'
      ? ['排名', '单位', '受理量', '及时受理率%', '按期办结率%', '群众满意率%', '参评率%', '一次性化解率%', '重复诉求率%', '得分']
      : ['Rank', 'Unit', 'Received', 'Contact on time %', 'Handled on time %', 'Satisfaction %', 'Rated %', 'First-time resolution %', 'Repeat %', 'Score']);
    ws.getRow(2).font = { bold: true };
    for (const x of r.items) {
      ws.addRow([x.rank ?? (locale === 'zh-CN' ? '样本不足' : 'too few'), x.name, x.n, pct(x.rates.contactOnTime), pct(x.rates.handleOnTime), pct(x.rates.satisfaction),
        pct(x.rates.ratedShare), pct(x.rates.firstTimeResolution), pct(x.rates.repeatShare), x.score]);
    }
    ws.columns.forEach((c, i) => { c.width = [10, 24, 10, 14, 14, 14, 10, 16, 14, 8][i] ?? 12; });
    await deps.audit.record(actor, { action: 'figures.ranking_export', targetType: 'area', targetId: r.areaId, detail: { ...q } });
    return { body: Buffer.from(await wb.xlsx.writeBuffer()), fileName: `${title}-${r.period.from}-${r.period.to}.xlsx` };
  }

  return { ranking, exportRanking, formula, putFormula };
}
export type RankingService = ReturnType<typeof createRanking>;
