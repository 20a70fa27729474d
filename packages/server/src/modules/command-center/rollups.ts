/**
 * The rollup worker: folds the facts the database queued (in the same transaction as each change to a case)
 * into the rollups, exactly once — the queue rows are deleted in the transaction that adds them up. One
 * applier at a time across all servers; a reader of figures first folds what is queued, so that a figure and
 * the list behind it agree.
 */
import type { Db } from '../../db/database.ts';
import * as repo from './rollups.repository.ts';
import { everyInterval } from '../../lib/background.ts';

/** Facts per fold: a fold holds the applier's lock for a few seconds at most. */
const BATCH = 5_000;

export function createRollups(deps: { db: Db; onError?: (e: unknown) => void }) {
  const { db } = deps;

  /** Folds one batch; `wait`: queue behind another applier instead of leaving the work to it. */
  async function foldOnce(wait: boolean): Promise<number> {
    return db.transaction(async (tx) => ((await repo.tryLock(tx, wait)) ? repo.foldQueued(tx, BATCH) : 0));
  }

  /**
   * Folds until the queue is empty (the tests, the CLI). `wait: false` (a figures read): fold what is queued
   * unless another server or the worker is folding right now — then read at once and say what is pending.
   */
  async function catchUp(wait = true): Promise<number> {
    let total = 0;
    for (let n = await foldOnce(wait); n > 0; n = await foldOnce(wait)) total += n;
    return total;
  }

  /** Recomputes every rollup from the cases; returns how many cases were counted. */
  async function rebuild(): Promise<number> {
    return db.transaction(async (tx) => { await repo.tryLock(tx, true); return repo.rebuild(tx); });
  }

  /** Background loop for `serve`: every `intervalMs`, fold what is queued. */
  function start(intervalMs = 1000, onError = deps.onError) {
    return everyInterval(intervalMs, async (stopped) => { while (!stopped() && (await foldOnce(false)) >= BATCH); }, onError);
  }

  return { catchUp, rebuild, start, queued: () => repo.queued(db) };
}
export type Rollups = ReturnType<typeof createRollups>;
