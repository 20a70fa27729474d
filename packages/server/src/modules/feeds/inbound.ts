/**
 * A platform's message, taken in: signature and timestamp first, then the sender's id (a second copy is refused
 * and changes nothing), then the message itself. Reports (12345, police, petitions) become cases through staff
 * intake as the platform's account, under an idempotency key made of the platform and its own id, so that a
 * crash between the case and its message record never makes a second case on the retry. A device's alarms
 * join the open case of its current run ("episode") within the platform's window; a clear message is written
 * on that case's timeline.
 */
import { sql } from 'drizzle-orm';
import type { Channel, FeedKind, Locale } from '@fengqiao/contracts';
import type { Db } from '../../db/database.ts';
import { userActor, type Actor } from '../../access/actor.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import type { Clock } from '../../lib/clock.ts';
import type { KeyRing } from '../../lib/personal-data.ts';
import { unstorableAt } from '../../http/poison.ts';
import type { CaseService } from '../cases/cases.service.ts';
import type { CategoryService } from '../categories/categories.service.ts';
import type { TriageService } from '../triage/triage.service.ts';
import { findAreaByCode } from '../areas/areas.repository.ts';
import { findUserWithOrg } from '../users/users.repository.ts';
import { findPlace } from '../registry/registry.repository.ts';
import { checkStaffIntake } from '../cases/intake-check.ts';
import { ttlCache } from '../cases/context.ts';
import * as repo from './feeds.repository.ts';
import { readAlarm, readReport, senderId, type FeedReport } from './mappers.ts';
import { verify } from './signature.ts';
import { feedText, SECRET_FIELD } from './messages.ts';

