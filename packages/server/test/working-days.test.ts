import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addDuration, addWorkingDays, chinaDay, shiftForPause, weekdayRule, workingDaysBetween, type WorkCalendar } from '../src/modules/calendar/working-time.ts';
import { createTestContext, type TestContext } from './helpers/context.ts';

/** China time → instant. */
const cst = (s: string) => new Date(`${s}+08:00`);
const endOf = (day: string) => cst(`${day}T24:00:00`).toISOString();

let ctx: TestContext;
let cal: WorkCalendar;
beforeAll(async () => {
  ctx = await createTestContext();
  cal = await ctx.services.calendar.calendar();
});
afterAll(() => ctx?.close());

describe('the working-day calendar (official holidays and make-up days from chinese-days)', () => {
  it('knows the 2025 National Day break and its make-up Sunday and Saturday', () => {
    for (const d of ['2025-10-01', '2025-10-03', '2025-10-06', '2025-10-08']) expect(cal.isWorkday(d), d).toBe(false);
    expect(cal.isWorkday('2025-09-28')).toBe(true); // Sunday, worked
    expect(cal.isWorkday('2025-10-11')).toBe(true); // Saturday, worked
    expect(cal.isWorkday('2025-10-12')).toBe(false); // an ordinary Sunday
    expect(cal.isWorkday('2025-10-09')).toBe(true);
  });

  it('3 working days from the eve of National Day end on the make-up Saturday', () => {
    // Tue 30 Sep 10:00 → Thu 9, Fri 10, Sat 11 (make-up) → due at the end of 11 October
    expect(addWorkingDays(cst('2025-09-30T10:00:00'), 3, cal).toISOString()).toBe(endOf('2025-10-11'));
  });

  it('1 working day from a Friday before a make-up Sunday is that Sunday', () => {
    expect(addWorkingDays(cst('2025-09-26T16:00:00'), 1, cal).toISOString()).toBe(endOf('2025-09-28'));
  });

  it('crosses the 2026 Spring Festival: make-up Saturday 14 Feb, holiday 15–23 Feb', () => {
    expect(addWorkingDays(cst('2026-02-13T09:00:00'), 3, cal).toISOString()).toBe(endOf('2026-02-25'));
    expect(workingDaysBetween(cst('2026-02-13T09:00:00'), cst('2026-03-02T09:00:00'), cal)).toBe(7); // 14, 24–28, 2 Mar
  });

  it('a suspended working-day clock keeps the working days it had left', () => {
    const due = addWorkingDays(cst('2026-02-13T09:00:00'), 3, cal); // end of 25 Feb
    const resumed = shiftForPause(due, 'working_days', cst('2026-02-13T10:00:00'), cst('2026-02-27T10:00:00'), cal);
    expect(resumed.toISOString()).toBe(endOf('2026-03-03')); // 28 Feb (make-up), 2 Mar, 3 Mar
    const hours = shiftForPause(cst('2026-02-13T11:00:00'), 'hours', cst('2026-02-13T10:00:00'), cst('2026-02-13T12:30:00'), cal);
    expect(hours.toISOString()).toBe(cst('2026-02-13T13:30:00').toISOString());
  });

  it('hour clocks run on wall time, holidays included', () => {
    expect(addDuration(cst('2025-10-01T23:30:00'), 1, 'hours', cal).toISOString()).toBe(cst('2025-10-02T00:30:00').toISOString());
  });

  it('calendar-day clocks (a mediation’s 30 days) count holidays and end at 24:00 China time of the last day', () => {
    // accepted 23:30 on 30 Sep 2025 China time: 30 days later is 30 Oct, National Day holidays included
    expect(addDuration(cst('2025-09-30T23:30:00'), 30, 'days', cal).toISOString()).toBe(cst('2025-10-31T00:00:00').toISOString());
    expect(addDuration(cst('2025-10-01T00:10:00'), 1, 'days', cal).toISOString()).toBe(cst('2025-10-03T00:00:00').toISOString());
    const paused = shiftForPause(cst('2025-10-31T00:00:00'), 'days', cst('2025-10-10T12:00:00'), cst('2025-10-12T12:00:00'), cal);
    expect(paused.toISOString()).toBe(cst('2025-11-02T00:00:00').toISOString());
  });

  it('uses China time for the day of an instant', () => {
    expect(chinaDay(new Date('2025-09-30T16:30:00Z'))).toBe('2025-10-01');
    expect(chinaDay(new Date('2025-09-30T15:59:59Z'))).toBe('2025-09-30');
  });

  it('administrators can declare a day (a local holiday) and the calendar follows', async () => {
    await ctx.services.calendar.setDay('2026-02-24', 'holiday', '地方调整');
    const c2 = await ctx.services.calendar.calendar();
    expect(addWorkingDays(cst('2026-02-13T09:00:00'), 3, c2).toISOString()).toBe(endOf('2026-02-26'));
    await ctx.services.calendar.setDay('2026-02-24', null, '');
    const c3 = await ctx.services.calendar.calendar();
    expect(c3.isWorkday('2026-02-24')).toBe(true);
    // a library resync never overwrites an administrator's entry
    await ctx.services.calendar.setDay('2026-10-08', 'holiday', '地方调整');
    await ctx.services.calendar.syncFromLibrary();
    expect((await ctx.services.calendar.calendar()).isWorkday('2026-10-08')).toBe(false);
  });

  it('properties: N working days land on a working day, after the start, with exactly N working days between', () => {
    fc.assert(fc.property(
      fc.date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2026-11-30T00:00:00Z'), noInvalidDate: true }),
      fc.integer({ min: 1, max: 30 }),
      (start, n) => {
        const due = addWorkingDays(start, n, cal);
        expect(due.getTime()).toBeGreaterThan(start.getTime());
        expect(cal.isWorkday(chinaDay(new Date(due.getTime() - 1)))).toBe(true);
        expect(workingDaysBetween(start, new Date(due.getTime() - 1), cal)).toBe(n);
      },
    ), { numRuns: 300 });
  });

  it('without overrides, the rule is Monday to Friday', () => {
    expect([weekdayRule('2026-11-21'), weekdayRule('2026-11-22'), weekdayRule('2026-11-23')]).toEqual([false, false, true]);
  });
});
