/** Case actions: one transition of the case workflow per call, run on the workflow kernel. */
import { and, eq } from 'drizzle-orm';
import type { CaseAction, CaseActionInput } from '@fengqiao/contracts';
import type { Tx } from '../../db/database.ts';
import type { Actor } from '../../access/actor.ts';
import { cases, organizations } from '../../db/schema.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import type { WorkCalendar } from '../calendar/working-time.ts';
import { applyTransition, type Effect, type WorkflowStore } from '../workflow/kernel.ts';
import { factsOf, jsonPatch } from './case-record.ts';
import type { CaseEffects, EffectContext } from './cases.effects.ts';
import { addSearchWords, findCaseForAction, insertEvent, updateCase, type CasePatch, type CaseRow } from './cases.repository.ts';
import { searchDoc } from '../triage/search-terms.ts';
import { caseWorkflow } from './cases.workflow.ts';
import { visibleCases, type CaseDeps } from './context.ts';
import { policyFor, type Policy } from './deadlines.ts';

const store: WorkflowStore<CaseRow, CasePatch> = { update: updateCase, insertEvent, eventPatch: jsonPatch };

export function createCaseActions(deps: CaseDeps, effects: CaseEffects) {
  const { db, clock } = deps;

  /** Runs one action on a case read in this transaction. `actorName`: who the timeline names, when not the actor. */
  async function transition<A extends CaseAction>(tx: Tx, cal: WorkCalendar, actor: Actor, row: CaseRow & { owningOrgAreaPath: string },
    action: A, input: CaseActionInput<A> & { version: number }, actorName?: string) {
    const now = clock.now();
    const facts = factsOf(row);
    if (caseWorkflow.judge(actor, facts, action) === 'forbidden') {
      // a refusal says whose case it is and what the caller can do instead (督办, 批示 …), not just "no"
      const [owner] = await tx.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, row.owningOrgId));
      throw new AppError('CASE_NOT_YOURS', { owner: owner?.name ?? '', action, possible: caseWorkflow.allowedActions(actor, facts) });
    }
    let cached: Policy | undefined;
    const policy = async () => (cached ??= await policyFor(tx, row.categoryId, row.tier));
    const effect = effects[action] as (c: EffectContext<A>) => Promise<Effect<CasePatch>>;
    // photos of the result (reply, handling on the spot): the caller's own recent uploads, linked in this transaction
    const photos = 'attachmentIds' in input && Array.isArray(input.attachmentIds) ? input.attachmentIds.filter((x): x is string => typeof x === 'string') : [];
    // what the action says (a note, a reason, a reply) becomes searchable in the same transaction
    const said = (['note', 'reason', 'result'] as const).map((k) => (input as Record<string, unknown>)[k]).filter((v): v is string => typeof v === 'string');
    if (said.length && action !== 'return_visit') await addSearchWords(tx, row.id, searchDoc(said));
    const updated = await applyTransition(tx, caseWorkflow, store, {
      actor, row, facts, action, version: input.version, now, actorName,
      effect: () => effect({ tx, actor, row, input, now, cal, policy }),
      also: async () => {
        if (!photos.length) return {};
        await deps.attachments.link(tx, actor, photos, row.id, row.areaPath, now);
        return { attachments: photos };
      },
    });
    for (const listener of deps.afterTransition ?? []) await listener(tx, row, updated, action, actor);
    return updated;
  }

  /**
   * An event on a case that is not a transition (a device's alarm cleared): the status stays, the version moves,
   * so that the timeline's order and optimistic concurrency hold as for any action.
   */
  async function recordEvent(tx: Tx, caseId: string, e: { action: string; actorName: string; note: string | null; payload: Record<string, unknown> }) {
    const row = await findCaseForAction(tx, eq(cases.id, caseId));
    if (!row) throw notFound('case');
    const updated = await updateCase(tx, row.id, row.version, {});
    if (!updated) throw new AppError('CONFLICT');
    await insertEvent(tx, {
      recordId: row.id, seq: updated.version, at: clock.now(), actorId: null, actorName: e.actorName, actorOrgId: null,
      action: e.action, fromStatus: row.status, toStatus: row.status, note: e.note, payload: e.payload,
    });
  }

  /** Checks scope (out of scope is NOT_FOUND, as if the case did not exist), then runs the transition in one transaction. */
  async function act<A extends CaseAction>(actor: Actor, id: string, action: A, input: CaseActionInput<A> & { version: number }): Promise<void> {
    // read outside the transaction: PGlite has one connection, and the transaction holds it
    const cal = await deps.calendar.calendar();
    await db.transaction(async (tx) => {
      const row = await findCaseForAction(tx, and(visibleCases(actor), eq(cases.id, id))!);
      if (!row) throw notFound('case');
      await transition(tx, cal, actor, row, action, input);
    });
  }

  return { act, transition, recordEvent };
}
export type CaseActions = ReturnType<typeof createCaseActions>;
