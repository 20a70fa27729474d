/**
 * 四色预警: what each kind of rule looks at when cases arrive or change, and the warnings it raises. Each kind
 * looks at a whole batch of queued cases at once — one query per rule and batch, not per case, so the rules keep
 * up with a megacity's peak — and answers with the cases that trigger it and their candidates (area, window key,
 * evidence, title, facts); warnings.ts raises them — once per rule × area × window — and sends the notices.
 * docs/command-center.md defines each rule.
 */
import crypto from 'node:crypto';
import type { Tx } from '../../db/database.ts';
import type { KeyRing } from '../../lib/personal-data.ts';
import { CASE_FIELDS } from '../cases/case-record.ts';
import { PERSON_FIELDS } from '../registry/people.service.ts';
import { chinaDay } from '../calendar/working-time.ts';
import * as repo from './warnings.repository.ts';

export const WarningKinds = ['cluster', 'repeat', 'group', 'spike', 'overdue', 'supervision', 'special_population'] as const;
export type WarningKind = (typeof WarningKinds)[number];

export interface Candidate { areaId: number; areaPath: string; windowKey: string; caseIds: string[]; title: string; facts: Record<string, unknown> }
export type QueuedCase = repo.CaseRow & { isNew: boolean };
/** A case that triggers the rule, and what it would raise. */
export interface Hit { caseId: string; owningOrgId: number; candidate: Candidate }
export interface RuleContext {
  tx: Tx; keys: KeyRing; rule: repo.RuleRow;
  /** The batch's cases under the rule's area, oldest first. */
  cases: QueuedCase[];
  categoryName: (id: number) => Promise<{ name: string; code: string }>;
}

