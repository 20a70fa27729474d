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

/** A tsquery literal for what was typed (every word must match), or null when nothing searchable was typed. */
export function searchQuery(q: string): string | null {
  const parts: string[] = [];
  for (const run of clean(q).split(' ')) {
    if (!run) continue;
    for (const w of segmenter().cut(run, false)) {
      const chars = [...w];
      if (!chars.length) continue;
      if (chars.length === 1) { parts.push(`${quote(w)}:*`); continue; }
      const bigrams = chars.slice(0, -1).map((c, i) => quote(c + chars[i + 1]!));
      parts.push(bigrams.length === 1 ? bigrams[0]! : `(${quote(w)} | (${bigrams.join(' & ')}))`);
    }
  }
  return parts.length ? parts.slice(0, 20).join(' & ') : null;
}
