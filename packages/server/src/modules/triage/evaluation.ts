/**
 * How well a category model sorts: stratified k-fold cross-validation (or a separate test set) with top-1 and top-3
 * accuracy, macro-averaged F1, per-category precision and recall and the confusion matrix. docs/triage.md explains
 * the figures.
 */
import type { Example } from './model.ts';
import { rng, shuffle } from './random.ts';

export interface Predictor { predict(text: string): { label: string; confidence: number }[] }
export interface Evaluation {
  n: number; top1: number; top3: number; macroF1: number; labels: string[];
  perClass: { label: string; precision: number; recall: number; f1: number; support: number }[];
  /** confusion[i][j]: cases of labels[i] predicted as labels[j]. */
  confusion: number[][];
  /** Mean milliseconds to predict one text. */
  predictMs: number; predictP95Ms: number;
}

/** Folds stratified by label: each fold holds about 1/k of every label. */
export function stratifiedFolds(examples: Example[], k: number, seed = 42): number[][] {
  const byLabel = new Map<string, number[]>();
  examples.forEach((e, i) => {
    const rows = byLabel.get(e.label);
    if (rows) rows.push(i); else byLabel.set(e.label, [i]); // in place: copying the list for each example was quadratic (12 s for 100,000)
  });
  const folds: number[][] = Array.from({ length: k }, () => []);
  let next = 0;
  const random = rng(seed);
  for (const label of [...byLabel.keys()].sort()) for (const i of shuffle(byLabel.get(label)!, random)) folds[next++ % k]!.push(i);
  return folds;
}

export function score(pairs: { truth: string; ranked: string[] }[], labels: string[], timings: number[]): Evaluation {
  const at = new Map(labels.map((l, i) => [l, i]));
  const confusion = labels.map(() => labels.map(() => 0));
  let top1 = 0, top3 = 0;
  for (const p of pairs) {
    if (p.ranked[0] === p.truth) top1++;
    if (p.ranked.slice(0, 3).includes(p.truth)) top3++;
    const i = at.get(p.truth), j = at.get(p.ranked[0]!);
    if (i !== undefined && j !== undefined) confusion[i]![j]!++;
  }
  const perClass = labels.map((label, i) => {
    const tp = confusion[i]![i]!;
    const predicted = confusion.reduce((s, row) => s + row[i]!, 0);
    const support = confusion[i]!.reduce((a, b) => a + b, 0);
    const precision = predicted ? tp / predicted : 0, recall = support ? tp / support : 0;
    return { label, precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0, support };
  });
  const sorted = [...timings].sort((a, b) => a - b);
  return {
    n: pairs.length, top1: top1 / pairs.length, top3: top3 / pairs.length,
    macroF1: perClass.reduce((s, c) => s + c.f1, 0) / labels.length, labels, perClass, confusion,
    predictMs: timings.reduce((a, b) => a + b, 0) / Math.max(1, timings.length), predictP95Ms: sorted[Math.floor(sorted.length * 0.95)] ?? 0,
  };
}

/** Predicts each test example with a model trained on `train`. */
export function predictAll(model: Predictor, test: Example[]) {
  const timings: number[] = [];
  const pairs = test.map((e) => {
    const t = performance.now();
    const ranked = model.predict(e.text).map((r) => r.label);
    timings.push(performance.now() - t);
    return { truth: e.label, ranked };
  });
  return { pairs, timings };
}

/** k-fold cross-validation of a training function; also the mean seconds to train on (k−1)/k of the data. */
export async function crossValidate(examples: Example[], train: (xs: Example[]) => Predictor | Promise<Predictor>, k = 5): Promise<Evaluation & { trainSeconds: number }> {
  const folds = stratifiedFolds(examples, k);
  const pairs: { truth: string; ranked: string[] }[] = [];
  const timings: number[] = [];
  let trainMs = 0;
  for (const fold of folds) {
    const held = new Set(fold);
    const t = performance.now();
    const model = await train(examples.filter((_, i) => !held.has(i)));
    trainMs += performance.now() - t;
    const r = predictAll(model, fold.map((i) => examples[i]!));
    pairs.push(...r.pairs);
    timings.push(...r.timings);
  }
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  return { ...score(pairs, labels, timings), trainSeconds: trainMs / k / 1000 };
}
