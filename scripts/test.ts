/**
 * `npm test`: type-check, then the whole suite twice — on embedded PGlite, and on a throwaway
 * PostgreSQL server started here on a loopback port (initdb into a temporary directory, removed after).
 * Without PostgreSQL server binaries the second half is skipped and says so (FQ_REQUIRE_POSTGRES=1 makes that an error).
 */
import { spawn, spawnSync, type SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

interface Counts { passed: number; failed: number; skipped: number }
const total: Counts = { passed: 0, failed: 0, skipped: 0 };
const extraArgs = process.argv.slice(2);
const root = path.resolve(import.meta.dirname, '..');
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);

function run(cmd: string, args: string[], opts: SpawnOptions = {}): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function vitest(label: string, env: NodeJS.ProcessEnv): Promise<number> {
  const report = path.join(os.tmpdir(), `fengqiao-vitest-${process.pid}-${label}.json`);
  console.log(`\n━━ tests on ${label} ━━`);
  const code = await run(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...extraArgs], { env: { ...process.env, ...env } });
  try {
    const r = JSON.parse(fs.readFileSync(report, 'utf8'));
    total.passed += r.numPassedTests;
    total.failed += r.numFailedTests + (r.numFailedTestSuites ?? 0) * (r.numFailedTests ? 0 : 1);
    total.skipped += r.numPendingTests + r.numTodoTests;
    fs.rmSync(report, { force: true });
  } catch {
    total.failed += 1; // the runner died before reporting
  }
  return code;
}

function findPgBin(): string | null {
  const candidates = [process.env.FQ_PG_BIN];
  const base = '/usr/lib/postgresql';
  if (fs.existsSync(base)) {
    for (const v of fs.readdirSync(base).sort((a, b) => Number(b) - Number(a))) candidates.push(path.join(base, v, 'bin'));
  }
  return candidates.find((d): d is string => Boolean(d) && fs.existsSync(path.join(d!, 'initdb')) && fs.existsSync(path.join(d!, 'postgres'))) ?? null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address() as net.AddressInfo; srv.close(() => resolve(port)); });
    srv.on('error', reject);
  });
}

/** initdb refuses to run as root: run PostgreSQL as the postgres user then. */
function asPostgres(cmd: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
}

async function withPostgres(pgBin: string, fn: (url: string) => Promise<number>): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fengqiao-pg-'));
  const data = path.join(dir, 'data');
  if (process.getuid?.() === 0) spawnSync('chown', ['-R', 'postgres:postgres', dir]);
  const [initCmd, initArgs] = asPostgres(path.join(pgBin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '--encoding=UTF8', '--locale=C.UTF-8']);
  const init = spawnSync(initCmd, initArgs, { encoding: 'utf8' });
  if (init.status !== 0) { console.error(init.stdout, init.stderr); fs.rmSync(dir, { recursive: true, force: true }); return 1; }
  const port = await freePort();
  const [pgCmd, pgArgs] = asPostgres(path.join(pgBin, 'postgres'), [
    '-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1',
    '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200',
  ]);
  const server = spawn(pgCmd, pgArgs, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  server.stderr!.on('data', (d) => { log += d; });
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  try {
    const pg = (await import('pg')).default;
    for (let i = 0; ; i++) {
      const c = new pg.Client({ connectionString: url });
      try { await c.connect(); const v = await c.query('show server_version'); await c.end(); console.log(`PostgreSQL ${v.rows[0].server_version} on 127.0.0.1:${port}`); break; } catch (e) {
        await c.end().catch(() => {});
        if (i > 100 || server.exitCode !== null) { console.error(log); throw e; }
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    return await fn(url);
  } finally {
    // runuser does not pass signals on to postgres: pg_ctl stops it by its data directory
    const [stopCmd, stopArgs] = asPostgres(path.join(pgBin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
    spawnSync(stopCmd, stopArgs, { stdio: 'ignore' });
    await new Promise((r) => (server.exitCode !== null ? r(null) : server.on('exit', r)));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  console.log('━━ type-check ━━');
  const tsc = await run(bin('tsc'), ['-p', 'tsconfig.json']);
  if (tsc !== 0) { console.log('type-check failed'); total.failed += 1; }

  const codes: number[] = [tsc];
  codes.push(await vitest('PGlite (embedded)', { FQ_TEST_DATABASE_URL: '' }));

  const pgBin = findPgBin();
  if (pgBin) {
    codes.push(await withPostgres(pgBin, (url) => vitest('PostgreSQL (server)', { FQ_TEST_DATABASE_URL: url, FQ_PG_BIN: pgBin })));
  } else {
    const msg = 'PostgreSQL half SKIPPED: no PostgreSQL server binaries found (apt-get install postgresql, or set FQ_PG_BIN)';
    console.log(`\n━━ ${msg} ━━`);
    if (process.env.FQ_REQUIRE_POSTGRES === '1') { console.error('FQ_REQUIRE_POSTGRES=1: failing'); codes.push(1); total.failed += 1; }
  }
  console.log(`\ntests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  process.exit(codes.some((c) => c !== 0) || total.failed > 0 ? 1 : 0);
}

await main();
