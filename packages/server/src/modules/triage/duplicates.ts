/**
 * Duplicate and repeat detection (疑似重复): how alike a new report is to an earlier case near it, and why.
 * The text: the cosine of the two texts' sets of character bigrams (normalised, digits kept — 3号楼 is not 5号楼 —
 * function and courtesy words dropped). Weighting bigrams by their rarity among the cases compared measured no
 * better and made a pair's score depend on its neighbours. The other signs: the same reporter (blind index), the same spot (within
 * `NEAR_METRES`), the same address as typed, the same grid — and against: points far apart, other addresses, other grids, other categories; the same category, the same device. A candidate is shown as a
 * likely duplicate when its score — the text's similarity plus what the other signs add — reaches `THRESHOLD`.
 * The weights were chosen on one generated set and measured on another (`npm run bench:duplicates`).
 */
import { FUNCTION_WORDS, segmenter } from './features.ts';

const NOT_TEXT = /[^\p{L}\p{N}]+/gu;
/** The category model's function words, and what people say around a report (greetings, please, thanks). */
const STOP = new Set([...FUNCTION_WORDS, ...'你好 您好 一下 谢谢 感谢 麻烦 请 希望 尽快 处理 解决 反映 问题 有关 部门'.split(' ')]);

/** The bigrams of a text as duplicates are compared: normalised, function and courtesy words dropped, digits kept. */
export function shingles(text: string): Set<string> {
  const t = text.normalize('NFKC').toLowerCase().replace(NOT_TEXT, '');
  const kept = t ? segmenter().cut(t, false).filter((w) => !STOP.has(w)).join('') : '';
  const out = new Set<string>();
  for (let i = 0; i + 2 <= kept.length; i++) out.add(kept.slice(i, i + 2));
  if (kept.length === 1) out.add(kept);
  return out;
}

/** Cosine of two bigram sets, each bigram weighted by `weight` (1 when not given). */
export function similarity(a: Set<string>, b: Set<string>, weight: (g: string) => number = () => 1): number {
  if (!a.size || !b.size) return 0;
  let dot = 0, na = 0, nb = 0;
  for (const g of a) { const w = weight(g) ** 2; na += w; if (b.has(g)) dot += w; }
  for (const g of b) nb += weight(g) ** 2;
  return dot / Math.sqrt(na * nb);
}

/** Metres between two points (lon/lat in degrees; an equirectangular approximation, exact enough within a township). */
export function metres(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
  const k = Math.PI / 180;
  const x = (b.lon - a.lon) * k * Math.cos(((a.lat + b.lat) / 2) * k);
  const y = (b.lat - a.lat) * k;
  return Math.sqrt(x * x + y * y) * 6_371_000;
}

/** How far back a report is compared: cases created within these days (open, or closed since). */
export const WINDOW_DAYS = 14;
export const NEAR_METRES = 150;
/** Two points farther apart than this are two places: the pair is marked down. */
export const FAR_METRES = 1000;
export const THRESHOLD = 0.6;
/** Addresses this alike (cosine of their bigrams) are one place; less alike than `OTHER_ADDRESS`, two. */
export const SAME_ADDRESS = 0.7;
export const OTHER_ADDRESS = 0.5;
/** What each sign adds to the text's similarity (`far` takes away). */
export const WEIGHTS = { reporter: 0.3, near: 0.25, far: 0.5, sameArea: 0.1, otherArea: 0.15, category: 0.15, otherCategory: 0.2, device: 0.6 };

export type Reason =
  | { kind: 'text'; similarity: number } | { kind: 'reporter' } | { kind: 'near'; metres: number } | { kind: 'address' } | { kind: 'area' } | { kind: 'category' } | { kind: 'device' };

export interface Report { text: string; address?: string | null; lon?: number | null; lat?: number | null; areaPath?: string | null; categoryId?: number | null; reporter?: string | null; device?: string | null }

/** How alike two addresses are: 0 when their numbers differ (3号楼 is not 5号楼), else the cosine of their bigrams. */
export function addressAlike(a: string, b: string): number {
  const numbers = (x: string) => (x.normalize('NFKC').match(/\d+/g) ?? []).join('-');
  const na = numbers(a), nb = numbers(b);
  if (na && nb && na !== nb) return 0;
  return similarity(shingles(a), shingles(b));
}

/** How alike two reports are, and the signs behind it (the text's similarity given). */
export function judge(a: Report, b: Report, textSimilarity: number, w = WEIGHTS): { score: number; reasons: Reason[] } {
  const reasons: Reason[] = [{ kind: 'text', similarity: Math.round(textSimilarity * 1000) / 1000 }];
  let score = textSimilarity;
  if (a.reporter && a.reporter === b.reporter) { score += w.reporter; reasons.push({ kind: 'reporter' }); }
  if (a.device && a.device === b.device) { score += w.device; reasons.push({ kind: 'device' }); }
  const hasPoints = a.lon != null && a.lat != null && b.lon != null && b.lat != null;
  const m = hasPoints ? metres({ lon: a.lon!, lat: a.lat! }, { lon: b.lon!, lat: b.lat! }) : Infinity;
  // the address as typed: alike is one place, unlike is two (a point, when both have one, says it better)
  const addressed = !!(a.address?.trim() && b.address?.trim());
  const address = addressed ? addressAlike(a.address!, b.address!) : 0;
  if (m <= NEAR_METRES) { score += w.near; reasons.push({ kind: 'near', metres: Math.round(m) }); }
  else if (hasPoints) score -= w.far * Math.min(1, (m - NEAR_METRES) / (FAR_METRES - NEAR_METRES)); // farther, less likely one place
  else if (addressed && address >= SAME_ADDRESS) { score += w.near; reasons.push({ kind: 'address' }); }
  else if (addressed && address < OTHER_ADDRESS) score -= w.far;
  else if (a.areaPath && a.areaPath === b.areaPath) { score += w.sameArea; reasons.push({ kind: 'area' }); }
  else if (a.areaPath && b.areaPath && !a.areaPath.startsWith(b.areaPath) && !b.areaPath.startsWith(a.areaPath)) score -= w.otherArea; // two grids
  if (a.categoryId != null && a.categoryId === b.categoryId) { score += w.category; reasons.push({ kind: 'category' }); }
  else if (a.categoryId != null && b.categoryId != null) score -= w.otherCategory;
  return { score: Math.round(score * 1000) / 1000, reasons };
}

/**
 * The candidates a new report most likely repeats, best first, each with its score and reasons: `limit` at most,
 * each at or above the threshold.
 */
export function rankDuplicates<C extends Report>(report: Report, candidates: C[], o: { threshold?: number; limit?: number; weights?: typeof WEIGHTS; shinglesOf?: (c: C) => Set<string> } = {}) {
  const mine = shingles(report.text);
  const of = o.shinglesOf ?? ((c: C) => shingles(c.text));
  return candidates
    .map((c) => ({ candidate: c, ...judge(report, c, similarity(mine, of(c)), o.weights) }))
    .filter((x) => x.score >= (o.threshold ?? THRESHOLD))
    .sort((x, y) => y.score - x.score)
    .slice(0, o.limit ?? 5);
}
