/** Mediation actions: one transition of the mediation workflow per call, run on the workflow kernel. */
import { and, eq } from 'drizzle-orm';
import type { MediationAction, MediationActionInput } from '@fengqiao/contracts';
import type { Db } from '../../db/database.ts';
import { mediations } from '../../db/schema.ts';
import { authorize, type Actor } from '../../access/actor.ts';
import { notFound } from '../../lib/errors.ts';
import type { Clock } from '../../lib/clock.ts';
import type { CalendarService } from '../calendar/calendar.service.ts';
import { mediationPolicyFor, type MediationPolicy } from '../cases/deadlines.ts';
import { applyTransition, type Effect, type WorkflowStore } from '../workflow/kernel.ts';
import type { EffectContext, MediationEffects } from './mediation.effects.ts';
import * as repo from './mediation.repository.ts';
import { mediationWorkflow } from './mediation.workflow.ts';
import { factsOf } from './queries.ts';

/** The patch as the event keeps it: under `mediation` (the case's own replay reads `patch`, which stays empty). */
const jsonOf = (patch: repo.MediationPatch) => JSON.parse(JSON.stringify(patch)) as Record<string, unknown>;
/**
 * In the case's timeline a mediation's steps are named mediation_<action> and leave the case's status as it is;
 * the mediation's own statuses go into the payload.
 */
const storeFor = (caseStatus: string): WorkflowStore<repo.MediationRecord, repo.MediationPatch> => ({
  update: repo.updateMediation,
  insertEvent: (tx, e) => repo.insertEvent(tx, {
    ...e, action: `mediation_${e.action}`, fromStatus: caseStatus, toStatus: caseStatus,
    payload: { ...e.payload, mediationStatus: { from: e.fromStatus, to: e.toStatus } },
  }),
  eventPatch: () => ({}),
});

export function createMediationActions(deps: { db: Db; clock: Clock; calendar: CalendarService }, effects: MediationEffects) {
  const { db, clock } = deps;

  /** Scope first (out of view is NOT_FOUND), then the kernel: verdict, version, effect, update, event, outbox — one transaction. */
  async function act<A extends MediationAction>(actor: Actor, caseId: string, action: A, input: MediationActionInput<A>): Promise<void> {
    authorize(actor, 'mediation.manage');
    await db.transaction(async (tx) => {
      const row = await repo.findMediation(tx, and(repo.visibleMediations(actor), eq(mediations.caseId, caseId))!);
      if (!row) throw notFound('mediation');
      const now = clock.now();
      const cal = await deps.calendar.calendar();
      let cached: MediationPolicy | undefined;
      const policy = async () => (cached ??= await mediationPolicyFor(tx, row.categoryId, row.tier));
      const effect = effects[action] as (c: EffectContext<A>) => Promise<Effect<repo.MediationPatch>>;
      await applyTransition(tx, mediationWorkflow, storeFor(row.caseStatus), {
        actor, row, facts: await factsOf(tx, row), action, version: (input as { version: number }).version, now,
        effect: async () => {
          const e = await effect({ tx, actor, row, input, now, cal, policy });
          return { ...e, payload: { ...(e.payload ?? {}), mediation: jsonOf(e.patch) } };
        },
      });
    });
  }

  return { act };
}
