import type { Db, Executor } from '../../db/database.ts';
import defaults from '../../../data/categories.json' with { type: 'json' };
import * as repo from './categories.repository.ts';
import { chinaDay } from '../calendar/working-time.ts';

export type CategoryRow = repo.CategoryRow;

/** The category tree; seeded from data/categories.json on a new installation, then administered. */
export function createCategoryService(deps: { db: Db }) {
  const { db } = deps;
  let cache: Map<number, CategoryRow> | null = null;

  /** Cached; refreshed after local edits and at least every five minutes (several servers share the table). */
  let loadedAt = 0;
  async function all(): Promise<Map<number, CategoryRow>> {
    if (cache && Date.now() - loadedAt > 5 * 60_000) cache = null;
    if (!cache) loadedAt = Date.now();
    if (!cache) cache = new Map((await repo.listAll(db)).map((c) => [c.id, c]));
    return cache;
  }

  async function seedDefaults(): Promise<number> {
    if ((await repo.countAll(db)) > 0) return 0;
    let inserted = 0;
    await db.transaction(async (tx) => {
      for (const [i, group] of defaults.categories.entries()) {
        const parent = await repo.insertCategory(tx, { code: group.code, name: group.name, nameEn: group.nameEn, caseType: group.caseType, sortOrder: i });
        inserted++;
        for (const [j, c] of group.children.entries()) {
          await repo.insertCategory(tx, { parentId: parent.id, code: c.code, name: c.name, nameEn: c.nameEn, caseType: group.caseType, sortOrder: j });
          inserted++;
        }
      }
    });
    cache = null;
    return inserted;
  }

  /** What residents report most in the last three months, for the top of their category list; cached ten minutes. */
  let popularCache: { ids: number[]; at: number } | null = null;
  async function popular(now: Date, limit = 6): Promise<number[]> {
    if (popularCache && now.getTime() - popularCache.at < 10 * 60_000) return popularCache.ids;
    const [year, month] = chinaDay(now).split('-').map(Number); // this China month and the two before it
    const since = new Date(Date.UTC(year!, month! - 3, 1)).toISOString().slice(0, 10);
    const active = await all();
    const ids = (await repo.mostReported(db, since, limit * 2)).filter((id) => active.get(id)?.active).slice(0, limit);
    popularCache = { ids, at: now.getTime() };
    return ids;
  }
  async function get(id: number) { return (await all()).get(id); }
  async function byCode(code: string) { return [...(await all()).values()].find((c) => c.code === code); }
  async function list() { return [...(await all()).values()]; }

  /** A new category under a top-level group, in the caller's transaction. */
  async function create(ex: Executor, v: { parentId: number; code: string; name: string; nameEn: string; caseType: string }) {
    const row = await repo.insertCategory(ex, { ...v, sortOrder: 999 });
    cache = null;
    return row;
  }
  async function update(ex: Executor, id: number, v: { name?: string; nameEn?: string; active?: boolean }) {
    const row = await repo.updateCategory(ex, id, v);
    cache = null;
    return row;
  }

  return { seedDefaults, get, byCode, list, popular, create, update, invalidate: () => { cache = null; popularCache = null; } };
}
export type CategoryService = ReturnType<typeof createCategoryService>;

export function presentCategory(c: CategoryRow) {
  return { id: c.id, parentId: c.parentId, code: c.code, name: c.name, nameEn: c.nameEn, caseType: c.caseType as 'appeal' | 'hazard' | 'dispute', active: c.active };
}