const num = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : fallback);
const RUNNING = new Set(['pending_acceptance', 'pending_dispatch', 'pending_signoff', 'in_progress', 'ruling', 'replied']);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Default parameters of each kind (a rule's own params override them). */
export const DEFAULT_PARAMS: Record<WarningKind, Record<string, unknown>> = {
  cluster: { count: 3, hours: 24 },
  repeat: { count: 3, days: 30 },
  group: { people: 10, keywords: ['讨薪', '欠薪', '上访', '聚集', '群体', '堵路', '围堵', '维权'], categoryCodes: ['D10'] },
  spike: { weeks: 4, k: 3, minCount: 5, areaLevel: 'township' },
  overdue: {},
  supervision: { level: 'red' },
  special_population: {},
};

const hit = (c: QueuedCase, candidate: Candidate): Hit => ({ caseId: c.id, owningOrgId: c.owningOrgId, candidate });

/** Per-case warnings are raised once, even after they were resolved: drops the hits whose window a warning of this rule ever had. */
async function onceEach(ctx: RuleContext, hits: Hit[]): Promise<Hit[]> {
  if (!hits.length) return hits;
  const raised = await repo.raisedWindows(ctx.tx, ctx.rule.id, hits.map((h) => h.candidate.windowKey));
  return hits.filter((h) => !raised.has(h.candidate.windowKey));
}

type Evaluate = (x: RuleContext) => Promise<Hit[]>;

export const evaluators: Record<WarningKind, Evaluate> = {
  /** ≥ count cases of one category in one place (the case's grid or community) within the last `hours`. */
  async cluster(ctx) {
    const count = num(ctx.rule.params.count, 3);
    const hours = num(ctx.rule.params.hours, 24);
    const fresh = ctx.cases.filter((c) => c.isNew);
    const windows = fresh.map((c) => ({ areaId: c.areaId, categoryId: c.categoryId, since: new Date(c.createdAt.getTime() - hours * HOUR), until: c.createdAt }));
    const counts = await repo.casesInWindows(ctx.tx, windows);
    const firing = fresh.map((c, i) => ({ c, n: counts[i]!, w: windows[i]! })).filter((x) => x.n >= count);
    const evidence = await repo.latestInWindows(ctx.tx, firing.map((x) => x.w));
    const hits: Hit[] = [];
    for (const [i, { c, n }] of firing.entries()) {
      const category = await ctx.categoryName(c.categoryId);
      hits.push(hit(c, {
        areaId: c.areaId, areaPath: c.areaPath, windowKey: `category:${c.categoryId}`, caseIds: evidence[i]!,
        title: `${hours} 小时内同一网格${category.name}事项 ${n} 件`, facts: { hours, count: n, category: category.code },
      }));
    }
    return hits;
  },

  /** The same reporter (by the phone's blind index) ≥ count times within `days`. */
  async repeat(ctx) {
    const count = num(ctx.rule.params.count, 3);
    const days = num(ctx.rule.params.days, 30);
    const fresh = ctx.cases.filter((c) => c.isNew && c.reporterPhoneBidx);
    const found = await repo.casesOfReporters(ctx.tx, fresh.map((c) => ({ bidx: c.reporterPhoneBidx!, since: new Date(c.createdAt.getTime() - days * DAY), until: c.createdAt })));
    return fresh.flatMap((c, i) => {
      const ids = found[i]!;
      if (ids.length < count) return [];
      // the window names the reporter by a hash of the blind index: no phone, and no index to look it up with
      const who = crypto.createHash('sha256').update(c.reporterPhoneBidx!).digest('hex').slice(0, 16);
      return [hit(c, { areaId: c.areaId, areaPath: c.areaPath, windowKey: `reporter:${who}`, caseIds: ids, title: `同一群众 ${days} 天内反映 ${ids.length} 次`, facts: { days, count: ids.length } })];
    });
  },

  /** Signs of a group incident: many people, a category such as wage arrears, or a keyword in the description. */
  async group(ctx) {
    const people = num(ctx.rule.params.people, 10);
    const keywords = Array.isArray(ctx.rule.params.keywords) ? (ctx.rule.params.keywords as unknown[]).filter((k): k is string => typeof k === 'string' && k.length > 0) : [];
    const codes = Array.isArray(ctx.rule.params.categoryCodes) ? (ctx.rule.params.categoryCodes as string[]) : [];
    const hits: Hit[] = [];
    for (const c of ctx.cases.filter((x) => x.isNew)) {
      const category = await ctx.categoryName(c.categoryId);
      const reasons: string[] = [];
      if (c.peopleInvolved >= people) reasons.push(`涉及 ${c.peopleInvolved} 人`);
      if (codes.includes(category.code)) reasons.push(category.name);
      const words = keywords.filter((k) => c.description.includes(k));
      if (words.length) reasons.push(`关键词“${words.join('、')}”`);
      if (!reasons.length) continue;
      hits.push(hit(c, {
        areaId: c.areaId, areaPath: c.areaPath, windowKey: `case:${c.id}`, caseIds: [c.id], title: `群体性事件苗头：${reasons.join('，')}`,
        facts: { people: c.peopleInvolved, category: codes.includes(category.code) ? category.code : null, keywords: words },
      }));
    }
    return onceEach(ctx, hits);
  },

  /** A day's count of a category under the township above its same-weekday mean of the past weeks + k·σ. */
  async spike(ctx) {
    const weeks = num(ctx.rule.params.weeks, 4);
    const k = typeof ctx.rule.params.k === 'number' ? ctx.rule.params.k : 3;
    const minCount = num(ctx.rule.params.minCount, 5);
    const level = typeof ctx.rule.params.areaLevel === 'string' ? ctx.rule.params.areaLevel : 'township';
    const fresh = ctx.cases.filter((c) => c.isNew);
    const onPath = new Map((await repo.areasOf(ctx.tx, [...new Set(fresh.flatMap((c) => c.areaPath.split('/').filter(Boolean).map(Number)))])).map((a) => [a.id, a]));
    // the batch's cases by township × category × China day, each group counted once
    const groups = new Map<string, { above: { id: number; name: string; path: string }; categoryId: number; day: string; cases: QueuedCase[] }>();
    for (const c of fresh) {
      const above = c.areaPath.split('/').filter(Boolean).map((id) => onPath.get(Number(id))).find((a) => a?.level === level);
      if (!above) continue;
      const day = chinaDay(c.createdAt);
      const key = `${above.id}:${c.categoryId}:${day}`;
      const g = groups.get(key) ?? { above, categoryId: c.categoryId, day, cases: [] };
      g.cases.push(c);
      groups.set(key, g);
    }
    const list = [...groups.values()];
    const history = (day: string) => Array.from({ length: weeks }, (_, i) => chinaDay(new Date(Date.parse(`${day}T12:00:00+08:00`) - (i + 1) * 7 * DAY)));
    const past = await repo.dayCountsMany(ctx.tx, list.map((g) => ({ areaId: g.above.id, categoryId: g.categoryId, days: history(g.day) })));
    const stats = list.map((g, i) => {
      const xs = history(g.day).map((d) => past[i]!.get(d) ?? 0);
      const mean = xs.reduce((a, b) => a + b, 0) / weeks;
      return { mean, sd: Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / weeks) };
    });
    // today's cases counted live (the rollups may not have folded them), only as far as the threshold needs
    const today = await repo.casesTodayMany(ctx.tx, list.map((g, i) => ({
      areaPath: g.above.path, categoryId: g.categoryId, since: new Date(Date.parse(`${g.day}T00:00:00+08:00`)), until: g.cases.at(-1)!.createdAt,
      cap: Math.max(minCount, Math.floor(stats[i]!.mean + k * stats[i]!.sd) + 1) + 1 + g.cases.length,
    })));
    const hits: Hit[] = [];
    for (const [i, g] of list.entries()) {
      const { mean, sd } = stats[i]!;
      for (const [j, c] of g.cases.entries()) {
        const n = today[i]! - (g.cases.length - 1 - j); // the day's count when this case arrived
        if (n < minCount || n <= mean + k * sd) continue;
        const category = await ctx.categoryName(c.categoryId);
        hits.push(hit(c, {
          areaId: g.above.id, areaPath: g.above.path, windowKey: `${g.day}:category:${c.categoryId}`, caseIds: [c.id],
          title: `${g.above.name}${category.name}事项当日已达 ${n} 件，高于近 ${weeks} 周同日均值 ${mean.toFixed(1)}`,
          facts: { day: g.day, today: n, mean: Math.round(mean * 10) / 10, sd: Math.round(sd * 10) / 10, weeks, k, category: category.code },
        }));
      }
    }
    return hits;
  },

  /** A case past its handle clock (the deadline job flagged it) while still being worked on. */
  async overdue(ctx) {
    return onceEach(ctx, ctx.cases.filter((c) => RUNNING.has(c.status) && c.warnings.includes('handle_overdue')).map((c) =>
      hit(c, { areaId: c.areaId, areaPath: c.areaPath, windowKey: `case:${c.id}:overdue`, caseIds: [c.id], title: `事项 ${c.number} 超过办理时限`, facts: { number: c.number } })));
  },

  /** A red-card (or the configured level of) supervision on a case. */
  async supervision(ctx) {
    const level = typeof ctx.rule.params.level === 'string' ? ctx.rule.params.level : 'red';
    return onceEach(ctx, ctx.cases.filter((c) => c.supervisionLevel === level).map((c) => hit(c, {
      areaId: c.areaId, areaPath: c.areaPath, windowKey: `case:${c.id}:${level}`, caseIds: [c.id],
      title: `事项 ${c.number} 被${level === 'red' ? '红牌' : '黄牌'}督办`, facts: { number: c.number, level },
    })));
  },

  /** The reporter is a registered special-population person (matched by phone, decrypted in process only). */
  async special_population(ctx) {
    const fresh = ctx.cases.filter((c) => c.isNew && c.reporterPhoneEnc)
      .map((c) => ({ c, bidx: ctx.keys.blindIndex(PERSON_FIELDS.phone, ctx.keys.decrypt(CASE_FIELDS.reporterPhone, c.reporterPhoneEnc!)) }));
    const groups = await repo.specialGroupsByPhones(ctx.tx, [...new Set(fresh.map((x) => x.bidx))]);
    return onceEach(ctx, fresh.filter((x) => groups.has(x.bidx)).map(({ c, bidx }) => hit(c, {
      areaId: c.areaId, areaPath: c.areaPath, windowKey: `case:${c.id}`, caseIds: [c.id], title: `事项 ${c.number} 涉及特殊人群`, facts: { number: c.number, groups: groups.get(bidx)! },
    })));
  },
};
