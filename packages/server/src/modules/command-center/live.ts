/**
 * The big screen's live picture (一屏尽览): today's counts, what is open now, the last 30 days day by day, open
 * warnings by level and the latest ones — read through the same scope as the figures, sent as server-sent
 * events when it changes.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { authorize, type Actor } from '../../access/actor.ts';
import { figuresScope } from '../../access/scope.ts';
import { notFound } from '../../lib/errors.ts';
import type { Clock } from '../../lib/clock.ts';
import { findAreaById, topAreaOf } from '../areas/areas.repository.ts';
import type { FiguresService } from './figures.ts';
import { chinaToday } from './periods.ts';
import type { WarningsService } from './warnings.ts';
import type { Rollups } from './rollups.ts';

const DAY = 86_400_000;

export function createLive(deps: { db: Db; clock: Clock; figures: FiguresService; warnings: WarningsService; rollups: Rollups }) {
  const { db } = deps;

  async function snapshot(actor: Actor, areaId?: number) {
    authorize(actor, 'figures.read');
    const requested = areaId ? await findAreaById(db, areaId) : undefined;
    if (areaId && !requested) throw notFound('area');
    const scope = figuresScope(actor, requested);
    const area = requested ?? (await topAreaOf(db, actor.areaPath, sql`true`));
    await deps.rollups.catchUp(false); // what changed since the worker last ran, unless it is folding now
    const today = chinaToday(deps.clock.now());
    const monthAgo = chinaToday(new Date(deps.clock.now().getTime() - 29 * DAY));
    const [day, now, trend, levels, latest] = await Promise.all([
      deps.figures.figureSet(scope, { kind: 'day', from: today, to: today }),
      deps.figures.sumOver(scope, '1970-01-01', '1970-01-01', 'channel'),
      deps.figures.sumOver(scope, monthAgo, today, 'channel', 'bucket'),
      deps.warnings.openCounts(actor),
      deps.warnings.list(actor, { status: 'active', limit: 8 }),
    ]);
    const open = now.get('');
    const days = Array.from({ length: 30 }, (_, i) => chinaToday(new Date(deps.clock.now().getTime() - (29 - i) * DAY)));
    return {
      at: deps.clock.now().toISOString(), areaId: area?.id ?? null, areaName: area?.name ?? '',
      today: { n: day.counts.n, closed: day.counts.closed, rates: day.rates },
      now: { open: open?.open ?? 0, overdue: open?.overdue ?? 0, supervised: open?.supervised ?? 0 },
      trend: days.map((d) => ({ day: d, n: trend.get(d)?.n ?? 0 })),
      warnings: { red: levels.red ?? 0, orange: levels.orange ?? 0, yellow: levels.yellow ?? 0, blue: levels.blue ?? 0 },
      latest: latest.items.map((w) => ({ id: w.id, level: w.level, title: w.title, raisedAt: w.raisedAt, caseIds: w.caseIds.slice(0, 3) })),
    };
  }

  return { snapshot };
}
