/**
 * Statements on the hot path of every request, built once per database instead of once per call.
 *
 * Building a query with Drizzle walks every column and value of it (a few hundred `is()` checks for an
 * insert of forty columns), which cost more server time per intake than the database did. A statement
 * built here keeps its SQL text and parameter slots (`sql.placeholder`), runs as a named prepared
 * statement on PostgreSQL (parsed once per connection) and as the same text on PGlite.
 */
import type { SQL } from 'drizzle-orm';
import type { Db } from './database.ts';

/** One value per database: a statement prepared for one connection pool means nothing to another. */
export function perDatabase<T>(build: (db: Db) => T): (db: Db) => T {
  const built = new WeakMap<Db, T>();
  return (db) => {
    let v = built.get(db);
    if (v === undefined) { v = build(db); built.set(db, v); }
    return v;
  };
}

interface RawPrepared { execute(values?: Record<string, unknown>): Promise<unknown> }
interface Internals { dialect: { sqlToQuery(q: SQL): unknown }; session: { prepareQuery(q: unknown, fields: undefined, name: string, arrayMode: boolean): RawPrepared } }

/**
 * A prepared statement from hand-written SQL (a WITH query that Drizzle's builders cannot express) —
 * the path `db.execute` itself takes, with the build step done once. Rows come back as the driver gives them.
 */
export function preparedSql<R>(name: string, build: (db: Db) => SQL): (db: Db, values: Record<string, unknown>) => Promise<R[]> {
  const get = perDatabase((db) => {
    const d = db as unknown as Internals;
    return d.session.prepareQuery(d.dialect.sqlToQuery(build(db)), undefined, name, false);
  });
  return async (db, values) => {
    const r = await get(db).execute(values);
    return (Array.isArray(r) ? r : (r as { rows: R[] }).rows) as R[];
  };
}
