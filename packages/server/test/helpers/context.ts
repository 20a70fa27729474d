import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { getTableName, is, sql } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import { parseConfig, type Config } from '../../src/config.ts';
import { createServices, type Services } from '../../src/services.ts';
import { buildApp } from '../../src/http/app.ts';
import * as schema from '../../src/db/schema.ts';
import type { Clock } from '../../src/lib/clock.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';

export const TEST_SECRET = 'test-secret-test-secret-test-secret-0123';

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  constructor(private t = Date.now()) {}
  now() { return new Date(this.t); }
  advance(ms: number) { this.t += ms; }
}

export interface TestContext {
  database: TestDatabase;
  services: Services;
  app: FastifyInstance;
  clock: ManualClock;
  config: Config;
  close(): Promise<void>;
}

export async function createTestContext(overrides: Partial<Config> = {}, opts: { dataDir?: string } = {}): Promise<TestContext> {
  const config = parseConfig({}, { secret: TEST_SECRET, logLevel: 'silent' }, {
    // cheaper argon2id in tests; production defaults are measured in bench/
    passwordMemoryKiB: 1024, passwordTimeCost: 1, cookieSecure: false,
    attachmentsDir: fs.mkdtempSync(path.join(os.tmpdir(), 'fq-attachments-')), ...overrides,
  });
  const database = await createTestDatabase(opts);
  const clock = new ManualClock();
  const services = createServices(database.db, config, clock);
  await services.initReferenceData();
  const app = await buildApp({ services, database, logger: false, rateLimitMultiplier: 1000 });
  await app.ready();
  return {
    database, services, app, clock, config,
    async close() { await app.close(); await database.close(); fs.rmSync(config.attachmentsDir, { recursive: true, force: true }); },
  };
}

/** Every row of every table, as text: to prove that a refused request changed nothing. */
export async function snapshot(ctx: TestContext, except: string[] = []): Promise<string> {
  const out: string[] = [];
  for (const table of Object.values(schema)) {
    if (!is(table, PgTable)) continue;
    const name = getTableName(table);
    if (except.includes(name)) continue;
    const rows = await ctx.database.db.execute(sql.raw(`select * from "${name}" order by 1`));
    out.push(`${name}: ${JSON.stringify((rows as unknown as { rows: unknown[] }).rows)}`);
  }
  return out.join('\n');
}
