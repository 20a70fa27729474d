import { describe, expect, it } from 'vitest';
import { Vectorizer } from '../src/modules/triage/vectorizer.ts';
import { toCsr, trainMany, type SvmJob } from '../src/modules/triage/svm-pool.ts';
import { terms, tokens } from '../src/modules/triage/features.ts';
import { tokenizeAll } from '../src/modules/triage/tokenize-pool.ts';
import { TEXTS } from './helpers/triage-texts.ts';

/** The category model's parts: one-pass TF-IDF equals the per-text vector; SVMs in worker threads equal those in this thread. */
const examples = Object.entries(TEXTS).flatMap(([label, texts]) => texts.map((text) => ({ text, label })));
const features = { charNgrams: 2, words: true };

describe('the category model’s parts', () => {
  it('fitting reads each text as the model later reads it: the same vector either way', () => {
    const { vectorizer, xs } = Vectorizer.fitTransform(examples.map((e) => e.text), features, 1, 100_000);
    expect(vectorizer.vocabulary.length).toBeGreaterThan(100);
    examples.forEach((e, i) => {
      const again = vectorizer.vector(terms(e.text, features));
      const a = new Map([...xs[i]!.idx].map((k, j) => [k, xs[i]!.val[j]!]));
      expect(again.idx.length).toBe(a.size);
      again.idx.forEach((k, j) => expect(again.val[j]).toBeCloseTo(a.get(k)!, 6));
    });
    // the most frequent term first; a term of one text only is left out at minDf 2
    const two = Vectorizer.fitTransform(examples.map((e) => e.text), features, 2, 100_000).vectorizer;
    expect(two.vocabulary.length).toBeLessThan(vectorizer.vocabulary.length);
    expect(two.vocabulary.slice(0, 3).every((t) => vectorizer.vocabulary.includes(t))).toBe(true);
  });

  it('segments in worker threads exactly as in this thread, each text in its place, and fits the same vectors from them', async () => {
    const texts = Array.from({ length: 4100 }, (_, i) => `${examples[i % examples.length]!.text}，第${i}号楼`);
    const pooled = await tokenizeAll(texts, true);
    expect(pooled).toEqual(texts.map(tokens));
    expect(pooled.some((t) => t.length === 0)).toBe(false);
    const plain = Vectorizer.fitTransform(texts, features, 2, 100_000);
    const cut = Vectorizer.fitTransform(texts, features, 2, 100_000, pooled);
    expect(cut.vectorizer.vocabulary).toEqual(plain.vectorizer.vocabulary);
    expect(cut.xs).toEqual(plain.xs);
  });

  it('trains the same SVMs in worker threads as in this thread, deterministically', async () => {
    const { vectorizer, xs } = Vectorizer.fitTransform(examples.map((e) => e.text), features, 1, 100_000);
    const labels = Object.keys(TEXTS);
    const jobs = (): SvmJob[] => labels.map((label) => {
      const ys = Int8Array.from(examples, (e) => (e.label === label ? 1 : -1));
      return { rows: Int32Array.from(examples.keys()), ys, cost: new Float64Array(ys.length).fill(1), alpha: new Float64Array(ys.length), seed: 7 };
    });
    const o = { maxPasses: 200, epsilon: 0.1 };
    const here = jobs();
    const alone = await trainMany(toCsr(xs, false), vectorizer.vocabulary.length, here, { ...o, parallel: false });
    const there = jobs();
    const together = await trainMany(toCsr(xs, true), vectorizer.vocabulary.length, there, { ...o, parallel: true });
    expect(together.map((w) => [...w])).toEqual(alone.map((w) => [...w]));
    expect(there.map((j) => [...j.alpha])).toEqual(here.map((j) => [...j.alpha]));
    // and they separate their own category: every training text scores highest on its own SVM
    const score = (w: Float64Array, i: number) => [...xs[i]!.idx].reduce((s, k, j) => s + w[k]! * xs[i]!.val[j]!, w[w.length - 1]!);
    examples.forEach((e, i) => expect(labels[alone.map((w) => score(w, i)).reduce((b, s, j, all) => (s > all[b]! ? j : b), 0)]).toBe(e.label));
  });
});
