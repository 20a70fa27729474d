import { createRequire } from 'node:module';
import type { Db, Executor } from '../../db/database.ts';
import * as repo from './calendar.repository.ts';
import { weekdayRule, type WorkCalendar } from './working-time.ts';

const require = createRequire(import.meta.url);
const LIBRARY = 'chinese-days';

/**
 * The working-day calendar: official holidays and make-up days from the maintained `chinese-days`
 * package (State Council notices, 2004 onwards), loaded into `calendar_days` and editable by
 * administrators; an administrator's entry is never overwritten by a library update.
 */
export function createCalendarService(deps: { db: Db }) {
  const { db } = deps;
  let cache: Map<string, 'holiday' | 'workday'> | null = null;
  let loadedAt = 0;
  /** Several servers share one database: each reloads the calendar at least this often. */
  const TTL_MS = 5 * 60_000;

  async function load(): Promise<Map<string, 'holiday' | 'workday'>> {
    const rows = await repo.allDays(db);
    cache = new Map(rows.map((r) => [r.day, r.kind as 'holiday' | 'workday']));
    loadedAt = Date.now();
    return cache;
  }

  /** Loads the library's days once per library version (idempotent; keeps administrators' edits). */
  async function syncFromLibrary(): Promise<{ version: string; inserted: number }> {
    const version = (require('chinese-days/package.json') as { version: string }).version;
    const source = `${LIBRARY}@${version}`;
    if ((await repo.librarySource(db)) === source) return { version, inserted: 0 };
    const data = require('chinese-days/dist/chinese-days.json') as { holidays: Record<string, string>; workdays: Record<string, string> };
    const rows = [
      ...Object.entries(data.holidays).map(([day, name]) => ({ day, kind: 'holiday', name: name.split(',')[1] ?? name, source })),
      ...Object.entries(data.workdays).map(([day, name]) => ({ day, kind: 'workday', name: `${name.split(',')[1] ?? name}调休`, source })),
    ];
    const inserted = await db.transaction(async (tx) => {
      const n = await repo.upsertLibraryDays(tx, rows, `${LIBRARY}@`);
      await repo.setLibrarySource(tx, source);
      return n;
    });
    cache = null;
    return { version, inserted };
  }

  /** A snapshot calendar for one computation (cached; refreshed after edits). */
  async function calendar(): Promise<WorkCalendar> {
    const days = cache && Date.now() - loadedAt < TTL_MS ? cache : await load();
    return { isWorkday: (day) => { const k = days.get(day); return k ? k === 'workday' : weekdayRule(day); } };
  }

  async function listDays(from: string, to: string) {
    return repo.daysBetween(db, from, to);
  }

  /** An administrator's entry (null: back to the weekday rule), in the caller's transaction when given. */
  async function setDay(day: string, kind: 'holiday' | 'workday' | null, name: string, ex: Executor = db) {
    await repo.setDay(ex, day, kind, name);
    cache = null;
  }

  return { calendar, syncFromLibrary, listDays, setDay, invalidate: () => { cache = null; } };
}
export type CalendarService = ReturnType<typeof createCalendarService>;
