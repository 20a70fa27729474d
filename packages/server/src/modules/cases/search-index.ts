/**
 * Cases without search words — written before full-text search existed, or by a bulk import that bypassed intake
 * — are indexed from their description, address and the notes, reasons and replies of their timeline, in batches.
 * `serve` does it in the background at start; `fengqiao search reindex` does it at once.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { searchDoc } from '../triage/search-terms.ts';

export function createSearchIndexer(deps: { db: Db }) {
  /** Indexes up to `batch` cases that have no search words yet; returns how many. */
  async function indexMissing(batch = 500): Promise<number> {
    const r = (await deps.db.execute(sql`select c.id, c.description, c.address,
        (select string_agg(e.note, ' ') from case_events e where e.case_id = c.id and e.action <> 'return_visit') as said
      from cases c where not exists (select 1 from case_search s where s.case_id = c.id) limit ${batch}`)) as unknown as { rows: { id: string; description: string; address: string | null; said: string | null }[] };
    if (!r.rows.length) return 0;
    const docs = r.rows.map((x) => ({ id: x.id, doc: searchDoc([x.description, x.address, x.said]) }));
    await deps.db.execute(sql`insert into case_search (case_id, doc)
      select d.id, d.doc::tsvector from jsonb_to_recordset(${JSON.stringify(docs)}::jsonb) as d(id uuid, doc text)
      on conflict (case_id) do nothing`);
    return r.rows.length;
  }
  async function indexAll(): Promise<number> {
    let total = 0;
    for (let n = await indexMissing(); n > 0; n = await indexMissing()) total += n;
    return total;
  }
  return { indexMissing, indexAll };
}
export type SearchIndexer = ReturnType<typeof createSearchIndexer>;
