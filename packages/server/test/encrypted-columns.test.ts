import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTableColumns, getTableName, is, sql } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import { systemActor } from '../src/access/actor.ts';
import * as schema from '../src/db/schema.ts';
import { ENCRYPTED_COLUMNS } from '../src/db/encrypted-columns.ts';
import { createTestContext, type TestContext } from './helpers/context.ts';
import { demoWorld } from './helpers/demo.ts';

/** The list of encrypted columns that key rotation walks must name every column that holds ciphertext. */
const declared = new Set(ENCRYPTED_COLUMNS.flatMap((t) => t.columns.flatMap((c) => [`${t.table}.${c.column}`])));
const tables = (Object.values(schema) as unknown[]).filter((t): t is PgTable => is(t, PgTable));

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  const d = await demoWorld(ctx); // staff, registry people with ID numbers, groups, organisations with contacts
  const s = ctx.services;
  const category = await d.category('A01');
  const created = await s.cases.createByStaff(systemActor(), {
    channel: 'hotline', areaId: d.area('220102001001').id, categoryId: category.id, description: '路灯不亮，晚上看不见', reporter: { name: '王小明', phone: '13600001234' },
  }, null);
  await s.cases.act(systemActor(), created.case.id, 'accept', { version: created.case.version, tier: 'general' });
  await s.outbox.drain(); // the text to the reporter is recorded with its phone encrypted
});
afterAll(() => ctx?.close());

describe('encrypted columns', () => {
  it('every declared column exists, and every *_enc column of the schema is declared', () => {
    const all = new Set(tables.flatMap((t) => Object.values(getTableColumns(t)).map((c) => `${getTableName(t)}.${c.name}`)));
    for (const d of declared) expect(all, d).toContain(d);
    const named = [...all].filter((c) => c.endsWith('_enc'));
    expect(named.filter((c) => !declared.has(c))).toEqual([]);
  });

  it('every column of the database that holds a ciphertext is declared', async () => {
    const found = new Set<string>();
    for (const t of tables) {
      const name = getTableName(t);
      for (const c of Object.values(getTableColumns(t))) {
        if (c.getSQLType() !== 'text' && !c.getSQLType().startsWith('jsonb')) continue;
        const r = await ctx.database.db.execute(sql.raw(`select count(*)::int as n from "${name}" where "${c.name}"::text like '%fq1.%'`));
        if (Number((r as unknown as { rows: { n: number }[] }).rows[0]!.n) > 0) found.add(`${name}.${c.name}`);
      }
    }
    expect(found.size).toBeGreaterThan(5); // the data above fills most of them
    expect([...found].filter((c) => !declared.has(c))).toEqual([]);
  });
});
