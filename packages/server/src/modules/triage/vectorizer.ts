/**
 * TF-IDF vectors of texts (docs/triage.md): sublinear term frequency, smoothed IDF, L2-normalised rows, over a
 * vocabulary of the most frequent terms. Fitting reads each text's terms once: character unigrams and bigrams are
 * numbered by their code units (no string made for each), words by a map, and each text's counts kept as term
 * numbers; the vocabulary is then chosen by document frequency (most frequent first, ties by the term).
 */
import { eachTerm, tokens, type FeatureOptions } from './features.ts';

export interface Sparse { idx: Int32Array; val: Float32Array }

/** Character pairs → term numbers: an open-addressing table over the pair's two code units packed in 32 bits. */
class PairTable {
  private keys = new Uint32Array(1 << 16);
  private ids = new Int32Array(1 << 16).fill(-1);
  private size = 0;
  private shift = 16;
  private slot(key: number): number {
    const mask = this.keys.length - 1;
    let i = Math.imul(key, 0x9e3779b1) >>> this.shift;
    while (this.ids[i] !== -1 && this.keys[i] !== key) i = (i + 1) & mask;
    return i;
  }
  get(key: number): number { return this.ids[this.slot(key)]!; }
  set(key: number, id: number): void {
    if (2 * (this.size + 1) > this.keys.length) this.grow();
    const i = this.slot(key);
    if (this.ids[i] === -1) this.size++;
    this.keys[i] = key; this.ids[i] = id;
  }
  private grow() {
    const { keys, ids } = this;
    this.keys = new Uint32Array(keys.length * 2);
    this.ids = new Int32Array(keys.length * 2).fill(-1);
    this.shift--;
    this.size = 0;
    for (let i = 0; i < keys.length; i++) if (ids[i] !== -1) this.set(keys[i]!, ids[i]!);
  }
}

/** The terms seen while fitting, numbered as first seen, with their document frequencies and each text's counts. */
class TermCounter {
  private readonly chars = new Int32Array(65536).fill(-1);
  private readonly pairs = new PairTable();
  private readonly strings = new Map<string, number>();
  /** Per number: the term (a string, or a unigram's code unit, or a bigram's two packed, marked by `isPair`). */
  readonly keys: (string | number)[] = [];
  private isPair = new Uint8Array(1 << 16);
  df = new Int32Array(1 << 16);
  // the text being counted: the mark of the text that last saw each number, its count there, the numbers it has
  private mark = new Int32Array(1 << 16).fill(-1);
  private count = new Int32Array(1 << 16);
  private found = new Int32Array(1024);
  private n = 0;
  private doc = -1;

  private add(key: string | number, pair: boolean): number {
    const id = this.keys.length;
    this.keys.push(key);
    if (id >= this.df.length) {
      const grow = (a: Int32Array, fill: number) => { const b = new Int32Array(a.length * 2).fill(fill); b.set(a); return b; };
      this.df = grow(this.df, 0); this.mark = grow(this.mark, -1); this.count = grow(this.count, 0);
      const pairs = new Uint8Array(this.df.length); pairs.set(this.isPair); this.isPair = pairs;
    }
    if (pair) this.isPair[id] = 1;
    return id;
  }
  private see(id: number) {
    if (this.mark[id] !== this.doc) {
      this.mark[id] = this.doc; this.count[id] = 1; this.df[id]!++;
      if (this.n === this.found.length) { const b = new Int32Array(this.n * 2); b.set(this.found); this.found = b; }
      this.found[this.n++] = id;
    } else {
      this.count[id]!++;
    }
  }
  char(code: number) {
    let id = this.chars[code]!;
    if (id < 0) { id = this.add(code, false); this.chars[code] = id; }
    this.see(id);
  }
  pair(a: number, b: number) {
    const key = ((a << 16) | b) >>> 0;
    let id = this.pairs.get(key);
    if (id < 0) { id = this.add(key, true); this.pairs.set(key, id); }
    this.see(id);
  }
  string(t: string) {
    let id = this.strings.get(t);
    if (id === undefined) { id = this.add(t, false); this.strings.set(t, id); }
    this.see(id);
  }
  /** Starts a text; `done` answers its term numbers and counts. */
  start() { this.doc++; this.n = 0; }
  done(): { ids: Int32Array; counts: Int32Array } {
    const ids = this.found.slice(0, this.n);
    const counts = new Int32Array(this.n);
    for (let k = 0; k < this.n; k++) counts[k] = this.count[ids[k]!]!;
    return { ids, counts };
  }
  term(id: number): string {
    const k = this.keys[id]!;
    if (typeof k === 'string') return k;
    return this.isPair[id] ? `c${String.fromCharCode(k >>> 16, k & 0xffff)}` : `c${String.fromCharCode(k)}`;
  }
}

export class Vectorizer {
  readonly index: Map<string, number>;
  constructor(readonly features: FeatureOptions, readonly vocabulary: string[], readonly idf: Float64Array) {
    this.index = new Map(vocabulary.map((t, i) => [t, i]));
  }

  /** The vocabulary and IDF of some texts, and each text's vector; `segmented`: their tokens, if already cut. */
  static fitTransform(texts: string[], features: FeatureOptions, minDf: number, maxFeatures: number, segmented?: string[][]): { vectorizer: Vectorizer; xs: Sparse[] } {
    const counter = new TermCounter();
    const docs = texts.map((text, i) => {
      counter.start();
      if (features.charNgrams <= 2) {
        const toks = segmented?.[i] ?? tokens(text);
        const t = toks.join('');
        for (let i = 0; i < t.length; i++) counter.char(t.charCodeAt(i));
        if (features.charNgrams === 2) for (let i = 0; i + 1 < t.length; i++) counter.pair(t.charCodeAt(i), t.charCodeAt(i + 1));
        if (features.words) for (const w of toks) if (w.length >= 2) counter.string(`w${w}`);
      } else {
        eachTerm(text, features, (t) => counter.string(t));
      }
      return counter.done();
    });
    const { df } = counter;
    const frequent = counter.keys.map((_, id) => id).filter((id) => df[id]! >= minDf);
    const termOf = new Map(frequent.map((id) => [id, counter.term(id)]));
    const kept = frequent.sort((a, b) => df[b]! - df[a]! || (termOf.get(a)! < termOf.get(b)! ? -1 : 1)).slice(0, maxFeatures);
    const renumber = new Int32Array(counter.keys.length).fill(-1);
    kept.forEach((id, i) => { renumber[id] = i; });
    const idf = Float64Array.from(kept, (id) => Math.log((1 + texts.length) / (1 + df[id]!)) + 1);
    const xs = docs.map(({ ids, counts }) => {
      let n = 0;
      for (const id of ids) if (renumber[id]! >= 0) n++;
      const idx = new Int32Array(n);
      const val = new Float32Array(n);
      const raw = new Float64Array(n);
      let norm = 0;
      for (let k = 0, m = 0; k < ids.length; k++) {
        const i = renumber[ids[k]!]!;
        if (i < 0) continue;
        const v = (1 + Math.log(counts[k]!)) * idf[i]!;
        idx[m] = i; raw[m++] = v; norm += v * v;
      }
      norm = Math.sqrt(norm) || 1;
      for (let m = 0; m < n; m++) val[m] = raw[m]! / norm;
      return { idx, val };
    });
    return { vectorizer: new Vectorizer(features, kept.map((id) => termOf.get(id)!), idf), xs };
  }

  /** A text's vector (its term counts from features.ts `terms`), as the model reads it. */
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
