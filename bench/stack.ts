/**
 * What the server benchmarks start from: a migrated database with the reference data and the demo jurisdiction,
 * the services on it, the API listening on loopback, API tokens of the demo accounts, and the bare route every
 * intake figure is compared with — one Fastify route inserting one row into the same database, nothing else.
 */
import Fastify from 'fastify';
import { sql } from 'drizzle-orm';
import { parseConfig, type Config } from '../packages/server/src/config.ts';
import { openDatabase, type Database } from '../packages/server/src/db/database.ts';
import { createServices, type Services } from '../packages/server/src/services.ts';
import { buildApp } from '../packages/server/src/http/app.ts';
import { seedDemo } from '../packages/server/src/demo/seed-demo.ts';
import { systemActor } from '../packages/server/src/access/actor.ts';

export const BENCH_PASSWORD = 'Bench-password-2026';

export interface BenchStack { config: Config; database: Database; services: Services; close(): Promise<void> }

/**
 * Opens PostgreSQL (`databaseUrl`) or the embedded database in `dataDir`, migrates it and seeds the demo.
 * `realPasswordCost`: argon2id at its production cost (a sign-in benchmark); otherwise the cheapest.
 */
export async function openBenchStack(databaseUrl: string | null, o: { dataDir?: string; poolSize?: number; realPasswordCost?: boolean } = {}): Promise<BenchStack> {
  const config = parseConfig({}, { secret: 'bench-secret-bench-secret-bench-secret-01', logLevel: 'silent' },
    o.realPasswordCost ? { cookieSecure: false } : { passwordMemoryKiB: 1024, passwordTimeCost: 1, cookieSecure: false });
  const database = await openDatabase({ databaseUrl, dataDir: databaseUrl ? null : o.dataDir ?? null, poolSize: o.poolSize ?? 20 });
  try {
    await database.migrate();
    const services = createServices(database.db, config);
    await services.initReferenceData();
    await seedDemo(services, BENCH_PASSWORD);
    return { config, database, services, close: () => database.close() };
  } catch (e) {
    await database.close();
    throw e;
  }
}

/** The API on a free loopback port, without rate limits: its base URL. */
export async function listenApi(stack: BenchStack): Promise<{ base: string; close(): Promise<void> }> {
  const app = await buildApp({ services: stack.services, database: stack.database, logger: false, rateLimitMultiplier: 1_000_000 });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  return { base, close: () => app.close() };
}

/** The bare route: `POST /bare` inserts the body as one row into the same database, nothing else. */
export async function listenBareInsert(stack: BenchStack): Promise<{ url: string; close(): Promise<void> }> {
  const db = stack.database.db;
  await db.execute(sql`create table if not exists bench_bare (id bigint generated always as identity primary key, payload jsonb not null, created_at timestamptz not null default now())`);
  const bare = Fastify({ logger: false });
  bare.post('/bare', async (req) => {
    const r = await db.execute(sql`insert into bench_bare (payload) values (${JSON.stringify(req.body)}) returning id`);
    return { id: (r as unknown as { rows: { id: number }[] }).rows[0]!.id };
  });
  const base = await bare.listen({ port: 0, host: '127.0.0.1' });
  return { url: `${base}/bare`, close: () => bare.close() };
}

/** The demo's places and people a benchmark reports from: a village of 南关区, category A02, and API tokens. */
export async function demoFixtures(s: Services) {
  const sys = systemActor();
  const users = (await s.users.list(sys, { limit: 500 })).items;
  const user = (username: string) => users.find((u) => u.username === username)!;
  return {
    users, user,
    village: (await s.areas.list(sys, { limit: 500 })).items.find((a) => a.code === '220102200001')!,
    category: (await s.categories.byCode('A02'))!,
    token: async (username: string) => (await s.tokens.create(sys, { userId: user(username).id, name: 'bench' })).token,
  };
}

/** The report every intake benchmark sends: a window clerk's, with the reporter's name and phone. */
export const intakeBody = (f: { village: { id: number }; category: { id: number } }) =>
  JSON.stringify({ channel: 'window', areaId: f.village.id, categoryId: f.category.id, description: '小区路灯损坏，夜间出行不便', reporter: { name: '张三', phone: '13812345678' } });
