/**
 * The category model: TF-IDF over the terms of features.ts (sublinear term frequency, smoothed IDF, L2-normalised
 * rows) and one linear SVM per category (L2-regularised squared hinge loss, one against the rest), trained by dual
 * coordinate descent (Hsieh et al., ICML 2008 — LIBLINEAR's default solver): deterministic, a few passes over the
 * data. Confidences are a softmax of the SVMs' scores at a temperature fitted on a stratified tenth held out while
 * training.
 * The model is JSON (vocabulary, IDF, temperature) and float32 weights, stored in the database; prediction runs in
 * process. The vocabulary keeps the 100,000 most frequent terms (seen in two texts or more).
 */
import { DEFAULT_FEATURES, terms, type FeatureOptions } from './features.ts';
import { stratifiedFolds } from './evaluation.ts';
import { rng, shuffle } from './random.ts';

export interface Example { text: string; label: string }
export interface TrainOptions { features?: FeatureOptions; c?: number; minDf?: number; maxFeatures?: number; epochs?: number; seed?: number }
/** The model but its weights (JSON in the database); the weights go beside it as float32 bytes. */
export interface ModelMeta {
  kind: 'tfidf-linear-svm'; features: FeatureOptions; labels: string[]; vocabulary: string[]; idf: number[]; temperature: number;
}
interface Sparse { idx: Int32Array; val: Float32Array }

class Vectorizer {
  readonly index: Map<string, number>;
  constructor(readonly features: FeatureOptions, readonly vocabulary: string[], readonly idf: Float64Array) {
    this.index = new Map(vocabulary.map((t, i) => [t, i]));
  }
  static fit(docs: Map<string, number>[], features: FeatureOptions, minDf: number, maxFeatures: number): Vectorizer {
    const df = new Map<string, number>();
    for (const d of docs) for (const t of d.keys()) df.set(t, (df.get(t) ?? 0) + 1);
    const kept = [...df].filter(([, n]) => n >= minDf).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, maxFeatures);
    const idf = Float64Array.from(kept, ([, n]) => Math.log((1 + docs.length) / (1 + n)) + 1);
    return new Vectorizer(features, kept.map(([t]) => t), idf);
  }
  vector(counts: Map<string, number>): Sparse {
    const found = new Int32Array(counts.size);
    const tf = new Map<number, number>();
    let n = 0;
    for (const [t, c] of counts) {
      const i = this.index.get(t);
      if (i !== undefined) { found[n++] = i; tf.set(i, c); }
    }
    const idx = found.slice(0, n).sort();
    const val = new Float32Array(n);
    let norm = 0;
    for (let k = 0; k < n; k++) { const v = (1 + Math.log(tf.get(idx[k]!)!)) * this.idf[idx[k]!]!; val[k] = v; norm += v * v; }
    norm = Math.sqrt(norm) || 1;
    for (let k = 0; k < n; k++) val[k]! /= norm;
    return { idx, val };
  }
}

const dot = (w: Float64Array | Float32Array, x: Sparse, bias: number) => {
  let s = w[w.length - 1]! * bias;
  for (let k = 0; k < x.idx.length; k++) s += w[x.idx[k]!]! * x.val[k]!;
  return s;
};

/**
 * One binary L2-loss SVM by dual coordinate descent with LIBLINEAR's shrinking and stopping rule (ε = 0.1 on the
 * spread of the projected gradient); the bias is a constant feature. `cost[i]`: example i's C; `alpha` may start
 * from an earlier solution (a warm start), and is left holding this one.
 */
