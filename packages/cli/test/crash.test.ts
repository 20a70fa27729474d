import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../../server/src/db/database.ts';
import { createTestDatabase, type TestDatabase } from '../../server/test/helpers/db.ts';

/**
 * Nothing accepted is lost: the server is killed with SIGKILL while residents report concurrently.
 * After a restart, every report that was acknowledged (201) exists exactly once, with its event and
 * outbox row; retrying the unacknowledged ones with their Idempotency-Keys creates no duplicates.
 */
const BIN = fileURLToPath(new URL('../bin/fengqiao.mjs', import.meta.url));
let dataDir: string;
let pgDb: TestDatabase | null = null;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fq-crash-'));
  env = {
    ...process.env, DATA_DIR: dataDir, FENGQIAO_SECRET: 'crash-test-secret-crash-test-secret-01', FENGQIAO_DEMO_PASSWORD: 'Demo-pass-2026',
    LOG_LEVEL: 'error', PASSWORD_MEMORY_KIB: '1024', PASSWORD_TIME_COST: '1', DEADLINE_SCAN_SECONDS: '0', RATE_LIMIT_MULTIPLIER: '100000',
  };
  delete env.DATABASE_URL;
  if (process.env.FQ_TEST_DATABASE_URL) {
    pgDb = await createTestDatabase();
    env.DATABASE_URL = pgDb.url!;
  }
});
afterAll(async () => {
  await pgDb?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function serve(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--demo', '--port', '0'], { env });
  let out = '';
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 90_000);
    const onData = (d: Buffer) => {
      out += d;
      const m = /console & API: (http:\/\/\S+?)\/\s/.exec(out);
      if (m) { clearTimeout(t); resolve({ child, url: m[1]! }); }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => { clearTimeout(t); reject(new Error(`server exited (${code}): ${out}`)); });
  });
}

async function report(url: string, key: string, categoryId: number) {
  const res = await fetch(`${url}/api/v1/public/cases`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify({ channel: 'qr_code', placeCode: '220102200001G01', categoryId, description: `压力测试上报 ${key}` }),
  });
  if (res.status !== 201) throw new Error(`HTTP ${res.status}`);
  return (await res.json()) as { number: string };
}

// each test starts CLI or server processes that open the embedded database: their time follows the machine's
describe('a crash during concurrent intake', { timeout: 180_000 }, () => {
  it('loses no acknowledged case and duplicates none', async () => {
    const first = await serve();
    const categories = (await (await fetch(`${first.url}/api/v1/public/categories`)).json()) as { items: { id: number; code: string }[] };
    const categoryId = categories.items.find((c) => c.code === 'A02')!.id;

    const acknowledged = new Map<string, string>(); // key → number
    const sent = new Set<string>();
    let n = 0;
    let killed = false;
    const worker = async (w: number) => {
      while (!killed) {
        const key = `crash-${w}-${n++}`;
        sent.add(key);
        try { acknowledged.set(key, (await report(first.url, key, categoryId)).number); } catch { /* the server died mid-request */ }
      }
    };
    const workers = Array.from({ length: 8 }, (_, i) => worker(i));
    const started = Date.now();
    while (acknowledged.size < 60 && Date.now() - started < 60_000) await new Promise((r) => setTimeout(r, 20));
    first.child.kill('SIGKILL');
    killed = true;
    await Promise.all(workers);
    await new Promise((r) => (first.child.exitCode !== null || first.child.signalCode ? r(null) : first.child.on('exit', r)));
    expect(acknowledged.size).toBeGreaterThanOrEqual(60);

    // restart on the same data (a lock left by the killed process is taken over) and retry what was not acknowledged
    const second = await serve();
    for (const key of sent) {
      if (acknowledged.has(key)) continue;
      acknowledged.set(key, (await report(second.url, key, categoryId)).number);
    }
    // a retry of an acknowledged report returns the same case
    const [someKey, someNumber] = [...acknowledged.entries()][0]!;
    expect((await report(second.url, someKey, categoryId)).number).toBe(someNumber);
    await new Promise((r) => { second.child.on('exit', r); second.child.kill('SIGTERM'); });

    const database = await openDatabase({ databaseUrl: env.DATABASE_URL ?? null, dataDir: env.DATABASE_URL ? null : dataDir });
    try {
      const rows = (await database.db.execute(sql`
        select c.number, c.idempotency_key,
          (select count(*)::int from case_events e where e.case_id = c.id and e.action = 'create') as events,
          (select count(*)::int from outbox o where o.payload->>'caseId' = c.id::text and o.payload->>'kind' = 'case_new') as outbox
        from cases c where c.idempotency_key like 'public:crash-%'`)) as unknown as { rows: { number: string; idempotency_key: string; events: number; outbox: number }[] };
      const byKey = new Map(rows.rows.map((r) => [r.idempotency_key.slice('public:'.length), r]));
      expect(rows.rows.length).toBe(byKey.size); // no key twice
      expect(byKey.size).toBe(sent.size); // every report sent exists once, acknowledged before the crash or retried after
      for (const [key, number] of acknowledged) {
        const r = byKey.get(key);
        expect(r, key).toBeDefined();
        expect(r!.number).toBe(number);
        expect(r!.events).toBe(1);
        expect(r!.outbox).toBe(1);
      }
    } finally {
      await database.close();
    }
  }, 240_000);
});
