/**
 * Reads from a PostgreSQL streaming replica (READ_DATABASE_URL): the case list, its Excel export and the command
 * center's figures ask `reads()` for a database, and get the replica while its replay lag is within the bound
 * (REPLICA_MAX_LAG_SECONDS), the primary otherwise. Writes never go there. A request made by someone who has just
 * changed something (the `fq_wrote` cookie, set on every successful write) reads from the primary: read-your-writes.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import * as schema from './schema.ts';
import { KEEP_CONNECTIONS, type Db } from './database.ts';

/** Set around each request's handler: true when this caller must read their own writes. */
export const readPreference = new AsyncLocalStorage<{ primary: boolean }>();

export interface Replica {
  /** The database for a read that may be a moment behind. */
  reads(): Db;
  /** Seconds the replica is behind (0 when it has replayed all the primary has written); null when it cannot be asked. */
  lagSeconds(): number | null;
  /** Whether reads go to the replica now. */
  inUse(): boolean;
  /** Measures the lag once (the monitor does it every `intervalMs`). */
  measure(): Promise<void>;
  close(): Promise<void>;
}

export function openReplica(primary: Db, readUrl: string, maxLagSeconds: number, o: { intervalMs?: number; poolSize?: number } = {}): Replica {
  const intervalMs = o.intervalMs ?? 500;
  const pool = new pg.Pool({ connectionString: readUrl, max: o.poolSize ?? 10, ...KEEP_CONNECTIONS });
  pool.on('error', () => { /* an idle client died; the pool replaces it */ });
  const replica = drizzlePg(pool, { schema }) as unknown as Db;
  let lag: number | null = null;

  async function measure() {
    try {
      const [p] = ((await primary.execute(sql`select pg_current_wal_lsn()::text as lsn`)) as unknown as { rows: { lsn: string }[] }).rows;
      const { rows: [r] } = await pool.query<{ standby: boolean; behind: string | null; age: number | null }>(
        `select pg_is_in_recovery() as standby, pg_wal_lsn_diff($1::pg_lsn, pg_last_wal_replay_lsn())::text as behind,
           extract(epoch from now() - pg_last_xact_replay_timestamp())::float8 as age`, [p!.lsn]);
      // caught up: nothing to replay, however long ago the last change was; behind: how old the last replayed change is
      lag = !r?.standby ? null : Number(r.behind ?? 0) <= 0 ? 0 : Math.max(0, r.age ?? Number.POSITIVE_INFINITY);
    } catch {
      lag = null;
    }
  }
  void measure();
  const timer = setInterval(() => void measure(), intervalMs);
  timer.unref();

  const inUse = () => lag !== null && lag <= maxLagSeconds;
  return {
    reads: () => (inUse() && !readPreference.getStore()?.primary ? replica : primary),
    lagSeconds: () => lag,
    inUse,
    measure,
    async close() { clearInterval(timer); await pool.end(); },
  };
}
