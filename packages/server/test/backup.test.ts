import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import pg from 'pg';
import { createTestContext, TEST_SECRET } from './helpers/context.ts';
import { demoWorld } from './helpers/demo.ts';
import { backup, restore, BackupError } from '../src/ops/backup.ts';
import { openDatabase } from '../src/db/database.ts';
import { createKeyRing } from '../src/lib/personal-data.ts';
import { cases, attachments } from '../src/db/schema.ts';
import { CASE_FIELDS } from '../src/modules/cases/case-record.ts';

/**
 * A populated installation is backed up and restored elsewhere: the same counts, a reporter's phone that decrypts
 * under the same secret, an attachment's very bytes. A non-empty target is refused unless told to replace it.
 * On PostgreSQL the backup is taken while the installation keeps running.
 */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const tmp = (p: string) => fs.mkdtempSync(path.join(os.tmpdir(), p));
const dirs: string[] = [];
const dropLater: string[] = [];
afterAll(async () => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  if (process.env.FQ_TEST_DATABASE_URL) {
    const c = new pg.Client({ connectionString: process.env.FQ_TEST_DATABASE_URL });
    await c.connect();
    for (const name of dropLater) await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  }
});

/** An empty PostgreSQL database next to the test server's, for the restore. */
async function emptyPgDatabase(): Promise<string> {
  const admin = process.env.FQ_TEST_DATABASE_URL!;
  const name = `fq_restore_${crypto.randomBytes(5).toString('hex')}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`create database ${name} template template0 encoding 'UTF8' lc_collate 'C.UTF-8' lc_ctype 'C.UTF-8'`);
  await c.end();
  dropLater.push(name);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

const counts = async (db: Awaited<ReturnType<typeof openDatabase>>['db']) => {
  const r = await db.execute(sql`select (select count(*) from cases)::int as cases, (select count(*) from case_events)::int as events,
    (select count(*) from users)::int as users, (select count(*) from attachments)::int as attachments, (select count(*) from areas)::int as areas`);
  return (r as unknown as { rows: Record<string, number>[] }).rows[0]!;
};

describe('backup and restore', () => {
  it('a populated installation backed up and restored elsewhere: counts, a decrypted phone and an attachment’s bytes', { timeout: 300_000 }, async () => {
    const home = tmp('fq-backup-home-');
    dirs.push(home);
    const attachmentsDir = path.join(home, 'attachments');
    const ctx = await createTestContext({ attachmentsDir }, { dataDir: home });
    const d = await demoWorld(ctx);
    const up = await ctx.app.inject({ method: 'POST', url: '/api/v1/public/attachments', headers: { 'content-type': 'image/png' }, payload: PNG });
    const report = await ctx.app.inject({ method: 'POST', url: '/api/v1/public/cases', payload: {
      channel: 'qr_code', placeCode: d.area('220102200001G01').code, categoryId: (await d.category('A02')).id, description: '备份恢复：路灯不亮',
      reporter: { phone: '13912345678' }, attachmentIds: [up.json().id],
    } });
    expect(report.statusCode, report.body).toBe(201);
    const number = report.json().number as string;
    const stored = fs.readFileSync(path.join(attachmentsDir, (await ctx.database.db.select().from(attachments).where(eq(attachments.id, up.json().id)))[0]!.storageKey));
    const before = await counts(ctx.database.db);
    const url = ctx.database.url;

    const file = path.join(tmp('fq-backup-file-'), 'fengqiao.backup');
    dirs.push(path.dirname(file));
    if (url) {
      // PostgreSQL: taken live, while the installation is open and serving
      expect((await backup({ databaseUrl: url, dataDir: home, attachmentsDir }, file)).database).toBe('postgres');
    } else {
      // the embedded database is held by its server: the backup says so, and is taken once it stops
      await expect(backup({ databaseUrl: null, dataDir: home, attachmentsDir }, file)).rejects.toThrow(/in use by another Fengqiao process/);
      const kept = `${attachmentsDir}.kept`;
      fs.cpSync(attachmentsDir, kept, { recursive: true });
      await ctx.close(); // (a test context removes its attachments directory as it closes: put the files back)
      fs.renameSync(kept, attachmentsDir);
      expect((await backup({ databaseUrl: null, dataDir: home, attachmentsDir }, file)).database).toBe('pglite');
    }
    expect(fs.statSync(file).mode & 0o077).toBe(0);

    const elsewhere = tmp('fq-restore-home-');
    dirs.push(elsewhere);
    const target = { databaseUrl: url ? await emptyPgDatabase() : null, dataDir: elsewhere, attachmentsDir: path.join(elsewhere, 'attachments') };
    const manifest = await restore(target, file);
    expect(manifest.files).toBe(1);
    // a second restore into what is now populated is refused, and replaces it only when told
    await expect(restore(target, file)).rejects.toThrow(BackupError);
    await expect(restore(target, file)).rejects.toThrow(/not empty/);
    await restore(target, file, { force: true });

    const restored = await openDatabase({ databaseUrl: target.databaseUrl, dataDir: target.databaseUrl ? null : elsewhere });
    try {
      await restored.migrate(); // nothing to do: the migrations came with the data
      expect(await counts(restored.db)).toEqual(before);
      const [row] = await restored.db.select().from(cases).where(eq(cases.number, number));
      expect(createKeyRing(TEST_SECRET, []).decrypt(CASE_FIELDS.reporterPhone, row!.reporterPhoneEnc!)).toBe('13912345678');
      const [a] = await restored.db.select().from(attachments).where(eq(attachments.caseId, row!.id));
      expect(fs.readFileSync(path.join(target.attachmentsDir, a!.storageKey)).equals(stored)).toBe(true);
    } finally {
      await restored.close();
      if (url) await ctx.close();
    }
  });

  it('refuses what is not a backup, and a backup of the other kind of database', { timeout: 120_000 }, async () => {
    const here = tmp('fq-restore-bad-');
    dirs.push(here);
    const junk = path.join(here, 'junk.tar');
    fs.writeFileSync(junk, Buffer.alloc(2048));
    await expect(restore({ databaseUrl: null, dataDir: path.join(here, 'data'), attachmentsDir: path.join(here, 'files') }, junk)).rejects.toThrow(/not a Fengqiao backup|TAR|tar/i);
    await expect(restore({ databaseUrl: null, dataDir: path.join(here, 'data'), attachmentsDir: path.join(here, 'files') }, path.join(here, 'missing'))).rejects.toThrow(/does not exist/);
  });
});