const CHANNEL: Record<FeedKind, Channel> = { hotline: 'hotline', police: 'police_push', petition: 'petition', iot: 'iot_alarm' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LOCALE: Locale = 'zh-CN';

export interface InboundDeps { db: Db; keys: KeyRing; clock: Clock; cases: CaseService; categories: CategoryService; triage?: TriageService }
export type Receipt = { outcome: 'created' | 'joined' | 'cleared' | 'recorded'; caseId: string | null; caseNumber: string | null };

export function createInbound(deps: InboundDeps) {
  const { db, keys, clock } = deps;
  // a platform's row and secret, and its account, are read at most every few seconds: a rotated secret, a switched-off
  // platform or account take effect within five seconds
  const sources = ttlCache<string, { row: repo.SourceRow; secret: string } | undefined>(5_000);
  const accounts = ttlCache<string, Actor>(5_000);
  /** This server's copy of a platform, forgotten when an administrator changes it here. */
  const forget = (sourceId: string) => { sources.forget(sourceId); accounts.clear(); };

  async function accountOf(source: repo.SourceRow): Promise<Actor> {
    const u = await findUserWithOrg(db, source.userId);
    if (!u || u.disabled) throw new AppError('FEED_ACCOUNT_INVALID', { detail: 'account' });
    return userActor({ id: u.id, username: u.username, organizationId: u.organizationId, organizationKind: u.organizationKind as never, areaPath: u.areaPath, roles: u.roles as never });
  }

  async function numberOf(caseId: string | null): Promise<string | null> {
    if (!caseId) return null;
    const r = await db.execute(sql`select number from cases where id = ${caseId}`);
    return ((r as unknown as { rows: { number: string }[] }).rows[0]?.number) ?? null;
  }

  const replayed = async (id: string, caseId: string | null) => new AppError('FEED_MESSAGE_REPLAYED', { id, number: (await numberOf(caseId)) ?? '-' });

  /** The platform's category as the center knows it: its code or name, the category model's confident guess, the platform's default. */
  async function categoryFor(source: repo.SourceRow, r: FeedReport): Promise<{ id: number; guess?: { modelVersion: number; suggested: number[] } }> {
    const all = await deps.categories.list();
    const parents = new Set(all.map((c) => c.parentId).filter((p) => p !== null));
    const disputesOnly = source.kind === 'police' || source.kind === 'petition';
    const usable = all.filter((c) => c.active && !parents.has(c.id) && (!disputesOnly || c.caseType === 'dispute'));
    const named = r.category ? usable.find((c) => c.code === r.category || c.name === r.category) : undefined;
    if (named) return { id: named.id };
    const s = deps.triage ? await deps.triage.suggest(null, { text: r.text }) : undefined;
    const guess = s?.categories[0];
    if (s?.modelVersion && guess?.confident && usable.some((c) => c.id === guess.id)) {
      return { id: guess.id, guess: { modelVersion: s.modelVersion, suggested: s.categories.map((c) => c.id) } };
    }
    if (source.defaultCategoryId) return { id: source.defaultCategoryId };
    throw new AppError('FEED_CATEGORY_UNKNOWN', { category: r.category ?? '' });
  }

  async function report(source: repo.SourceRow, actor: Actor, body: unknown): Promise<Receipt> {
    const r = readReport(source.kind as Exclude<FeedKind, 'iot'>, body);
    const area = r.areaCode ? await findAreaByCode(db, r.areaCode) : undefined;
    if (r.areaCode && !area) throw notFound('area');
    const ref = feedText('text', r.reference.template, LOCALE, r.reference.params)
      + (r.reference.params.due ? feedText('text', 'hotline_due', LOCALE, r.reference.params) : '');
    const category = await categoryFor(source, r);
    const input = {
      channel: CHANNEL[source.kind as FeedKind], areaId: area?.id ?? Number(actor.areaPath.split('/').filter(Boolean).at(-1)),
      categoryId: category.id, description: `${r.text.trim()}\n${ref}`,
      ...(r.address ? { address: r.address } : {}), ...(r.location ? { location: r.location } : {}),
      ...(r.reporter ? { reporter: r.reporter } : {}), ...(r.peopleInvolved ? { peopleInvolved: r.peopleInvolved } : {}),
    };
    checkStaffIntake(input);
    const made = await deps.cases.register(actor, { ...input, ...(r.dueBy ? { dueBy: r.dueBy } : {}) }, `feed:${source.id}:${r.externalId}`);
    // the model chose the category: the clerk who accepts the case confirms or corrects it (triage/feedback.ts)
    if (category.guess) await deps.triage!.guessed(made.row.id, { ...category.guess, chosen: category.id });
    if (!(await repo.insertMessage(db, { sourceId: source.id, externalId: r.externalId, outcome: 'created', caseId: made.row.id }))) {
      throw await replayed(r.externalId, made.row.id);
    }
    return { outcome: 'created', caseId: made.row.id, caseNumber: made.row.number };
  }

  /** The case of a device's run of alarms: written once (the key makes a concurrent or repeated attempt find the same case). */
  async function openEpisode(actor: Actor, device: repo.DeviceRow, episode: number) {
    const place = await findPlace(db, sql`true`, device.placeId);
    const kind = feedText('device', device.kind, LOCALE);
    const input = {
      channel: 'iot_alarm' as const, areaId: device.areaId, categoryId: device.categoryId,
      description: feedText('text', 'alarm', LOCALE, { device: device.name, kind, place: place?.name ?? '' }),
      ...(place ? { address: [place.name, place.address].filter(Boolean).join(' ') } : {}),
      ...(place?.lon != null && place.lat != null ? { location: { lon: place.lon, lat: place.lat } } : {}),
    };
    const made = await deps.cases.register(actor, input, `device:${device.id}:${episode}`);
    await repo.settleEpisode(db, device.id, episode, made.row.id);
    return made.row;
  }

  async function alarm(source: repo.SourceRow, account: () => Promise<Actor>, body: unknown): Promise<Receipt> {
    const a = readAlarm(body);
    const windowMs = source.alarmWindowMinutes * 60_000;
    if (a.event === 'alarm') {
      const joined = await repo.joinAlarm(db, { sourceId: source.id, deviceCode: a.deviceCode, at: a.at, windowMs, externalId: a.externalId, detail: a.detail ?? null, type: a.type ?? null });
      if (joined?.caseId) return { outcome: 'joined', caseId: joined.caseId, caseNumber: joined.number };
      if (joined) {
        const row = await openEpisode(await account(), (await repo.deviceById(db, joined.deviceId))!, joined.episode);
        return { outcome: 'joined', caseId: row.id, caseNumber: row.number };
      }
    }
    const step = await db.transaction(async (tx) => {
      const locked = await repo.lockDevice(tx, source.id, a.deviceCode);
      if (!locked || !locked.d.active) throw new AppError('FEED_DEVICE_UNKNOWN', { device: a.deviceCode });
      const d = locked.d;
      const seen = await repo.findMessage(tx, source.id, a.externalId);
      if (seen) return { kind: 'replayed' as const, seen, device: d };
      if (a.type && a.type !== d.kind) throw new AppError('VALIDATION_FAILED', { detail: `body/type ${a.type} is not the registered device's kind (${d.kind})` });
      const message = { sourceId: source.id, externalId: a.externalId, deviceId: d.id, detail: a.detail ?? null };
      if (a.event === 'clear') {
        const caseId = d.openCaseId && locked.open ? d.openCaseId : null;
        await repo.insertMessage(tx, { ...message, outcome: caseId ? 'cleared' : 'recorded', caseId, episode: d.episode });
        if (caseId) {
          await deps.cases.recordEvent(tx, caseId, {
            action: 'alarm_clear', actorName: source.name, payload: { device: d.code, alarms: d.alarmCount },
            note: feedText('text', 'alarm_clear', LOCALE, { count: String(d.alarmCount), detail: a.detail ?? '' }).trim(),
          });
        }
        return { kind: 'done' as const, receipt: { outcome: caseId ? 'cleared' as const : 'recorded' as const, caseId } };
      }
      const within = d.lastAlarmAt !== null && Math.abs(a.at.getTime() - d.lastAlarmAt.getTime()) <= windowMs;
      const last = d.lastAlarmAt && d.lastAlarmAt > a.at ? d.lastAlarmAt : a.at;
      if (within && (locked.open || (d.openCaseId === null && d.episode > 0))) {
        // the run goes on: the open case, or the one being written for this run
        await repo.updateDevice(tx, d.id, { alarmCount: d.alarmCount + 1, lastAlarmAt: last });
        await repo.insertMessage(tx, { ...message, outcome: 'joined', caseId: d.openCaseId, episode: d.episode });
        return d.openCaseId ? { kind: 'done' as const, receipt: { outcome: 'joined' as const, caseId: d.openCaseId } } : { kind: 'pending' as const, outcome: 'joined' as const, device: d, episode: d.episode };
      }
      const episode = d.episode + 1;
      await repo.updateDevice(tx, d.id, { episode, openCaseId: null, alarmCount: 1, lastAlarmAt: a.at });
      await repo.insertMessage(tx, { ...message, outcome: 'created', caseId: null, episode });
      return { kind: 'pending' as const, outcome: 'created' as const, device: d, episode };
    });
    if (step.kind === 'replayed') {
      // a copy of a message whose run's case was never written (a crash between): write it now, then refuse the copy
      let caseId = step.seen.caseId;
      if (!caseId && step.seen.deviceId && step.seen.episode) caseId = (await openEpisode(await account(), step.device, step.seen.episode)).id;
      throw await replayed(a.externalId, caseId);
    }
    if (step.kind === 'done') return { ...step.receipt, caseNumber: await numberOf(step.receipt.caseId) };
    const row = await openEpisode(await account(), step.device, step.episode);
    return { outcome: step.outcome, caseId: row.id, caseNumber: row.number };
  }

  /** POST /api/v1/feeds/{id}/messages: the raw body, as signed. */
  async function receive(sourceId: string, headers: Record<string, string | string[] | undefined>, raw: Buffer): Promise<Receipt> {
    const found = UUID.test(sourceId) ? await sources(sourceId.toLowerCase(), async () => {
      const row = await repo.findSource(db, sourceId.toLowerCase());
      return row && { row, secret: keys.decrypt(SECRET_FIELD, row.secretEnc) };
    }) : undefined;
    if (!found) throw notFound('resource');
    const source = found.row;
    verify(found.secret, headers, raw, clock.now());
    if (!source.active) throw new AppError('FEED_SOURCE_INACTIVE');
    let body: unknown;
    try { body = JSON.parse(raw.toString('utf8')); } catch { throw new AppError('BAD_JSON'); }
    const at = unstorableAt(body, 'body');
    if (at) throw new AppError('VALIDATION_FAILED', { detail: `${at}: contains a control character, a bidirectional override or an unpaired surrogate` });
    const account = () => accounts(source.userId, () => accountOf(source));
    if (source.kind === 'iot') return alarm(source, account, body); // a device's copies are caught under its lock
    // a copy of a message already taken in is refused as such, whatever else it says
    const id = senderId(source.kind as FeedKind, body);
    const seen = id ? await repo.findMessage(db, source.id, id) : undefined;
    if (seen) throw await replayed(id!, seen.caseId);
    return report(source, await account(), body);
  }

  return { receive, forget };
}
export type Inbound = ReturnType<typeof createInbound>;
