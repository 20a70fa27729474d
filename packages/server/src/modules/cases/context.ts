import type { SQL } from 'drizzle-orm';
import type { Tier } from '@fengqiao/contracts';
import type { Db, Tx } from '../../db/database.ts';
import type { CaseRow } from './cases.repository.ts';
import type { Actor } from '../../access/actor.ts';
import { casesVisibleTo } from '../../access/scope.ts';
import { cases } from '../../db/schema.ts';
import type { Clock } from '../../lib/clock.ts';
import type { KeyRing } from '../../lib/personal-data.ts';
import type { AttachmentService } from '../attachments/attachments.service.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { StaffNames } from '../users/staff-names.ts';
import type { CalendarService } from '../calendar/calendar.service.ts';
import type { CategoryService } from '../categories/categories.service.ts';
import type { GridLocator } from '../registry/grid-index.ts';

/** Tier → the area level whose center owns the case (Baiyin's rule; configurable). */
export const DEFAULT_TIER_LEVELS: Record<Tier, string> = { general: 'village', major: 'township', difficult: 'county', cross_region: 'city' };

export interface CaseServiceOptions { tierLevels?: Record<Tier, string>; maxReturns?: number }

/**
 * Other modules' work in the transaction of a case's transition (feeds send a platform's cases' status back
 * through the outbox; triage learns a clerk's category): called after the event is written, with the row before
 * and after and who acted.
 */
export type AfterTransition = (tx: Tx, before: CaseRow, after: CaseRow, action: string, actor: Actor) => Promise<void>;

/** What the case module's use cases are given (services.ts wires them). */
export interface CaseDeps {
  db: Db; keys: KeyRing; clock: Clock; calendar: CalendarService; categories: CategoryService; attachments: AttachmentService;
  audit: AuditService; grids?: GridLocator; options?: CaseServiceOptions;
  /** Staff names for the timeline (colleagues by name, not by login). */
  staff?: StaffNames;
  /** Where lists and exports read: a streaming replica while it keeps up (db/replica.ts), else the primary. */
  reads?: () => Db;
  /** Listeners other modules add once at start (services.ts); the list is read at every transition. */
  afterTransition?: AfterTransition[];
}

/** The one scope of every read of cases: access/scope.ts, applied to the cases table. */
export const visibleCases = (actor: Actor): SQL => casesVisibleTo(actor, cases);

/** A small read-through cache for what intake reads every time and administrators rarely change. */
export function ttlCache<K, V>(ttlMs: number) {
  const m = new Map<K, { v: V; at: number }>();
  const get = async (k: K, load: () => Promise<V>): Promise<V> => {
    const hit = m.get(k);
    if (hit && Date.now() - hit.at < ttlMs) return hit.v;
    const v = await load();
    if (m.size > 10_000) m.clear();
    m.set(k, { v, at: Date.now() });
    return v;
  };
  return Object.assign(get, { forget: (k: K) => { m.delete(k); }, clear: () => { m.clear(); } });
}
