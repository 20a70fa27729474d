/**
 * 四色预警: what each kind of rule looks at when a case arrives or changes, and the warning it raises. Each
 * function answers with a candidate (its area, window key, evidence, title and facts) or nothing; warnings.ts
 * raises it — once per rule × area × window — and sends the notices. docs/command-center.md defines each rule.
 */
import crypto from 'node:crypto';
import type { Tx } from '../../db/database.ts';
import type { KeyRing } from '../../lib/personal-data.ts';
import { CASE_FIELDS } from '../cases/case-record.ts';
import { PERSON_FIELDS } from '../registry/people.service.ts';
import { chinaDay } from '../calendar/working-time.ts';
import { areasOnPath } from '../areas/areas.repository.ts';
import * as repo from './warnings.repository.ts';

export const WarningKinds = ['cluster', 'repeat', 'group', 'spike', 'overdue', 'supervision', 'special_population'] as const;
export type WarningKind = (typeof WarningKinds)[number];

export interface Candidate { areaId: number; areaPath: string; windowKey: string; caseIds: string[]; title: string; facts: Record<string, unknown> }
export interface RuleContext { tx: Tx; keys: KeyRing; c: repo.CaseRow & { isNew: boolean }; rule: repo.RuleRow; categoryName: (id: number) => Promise<{ name: string; code: string }> }

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

type Evaluate = (x: RuleContext) => Promise<Candidate | null>;

