/**
 * What the category model reads of a report: the text normalised the same way whether it comes punctuated from
 * a resident's phone or terse from an old ledger (NFKC, lower case, no punctuation, spaces or symbols, each run of
 * digits one `0`, segmented by jieba, function words dropped), then its character unigrams and bigrams and its
 * words — each a term of its own namespace.
 * docs/triage.md says why these (measured by `npm run bench:triage`).
 */
import { createRequire } from 'node:module';
import type { Jieba as JiebaType } from '@node-rs/jieba';

const require = createRequire(import.meta.url);
let jieba: JiebaType | null = null;
/** The segmenter with its bundled dictionary, loaded on first use (about 0.3 s). */
export function segmenter(): JiebaType {
  if (!jieba) {
    const { Jieba } = require('@node-rs/jieba') as typeof import('@node-rs/jieba');
    const { dict } = require('@node-rs/jieba/dict') as { dict: Uint8Array };
    jieba = Jieba.withDict(dict);
  }
  return jieba;
}

export interface FeatureOptions { charNgrams: number; words: boolean }
export const DEFAULT_FEATURES: FeatureOptions = { charNgrams: 2, words: true };

const NOT_TEXT = /[^\p{L}\p{N}]+/gu;
const ANY_NOT_TEXT = /[^\p{L}\p{N}]/u;
/** The text as the model compares it. */
export function normalize(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(NOT_TEXT, '').replace(/\p{N}+/gu, '0');
}

/** Jieba's words of a text (two characters or more: single characters are already unigrams), for search as well. */
export function words(text: string): string[] {
  return segmenter().cut(text, false).filter((w) => w.length >= 2 && !ANY_NOT_TEXT.test(w));
}

/**
 * Function words dropped before the terms are taken: a punctuated report ("我们小区的路灯坏了") and a terse ledger
 * line ("小区路灯坏") then give the same character n-grams. Whole jieba tokens only — 的 inside 目的 stays.
 */
export const FUNCTION_WORDS: ReadonlySet<string> = new Set(('的 地 得 了 着 过 吗 呢 吧 啊 呀 嘛 哦 哈 么 是 在 我 我们 你 你们 您 他 他们 她 她们 它 它们 咱们 这 那 这个 那个 这些 那些 '
  + '和 与 及 或 而 也 都 就 又 还 被 把 让 给 对 从 向 于 以 之 其 并 且 但 但是 而且 并且 因为 所以 如果 虽然 可是 然后 一个 一些').split(' '));

/** The text's tokens as the model reads them: normalised, segmented, function words dropped. */
export function tokens(text: string): string[] {
  const t = normalize(text);
  return t ? segmenter().cut(t, false).filter((w) => !FUNCTION_WORDS.has(w)) : [];
}

/** Each term of a text, in order (a term said twice comes twice). */
export function eachTerm(text: string, o: FeatureOptions, add: (term: string) => void): void {
  const toks = tokens(text);
  const t = toks.join('');
  // code units, not code points: the rare character outside the BMP is two units, and its halves are terms too
  for (let n = 1; n <= o.charNgrams; n++) {
    for (let i = 0; i + n <= t.length; i++) add(`c${t.slice(i, i + n)}`);
  }
  if (o.words) for (const w of toks) if (w.length >= 2) add(`w${w}`);
}

/** Term counts of a text. */
export function terms(text: string, o: FeatureOptions = DEFAULT_FEATURES): Map<string, number> {
  const out = new Map<string, number>();
  eachTerm(text, o, (k) => out.set(k, (out.get(k) ?? 0) + 1));
  return out;
}
