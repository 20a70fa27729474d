import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { systemActor } from '../src/access/actor.ts';
import { openDatabase, type Database } from '../src/db/database.ts';
import { createServices, type Services } from '../src/services.ts';
import { createTestContext, type TestContext } from './helpers/context.ts';
import { testDbKind } from './helpers/db.ts';
import { buildWorld, type World } from './helpers/world.ts';

/**
 * Several servers on one PostgreSQL: they start together and migrate once; the deadline job and the warnings
 * rules, run by every server at the same moment, mark each clock and raise each warning once, with one
 * notification each. (Embedded PGlite has one server by nature: nothing to show there.)
 */
const DAY = 86_400_000;
const sys = systemActor();
const rowsOf = <T>(r: unknown) => (r as { rows: T[] }).rows;

describe.skipIf(testDbKind !== 'postgres')('several servers on one database', () => {
  it('three servers starting at once apply each migration once, the others waiting for it', { timeout: 120_000 }, async () => {
    const admin = process.env.FQ_TEST_DATABASE_URL!;
    const name = `fq_test_${crypto.randomBytes(6).toString('hex')}`;
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    await c.query(`create database ${name} template template0 encoding 'UTF8' lc_collate 'C.UTF-8' lc_ctype 'C.UTF-8'`);
    const url = new URL(admin);
    url.pathname = `/${name}`;
    const servers: Database[] = [];
    try {
      for (let i = 0; i < 3; i++) servers.push(await openDatabase({ databaseUrl: url.toString(), dataDir: null, poolSize: 2 }));
      const results = await Promise.allSettled(servers.map((s) => s.migrate()));
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
      const journal = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../src/db/migrations/meta/_journal.json'), 'utf8')) as { entries: unknown[] };
      const applied = rowsOf<{ n: number }>(await servers[0]!.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`));
      expect(applied[0]!.n).toBe(journal.entries.length);
      // and a server started later finds nothing to do
      await servers[1]!.migrate();
      expect(rowsOf<{ n: number }>(await servers[0]!.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`))[0]!.n).toBe(journal.entries.length);
    } finally {
      for (const s of servers) await s.close();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    }
  });

  describe('background work run by two servers at the same moment', () => {
    let ctx: TestContext;
    let w: World;
    let other: { database: Database; services: Services };
    beforeAll(async () => {
      ctx = await createTestContext();
      w = await buildWorld(ctx);
      const database = await openDatabase({ databaseUrl: ctx.database.url!, dataDir: null, poolSize: 5 });
      // the second server: its own pool and services on the same database, the same clock as the first
      other = { database, services: createServices(database.db, ctx.config, ctx.clock) };
    }, 120_000);
    afterAll(async () => { await other?.database.close(); await ctx?.close(); });

    const count = async (q: ReturnType<typeof sql>) => rowsOf<{ n: number }>(await ctx.database.db.execute(q))[0]!.n;

    it('the deadline job marks each clock once, with one event and one notification', { timeout: 120_000 }, async () => {
      const categoryId = (await ctx.services.categories.byCode('A04'))!.id;
      const ids: string[] = [];
      for (let i = 0; i < 30; i++) {
        const { case: c } = await ctx.services.cases.createByStaff(sys, { channel: 'hotline', areaId: w.areas.b1.id, categoryId, description: `下水道堵塞 ${i}` }, null);
        const accepted = await ctx.services.cases.act(sys, c.id, 'accept', { version: c.version, tier: 'general' } as never);
        ids.push(accepted.case.id);
      }
      ctx.clock.advance(30 * DAY);
      for (let round = 0; round < 3; round++) {
        await Promise.all([ctx.services.cases.scanDeadlines(7), other.services.cases.scanDeadlines(7), ctx.services.cases.scanDeadlines(5)]);
      }
      const list = sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `);
      const marks = rowsOf<{ note: string; n: number }>(await ctx.database.db.execute(sql`select note, count(*)::int as n from case_events
        where action = 'deadline_warning' and case_id in (${list}) group by case_id, note`));
      expect(marks.length).toBeGreaterThanOrEqual(ids.length * 2); // contact and handle clocks, at least, on each case
      expect(marks.filter((m) => m.n !== 1)).toEqual([]);
      const events = await count(sql`select count(*)::int as n from case_events where action = 'deadline_warning' and case_id in (${list})`);
      const notices = await count(sql`select count(*)::int as n from outbox where topic = 'notify' and payload->>'caseId' in (${sql.join(ids.map((id) => sql`${id}`), sql`, `)}) 
        and payload->>'kind' in (${sql.join(['contact', 'handle', 'reply'].flatMap((c) => [`case_${c}_overdue`, `case_${c}_soon`]).map((k) => sql`${k}`), sql`, `)})`);
      expect(notices).toBe(events);
    });

    it('the warnings rules raise each warning once, with one notification', { timeout: 120_000 }, async () => {
      const categoryId = (await ctx.services.categories.byCode('A02'))!.id;
      const before = await count(sql`select count(*)::int as n from outbox where payload->>'kind' = 'warning_raised'`);
      for (let i = 0; i < 12; i++) {
        await ctx.services.cases.createByStaff(sys, { channel: 'hotline', areaId: w.areas.a1g.id, categoryId, description: `工地聚集讨薪 ${i}`, peopleInvolved: 40 }, null);
      }
      await ctx.services.commandCenter.rollups.catchUp();
      // both servers take the queue at once, a few cases at a time, until it is empty
      const drain = async (s: Services) => { let n = 0; for (let k; (k = await s.commandCenter.warnings.evaluateOnce(3)) > 0;) n += k; return n; };
      const taken = await Promise.all([drain(ctx.services), drain(other.services), drain(ctx.services)]);
      expect(taken.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(12); // every queued case looked at once
      const raised = rowsOf<{ kind: string; n: number }>(await ctx.database.db.execute(sql`select kind, count(*)::int as n from warnings
        group by kind, rule_id, area_id, window_key`));
      expect(raised.length).toBeGreaterThan(0);
      expect(raised.filter((r) => r.n !== 1)).toEqual([]); // one warning per rule × area × window
      const notices = await count(sql`select count(*)::int as n from outbox where payload->>'kind' = 'warning_raised'`);
      expect(notices - before).toBe(await count(sql`select count(*)::int as n from warnings`));
    });
  });
});
