/**
 * Deadlines on China's working-day calendar. Pure functions over a calendar, so they are easy to test.
 *
 * - Days are calendar days in China time (UTC+8, no daylight saving).
 * - A working day is Monday–Friday unless it is an official holiday, plus make-up working days (调休).
 * - "N working days" from a moment ends at the end (24:00 China time) of the N-th working day after
 *   that moment's day — the usual reading of "3个工作日内".
 * - "N hours" is wall-clock time.
 * - "N days" (自然日, e.g. a mediation's 30 days) ends at 24:00 China time of the N-th calendar day after.
 */
export type Unit = 'hours' | 'working_days' | 'days';
export interface WorkCalendar { isWorkday(day: string): boolean }

export { CHINA_OFFSET_MS } from '@fengqiao/contracts/time';
import { CHINA_OFFSET_MS } from '@fengqiao/contracts/time';
const DAY_MS = 86_400_000;

/** The China-time calendar day of an instant, as YYYY-MM-DD. */
export function chinaDay(at: Date): string {
  return new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}

/** 24:00 China time at the end of `day`. */
export function endOfChinaDay(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS - CHINA_OFFSET_MS);
}

export function weekdayRule(day: string): boolean {
  const dow = new Date(`${day}T00:00:00Z`).getUTCDay();
  return dow !== 0 && dow !== 6;
}

export function addWorkingDays(start: Date, n: number, cal: WorkCalendar): Date {
  let day = chinaDay(start);
  let counted = 0;
  for (let guard = 0; counted < n; guard++) {
    if (guard > 3660) throw new Error('no working day within ten years: check the calendar');
    day = nextDay(day);
    if (cal.isWorkday(day)) counted++;
  }
  return endOfChinaDay(day);
}

/** Working days d with day(from) < d ≤ day(to); 0 when `to` is not after `from`. */
export function workingDaysBetween(from: Date, to: Date, cal: WorkCalendar): number {
  let day = chinaDay(from);
  const last = chinaDay(to);
  let n = 0;
  while (day < last) {
    day = nextDay(day);
    if (cal.isWorkday(day)) n++;
  }
  return n;
}

export function addDuration(start: Date, amount: number, unit: Unit, cal: WorkCalendar): Date {
  if (unit === 'hours') return new Date(start.getTime() + amount * 3_600_000);
  if (unit === 'days') return endOfChinaDay(chinaDay(new Date(start.getTime() + amount * DAY_MS)));
  return addWorkingDays(start, amount, cal);
}

/**
 * A clock paused from `pausedAt` to `resumedAt` keeps the time it had left: wall time for hour clocks,
 * whole working days for working-day clocks (a clock due on the day it was paused gets the rest of the resume day).
 */
export function shiftForPause(due: Date, unit: Unit, pausedAt: Date, resumedAt: Date, cal: WorkCalendar): Date {
  if (unit === 'hours' || unit === 'days') return new Date(due.getTime() + Math.max(0, resumedAt.getTime() - pausedAt.getTime()));
  // a due instant is 24:00 of its day, i.e. the first instant of the next: count up to the moment before it
  const left = workingDaysBetween(pausedAt, new Date(due.getTime() - 1), cal);
  return addWorkingDays(resumedAt, left, cal);
}
