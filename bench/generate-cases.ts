/**
 * Generates N synthetic cases over the demo jurisdiction, directly in SQL (generate_series), in batches:
 * realistic spread over communities and grids, owners, departments, statuses, categories, clocks met and missed,
 * ratings, and a year of dates (or `days`).
 * Also usable alone:  npx tsx bench/generate-cases.ts 1000000   (against DATABASE_URL, or DATA_DIR's PGlite)
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../packages/server/src/db/database.ts';

export async function generateCases(db: Db, count: number, log: (m: string) => void = () => {}, opts: { days?: number; offset?: number } = {}): Promise<void> {
  const days = opts.days ?? 365;
  const offset = opts.offset ?? 0;
  const rows = (r: unknown) => (r as { rows: Record<string, unknown>[] }).rows;
  const places = rows(await db.execute(sql`
    select a.id, a.path, (select o.id from organizations o join areas oa on oa.id = o.area_id
                          where o.kind = 'center' and oa.level <> 'grid' and a.path like oa.path || '%' order by oa.depth desc limit 1) as owner
    from areas a where a.level in ('village', 'grid')`));
  const departments = rows(await db.execute(sql`select id from organizations where kind = 'department' order by id`)).map((r) => Number(r.id));
  const categories = rows(await db.execute(sql`select id, case_type from categories where parent_id is not null order by id`));
  const areaIds = places.map((p) => Number(p.id));
  const paths = places.map((p) => String(p.path));
  const owners = places.map((p) => Number(p.owner));
  const catIds = categories.map((c) => Number(c.id));
  const catTypes = categories.map((c) => String(c.case_type));
  const arr = (xs: (number | string)[], type: string) => sql.raw(`array[${xs.map((x) => (typeof x === 'number' ? x : `'${x}'`)).join(',')}]::${type}[]`);
  const batch = 50_000;
  for (let start = offset; start < offset + count; start += batch) {
    const end = Math.min(offset + count, start + batch);
    await db.execute(sql`
      insert into cases (number, case_type, channel, status, tier, category_id, area_id, area_path, owning_org_id, assignee_org_id, dispatch_org_id,
                         description, people_involved, accepted_at, contact_due_at, contacted_at, handle_due_at, replied_at, closed_at, visit_result, warnings, created_at, updated_at)
      select 'BENCH-' || g,
             (${arr(catTypes, 'text')})[1 + g % ${catTypes.length}],
             (array['qr_code','mobile_web','hotline','window','grid_patrol','police_push','petition','other_platform'])[1 + g % 8],
             s.status, (array['general','general','general','major','difficult'])[1 + g % 5],
             (${arr(catIds, 'int')})[1 + g % ${catIds.length}],
             (${arr(areaIds, 'int')})[1 + (g / 7) % ${areaIds.length}],
             (${arr(paths, 'text')})[1 + (g / 7) % ${areaIds.length}],
             (${arr(owners, 'int')})[1 + (g / 7) % ${areaIds.length}],
             case when s.status in ('pending_signoff','in_progress','replied','closed','archived') then (${arr(departments, 'int')})[1 + g % ${departments.length}] end,
             case when s.status in ('pending_signoff','in_progress','replied','closed','archived') then (${arr(owners, 'int')})[1 + (g / 7) % ${areaIds.length}] end,
             '批量生成的测试事项 #' || g, 1 + g % 5,
             t.created + interval '1 hour', t.created + interval '2 hours', t.created + interval '1 hour 30 minutes', t.created + interval '3 days',
             -- one reply in twelve comes after the handle clock
             case when s.status in ('replied','closed','archived') then t.created + (case when g % 12 = 0 then interval '4 days' else interval '2 days' end) end,
             case when s.status in ('closed','archived') then t.created + interval '5 days' end,
             case when s.status in ('closed','archived') then (array['satisfied','satisfied','satisfied','satisfied','satisfied','satisfied','basically_satisfied','basically_satisfied','unsatisfied','unreachable'])[1 + g % 10] end,
             case when s.status in ('in_progress','pending_signoff') and g % 9 = 0 then array['handle_soon','handle_overdue'] else '{}'::text[] end,
             t.created, t.created
      from generate_series(${start + 1}::int, ${end}::int) g
      cross join lateral (select now() - (g % ${days}) * interval '1 day' - (g % 86400) * interval '1 second' as created) t
      cross join lateral (select case
        when g % 100 < 55 then 'archived' when g % 100 < 75 then 'closed' when g % 100 < 85 then 'in_progress'
        when g % 100 < 89 then 'pending_dispatch' when g % 100 < 93 then 'pending_signoff' when g % 100 < 97 then 'replied'
        else 'pending_acceptance' end as status) s`);
    log(`  generated ${(end - offset).toLocaleString()} cases`);
  }
  await db.execute(sql`vacuum analyze cases`); // what autovacuum does after a bulk load: statistics and the visibility map
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { openDatabase } = await import('../packages/server/src/db/database.ts');
  const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL ?? null, dataDir: process.env.DATA_DIR ?? './data' });
  await database.migrate();
  await generateCases(database.db, Number(process.argv[2] ?? 1_000_000), console.log);
  await database.close();
}
