import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/access/actor.ts';
import { createTestContext, type TestContext } from './helpers/context.ts';
import { buildWorld, type World } from './helpers/world.ts';

/** A clock says what is left, or how far past it is, in working days and hours — not only a date. */
let ctx: TestContext;
let w: World;
const sys = systemActor();
beforeAll(async () => {
  ctx = await createTestContext();
  w = await buildWorld(ctx);
  // a Monday morning, China time, so that the three working days of the "131" rule are Tue–Thu of the same week
  ctx.clock.advance(Date.parse('2026-03-02T09:00:00+08:00') - ctx.clock.now().getTime());
}, 120_000);
afterAll(() => ctx?.close());

describe('time left on the clocks', () => {
  it('running: working days to the due day and hours; overdue: how far past; done: nothing', async () => {
    const made = await ctx.services.cases.createByStaff(sys, { channel: 'window', areaId: w.areas.a1.id, categoryId: (await ctx.services.categories.byCode('A02'))!.id, description: '路灯不亮' }, null);
    await ctx.services.cases.act(sys, made.case.id, 'accept', { version: made.case.version, tier: 'general' });
    let c = (await ctx.services.cases.get(sys, made.case.id)).case;
    // handle within 3 working days: due at the end of Thursday; contact within 1 hour
    expect(c.clocks.handle.dueAt).toBe('2026-03-05T16:00:00.000Z'); // 24:00 China time
    expect(c.clocks.handle.left).toEqual({ overdue: false, workingDays: 3, hours: 87 });
    expect(c.clocks.contact.left).toEqual({ overdue: false, workingDays: 0, hours: 1 });
    expect(c.clocks.reply.left).toBeNull();

    ctx.clock.advance(5 * 3600_000); // 14:00 the same day: the contact clock is 4 hours past
    c = (await ctx.services.cases.get(sys, made.case.id)).case;
    expect(c.clocks.contact).toMatchObject({ state: 'overdue', left: { overdue: true, workingDays: 0, hours: 4 } });

    ctx.clock.advance(7 * 86_400_000); // the next Monday afternoon: Friday and Monday are working days past Thursday
    const listed = (await ctx.services.cases.list(sys, { number: c.number } as never)).items[0]!;
    expect(listed.clocks.handle).toMatchObject({ state: 'overdue', left: { overdue: true, workingDays: 2 } });
  });
});
