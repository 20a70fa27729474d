import { and, asc, eq, gte, lte, sql } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { calendarDays, systemState } from '../../db/schema.ts';

export async function allDays(ex: Executor) {
  return ex.select({ day: calendarDays.day, kind: calendarDays.kind }).from(calendarDays);
}
export async function daysBetween(ex: Executor, from: string, to: string) {
  return ex.select().from(calendarDays).where(and(gte(calendarDays.day, from), lte(calendarDays.day, to))).orderBy(asc(calendarDays.day));
}
/** The library version the calendar was last loaded from. */
export async function librarySource(ex: Executor): Promise<string | null> {
  const [state] = await ex.select().from(systemState).where(eq(systemState.key, 'calendar_source'));
  return state ? (state.value as { source: string }).source : null;
}
/** Loads a library's days; an administrator's entry (source not starting with `libraryPrefix`) is kept. */
export async function upsertLibraryDays(ex: Executor, rows: { day: string; kind: string; name: string; source: string }[], libraryPrefix: string): Promise<number> {
  let n = 0;
  for (let i = 0; i < rows.length; i += 200) {
    const r = await ex.insert(calendarDays).values(rows.slice(i, i + 200))
      .onConflictDoUpdate({ target: calendarDays.day, set: { kind: sql`excluded.kind`, name: sql`excluded.name`, source: sql`excluded.source` }, setWhere: sql`${calendarDays.source} like ${`${libraryPrefix}%`}` })
      .returning({ day: calendarDays.day });
    n += r.length;
  }
  return n;
}
export async function setLibrarySource(ex: Executor, source: string): Promise<void> {
  await ex.insert(systemState).values({ key: 'calendar_source', value: { source } })
    .onConflictDoUpdate({ target: systemState.key, set: { value: { source }, updatedAt: sql`now()` } });
}
export async function setDay(ex: Executor, day: string, kind: 'holiday' | 'workday' | null, name: string): Promise<void> {
  if (kind === null) await ex.delete(calendarDays).where(eq(calendarDays.day, day));
  else await ex.insert(calendarDays).values({ day, kind, name, source: 'admin' })
    .onConflictDoUpdate({ target: calendarDays.day, set: { kind, name, source: 'admin', updatedAt: sql`now()` } });
}
