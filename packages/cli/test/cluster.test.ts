import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../../server/src/db/database.ts';
import { createTestDatabase, type TestDatabase } from '../../server/test/helpers/db.ts';

/**
 * Two `fengqiao serve` processes on one PostgreSQL behind HAProxy (Debian's, started on loopback with the
 * repository's deploy/haproxy.cfg): a session works whichever server answers, and each server is restarted in
 * turn (SIGTERM: drained, then stopped; started again) while a load generator keeps sending reports with
 * Idempotency-Keys, retrying on connection errors — no report fails, none is lost or doubled, and every outbox
 * message is delivered exactly once. PostgreSQL only: the embedded database serves one process.
 */
const BIN = fileURLToPath(new URL('../bin/fengqiao.mjs', import.meta.url));
const CONFIG = fileURLToPath(new URL('../../../deploy/haproxy.cfg', import.meta.url));
const HAPROXY = ['/usr/sbin/haproxy', '/usr/bin/haproxy'].find((p) => fs.existsSync(p));
if (!HAPROXY && process.env.FQ_REQUIRE_HAPROXY === '1') throw new Error('FQ_REQUIRE_HAPROXY=1 but HAProxy is not installed');
const enabled = Boolean(process.env.FQ_TEST_DATABASE_URL && HAPROXY);

let pgDb: TestDatabase | null = null;
let env: NodeJS.ProcessEnv;
const children: ChildProcess[] = [];

const freePort = () => new Promise<number>((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => resolve(p)); });
});

beforeAll(async () => {
  if (!enabled) return;
  pgDb = await createTestDatabase();
  env = {
    ...process.env, DATABASE_URL: pgDb.url!, FENGQIAO_SECRET: 'cluster-test-secret-cluster-test-secret-1', FENGQIAO_DEMO_PASSWORD: 'Demo-pass-2026',
    LOG_LEVEL: 'error', PASSWORD_MEMORY_KIB: '1024', PASSWORD_TIME_COST: '1', DEADLINE_SCAN_SECONDS: '0', RATE_LIMIT_MULTIPLIER: '100000',
    SHUTDOWN_DRAIN_SECONDS: '2', TRIAGE_RETRAIN_HOURS: '0',
  };
}, 120_000);
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await pgDb?.close();
});

/** Starts a server on a given port and waits until it says where it listens. */
function serve(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--demo', '--port', String(port)], { env });
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 120_000);
    const onData = (d: Buffer) => { out += d; if (out.includes('console & API:')) { clearTimeout(t); resolve(child); } };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => { clearTimeout(t); reject(new Error(`server exited (${code}): ${out}`)); });
  });
}
const stop = (child: ChildProcess) => new Promise<number | null>((r) => { child.on('exit', (code) => r(code)); child.kill('SIGTERM'); });

