/**
 * Periods of whole China days: a day, an ISO week (Monday–Sunday), a month, a quarter, a year or a range; the
 * period before it of the same kind, the same period a year before; and the rollup spans that cover it (whole
 * months from the month rows, the days at either end from the day rows).
 */
import { AppError } from '../../lib/errors.ts';
import { chinaDay } from '../calendar/working-time.ts';

export type PeriodKind = 'day' | 'week' | 'month' | 'quarter' | 'year' | 'range';
export interface Period { kind: PeriodKind; from: string; to: string }

const DAY = 86_400_000;
const d = (s: string) => new Date(`${s}T00:00:00Z`);
const fmt = (t: Date) => t.toISOString().slice(0, 10);
const addDays = (s: string, n: number) => fmt(new Date(d(s).getTime() + n * DAY));
const monthStart = (y: number, m: number) => fmt(new Date(Date.UTC(y, m, 1)));
const monthEnd = (y: number, m: number) => fmt(new Date(Date.UTC(y, m + 1, 0)));
const valid = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && fmt(d(s)) === s;

/** The period of `kind` containing `date` (or from–to for a range). */
export function periodOf(kind: PeriodKind, date: string, from?: string, to?: string): Period {
  if (kind === 'range') {
    if (!from || !to || !valid(from) || !valid(to)) throw new AppError('VALIDATION_FAILED', { detail: 'a range needs from and to (YYYY-MM-DD)' });
    if (from > to) throw new AppError('PERIOD_INVALID', { from, to });
    if (d(to).getTime() - d(from).getTime() > 3660 * DAY) throw new AppError('VALIDATION_FAILED', { detail: 'a range of at most ten years' });
    return { kind, from, to };
  }
  if (!valid(date)) throw new AppError('VALIDATION_FAILED', { detail: `not a date: ${date}` });
  const t = d(date);
  const y = t.getUTCFullYear();
  const m = t.getUTCMonth();
  switch (kind) {
    case 'day': return { kind, from: date, to: date };
    case 'week': { const back = (t.getUTCDay() + 6) % 7; const from = addDays(date, -back); return { kind, from, to: addDays(from, 6) }; }
    case 'month': return { kind, from: monthStart(y, m), to: monthEnd(y, m) };
    case 'quarter': { const q = Math.floor(m / 3) * 3; return { kind, from: monthStart(y, q), to: monthEnd(y, q + 2) }; }
    case 'year': return { kind, from: monthStart(y, 0), to: monthEnd(y, 11) };
  }
}

/** The period just before, of the same kind (a range: as many days, ending the day before). */
export function previousPeriod(p: Period): Period {
  if (p.kind === 'range' || p.kind === 'day' || p.kind === 'week') {
    const len = Math.round((d(p.to).getTime() - d(p.from).getTime()) / DAY) + 1;
    return { kind: p.kind, from: addDays(p.from, -len), to: addDays(p.from, -1) };
  }
  return periodOf(p.kind, addDays(p.from, -1));
}

/** The same period a year before (29 February becomes the 28th). */
export function yearBefore(p: Period): Period {
  const back = (s: string) => {
    const [y, m, day] = s.split('-').map(Number) as [number, number, number];
    const last = new Date(Date.UTC(y - 1, m, 0)).getUTCDate();
    return fmt(new Date(Date.UTC(y - 1, m - 1, Math.min(day, last))));
  };
  if (p.kind === 'week') return periodOf('week', back(p.from));
  return p.kind === 'range' || p.kind === 'day' ? { kind: p.kind, from: back(p.from), to: back(p.to) } : periodOf(p.kind, back(p.from));
}

export interface Span { grain: 'day' | 'month'; from: string; to: string }

/** The rollup rows that cover a period: month rows for whole months inside it, day rows for the rest. */
export function spansOf(from: string, to: string): Span[] {
  const out: Span[] = [];
  let cursor = from;
  while (cursor <= to) {
    const t = d(cursor);
    const end = monthEnd(t.getUTCFullYear(), t.getUTCMonth());
    if (cursor.endsWith('-01') && end <= to) {
      // whole months from here
      let last = end;
      for (let next = addDays(last, 1); ; next = addDays(last, 1)) {
        const nt = d(next);
        const nextEnd = monthEnd(nt.getUTCFullYear(), nt.getUTCMonth());
        if (nextEnd > to) break;
        last = nextEnd;
      }
      out.push({ grain: 'month', from: cursor, to: last.slice(0, 8) + '01' });
      cursor = addDays(last, 1);
    } else {
      const stop = end < to ? end : to;
      out.push({ grain: 'day', from: cursor, to: stop });
      cursor = addDays(stop, 1);
    }
  }
  return out;
}

/** Today in China. */
export const chinaToday = (now: Date) => chinaDay(now);
