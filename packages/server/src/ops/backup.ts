/**
 * `fengqiao backup <file>` and `fengqiao restore <file>`: one archive (tar) holding a manifest, the database and
 * the attachments' files.
 *
 * - PostgreSQL: `pg_dump --format=custom`, taken live (a consistent snapshot; the server keeps serving), and
 *   `pg_restore` into an empty database.
 * - The embedded database (PGlite): its data directory as PGlite dumps it. PGlite serves one process, so the
 *   server must be stopped for the moment the backup takes (the data directory's lock says so plainly).
 *
 * A restore refuses a target that already holds data unless told to replace it (`force`). Personal data stay
 * encrypted in the archive: the restored installation needs the same FENGQIAO_SECRET.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import * as tar from 'tar';
import { DataDirLockedError, lockDataDir, privateDir } from '../db/lock.ts';

export interface BackupTarget { databaseUrl: string | null; dataDir: string; attachmentsDir: string }
interface Manifest { format: 'fengqiao-backup'; version: 1; database: 'pglite' | 'postgres'; createdAt: string; files: number }
export class BackupError extends Error {}

/** The embedded database's directory, held for a backup or a restore: refused, naming the server, while a server has it. */
function lockedFor(what: 'backup' | 'restore', dataDir: string): () => void {
  try {
    return lockDataDir(dataDir);
  } catch (e) {
    if (!(e instanceof DataDirLockedError)) throw e;
    throw new BackupError(`${e.message} ${what === 'backup'
      ? 'The embedded database serves one process at a time, so its backup is taken with the server stopped for that moment (stop it, back up, start it again); on PostgreSQL backups are taken while the servers run.'
      : 'Stop the server before restoring into its data directory.'}`);
  }
}

const PGLITE_DUMP = 'database/pgdata.tar.gz';
const PG_DUMP = 'database/dump.pgc';

/** libpq's environment for a database URL, so that no password appears on a command line. */
function pgEnv(databaseUrl: string): NodeJS.ProcessEnv {
  const u = new URL(databaseUrl);
  const env: NodeJS.ProcessEnv = { ...process.env, PGHOST: u.hostname, PGPORT: u.port || '5432', PGDATABASE: decodeURIComponent(u.pathname.slice(1)) };
  if (u.username) env.PGUSER = decodeURIComponent(u.username);
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  const ssl = u.searchParams.get('sslmode');
  if (ssl) env.PGSSLMODE = ssl;
  return env;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv) {
  const r = spawnSync(command, args, { env, encoding: 'utf8' });
  if (r.error) throw new BackupError(`${command} could not be run (${r.error.message}); install the PostgreSQL client tools of the server's version`);
  if (r.status !== 0) throw new BackupError(`${command} failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ')}`);
}

/** Files under a directory, walked by hand (Node 20's recursive readdir with file types misses nested entries). */
function filesUnder(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  return fs.readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : e.isFile() ? 1 : 0), 0);
}
const isEmptyDir = (dir: string) => !fs.existsSync(dir) || fs.readdirSync(dir).length === 0;

/** Writes the archive; returns what it holds. */
export async function backup(t: BackupTarget, file: string): Promise<Manifest> {
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'fq-backup-'));
  try {
    fs.mkdirSync(path.join(stage, 'database'));
    let kind: Manifest['database'];
    if (t.databaseUrl) {
      kind = 'postgres';
      run('pg_dump', ['--format=custom', '--no-owner', '--file', path.join(stage, PG_DUMP)], pgEnv(t.databaseUrl));
    } else {
      kind = 'pglite';
      const release = lockedFor('backup', t.dataDir);
      try {
        const db = await PGlite.create(path.join(t.dataDir, 'pgdata'));
        try { fs.writeFileSync(path.join(stage, PGLITE_DUMP), Buffer.from(await (await db.dumpDataDir('gzip')).arrayBuffer())); }
        finally { await db.close(); }
      } finally { release(); }
    }
    const entries = ['manifest.json', 'database'];
    if (fs.existsSync(t.attachmentsDir)) {
      fs.symlinkSync(t.attachmentsDir, path.join(stage, 'attachments'), 'dir');
      entries.push('attachments');
    }
    const manifest: Manifest = { format: 'fengqiao-backup', version: 1, database: kind, createdAt: new Date().toISOString(), files: filesUnder(t.attachmentsDir) };
    fs.writeFileSync(path.join(stage, 'manifest.json'), JSON.stringify(manifest, null, 2));
    const partial = `${file}.partial`;
    await tar.c({ file: partial, cwd: stage, follow: true, portable: true }, entries);
    fs.chmodSync(partial, 0o600); // it holds the (encrypted) personal data and the residents' photos
    fs.renameSync(partial, file); // a backup file that exists is a whole one
    return manifest;
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

/** Restores the archive into an empty database and attachments directory (or replaces them with `force`). */
export async function restore(t: BackupTarget, file: string, opts: { force?: boolean } = {}): Promise<Manifest> {
  if (!fs.existsSync(file)) throw new BackupError(`${file} does not exist`);
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'fq-restore-'));
  try {
    await tar.x({ file, cwd: stage, strict: true });
    const manifestFile = path.join(stage, 'manifest.json');
    const manifest = fs.existsSync(manifestFile) ? JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Manifest : null;
    if (manifest?.format !== 'fengqiao-backup') throw new BackupError(`${file} is not a Fengqiao backup`);
    const wanted = t.databaseUrl ? 'postgres' : 'pglite';
    if (manifest.database !== wanted) {
      throw new BackupError(`${file} holds ${manifest.database === 'pglite' ? 'an embedded (PGlite)' : 'a PostgreSQL'} database; this installation uses ${t.databaseUrl ? 'PostgreSQL' : 'the embedded database'}`);
    }
    const files = path.join(stage, 'attachments');
    if (!opts.force && !isEmptyDir(t.attachmentsDir)) throw new BackupError(`${t.attachmentsDir} is not empty: restore into an empty installation, or pass --force to replace it`);

    if (t.databaseUrl) {
      const client = new pg.Client({ connectionString: t.databaseUrl });
      await client.connect();
      const { rows } = await client.query(`select count(*)::int as n from pg_tables where schemaname not in ('pg_catalog', 'information_schema')`).finally(() => client.end());
      if (rows[0].n > 0 && !opts.force) throw new BackupError('the database is not empty: restore into an empty database, or pass --force to replace what it holds');
      run('pg_restore', ['--no-owner', '--exit-on-error', ...(rows[0].n > 0 ? ['--clean', '--if-exists'] : []), '--dbname', pgEnv(t.databaseUrl).PGDATABASE!, path.join(stage, PG_DUMP)], pgEnv(t.databaseUrl));
    } else {
      const target = path.join(t.dataDir, 'pgdata');
      fs.mkdirSync(t.dataDir, { recursive: true });
      const release = lockedFor('restore', t.dataDir);
      try {
        if (!isEmptyDir(target)) {
          if (!opts.force) throw new BackupError(`${target} is not empty: restore into an empty data directory, or pass --force to replace it`);
          fs.rmSync(target, { recursive: true, force: true });
        }
        const db = await PGlite.create(target, { loadDataDir: new Blob([fs.readFileSync(path.join(stage, PGLITE_DUMP))]) });
        await db.close();
      } finally { release(); }
    }
    fs.rmSync(t.attachmentsDir, { recursive: true, force: true });
    fs.mkdirSync(t.attachmentsDir, { recursive: true });
    privateDir(t.attachmentsDir);
    if (fs.existsSync(files)) fs.cpSync(files, t.attachmentsDir, { recursive: true });
    return manifest;
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}