function trainBinary(xs: Sparse[], ys: Int8Array, cost: Float64Array, alpha: Float64Array, dims: number, maxPasses: number, random: () => number): Float64Array {
  const w = new Float64Array(dims + 1);
  const diag = Float64Array.from(cost, (c) => 1 / (2 * c));
  const qii = xs.map((x, i) => x.val.reduce((s, v) => s + v * v, 0) + 1 + diag[i]!);
  xs.forEach((x, i) => {
    if (!alpha[i]) return;
    const d = alpha[i]! * ys[i]!;
    for (let k = 0; k < x.idx.length; k++) w[x.idx[k]!]! += d * x.val[k]!;
    w[dims]! += d;
  });
  let active = Array.from(xs.keys());
  let pgMaxOld = Infinity, pgMinOld = -Infinity;
  for (let pass = 0; pass < maxPasses; pass++) {
    let pgMax = -Infinity, pgMin = Infinity;
    const kept: number[] = [];
    for (const i of shuffle(active, random)) {
      const x = xs[i]!;
      const y = ys[i]!;
      const g = y * dot(w, x, 1) - 1 + diag[i]! * alpha[i]!;
      let pg = g;
      if (alpha[i] === 0) {
        if (g > pgMaxOld) continue; // shrunk: at its bound and likely to stay there
        if (g > 0) pg = 0;
      }
      kept.push(i);
      pgMax = Math.max(pgMax, pg);
      pgMin = Math.min(pgMin, pg);
      if (Math.abs(pg) < 1e-12) continue;
      const old = alpha[i]!;
      alpha[i] = Math.max(old - g / qii[i]!, 0);
      const d = (alpha[i]! - old) * y;
      for (let k = 0; k < x.idx.length; k++) w[x.idx[k]!]! += d * x.val[k]!;
      w[dims]! += d;
    }
    if (pgMax - pgMin <= 0.1) {
      if (kept.length === xs.length) break;
      active = Array.from(xs.keys()); // converged on the active set: check every example once more
      pgMaxOld = Infinity; pgMinOld = -Infinity;
      continue;
    }
    active = kept;
    pgMaxOld = pgMax <= 0 ? Infinity : pgMax;
    pgMinOld = pgMin >= 0 ? -Infinity : pgMin;
  }
  return w;
}

function softmax(scores: number[], temperature: number): number[] {
  const m = Math.max(...scores);
  const e = scores.map((s) => Math.exp((s - m) * temperature));
  const z = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / z);
}

export class CategoryModel {
  private readonly vectorizer: Vectorizer;
  /** Per label: the weights over the vocabulary, then the bias. */
  private constructor(readonly meta: ModelMeta, private readonly weights: Float32Array[]) {
    this.vectorizer = new Vectorizer(meta.features, meta.vocabulary, Float64Array.from(meta.idf));
  }
  /** From the stored form: the meta and the weights' bytes. */
  static fromStored(meta: ModelMeta, bytes: Uint8Array): CategoryModel {
    const width = meta.vocabulary.length + 1;
    if (bytes.byteLength !== meta.labels.length * width * 4) throw new Error('triage model: weights do not fit the vocabulary');
    const all = new Float32Array(new Uint8Array(bytes).buffer); // a copy, aligned
    return new CategoryModel(meta, meta.labels.map((_, j) => all.subarray(j * width, (j + 1) * width)));
  }
  /** The weights as float32 little-endian bytes, label after label. */
  weightBytes(): Buffer {
    const width = this.meta.vocabulary.length + 1;
    const all = new Float32Array(this.weights.length * width);
    this.weights.forEach((w, j) => all.set(w, j * width));
    return Buffer.from(all.buffer);
  }

