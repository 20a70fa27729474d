import fs from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../server/test/helpers/db.ts';

const BIN = fileURLToPath(new URL('../bin/fengqiao.mjs', import.meta.url));
const SECRET = 'cli-test-secret-cli-test-secret-0123456';

let dataDir: string;
let pgDb: TestDatabase | null = null;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fq-cli-'));
  env = { ...process.env, DATA_DIR: dataDir, FENGQIAO_SECRET: SECRET, LOG_LEVEL: 'warn', PASSWORD_MEMORY_KIB: '1024', PASSWORD_TIME_COST: '1' };
  delete env.DATABASE_URL;
  if (process.env.FQ_TEST_DATABASE_URL) {
    // the PostgreSQL half: the CLI works on a throwaway database of the test server
    pgDb = await createTestDatabase();
    env.DATABASE_URL = pgDb.url!;
  }
});
afterAll(async () => {
  await pgDb?.close(); // drops the throwaway database
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function run(args: string[], extra: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...env, ...extra }, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

// each test starts CLI or server processes that open the embedded database: their time follows the machine's
describe('fengqiao CLI', { timeout: 180_000 }, () => {
  it('refuses to serve without a secret outside demo mode, saying why', () => {
    const r = run(['serve'], { FENGQIAO_SECRET: '' });
    expect(r.code).toBe(1);
    expect(r.err).toContain('FENGQIAO_SECRET is required');
  });

  it('migrates', () => {
    const r = run(['migrate']);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/Migrations applied/);
    expect(r.code).toBe(0);
  });

  // seven CLI processes, each starting and opening the embedded database: about a minute beside another test file
  it('seeds the demo jurisdiction once, then creates a user and resets a password through the services', { timeout: 180_000 }, () => {
    const seeded = run(['seed-demo'], { FENGQIAO_DEMO_PASSWORD: 'Demo-pass-2026' });
    expect(seeded.code).toBe(0);
    expect(seeded.out).toMatch(/admin\s+admin\s+南关区综治中心/);
    expect(seeded.out).toContain('(FENGQIAO_DEMO_PASSWORD)');
    expect(run(['seed-demo']).out).toMatch(/already seeded/);

    const created = run(['user', 'create', '--username', 'ops.admin', '--name', '运维管理员', '--org', '1', '--roles', 'admin,security_officer']);
    expect(created.err).toBe('');
    expect(created.out).toMatch(/Created ops\.admin \([0-9a-f-]{36}\) with roles admin, security_officer/);
    expect(created.out).toMatch(/Initial password: \S{12,}/);

    const dup = run(['user', 'create', '--username', 'ops.admin', '--name', 'x', '--org', '1', '--roles', 'admin', '--password', 'Password-12345']);
    expect(dup.code).toBe(1);
    expect(dup.err).toMatch(/USERNAME_TAKEN/);

    const badRole = run(['user', 'create', '--username', 'x.y', '--name', 'x', '--org', '1', '--roles', 'king']);
    expect(badRole.code).toBe(1);
    expect(badRole.err).toMatch(/unknown role\(s\): king/);

    // the command center's rollups: rebuilt from the demo's cases
    const rebuilt = run(['rollups', 'rebuild']);
    expect([rebuilt.code, rebuilt.err]).toEqual([0, '']);
    expect(rebuilt.out).toMatch(/Rebuilt the rollups from \d+ case\(s\)/);

    const reset = run(['user', 'reset-password', 'ops.admin', '--password', 'Reset-pass-2026']);
    expect(reset.code).toBe(0);
    expect(reset.out).toMatch(/Password of ops\.admin reset/);
    expect(run(['user', 'reset-password', 'no.such.user']).err).toMatch(/no user named no\.such\.user/);
  });

  it('serves; a second server on the same embedded data directory is refused; SIGTERM drains it (not ready, still serving) and stops it cleanly', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], { env: { ...env, SHUTDOWN_DRAIN_SECONDS: '3' } });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    const url = await new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no URL in: ${out}`)), 60_000);
      child.stdout.on('data', () => { const m = /console & API: (http:\/\/\S+?)\/\s/.exec(out); if (m) { clearTimeout(t); resolve(m[1]!); } });
    });
    const ready = (await (await fetch(`${url}/readyz`)).json()) as { status: string };
    expect(ready.status).toBe('ready');
    const login = await fetch(`${url}/api/v1/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'ops.admin', password: 'Reset-pass-2026' }),
    });
    expect(login.status).toBe(200);

    if (!env.DATABASE_URL) {
      const second = run(['migrate']);
      expect(second.code).toBe(1);
      expect(second.err).toMatch(new RegExp(`in use by another Fengqiao process \\(pid ${child.pid}\\)`));
      expect(second.err).toContain('--server'); // and says how to do it while the server runs
    }
    // while the server holds the database, an administrator works through its API with an API token
    const session = { cookie: String(login.headers.get('set-cookie')).split(';')[0]!, csrf: ((await login.json()) as { csrfToken: string }).csrfToken };
    const created = await fetch(`${url}/api/v1/tokens`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: session.cookie, 'x-csrf-token': session.csrf }, body: JSON.stringify({ name: 'cli' }) });
    expect(created.status).toBe(201);
    const token = ((await created.json()) as { token: string }).token;
    const remote = (args: string[]) => run(['--server', url, '--token', token, ...args]);
    const viaApi = remote(['user', 'create', '--username', 'jm.ops', '--name', '角美运维', '--org', '1', '--roles', 'handler', '--password', 'Ops-pass-2026']);
    expect(viaApi.err).toBe('');
    expect(viaApi.out).toMatch(/^Created jm\.ops \([0-9a-f-]{36}\) with roles handler\.$/m);
    expect(remote(['user', 'reset-password', 'jm.ops', '--password', 'Ops-pass-2027']).out).toContain('Password of jm.ops reset');
    const relogin = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'jm.ops', password: 'Ops-pass-2027' }) });
    expect(relogin.status).toBe(200);
    const refused = run(['--server', url, '--token', 'fqt_not-a-real-token-000000000000', 'user', 'reset-password', 'jm.ops']);
    expect([refused.code, refused.err.trim()]).toEqual([1, expect.stringMatching(/^fengqiao: UNAUTHENTICATED: /)]);
    // a backup while the server runs: live on PostgreSQL; the embedded database asks for the server to be stopped first
    const backupFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fq-cli-backup-')), 'fq.backup');
    const live = run(['backup', backupFile]);
    if (env.DATABASE_URL) expect([live.code, live.out]).toEqual([0, expect.stringMatching(/^Backed up the PostgreSQL database and \d+ attachment file\(s\) to /)]);
    else expect([live.code, live.err]).toEqual([1, expect.stringContaining('its backup is taken with the server stopped')]);
    const exit = new Promise<number | null>((r) => child.on('exit', r));
    child.kill('SIGTERM');
    // draining: the balancer's check sees 503 and sends new requests elsewhere, while this server still answers
    await expect.poll(async () => (await fetch(`${url}/readyz`)).status, { interval: 50 }).toBe(503);
    expect(((await (await fetch(`${url}/readyz`)).json()) as { status: string }).status).toBe('draining');
    expect((await fetch(`${url}/api/v1/public/categories`)).status).toBe(200);
    expect(await exit).toBe(0);
    expect(fs.existsSync(path.join(dataDir, 'fengqiao.lock'))).toBe(false);
    if (!env.DATABASE_URL) {
      const stopped = run(['backup', backupFile]);
      expect([stopped.code, stopped.err]).toEqual([0, '']);
      expect(stopped.out).toMatch(/^Backed up the embedded database and \d+ attachment file\(s\) to /);
      // restored into another data directory; a second restore there is refused
      const other = fs.mkdtempSync(path.join(os.tmpdir(), 'fq-cli-restore-'));
      const restored = run(['--data-dir', other, 'restore', backupFile]);
      expect([restored.code, restored.err]).toEqual([0, '']);
      const again = run(['--data-dir', other, 'restore', backupFile]);
      expect([again.code, again.err]).toEqual([1, expect.stringMatching(/^fengqiao: .*is not empty: restore into an empty data directory, or pass --force/)]);
      // the account made through the API before the backup is there
      expect(run(['--data-dir', other, 'user', 'reset-password', 'jm.ops', '--password', 'Ops-pass-2028']).out).toContain('Password of jm.ops reset');
      fs.rmSync(other, { recursive: true, force: true });
    }
    fs.rmSync(path.dirname(backupFile), { recursive: true, force: true });
    // the hourly housekeeping, once by hand
    const purged = run(['purge']);
    expect([purged.code, purged.err]).toEqual([0, '']);
    expect(purged.out).toMatch(/^Purged \d+ delivered outbox message\(s\) older than 7 days, \d+ in-app message\(s\) older than 180 days, \d+ expired session\(s\)\.$/m);
  });

  it('says a busy port plainly, naming PORT, before it opens or seeds anything', async () => {
    const holder = net.createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
    const port = (holder.address() as net.AddressInfo).port;
    const fresh = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fq-port-')), 'data');
    try {
      const r = run(['serve', '--demo', '--port', String(port)], { DATA_DIR: fresh, DATABASE_URL: '' });
      expect(r.code).toBe(1);
      expect(r.err.trim()).toBe(`fengqiao: port ${port} on 127.0.0.1 is already in use (by another Fengqiao or another program): choose a free one with PORT=<port> (or --port), or stop what listens there`);
      expect(fs.existsSync(fresh)).toBe(false); // nothing was created, migrated or seeded
    } finally {
      holder.close();
    }
  });
});
