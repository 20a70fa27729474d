import crypto from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/database.ts';

/**
 * Which database the suite runs on: PGlite in memory by default; a real PostgreSQL server when
 * FQ_TEST_DATABASE_URL points at one (each test file then gets its own throwaway database).
 */
export const testDbKind: 'pglite' | 'postgres' = process.env.FQ_TEST_DATABASE_URL ? 'postgres' : 'pglite';

export interface TestDatabase extends Database { url: string | null }

/** `admin`: another PostgreSQL server than the suite's (a test that needs one of its own). */
export async function createTestDatabase(opts: { dataDir?: string; admin?: string } = {}): Promise<TestDatabase> {
  const admin = opts.admin ?? process.env.FQ_TEST_DATABASE_URL;
  if (!admin) {
    const database = await openDatabase({ databaseUrl: null, dataDir: opts.dataDir ?? null });
    await database.migrate();
    return { ...database, url: null };
  }
  const name = `fq_test_${crypto.randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  // C.UTF-8: under the C locale pg_trgm makes no trigrams of Chinese text.
  await client.query(`create database ${name} template template0 encoding 'UTF8' lc_collate 'C.UTF-8' lc_ctype 'C.UTF-8'`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), dataDir: null, poolSize: 5 });
  await database.migrate();
  return {
    ...database,
    url: url.toString(),
    async close() {
      await database.close();
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
