import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { eq } from 'drizzle-orm';
import { CaseActions, type CaseAction, type OrgKind, type Role } from '@fengqiao/contracts';
import { systemActor, userActor, type Actor } from '../src/access/actor.ts';
import { cases, caseEvents, organizations } from '../src/db/schema.ts';
import { caseStateJson, replayEvents } from '../src/modules/cases/cases.service.ts';
import { judge } from '../src/modules/cases/cases.workflow.ts';
import { createTestContext, type TestContext } from './helpers/context.ts';
import { buildWorld, type World } from './helpers/world.ts';

/**
 * Random sequences of actions by random actors. After every step:
 *  - the case equals the replay of its events;
 *  - an action succeeds only if the actor could see the case and the transition table allowed it at that version;
 *  - a refused action changes nothing;
 *  - no clock moves while the case is suspended, and the deadline job never flags a suspended case.
 */
let ctx: TestContext;
let w: World;
let actors: Actor[];
let orgIds: number[];
beforeAll(async () => {
  ctx = await createTestContext();
  w = await buildWorld(ctx);
  const s = ctx.services;
  const sys = systemActor();
  const extra = async (username: string, org: number, roles: Role[]) =>
    s.users.create(sys, { username, displayName: '测试', organizationId: org, roles, password: 'Correct-horse-42' });
  await extra('county.dispatcher', w.orgs.county.id, ['dispatcher', 'intake']);
  await extra('county.leader', w.orgs.county.id, ['leader']);
  await extra('a.grid', w.orgs.a1.id, ['grid_worker']);
  const orgs = await ctx.database.db.select().from(organizations);
  orgIds = orgs.map((o) => o.id);
  const kinds = new Map(orgs.map((o) => [o.id, o]));
  const users = (await s.users.list(sys, { limit: 500 })).items;
  actors = users.filter((u) => !u.roles.includes('integration')).map((u) => userActor({
    id: u.id, username: u.username, organizationId: u.organizationId, organizationKind: kinds.get(u.organizationId)!.kind as OrgKind,
    areaPath: u.areaPath, roles: u.roles,
  }));
});
afterAll(() => ctx?.close());

const row = async (id: string) => (await ctx.database.db.select().from(cases).where(eq(cases.id, id)))[0]!;
const withOwner = async (id: string) => {
  const r = await row(id);
  const [o] = await ctx.database.db.select().from(organizations).where(eq(organizations.id, r.owningOrgId));
  return { row: r, facts: { ...r, owningOrgAreaPath: o!.areaPath } };
};

const succeeded = new Map<string, number>();
const command = fc.record({
  // biased towards the actors who can act, so that walks go deep into the loop
  guided: fc.integer({ min: 0, max: 9 }), pick: fc.nat(), actor: fc.nat(), target: fc.nat(2), action: fc.constantFrom(...CaseActions) as fc.Arbitrary<CaseAction>, org: fc.nat(), stale: fc.boolean(),
  tier: fc.constantFrom('general', 'major', 'difficult', 'cross_region'), visit: fc.constantFrom('satisfied', 'basically_satisfied', 'unsatisfied', 'unreachable'),
  level: fc.constantFrom('normal', 'yellow', 'red'), days: fc.integer({ min: 1, max: 5 }), tickMinutes: fc.integer({ min: 0, max: 3 * 24 * 60 }),
});