  /**
   * Trains on every example; also answers with the predictions, on the stratified tenth held out to fit the
   * temperature, of the model trained without it — the version's evaluation, at no extra training.
   */
  static trainWithHoldout(examples: Example[], o: TrainOptions = {}): { model: CategoryModel; heldOut: { truth: string; ranked: string[] }[]; labels: string[] } {
    const features = o.features ?? DEFAULT_FEATURES;
    const labels = [...new Set(examples.map((e) => e.label))].sort();
    if (labels.length < 2) throw new Error('at least two categories are needed to train');
    const counts = examples.map((e) => terms(e.text, features));
    const vectorizer = Vectorizer.fit(counts, features, o.minDf ?? 2, o.maxFeatures ?? 100_000);
    const xs = counts.map((d) => vectorizer.vector(d));
    // each category's SVM weighs its own examples as much as all the others together (small categories count)
    const share = new Map(labels.map((l) => [l, examples.filter((e) => e.label === l).length / examples.length]));
    const c = o.c ?? 1;
    const alphas = labels.map(() => new Float64Array(examples.length));
    const fit = (rows: number[]) => labels.map((label, j) => {
      const ys = Int8Array.from(rows, (i) => (examples[i]!.label === label ? 1 : -1));
      const cost = Float64Array.from(ys, (y) => c * (y > 0 ? 0.5 / share.get(label)! : 0.5 / (1 - share.get(label)!)));
      const alpha = Float64Array.from(rows, (i) => alphas[j]![i]!);
      const w = trainBinary(rows.map((i) => xs[i]!), ys, cost, alpha, vectorizer.vocabulary.length, o.epochs ?? 200, rng(o.seed ?? 7));
      rows.forEach((i, k) => { alphas[j]![i] = alpha[k]!; });
      return w;
    });
    // the temperature: fitted on a stratified tenth held out (negative log-likelihood over a grid), whose
    // predictions are also the version's evaluation; then the model on all rows, warm-started from the first
    const all = Array.from(examples.keys());
    const held = stratifiedFolds(examples, 10, o.seed ?? 7)[0]!;
    const heldSet = new Set(held);
    const trial = fit(all.filter((i) => !heldSet.has(i)));
    const scores = held.map((i) => trial.map((w) => dot(w, xs[i]!, 1)));
    let temperature = 1;
    let best = Infinity;
    for (const t of [0.5, 1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20]) {
      const nll = held.reduce((s, i, k) => s - Math.log(Math.max(1e-9, softmax(scores[k]!, t)[labels.indexOf(examples[i]!.label)]!)), 0);
      if (nll < best) { best = nll; temperature = t; }
    }
    const heldOut = held.map((i, k) => ({ truth: examples[i]!.label, ranked: labels.map((l, j) => ({ l, s: scores[k]![j]! })).sort((a, b) => b.s - a.s).map((x) => x.l) }));
    const weights = fit(all);
    const model = new CategoryModel({ kind: 'tfidf-linear-svm', features, labels, vocabulary: vectorizer.vocabulary, idf: [...vectorizer.idf], temperature }, weights.map((w) => Float32Array.from(w)));
    return { model, heldOut, labels };
  }

  static train(examples: Example[], o: TrainOptions = {}): CategoryModel { return CategoryModel.trainWithHoldout(examples, o).model; }

  /** Every label with its confidence, most likely first. */
  predict(text: string): { label: string; confidence: number }[] {
    const x = this.vectorizer.vector(terms(text, this.meta.features));
    const p = softmax(this.weights.map((w) => dot(w, x, 1)), this.meta.temperature);
    return this.meta.labels.map((label, i) => ({ label, confidence: p[i]! })).sort((a, b) => b.confidence - a.confidence);
  }
}

/** The baseline beside it: multinomial naive Bayes over the same terms' counts (Laplace smoothing). */
export class NaiveBayes {
  private constructor(private readonly labels: string[], private readonly prior: number[], private readonly logp: Map<string, number>[], private readonly unseen: number[]) {}
  static train(examples: Example[], features: FeatureOptions = DEFAULT_FEATURES): NaiveBayes {
    const labels = [...new Set(examples.map((e) => e.label))].sort();
    const counts = labels.map(() => new Map<string, number>());
    const vocab = new Set<string>();
    for (const e of examples) {
      const m = counts[labels.indexOf(e.label)]!;
      for (const [t, n] of terms(e.text, features)) { m.set(t, (m.get(t) ?? 0) + n); vocab.add(t); }
    }
    const totals = counts.map((m) => [...m.values()].reduce((a, b) => a + b, 0) + vocab.size);
    const logp = counts.map((m, i) => new Map([...m].map(([t, n]) => [t, Math.log((n + 1) / totals[i]!)])));
    const prior = labels.map((l) => Math.log(examples.filter((e) => e.label === l).length / examples.length));
    return new NaiveBayes(labels, prior, logp, totals.map((t) => Math.log(1 / t)));
  }
  predict(text: string): { label: string; confidence: number }[] {
    const t = terms(text);
    const scores = this.labels.map((_, i) => { let s = this.prior[i]!; for (const [k, n] of t) s += n * (this.logp[i]!.get(k) ?? this.unseen[i]!); return s; });
    const p = softmax(scores, 1);
    return this.labels.map((label, i) => ({ label, confidence: p[i]! })).sort((a, b) => b.confidence - a.confidence);
  }
}