export const evaluators: Record<WarningKind, Evaluate> = {
  /** ≥ count cases of one category in one place (the case's grid or community) within the last `hours`. */
  async cluster({ tx, c, rule, categoryName }) {
    if (!c.isNew) return null;
    const count = num(rule.params.count, 3);
    const hours = num(rule.params.hours, 24);
    const found = await repo.casesInWindow(tx, c.areaId, c.categoryId, new Date(c.createdAt.getTime() - hours * HOUR), c.createdAt);
    if (found.count < count) return null;
    const category = await categoryName(c.categoryId);
    return {
      areaId: c.areaId, areaPath: c.areaPath, windowKey: `category:${c.categoryId}`, caseIds: found.ids,
      title: `${hours} 小时内同一网格${category.name}事项 ${found.count} 件`, facts: { hours, count: found.count, category: category.code },
    };
  },

  /** The same reporter (by the phone's blind index) ≥ count times within `days`. */
  async repeat({ tx, c, rule }) {
    if (!c.isNew || !c.reporterPhoneBidx) return null;
    const count = num(rule.params.count, 3);
    const days = num(rule.params.days, 30);
    const found = await repo.casesOfReporter(tx, c.reporterPhoneBidx, new Date(c.createdAt.getTime() - days * DAY), c.createdAt);
    if (found.length < count) return null;
    // the window names the reporter by a hash of the blind index: no phone, and no index to look it up with
    const who = crypto.createHash('sha256').update(c.reporterPhoneBidx).digest('hex').slice(0, 16);
    return {
      areaId: c.areaId, areaPath: c.areaPath, windowKey: `reporter:${who}`, caseIds: found.map((f) => f.id),
      title: `同一群众 ${days} 天内反映 ${found.length} 次`, facts: { days, count: found.length },
    };
  },

  /** Signs of a group incident: many people, a category such as wage arrears, or a keyword in the description. */
  async group({ tx, c, rule, categoryName }) {
    if (!c.isNew) return null;
    const people = num(rule.params.people, 10);
    const keywords = Array.isArray(rule.params.keywords) ? (rule.params.keywords as unknown[]).filter((k): k is string => typeof k === 'string' && k.length > 0) : [];
    const codes = Array.isArray(rule.params.categoryCodes) ? (rule.params.categoryCodes as string[]) : [];
    const category = await categoryName(c.categoryId);
    const reasons: string[] = [];
    if (c.peopleInvolved >= people) reasons.push(`涉及 ${c.peopleInvolved} 人`);
    if (codes.includes(category.code)) reasons.push(category.name);
    const words = keywords.filter((k) => c.description.includes(k));
    if (words.length) reasons.push(`关键词“${words.join('、')}”`);
    if (!reasons.length) return null;
    const windowKey = `case:${c.id}`;
    if (await repo.everRaised(tx, rule.id, windowKey)) return null;
    return {
      areaId: c.areaId, areaPath: c.areaPath, windowKey, caseIds: [c.id], title: `群体性事件苗头：${reasons.join('，')}`,
      facts: { people: c.peopleInvolved, category: codes.includes(category.code) ? category.code : null, keywords: words },
    };
  },

  /** A day's count of a category under the township above its same-weekday mean of the past weeks + k·σ. */
  async spike({ tx, c, rule, categoryName }) {
    if (!c.isNew) return null;
    const weeks = num(rule.params.weeks, 4);
    const k = typeof rule.params.k === 'number' ? rule.params.k : 3;
    const minCount = num(rule.params.minCount, 5);
    const level = typeof rule.params.areaLevel === 'string' ? rule.params.areaLevel : 'township';
    const above = (await areasOnPath(tx, c.areaPath)).find((a) => a.level === level);
    if (!above) return null;
    const day = chinaDay(c.createdAt);
    const history = Array.from({ length: weeks }, (_, i) => chinaDay(new Date(c.createdAt.getTime() - (i + 1) * 7 * DAY)));
    const counts = await repo.dayCounts(tx, above.id, c.categoryId, history);
    const past = history.map((d) => counts.get(d) ?? 0);
    const mean = past.reduce((a, b) => a + b, 0) / weeks;
    const sd = Math.sqrt(past.reduce((a, b) => a + (b - mean) ** 2, 0) / weeks);
    // counted only as far as the threshold and one more: enough to know it is passed
    const cap = Math.max(minCount, Math.floor(mean + k * sd) + 1) + 1;
    const today = await repo.casesToday(tx, above.path, c.categoryId, new Date(Date.parse(`${day}T00:00:00+08:00`)), c.createdAt, cap);
    if (today < minCount || today <= mean + k * sd) return null;
    const category = await categoryName(c.categoryId);
    return {
      areaId: above.id, areaPath: above.path, windowKey: `${day}:category:${c.categoryId}`, caseIds: [c.id],
      title: `${above.name}${category.name}事项当日已达 ${today} 件，高于近 ${weeks} 周同日均值 ${mean.toFixed(1)}`,
      facts: { day, today, mean: Math.round(mean * 10) / 10, sd: Math.round(sd * 10) / 10, weeks, k, category: category.code },
    };
  },

  /** A case past its handle clock (the deadline job flagged it) while still being worked on. */
  async overdue({ tx, c, rule }) {
    if (!RUNNING.has(c.status) || !c.warnings.includes('handle_overdue')) return null;
    const windowKey = `case:${c.id}:overdue`;
    if (await repo.everRaised(tx, rule.id, windowKey)) return null;
    return { areaId: c.areaId, areaPath: c.areaPath, windowKey, caseIds: [c.id], title: `事项 ${c.number} 超过办理时限`, facts: { number: c.number } };
  },

  /** A red-card (or the configured level of) supervision on a case. */
  async supervision({ tx, c, rule }) {
    const level = typeof rule.params.level === 'string' ? rule.params.level : 'red';
    if (c.supervisionLevel !== level) return null;
    const windowKey = `case:${c.id}:${level}`;
    if (await repo.everRaised(tx, rule.id, windowKey)) return null;
    return { areaId: c.areaId, areaPath: c.areaPath, windowKey, caseIds: [c.id], title: `事项 ${c.number} 被${level === 'red' ? '红牌' : '黄牌'}督办`, facts: { number: c.number, level } };
  },

  /** The reporter is a registered special-population person (matched by phone, decrypted in process only). */
  async special_population({ tx, keys, c, rule }) {
    if (!c.isNew || !c.reporterPhoneEnc) return null;
    const phone = keys.decrypt(CASE_FIELDS.reporterPhone, c.reporterPhoneEnc);
    const groups = await repo.specialGroupsByPhone(tx, keys.blindIndex(PERSON_FIELDS.phone, phone));
    if (!groups.length) return null;
    const windowKey = `case:${c.id}`;
    if (await repo.everRaised(tx, rule.id, windowKey)) return null;
    return { areaId: c.areaId, areaPath: c.areaPath, windowKey, caseIds: [c.id], title: `事项 ${c.number} 涉及特殊人群`, facts: { number: c.number, groups } };
  },
};
