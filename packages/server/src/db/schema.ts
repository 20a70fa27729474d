/**
 * The one schema of the database, for PGlite and PostgreSQL alike, declared by domain. Migrations are generated
 * from it (`npm run db:generate`); every column holding ciphertext is also listed in encrypted-columns.ts.
 */
export * from './schema/foundation.ts';
export * from './schema/cases.ts';
export * from './schema/registry.ts';
export * from './schema/mediation.ts';
export * from './schema/analytics.ts';
export * from './schema/triage.ts';
export * from './schema/feeds.ts';
export * from './schema/webhooks.ts';
