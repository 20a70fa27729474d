/** Duplicate detection's SQL: the cases a report is compared with, and the cases merged into one. */
import { and, inArray, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { cases } from '../../db/schema.ts';
import { rowsOf } from '../../db/rows.ts';

export interface CandidateRow {
  id: string; number: string; status: string; categoryId: number; areaId: number; areaPath: string; description: string; address: string | null;
  lon: number | null; lat: number | null; reporterPhoneBidx: string | null; createdAt: Date;
}
const columns = sql`id, number, status, category_id as "categoryId", area_id as "areaId", area_path as "areaPath", description, address, lon, lat,
  reporter_phone_bidx as "reporterPhoneBidx", created_at as "createdAt"`;
/** Cases that may still be one with a new report: not rejected, merged or archived. */
const comparable = sql`status not in ('rejected', 'merged', 'archived')`;

/**
 * What a report is compared with, of the cases the caller may see: those created since `since` under the area
 * path (the township around the place; the newest `limit`), and the same reporter's (any of the blind indexes of
 * the key ring) anywhere in the caller's view. Each walks its own index back in time.
 */
export async function candidates(ex: Executor, visible: SQL, o: { path: string; since: Date; phoneIndexes: string[]; exclude?: string; limit: number }): Promise<CandidateRow[]> {
  const since = o.since.toISOString();
  const notSelf = o.exclude ? sql`and id <> ${o.exclude}::uuid` : sql``;
  const byReporter = o.phoneIndexes.length
    ? sql`union select * from (select ${columns} from ${cases} where ${visible} and ${comparable} ${notSelf}
        and reporter_phone_bidx in (select value from jsonb_array_elements_text(${JSON.stringify(o.phoneIndexes)}::jsonb)) and created_at >= ${since}
        order by created_at desc limit 50) r`
    : sql``;
  const r = await ex.execute(sql`select * from (select ${columns} from ${cases} where ${visible} and ${comparable} ${notSelf}
      and area_path like ${`${o.path}%`} and created_at >= ${since} order by created_at desc limit ${o.limit}) a ${byReporter}`);
  return rowsOf<CandidateRow & { createdAt: Date | string }>(r).map((x) => ({
    ...x, categoryId: Number(x.categoryId), areaId: Number(x.areaId), createdAt: new Date(x.createdAt),
    lon: x.lon === null ? null : Number(x.lon), lat: x.lat === null ? null : Number(x.lat),
  }));
}

/** The cases merged into one, oldest first. */
export async function mergedInto(ex: Executor, visible: SQL, id: string): Promise<{ id: string; number: string; createdAt: Date }[]> {
  const r = await ex.execute(sql`select id, number, created_at as "createdAt" from ${cases} where ${visible} and merged_into_id = ${id}::uuid order by created_at limit 200`);
  return rowsOf<{ id: string; number: string; createdAt: Date | string }>(r).map((x) => ({ ...x, createdAt: new Date(x.createdAt) }));
}

/** Some cases, as the caller may see them (the others are left out). */
export async function casesIn(ex: Executor, visible: SQL, ids: string[]) {
  return ex.select().from(cases).where(and(visible, inArray(cases.id, ids)));
}