describe('the case state machine under random use', () => {
  // hundreds of transactions, each checked against a replay of its events: about 15 s alone, over a minute on a busy machine
  it('keeps its invariants', { timeout: 180_000 }, async () => {
    const s = ctx.services;
    const category = (await s.categories.byCode('A02'))!;
    await fc.assert(fc.asyncProperty(fc.array(command, { minLength: 5, maxLength: 30 }), async (commands) => {
      const ids: string[] = [];
      for (const areaId of [w.areas.a1g.id, w.areas.a1.id, w.areas.b1.id]) {
        ids.push((await s.cases.createByStaff(systemActor(), { channel: 'window', areaId, categoryId: category.id, description: '随机测试事项' }, null)).case.id);
      }
      for (const c of commands) {
        const id = ids[c.target % ids.length]!;
        const { row: before, facts: beforeFacts } = await withOwner(id);
        // mostly a move someone may make now (so that walks go deep into the loop), sometimes anything at all
        const options = actors.flatMap((a) => CaseActions.filter((x) => judge(a, s.cases.facts(beforeFacts), x) === 'allowed').map((x) => [a, x] as const));
        const [actor, action] = c.guided < 8 && options.length
          ? options[c.pick % options.length]!
          : [actors[c.actor % actors.length]!, c.action];
        const eventsBefore = (await ctx.database.db.select().from(caseEvents).where(eq(caseEvents.caseId, id))).length;
        const canSee = await s.cases.get(actor, id).then(() => true, () => false);
        const verdict = judge(actor, s.cases.facts(beforeFacts), action);
        const input = {
          version: c.stale ? before.version - 1 || 99 : before.version, tier: c.tier, reason: '测试', note: '测试', result: action === 'return_visit' ? c.visit : '测试结果',
          organizationId: c.org % 3 === 0 ? before.owningOrgId : orgIds[c.org % orgIds.length], masterCaseId: ids[(c.target + 1) % ids.length], level: c.level,
          workingDays: c.days, dueInWorkingDays: c.days,
        };
        const ok = await s.cases.act(actor, id, action, input).then(() => true, (e: { code?: string }) => {
          if (!e.code) throw e; // only application errors may refuse an action
          return false;
        });
        const after = await row(id);
        const events = await ctx.database.db.select().from(caseEvents).where(eq(caseEvents.caseId, id)).orderBy(caseEvents.seq);
        if (ok) {
          succeeded.set(action, (succeeded.get(action) ?? 0) + 1);
          expect(canSee, `${actor.username} changed a case outside its scope`).toBe(true);
          expect(verdict, `${action} by ${actor.username} from ${before.status}`).toBe('allowed');
          expect(c.stale).toBe(false);
          expect(after.version).toBe(before.version + 1);
          expect(events.length).toBe(eventsBefore + 1);
        } else {
          expect(caseStateJson(after)).toEqual(caseStateJson(before));
          expect(after.version).toBe(before.version);
          expect(events.length).toBe(eventsBefore);
        }
        if (before.status === 'suspended' && after.status === 'suspended') {
          for (const k of ['contactDueAt', 'handleDueAt', 'replyDueAt'] as const) expect(after[k]).toEqual(before[k]);
        }
        expect(replayEvents(events)).toEqual(caseStateJson(after));

        if (c.tickMinutes > 0 && c.tickMinutes % 7 === 0) {
          const suspended = await Promise.all(ids.map(row));
          ctx.clock.advance(c.tickMinutes * 60_000);
          await s.cases.scanDeadlines();
          for (const b of suspended.filter((x) => x.status === 'suspended')) expect((await row(b.id)).warnings).toEqual(b.warnings);
          for (const cid of ids) {
            const evs = await ctx.database.db.select().from(caseEvents).where(eq(caseEvents.caseId, cid)).orderBy(caseEvents.seq);
            expect(replayEvents(evs)).toEqual(caseStateJson(await row(cid)));
          }
        }
      }
    }), { numRuns: 40, seed: 20261122 }); // a fixed seed: the same walk on every run and both databases
    // the walk must actually move cases, not only collect refusals
    expect([...succeeded.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(30);
    expect(succeeded.size).toBeGreaterThanOrEqual(8);
    console.log(`case walk: ${[...succeeded.values()].reduce((a, b) => a + b, 0)} transitions, ${succeeded.size} kinds`);
  });

  it('the table itself: nothing leaves a terminal state except archiving', () => {
    const sys = systemActor();
    const base = { areaPath: '/1/', owningOrgId: 1, owningOrgAreaPath: '/1/', assigneeOrgId: 2, dispatchOrgId: 1, coHandlerOrgIds: [], finalAssignment: false, extensionRequest: null, hasReporterPhone: true, contacted: false, visitResult: null };
    for (const status of ['rejected', 'archived', 'merged', 'closed'] as const) {
      const allowed = CaseActions.filter((a) => judge(sys, { ...base, status }, a) === 'allowed');
      expect(allowed, status).toEqual(status === 'archived' ? [] : ['archive']);
    }
  });
});
