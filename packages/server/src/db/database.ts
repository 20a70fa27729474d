import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import * as schema from './schema.ts';
import { lockDataDir } from './lock.ts';

export type Schema = typeof schema;
/** The one database type every repository takes: the same for PGlite and node-postgres, and for a transaction. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type Executor = Db | Tx;

export const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  migrate(): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenOptions {
  databaseUrl: string | null;
  /** PGlite data directory; null = in memory (tests). */
  dataDir: string | null;
  poolSize?: number;
}

/** Any two Fengqiao processes migrating one PostgreSQL database at once take turns on this lock. */
const MIGRATION_LOCK = 7_260_001;

/**
 * A pool keeps its connections once opened (node-postgres closes one idle for 10 s by default). A new connection is
 * a new PostgreSQL backend with cold caches that prepares intake's statement again and compiles the triggers: the
 * intakes behind it waited 150–250 ms, each time a burst needed one more connection than the last quiet spell
 * kept. A connection that breaks is replaced; an idle pool does not keep a command-line process alive.
 */
export const KEEP_CONNECTIONS = { idleTimeoutMillis: 0, allowExitOnIdle: true } as const;

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10, ...KEEP_CONNECTIONS });
    pool.on('error', () => { /* an idle client died; the pool replaces it */ });
    const db = drizzlePg(pool, { schema }) as unknown as Db;
    return {
      db, kind: 'postgres',
      async migrate() {
        const client = await pool.connect();
        try {
          await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
          try { await migratePg(drizzlePg(client, { schema }), { migrationsFolder }); }
          finally { await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]); }
        } finally { client.release(); }
      },
      async ping() { await pool.query('select 1'); },
      close: once(() => pool.end()),
    };
  }
  let release = () => {};
  let client: PGlite;
  if (opts.dataDir) {
    release = lockDataDir(opts.dataDir);
    try {
      client = await PGlite.create(path.join(opts.dataDir, 'pgdata'));
    } catch (e) { release(); throw e; }
  } else {
    client = await PGlite.create();
  }
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db, kind: 'pglite',
    async migrate() { await migratePglite(drizzlePglite(client, { schema }), { migrationsFolder }); },
    async ping() { await client.query('select 1'); },
    close: once(async () => { try { await client.close(); } finally { release(); } }),
  };
}

/** Names of applied migrations, for /readyz. */
export async function appliedMigrationCount(db: Db): Promise<number> {
  const rows = await db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
  const r = (rows as unknown as { rows?: { n: number }[] }).rows ?? (rows as unknown as { n: number }[]);
  return Number(r[0]?.n ?? 0);
}

/** close() may be called by several owners (signal handler, test teardown); the first call does the work. */
function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}
