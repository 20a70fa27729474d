/**
 * Cases without search words — written before full-text search existed, or by a bulk import that bypassed intake
 * — are indexed from their description, address and the notes, reasons and replies of their timeline, in batches.
 * `serve` does it in the background at start; `fengqiao search-reindex` does it at once.
 */
import type { Db } from '../../db/database.ts';
import { searchDoc } from '../triage/search-terms.ts';
import * as repo from './cases.repository.ts';

export function createSearchIndexer(deps: { db: Db }) {
  /** Indexes the cases without search words among the next `batch` cases after `after` (oldest first); where the walk got to. */
  async function indexAfter(after: { at: string; id: string }, batch = 2000): Promise<{ indexed: number; last: { at: string; id: string } | null }> {
    const rows = await repo.casesToIndex(deps.db, after, batch);
    if (!rows.length) return { indexed: 0, last: null };
    const docs = rows.filter((x) => !x.done).map((x) => ({
      id: x.id, path: x.areaPath, at: new Date(x.createdAt).toISOString(), doc: searchDoc([x.description, x.address, x.said]),
    }));
    await repo.insertSearchDocs(deps.db, docs);
    const last = rows.at(-1)!;
    return { indexed: docs.length, last: { at: last.atExact, id: last.id } };
  }
  /** Walks every case once; returns how many were indexed. */
  async function indexAll(batch = 2000): Promise<number> {
    // every case has its words (the usual case at start): two counts, no walk
    if ((await repo.searchBacklog(deps.db)) === 0) return 0;
    let total = 0;
    for (let at: { at: string; id: string } | null = { at: '1970-01-01T00:00:00Z', id: '00000000-0000-0000-0000-000000000000' }; at;) {
      const r = await indexAfter(at, batch);
      total += r.indexed;
      at = r.last;
    }
    return total;
  }
  return { indexAll };
}
export type SearchIndexer = ReturnType<typeof createSearchIndexer>;
