/**
 * Duplicate detection measured (docs/triage.md): `npm run bench:duplicates`.
 *
 * Two generated sets (test/helpers/paraphrases.ts) of incidents reported several times in other words by other
 * people a few metres apart, among unrelated reports. Each report is compared, as at intake, with the reports of
 * the fortnight before it in the township (`--window` hours); a pair is a true duplicate when both report one incident. The threshold is
 * chosen on the first set (best F1) and precision and recall are reported on the second — with the reports'
 * points, and without them (a phone call at the window often has none), and beside it a variant weighting each bigram by its rarity.
 * Last line: `precision=… recall=… f1=… pairs=…` (with points, the shipped threshold, on the second set).
 */
import { parseArgs } from 'node:util';
import { generateReports, type GeneratedReport } from '../packages/server/test/helpers/paraphrases.ts';
import { judge, shingles, similarity, THRESHOLD, WINDOW_DAYS } from '../packages/server/src/modules/triage/duplicates.ts';

const { values } = parseArgs({ options: { incidents: { type: 'string', default: '400' }, window: { type: 'string', default: String(WINDOW_DAYS * 24) } } });
const incidents = Number(values.incidents);
const windowHours = Number(values.window);

/** The compared variant: each bigram weighted by its smoothed inverse document frequency among the texts compared. */
function rarity(sets: Set<string>[]): (g: string) => number {
  const df = new Map<string, number>();
  for (const s of sets) for (const g of s) df.set(g, (df.get(g) ?? 0) + 1);
  const n = sets.length;
  return (g) => Math.log((1 + n) / (1 + (df.get(g) ?? 0))) + 1;
}

const grids = new Map<string, number>(), kinds = new Map<string, number>();
const idOf = (m: Map<string, number>, k: string) => m.get(k) ?? (m.set(k, m.size + 1), m.size);
interface Pair { score: number; same: boolean }
/** Every (report, earlier report within the window) pair with its score. */
function pairs(reports: GeneratedReport[], o: { points: boolean; weighted: boolean; textOnly?: boolean }): Pair[] {
  const sets = reports.map((r) => shingles(r.text));
  for (const r of reports) { idOf(grids, r.grid); idOf(kinds, r.kind); }
  const out: Pair[] = [];
  for (let i = 0; i < reports.length; i++) {
    const r = reports[i]!;
    const pool: number[] = [];
    for (let j = i - 1; j >= 0 && reports[j]!.at >= r.at - windowHours; j--) pool.push(j);
    const weight = o.weighted ? rarity([sets[i]!, ...pool.map((j) => sets[j]!)]) : undefined;
    const asReport = (x: GeneratedReport) => (o.textOnly ? { text: x.text } : {
      text: x.text, address: x.address, lon: o.points ? x.lon : null, lat: o.points ? x.lat : null, reporter: x.phone, areaPath: `/1/${grids.get(x.grid)}/`, categoryId: kinds.get(x.kind),
    });
    for (const j of pool) {
      const { score } = judge(asReport(r), asReport(reports[j]!), similarity(sets[i]!, sets[j]!, weight));
      out.push({ score, same: r.incident === reports[j]!.incident });
    }
  }
  return out;
}
function at(ps: Pair[], threshold: number) {
  let tp = 0, fp = 0, fn = 0;
  for (const p of ps) { if (p.score >= threshold) { if (p.same) tp++; else fp++; } else if (p.same) fn++; }
  const precision = tp / Math.max(1, tp + fp), recall = tp / Math.max(1, tp + fn);
  return { precision, recall, f1: (2 * precision * recall) / Math.max(1e-9, precision + recall), positives: tp + fn, n: ps.length };
}
function best(ps: Pair[]) {
  let top = { threshold: 0, f1: -1 };
  for (let t = 0.2; t <= 1.2; t += 0.02) { const f1 = at(ps, t).f1; if (f1 > top.f1) top = { threshold: Math.round(t * 100) / 100, f1 }; }
  return top.threshold;
}

const tune = generateReports(1, incidents);
const test = generateReports(2, incidents);
const f = (x: number) => x.toFixed(4);
console.log(`duplicates: ${tune.length} reports of ${incidents} incidents to tune, ${test.length} to measure; window ${windowHours} h; shipped threshold ${THRESHOLD}`);
let last = '';
for (const weighted of [false, true]) {
  for (const points of [true, false]) {
    const tuned = best(pairs(tune, { points, weighted }));
    const ps = pairs(test, { points, weighted });
    const shipped = at(ps, THRESHOLD), own = at(ps, tuned);
    console.log(`${weighted ? 'rarity-weighted' : 'unweighted     '} ${points ? 'with points   ' : 'without points'}  shipped ${THRESHOLD}: precision ${f(shipped.precision)} recall ${f(shipped.recall)} F1 ${f(shipped.f1)}`
      + `  | best on tuning set ${tuned}: precision ${f(own.precision)} recall ${f(own.recall)} F1 ${f(own.f1)}  (${shipped.positives} duplicate pairs of ${shipped.n})`);
    if (!weighted && points) last = `precision=${f(shipped.precision)} recall=${f(shipped.recall)} f1=${f(shipped.f1)} pairs=${shipped.n}`;
  }
}
{
  const tuned = best(pairs(tune, { points: false, weighted: false, textOnly: true }));
  const own = at(pairs(test, { points: false, weighted: false, textOnly: true }), tuned);
  console.log(`text alone (no place, category or reporter)  best on tuning set ${tuned}: precision ${f(own.precision)} recall ${f(own.recall)} F1 ${f(own.f1)}`);
}
console.log(last);
