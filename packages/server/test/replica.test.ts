import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from './helpers/db.ts';
import { ManualClock, TEST_SECRET, type TestContext } from './helpers/context.ts';
import { demoWorld } from './helpers/demo.ts';
import { parseConfig } from '../src/config.ts';
import { createServices } from '../src/services.ts';
import { buildApp } from '../src/http/app.ts';
import { openReplica, type Replica } from '../src/db/replica.ts';
import { findPgBin, startPostgres, type ThrowawayPostgres } from '../../../scripts/lib/throwaway-postgres.ts';

/**
 * A PostgreSQL streaming replica (pg_basebackup -R of a primary of its own, both started on loopback): the case list reads from
 * it while it keeps up, from the primary once it falls behind the bound; whoever has just written reads the primary;
 * writes never go to the replica; /readyz and /metrics say how far behind it is. PostgreSQL only.
 */
const pgBin = findPgBin();
const enabled = Boolean(process.env.FQ_TEST_DATABASE_URL && pgBin);
const asPostgres = (cmd: string, args: string[]): [string, string[]] => (process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args]);

let dir = '';
let primaryServer: ThrowawayPostgres | null = null;
let admin = '';
let standby: ChildProcess | null = null;
let primaryDb: TestDatabase;
let replica: Replica;
let ctx: TestContext;
let replicaUrl = '';
let slot = '';
const onPrimary = async (q: string) => {
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  try { return (await c.query(q)).rows; } finally { await c.end(); }
};
const BOUND = 8;

beforeAll(async () => {
  if (!enabled) return;
  // a primary of its own with PostgreSQL's durable defaults (full-page writes on), not the suite's server: a base
  // backup of that one, taken while the other test files create and drop their databases with full-page writes off,
  // once gave a standby whose WAL replay found pages it could not read
  primaryServer = await startPostgres(pgBin!, { durable: true });
  admin = primaryServer.url;
  primaryDb = await createTestDatabase({ admin }); // migrated: the base backup copies it
  const primary = new URL(admin);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fq-replica-'));
  if (process.getuid?.() === 0) spawnSync('chown', ['-R', 'postgres:postgres', dir]);
  const data = path.join(dir, 'data');
  // a physical slot made first holds the primary's WAL from this moment, so that no write can recycle a segment the
  // base backup or the standby still needs; the standby follows through it (-R writes primary_slot_name). A fast
  // checkpoint starts the backup at once (the default spreads it over minutes)
  slot = `fq_replica_${process.pid}`;
  await onPrimary(`select pg_create_physical_replication_slot('${slot}', true)`);
  const [bbCmd, bbArgs] = asPostgres(path.join(pgBin!, 'pg_basebackup'), ['-h', primary.hostname, '-p', primary.port, '-U', 'postgres', '-D', data, '-R', '-X', 'stream', '-S', slot, '--checkpoint=fast']);
  const bb = spawnSync(bbCmd, bbArgs, { encoding: 'utf8', cwd: dir });
  if (bb.status !== 0) throw new Error(`pg_basebackup failed: ${bb.stderr}`);
  const port = await new Promise<number>((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => { const p = (srv.address() as net.AddressInfo).port; srv.close(() => resolve(p)); });
  });
  const [cmd, args] = asPostgres(path.join(pgBin!, 'postgres'), ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'hot_standby=on', '-c', 'fsync=off',
    '-c', 'max_connections=200']); // a hot standby needs at least the primary's connections
  standby = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  standby.stderr!.on('data', (b) => { log += b; });
  const url = new URL(primaryDb.url!);
  url.port = String(port);
  replicaUrl = url.toString();
  for (let i = 0; ; i++) {
    const c = new pg.Client({ connectionString: replicaUrl });
    try { await c.connect(); const r = await c.query('select pg_is_in_recovery() as standby'); await c.end(); if (r.rows[0].standby) break; } catch (e) {
      await c.end().catch(() => {});
      if (i > 150 || standby.exitCode !== null) throw new Error(`the standby did not start: ${log.slice(-1500)}`, { cause: e });
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const config = parseConfig({}, { secret: TEST_SECRET, logLevel: 'silent' }, {
    passwordMemoryKiB: 1024, passwordTimeCost: 1, cookieSecure: false, databaseUrl: primaryDb.url, readDatabaseUrl: replicaUrl, replicaMaxLagSeconds: BOUND,
    attachmentsDir: fs.mkdtempSync(path.join(os.tmpdir(), 'fq-attachments-')),
  });
  replica = openReplica(primaryDb.db, replicaUrl, BOUND, { intervalMs: 100 });
  const clock = new ManualClock();
  const services = createServices(primaryDb.db, config, clock, { reads: replica.reads });
  await services.initReferenceData();
  const app = await buildApp({ services, database: primaryDb, logger: false, rateLimitMultiplier: 1000, replica });
  await app.ready();
  ctx = { database: primaryDb, services, app, clock, config, async close() { await app.close(); } };
}, 180_000);

