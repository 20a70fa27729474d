/**
 * Full-text search's words. A case's document is jieba's search-mode words of its texts (南关区 gives 南关 and
 * 南关区) and every character bigram of them, so that any two characters in a row are found even where jieba cut
 * the text elsewhere; a query word matches its whole word or all its bigrams, a single character any term it
 * begins. Lexemes are given to PostgreSQL as they are (tsvector and tsquery literals): no parser or dictionary
 * in between, so PGlite and PostgreSQL index and match alike.
 */
import { segmenter } from './features.ts';

const quote = (lexeme: string) => `'${lexeme.replace(/'/g, "''").replace(/\\/g, '\\\\')}'`;
const clean = (text: string) => text.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

/**
 * A case's search document as a tsvector literal: each lexeme with the positions it occurs at (so that ts_rank
 * counts how often a word is said, and ts_rank_cd how close the words of a query are).
 */
export function searchDoc(texts: (string | null | undefined)[]): string {
  const at = new Map<string, number[]>();
  let pos = 0;
  const put = (lexeme: string) => {
    const p = at.get(lexeme) ?? [];
    if (p.length < 256) p.push(Math.min(pos, 16383));
    at.set(lexeme, p);
  };
  for (const text of texts) {
    if (!text) continue;
    for (const run of clean(text).split(' ')) {
      if (!run) continue;
      for (const w of segmenter().cutForSearch(run, false)) if (w.length >= 2) { pos++; put(w); }
      const chars = [...run];
      if (chars.length === 1) { pos++; put(run); }
      for (let i = 0; i + 1 < chars.length; i++) { pos++; put(chars[i]! + chars[i + 1]!); }
    }
  }
  return [...at].map(([lexeme, p]) => `${quote(lexeme)}:${[...new Set(p)].join(',')}`).join(' ');
}

/**
 * What was typed as two tsquery literals (every word must match, anywhere), or null when nothing searchable was
 * typed. `rank`: each jieba word of a run as itself or as all its bigrams (characters jieba leaves on their own are
 * one word together; a lone character goes with the character before it, or after it at the start: 燃气管道 is
 * 燃气管 and 管道) — what ts_rank_cd scores. `match`: the same bigrams alone, which select the same cases (a
 * document holds every bigram of its text, so of each word in it) from fewer index entries. A run of one character
 * matches every term it begins.
 */
export function searchQueries(q: string): { match: string; rank: string } | null {
  const rank: string[] = [];
  const match: string[] = [];
  for (const run of clean(q).split(' ')) {
    if (!run) continue;
    const chars = [...run];
    if (chars.length === 1) { rank.push(`${quote(run)}:*`); match.push(`${quote(run)}:*`); continue; }
    // jieba's words, each run of characters it left on their own joined into one (坏 了 → 坏了)
    const pieces: string[] = [];
    let single = false;
    for (const w of segmenter().cut(run, false)) {
      const one = [...w].length === 1;
      if (one && single) pieces[pieces.length - 1] += w; else pieces.push(w);
      single = one;
    }
    let at = 0;
    for (const w of pieces) {
      const wc = [...w];
      if (wc.length >= 2) {
        const bigrams = wc.slice(0, -1).map((c, i) => quote(c + wc[i + 1]!));
        rank.push(bigrams.length === 1 ? bigrams[0]! : `(${quote(w)} | (${bigrams.join(' & ')}))`);
        match.push(...bigrams);
      } else if (wc.length === 1) {
        const pair = quote(at > 0 ? chars[at - 1]! + wc[0]! : wc[0]! + chars[at + 1]!);
        rank.push(pair);
        match.push(pair);
      }
      at += wc.length;
    }
  }
  return rank.length ? { rank: [...new Set(rank)].slice(0, 20).join(' & '), match: [...new Set(match)].slice(0, 40).join(' & ') } : null;
}
