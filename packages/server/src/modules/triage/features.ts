/**
 * What the category model reads of a report: the text normalised the same way whether it comes punctuated from
 * a resident's phone or terse from an old ledger (NFKC, lower case, no punctuation, spaces or symbols, each run of
 * digits one `0`, segmented by jieba, function words dropped), then its character unigrams and bigrams and its
 * words — each a term of its own namespace.
 * docs/triage.md says why these (measured by `npm run bench:triage`).
 */
import { FUNCTION_WORDS, normalize, segmenter, tokens } from './tokens.mjs';

export { FUNCTION_WORDS, normalize, segmenter, tokens };

export interface FeatureOptions { charNgrams: number; words: boolean }
export const DEFAULT_FEATURES: FeatureOptions = { charNgrams: 2, words: true };

const ANY_NOT_TEXT = /[^\p{L}\p{N}]/u;

/** Jieba's words of a text (two characters or more: single characters are already unigrams), for search as well. */
export function words(text: string): string[] {
  return segmenter().cut(text, false).filter((w) => w.length >= 2 && !ANY_NOT_TEXT.test(w));
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
