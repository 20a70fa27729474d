/** The SQL of inbound feeds: sources, the messages taken in, devices and their open cases. */
import { and, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { OpenStatuses } from '@fengqiao/contracts';
import type { Db, Executor } from '../../db/database.ts';
import { preparedSql } from '../../db/prepared.ts';
import { cases, feedDevices, feedMessages, feedSources, organizations, places, users } from '../../db/schema.ts';

export type SourceRow = typeof feedSources.$inferSelect;
export type DeviceRow = typeof feedDevices.$inferSelect;

export async function insertSource(ex: Executor, v: typeof feedSources.$inferInsert): Promise<SourceRow> {
  const [r] = await ex.insert(feedSources).values(v).returning();
  return r!;
}

export async function updateSource(ex: Executor, id: string, patch: Partial<typeof feedSources.$inferInsert>): Promise<void> {
  await ex.update(feedSources).set(patch).where(eq(feedSources.id, id));
}

export async function findSource(ex: Executor, id: string, where: SQL = sql`true`): Promise<SourceRow | undefined> {
  const [r] = await ex.select().from(feedSources).where(and(eq(feedSources.id, id), where));
  return r;
}

/** Sources with their account's name, organisation and message figures, within a scope condition. */
export async function listSources(ex: Executor, where: SQL) {
  return ex.select({
    s: feedSources, username: users.username, organizationName: organizations.name,
    messages: sql<number>`(select count(*) from feed_messages m where m.source_id = ${feedSources.id})`.mapWith(Number),
    lastMessageAt: sql<Date | null>`(select max(m.received_at) from feed_messages m where m.source_id = ${feedSources.id})`
      .mapWith((v: unknown) => (v === null ? null : new Date(v as string))),
  }).from(feedSources)
    .innerJoin(users, eq(users.id, feedSources.userId))
    .innerJoin(organizations, eq(organizations.id, feedSources.organizationId))
    .where(where).orderBy(desc(feedSources.createdAt)).limit(500);
}

export async function findMessage(ex: Executor, sourceId: string, externalId: string) {
  const [r] = await ex.select().from(feedMessages).where(and(eq(feedMessages.sourceId, sourceId), eq(feedMessages.externalId, externalId)));
  return r;
}

/** Records a message; false when the sender's id was taken in already (by a concurrent copy). */
export async function insertMessage(ex: Executor, v: typeof feedMessages.$inferInsert): Promise<boolean> {
  const rows = await ex.insert(feedMessages).values(v).onConflictDoNothing().returning({ id: feedMessages.externalId });
  return rows.length > 0;
}

export async function setMessageCase(ex: Executor, sourceId: string, externalId: string, caseId: string): Promise<void> {
  await ex.update(feedMessages).set({ caseId }).where(and(eq(feedMessages.sourceId, sourceId), eq(feedMessages.externalId, externalId)));
}

/** The platform that sent a case in and wants its status back: its callback, when it has one. */
export async function callbackOfCase(ex: Executor, caseId: string) {
  const [r] = await ex.select({ sourceId: feedSources.id, externalId: feedMessages.externalId }).from(feedMessages)
    .innerJoin(feedSources, eq(feedSources.id, feedMessages.sourceId))
    .where(and(eq(feedMessages.caseId, caseId), eq(feedMessages.outcome, 'created'), sql`${feedSources.callbackUrl} is not null`)).limit(1);
  return r;
}

/* ───── devices ───── */

const deviceWithPlace = (ex: Executor) => ex.select({ d: feedDevices, placeCode: places.code, placeName: places.name })
  .from(feedDevices).innerJoin(places, eq(places.id, feedDevices.placeId));

export async function listDevices(ex: Executor, sourceId: string) {
  return deviceWithPlace(ex).where(eq(feedDevices.sourceId, sourceId)).orderBy(feedDevices.code).limit(5000);
}

export async function deviceById(ex: Executor, id: string): Promise<DeviceRow | undefined> {
  const [r] = await ex.select().from(feedDevices).where(eq(feedDevices.id, id));
  return r;
}

export async function findDevice(ex: Executor, sourceId: string, id: string) {
  const [r] = await deviceWithPlace(ex).where(and(eq(feedDevices.sourceId, sourceId), eq(feedDevices.id, id)));
  return r;
}

export async function insertDevice(ex: Executor, v: typeof feedDevices.$inferInsert): Promise<DeviceRow> {
  const [r] = await ex.insert(feedDevices).values(v).returning();
  return r!;
}

export async function updateDevice(ex: Executor, id: string, patch: Partial<typeof feedDevices.$inferInsert>): Promise<void> {
  await ex.update(feedDevices).set(patch).where(eq(feedDevices.id, id));
}

/** A device by the platform's own id, locked: one alarm of a device at a time decides whether to join or open. */
export async function lockDevice(ex: Executor, sourceId: string, code: string) {
  const stillOpen = and(eq(cases.id, feedDevices.openCaseId), inArray(cases.status, [...OpenStatuses]));
  const [r] = await ex.select({ d: feedDevices, open: sql<boolean>`exists (select 1 from ${cases} where ${stillOpen})`.mapWith(Boolean) })
    .from(feedDevices).where(and(eq(feedDevices.sourceId, sourceId), eq(feedDevices.code, code))).for('update');
  return r;
}

/** The case of a device's episode, once written: on the device (if still that episode) and on the episode's messages. */
export async function settleEpisode(ex: Executor, deviceId: string, episode: number, caseId: string): Promise<void> {
  await ex.update(feedDevices).set({ openCaseId: caseId })
    .where(and(eq(feedDevices.id, deviceId), eq(feedDevices.episode, episode), isNull(feedDevices.openCaseId)));
  await ex.update(feedMessages).set({ caseId })
    .where(and(eq(feedMessages.deviceId, deviceId), eq(feedMessages.episode, episode), isNull(feedMessages.caseId)));
}

/**
 * The common case in one statement: a repeated alarm of a device whose case is open (or being written for its run),
 * within the window — the device row locked, the message recorded, the count moved. Undefined when it is anything
 * else (first alarm of a run, a copy, an unknown device, another kind): the caller takes the full path.
 */
const joinAlarmStatement = preparedSql<{ case_id: string | null; number: string | null; device_id: string; episode: number }>('fq_feed_join_alarm', () => {
  const p = (name: string) => sql.placeholder(name);
  return sql`
    with d as (
      select id, open_case_id, episode, last_alarm_at, kind from ${feedDevices}
      where source_id = ${p('sourceId')}::uuid and code = ${p('deviceCode')}::text and active for update
    ), ok as (
      select d.* from d
      where d.last_alarm_at is not null and abs(extract(epoch from (${p('at')}::timestamptz - d.last_alarm_at))) * 1000 <= ${p('windowMs')}::bigint
        and (${p('type')}::text is null or d.kind = ${p('type')}::text)
        and (exists (select 1 from ${cases} c where c.id = d.open_case_id and c.status in ${sql.raw(`(${OpenStatuses.map((st) => `'${st}'`).join(',')})`)})
          or (d.open_case_id is null and d.episode > 0))
    ), m as (
      insert into ${feedMessages} (source_id, external_id, outcome, case_id, device_id, episode, detail)
      select ${p('sourceId')}::uuid, ${p('externalId')}::text, 'joined', ok.open_case_id, ok.id, ok.episode, ${p('detail')}::text from ok
      on conflict do nothing returning case_id, device_id, episode
    ), u as (
      update ${feedDevices} f set alarm_count = f.alarm_count + 1, last_alarm_at = greatest(f.last_alarm_at, ${p('at')}::timestamptz)
      from ok where f.id = ok.id and exists (select 1 from m) returning f.id
    )
    select m.case_id, m.device_id, m.episode, (select c.number from ${cases} c where c.id = m.case_id) as number, (select count(*) from u) as moved from m`;
});

export async function joinAlarm(db: Db, a: { sourceId: string; deviceCode: string; at: Date; windowMs: number; externalId: string; detail: string | null; type: string | null }) {
  const [row] = await joinAlarmStatement(db, { ...a, at: a.at.toISOString() });
  // joined: the run's case, or (while it is being written) the device and run whose case the caller makes sure of
  return row ? { caseId: row.case_id, number: row.number, deviceId: row.device_id, episode: Number(row.episode) } : undefined;
}