describe.skipIf(!enabled)('several servers behind HAProxy', () => {
  it('sessions on either server; a rolling restart under load loses, fails and doubles nothing', { timeout: 300_000 }, async () => {
    const [listen, portA, portB] = [await freePort(), await freePort(), await freePort()];
    let a = await serve(portA); // migrates and seeds the demo; the second finds both done
    let b = await serve(portB);
    const proxy = spawn(HAPROXY!, ['-db', '-f', CONFIG], {
      env: { ...process.env, FQ_LISTEN: `127.0.0.1:${listen}`, FQ_SERVER_A: `127.0.0.1:${portA}`, FQ_SERVER_B: `127.0.0.1:${portB}` },
    });
    children.push(proxy);
    const url = `http://127.0.0.1:${listen}`;
    await expect.poll(async () => (await fetch(`${url}/readyz`).catch(() => null))?.status, { timeout: 30_000, interval: 200 }).toBe(200);

    // a session made through the balancer works on each server
    const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'dispatcher', password: 'Demo-pass-2026' }) });
    expect(login.status).toBe(200);
    const cookie = String(login.headers.get('set-cookie')).split(';')[0]!;
    for (const port of [portA, portB, listen, listen]) {
      const me = await fetch(`http://127.0.0.1:${port}/api/v1/auth/me`, { headers: { cookie } });
      expect(me.status, `port ${port}`).toBe(200);
    }

    // the load: four clients reporting without pause, each report retried with its key until acknowledged
    const categories = (await (await fetch(`${url}/api/v1/public/categories`)).json()) as { items: { id: number; code: string }[] };
    const categoryId = categories.items.find((c) => c.code === 'A02')!.id;
    const acknowledged = new Map<string, string>();
    const failed: string[] = [];
    let retries = 0;
    let running = true;
    let n = 0;
    const client = async (w: number) => {
      while (running) {
        const key = `roll-${w}-${n++}`;
        for (let attempt = 0; ; attempt++) {
          const res = await fetch(`${url}/api/v1/public/cases`, {
            method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': key },
            body: JSON.stringify({ channel: 'qr_code', placeCode: '220102200001G01', categoryId, description: `滚动重启中的上报 ${key}` }),
          }).catch(() => null);
          if (res?.status === 201) { acknowledged.set(key, ((await res.json()) as { number: string }).number); break; }
          if (attempt >= 50) { failed.push(`${key}: ${res ? `${res.status} ${await res.text()}` : 'no connection'}`); break; }
          retries++;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    };
    const clients = Array.from({ length: 4 }, (_, i) => client(i));
    const waitFor = async (count: number) => { const t0 = Date.now(); while (acknowledged.size < count && Date.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 50)); };
    await waitFor(40);
    expect(await stop(a)).toBe(0); // drained: out of the rotation first, requests in flight finished
    a = await serve(portA);
    await waitFor(acknowledged.size + 40);
    expect(await stop(b)).toBe(0);
    b = await serve(portB);
    await waitFor(acknowledged.size + 40);
    running = false;
    await Promise.all(clients);
    expect(failed).toEqual([]);
    expect(acknowledged.size).toBeGreaterThanOrEqual(120);

    // every report once, with its event and its outbox message delivered exactly once (one notice per organisation)
    const database = await openDatabase({ databaseUrl: pgDb!.url!, dataDir: null });
    try {
      const pending = async () => ((await database.db.execute(sql`select count(*)::int as n from outbox where status in ('pending', 'processing')`)) as unknown as { rows: { n: number }[] }).rows[0]!.n;
      await expect.poll(pending, { timeout: 60_000, interval: 200 }).toBe(0); // the two servers share the outbox's work
      expect([await stop(a), await stop(b)]).toEqual([0, 0]);
      proxy.kill('SIGTERM');
      const rows = ((await database.db.execute(sql`
        select c.number, substr(c.idempotency_key, 8) as key,
          (select count(*)::int from case_events e where e.case_id = c.id and e.action = 'create') as events,
          (select count(*)::int from outbox o where o.payload->>'caseId' = c.id::text and o.payload->>'kind' = 'case_new') as messages,
          (select count(*)::int from outbox o where o.payload->>'caseId' = c.id::text and o.status <> 'done') as undelivered,
          (select count(*)::int - count(distinct n.organization_id)::int from notifications n where n.case_id = c.id and n.kind = 'case_new') as doubled
        from cases c where c.idempotency_key like 'public:roll-%'`)) as unknown as { rows: { number: string; key: string; events: number; messages: number; undelivered: number; doubled: number }[] }).rows;
      const byKey = new Map(rows.map((r) => [r.key, r]));
      expect(rows.length).toBe(byKey.size);
      expect(byKey.size).toBe(acknowledged.size);
      for (const [key, number] of acknowledged) {
        const r = byKey.get(key)!;
        expect([r.number, r.events, r.messages, r.undelivered, r.doubled], key).toEqual([number, 1, 1, 0, 0]);
      }
      console.log(`rolling restart: ${acknowledged.size} reports acknowledged, ${retries} retries by the clients, none failed`);
    } finally {
      await database.close();
    }
  });
});