afterAll(async () => {
  await ctx?.close();
  await replica?.close();
  await primaryDb?.close();
  if (standby) {
    const [stopCmd, stopArgs] = asPostgres(path.join(pgBin!, 'pg_ctl'), ['-D', path.join(dir, 'data'), '-m', 'immediate', '-w', 'stop']);
    spawnSync(stopCmd, stopArgs, { stdio: 'ignore' });
  }
  // the slot holds WAL for as long as it exists: gone with the standby
  if (slot) await onPrimary(`select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = '${slot}'`).catch(() => {});
  await primaryServer?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const onStandby = async (q: string) => {
  const c = new pg.Client({ connectionString: replicaUrl });
  await c.connect();
  try { return (await c.query(q)).rows; } finally { await c.end(); }
};

describe.skipIf(!enabled)('a streaming read replica', () => {
  it('lists from the replica while it keeps up, from the primary when it falls behind or for whoever just wrote', { timeout: 240_000 }, async () => {
    const d = await demoWorld(ctx);
    const writer = await d.as('village');
    const reader = await d.as('dispatcher');
    const list = async (headers: Record<string, string>, number: string) =>
      ((await ctx.app.inject({ url: `/api/v1/cases?number=${number}`, headers })).json().items as unknown[]).length;

    await expect.poll(() => replica.inUse(), { timeout: 60_000, interval: 100 }).toBe(true);
    const ready = (await ctx.app.inject({ url: '/readyz' })).json();
    expect(ready.replica).toEqual({ lagSeconds: expect.any(Number), inUse: true });

    // replay stops on the standby: a case written now is on the primary only
    await onStandby('select pg_wal_replay_pause()');
    const created = await ctx.app.inject({ method: 'POST', url: '/api/v1/cases', headers: writer.headers, payload: {
      channel: 'window', areaId: d.area('220102200001').id, categoryId: (await d.category('A02')).id, description: '只读副本：新登记的事项',
    } });
    expect(created.statusCode, created.body).toBe(201); // writes go to the primary, whatever the replica does
    const number = created.json().case.number as string;
    const wrote = String(created.headers['set-cookie']).match(/fq_wrote=[^;]+/)![0];
    // someone else's list comes from the replica, which has not seen it; the writer's own from the primary
    expect(await list(reader.headers, number)).toBe(0);
    expect(await list({ ...writer.headers, cookie: `${writer.headers.cookie}; ${wrote}` }, number)).toBe(1);

    // past the bound the replica is left alone: everyone reads the primary, and /readyz and /metrics say why
    await expect.poll(() => replica.inUse(), { timeout: 60_000, interval: 200 }).toBe(false);
    expect(replica.lagSeconds()).toBeGreaterThan(BOUND);
    expect(await list(reader.headers, number)).toBe(1);
    expect((await ctx.app.inject({ url: '/readyz' })).json().replica.inUse).toBe(false);
    const metrics = (await ctx.app.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(/^fengqiao_replica_in_use 0$/m);
    expect(Number(/^fengqiao_replica_lag_seconds (\S+)$/m.exec(metrics)![1])).toBeGreaterThan(BOUND);

    // replay resumes: the replica catches up and is read again, and it has the case
    await onStandby('select pg_wal_replay_resume()');
    await expect.poll(() => replica.inUse(), { timeout: 60_000, interval: 100 }).toBe(true);
    expect(await list(reader.headers, number)).toBe(1);
    expect((await onStandby(`select count(*)::int as n from cases where number = '${number}'`))[0].n).toBe(1);
  });
});
