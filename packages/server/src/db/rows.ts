/** The rows of a raw `db.execute` answer (node-postgres and PGlite both answer `{ rows }`). */
export const rowsOf = <T = Record<string, unknown>>(r: unknown): T[] => (r as { rows: T[] }).rows;
