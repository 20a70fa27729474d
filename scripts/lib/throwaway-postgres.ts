/**
 * A throwaway PostgreSQL server for tests and benchmarks: initdb into a temporary directory,
 * listen on a free loopback port, removed again afterwards. Debian's server binaries
 * (/usr/lib/postgresql/<version>/bin) or FQ_PG_BIN.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export function findPgBin(): string | null {
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

export interface ThrowawayPostgres { url: string; dataDir: string; stop(): Promise<void> }

export interface ServerOptions {
  durable?: boolean;
  /** Server settings (`shared_buffers`, `work_mem`, …) for a benchmark on a server tuned as docs/operations.md says. */
  settings?: Record<string, string>;
}

/**
 * Starts a throwaway server and answers once it takes connections. `durable: false` (tests) turns fsync,
 * synchronous commit and full-page writes off; benchmarks, and a primary that a base backup copies, keep
 * PostgreSQL's defaults.
 */
export async function startPostgres(pgBin: string, opts: ServerOptions = {}): Promise<ThrowawayPostgres> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fengqiao-pg-'));
  const data = path.join(dir, 'data');
  if (process.getuid?.() === 0) spawnSync('chown', ['-R', 'postgres:postgres', dir]);
  const [initCmd, initArgs] = asPostgres(path.join(pgBin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '--encoding=UTF8', '--locale=C.UTF-8']);
  const init = spawnSync(initCmd, initArgs, { encoding: 'utf8' });
  if (init.status !== 0) { fs.rmSync(dir, { recursive: true, force: true }); throw new Error(`initdb failed: ${init.stdout}${init.stderr}`); }
  const port = await freePort();
  const [pgCmd, pgArgs] = asPostgres(path.join(pgBin, 'postgres'), [
    '-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200',
    ...(opts.durable ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
    ...Object.entries(opts.settings ?? {}).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
  ]);
  const server = spawn(pgCmd, pgArgs, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  server.stderr!.on('data', (d) => { log += d; });
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const stop = async () => {
    // runuser does not pass signals on to postgres: pg_ctl stops it by its data directory
    const [stopCmd, stopArgs] = asPostgres(path.join(pgBin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
    spawnSync(stopCmd, stopArgs, { stdio: 'ignore' });
    await new Promise((r) => (server.exitCode !== null ? r(null) : server.on('exit', r)));
    fs.rmSync(dir, { recursive: true, force: true });
  };
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
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, dataDir: data, stop };
}

/** A throwaway server for the length of `fn`. */
export async function withPostgres<T>(pgBin: string, fn: (url: string) => Promise<T>, opts: ServerOptions = {}): Promise<T> {
  const server = await startPostgres(pgBin, opts);
  try {
    return await fn(server.url);
  } finally {
    await server.stop();
  }
}
