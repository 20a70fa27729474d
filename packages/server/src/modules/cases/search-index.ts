/**
 * Cases without search words — written before full-text search existed, or by a bulk import that bypassed intake
 * — are indexed from their description, address and the notes, reasons and replies of their timeline, in batches.
 * `serve` does it in the background at start; `fengqiao search reindex` does it at once.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { searchDoc } from '../triage/search-terms.ts';

export function createSearchIndexer(deps: { db: Db }) {
  /** Indexes the cases without search words among the next `batch` cases after `after` (by id); where the walk got to. */
  async function indexAfter(after: string, batch = 2000): Promise<{ indexed: number; last: string | null }> {
    const r = (await deps.db.execute(sql`select c.id, c.area_path, c.created_at, c.description, c.address, s.case_id is not null as done,
        (select string_agg(e.note, ' ') from case_events e where e.case_id = c.id and e.action <> 'return_visit' and s.case_id is null) as said
      from cases c left join case_search s on s.case_id = c.id where c.id > ${after}::uuid order by c.id limit ${batch}`)) as unknown as
      { rows: { id: string; area_path: string; created_at: Date | string; description: string; address: string | null; done: boolean; said: string | null }[] };
    if (!r.rows.length) return { indexed: 0, last: null };
    const docs = r.rows.filter((x) => !x.done).map((x) => ({
      id: x.id, path: x.area_path, at: new Date(x.created_at).toISOString(), doc: searchDoc([x.description, x.address, x.said]),
    }));
    if (docs.length) {
      await deps.db.execute(sql`insert into case_search (case_id, area_path, created_at, doc)
        select d.id, d.path, d.at, d.doc::tsvector from jsonb_to_recordset(${JSON.stringify(docs)}::jsonb) as d(id uuid, path text, at timestamptz, doc text)
        on conflict (case_id) do nothing`);
    }
    return { indexed: docs.length, last: r.rows.at(-1)!.id };
  }
  /** Walks every case once; returns how many were indexed. */
  async function indexAll(): Promise<number> {
    let total = 0;
    for (let at: string | null = '00000000-0000-0000-0000-000000000000'; at;) {
      const r = await indexAfter(at);
      total += r.indexed;
      at = r.last;
    }
    return total;
  }
  return { indexAll };
}
export type SearchIndexer = ReturnType<typeof createSearchIndexer>;
