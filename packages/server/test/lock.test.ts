import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir } from '../src/db/lock.ts';
import { openDatabase } from '../src/db/database.ts';

const dirs: string[] = [];
const tmp = () => { const d = fs.mkdtempSync(path.join(os.tmpdir(), 'fq-lock-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

describe('the embedded database directory lock', () => {
  it('refuses a second opener with a clear error, and frees the directory on close', async () => {
    const dir = tmp();
    const first = await openDatabase({ databaseUrl: null, dataDir: dir });
    await expect(openDatabase({ databaseUrl: null, dataDir: dir })).rejects.toBeInstanceOf(DataDirLockedError);
    await first.close();
    const again = await openDatabase({ databaseUrl: null, dataDir: dir });
    await again.close();
  });

  it('keeps the data directory to its own account (0700), tightening one made wider', async () => {
    const dir = tmp();
    fs.chmodSync(dir, 0o755);
    const db = await openDatabase({ databaseUrl: null, dataDir: dir });
    try {
      expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    } finally { await db.close(); }
    const fresh = path.join(tmp(), 'new-data');
    const created = await openDatabase({ databaseUrl: null, dataDir: fresh });
    await created.close();
    expect(fs.statSync(fresh).mode & 0o777).toBe(0o700);
  });

  it('names the process holding the lock', () => {
    const dir = tmp();
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)']);
    try {
      fs.writeFileSync(path.join(dir, 'fengqiao.lock'), String(child.pid));
      expect(() => lockDataDir(dir)).toThrow(new RegExp(`pid ${child.pid}`));
    } finally {
      child.kill();
    }
  });

  it('takes over a lock left by a process that died', async () => {
    const dir = tmp();
    const child = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => child.on('exit', r));
    fs.writeFileSync(path.join(dir, 'fengqiao.lock'), String(child.pid));
    const release = lockDataDir(dir);
    expect(fs.readFileSync(path.join(dir, 'fengqiao.lock'), 'utf8')).toBe(String(process.pid));
    release();
    expect(fs.existsSync(path.join(dir, 'fengqiao.lock'))).toBe(false);
  });
});
