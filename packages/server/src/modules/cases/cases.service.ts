/**
 * The case module's use cases, composed: intake (intake.ts), actions on the workflow kernel (actions.ts,
 * cases.effects.ts, cases.workflow.ts), reads (queries.ts, queues.ts), the deadline job (deadline-job.ts) and
 * the reporter's tracking page (tracking.ts). SQL lives in cases.repository.ts; messages in cases.topics.ts.
 */
import type { CaseAction, CaseActionInput, CaseStatus } from '@fengqiao/contracts';
import type { Actor } from '../../access/actor.ts';
import { createCaseActions } from './actions.ts';
import { factsOf, shownPayload } from './case-record.ts';
import { createCaseEffects } from './cases.effects.ts';
import { DEFAULT_TIER_LEVELS, type CaseDeps } from './context.ts';
import { createDeadlineJob } from './deadline-job.ts';
import { createIntake, type IntakeInput } from './intake.ts';
import { createCaseQueries } from './queries.ts';
import { createTracking } from './tracking.ts';
import { createSearchIndexer } from './search-index.ts';

export { caseStateJson, replayEvents, snapshotOf, newCaseRow, CASE_FIELDS } from './case-record.ts';
export { DEFAULT_TIER_LEVELS, type CaseServiceOptions } from './context.ts';
export type { IntakeInput } from './intake.ts';

export function createCaseService(deps: CaseDeps) {
  const { keys, clock } = deps;
  const effects = createCaseEffects({ tierLevels: deps.options?.tierLevels ?? DEFAULT_TIER_LEVELS, maxReturns: deps.options?.maxReturns ?? 2, clock });
  const queries = createCaseQueries(deps);
  const actions = createCaseActions(deps, effects);
  const intake = createIntake(deps);
  const tracking = createTracking(deps, actions);

  /** Staff intake answers with the case, its first event and the reporter's receipt (a retried request gets the same again). */
  async function createByStaff(actor: Actor, input: IntakeInput, idempotencyKey: string | null) {
    const r = await intake.intakeByStaff(actor, input, idempotencyKey);
    const receipt = { number: r.row.number, trackingSecret: r.trackingSecret };
    if (!r.created) return { ...(await queries.get(actor, r.row.id)), receipt };
    const withNames = Object.assign(r.row, {
      categoryName: r.categoryName, areaName: r.area.name, owningOrgName: r.owner.name, owningOrgAreaPath: r.owner.areaPath,
      assigneeOrgName: null, dispatchOrgName: null,
    });
    return {
      receipt,
      case: queries.present(withNames, actor, clock.now(), r.reporter),
      timeline: [{
        seq: 1, at: r.row.createdAt.toISOString(), actor: actor.userId ? 'staff' as const : 'system' as const, actorName: r.actorName, actorOrgId: actor.organizationId, action: 'create',
        fromStatus: null, toStatus: 'pending_acceptance' as const, note: null,
        payload: shownPayload({ patch: r.patch, ...(r.attachments.length ? { attachments: r.attachments.map((a) => a.id) } : {}) }),
      }],
      attachments: r.attachments,
    };
  }

  /** A resident's report: the number and the tracking secret. */
  async function createPublic(input: IntakeInput, idempotencyKey: string | null) {
    const r = await intake.intake(null, input, idempotencyKey);
    return { number: r.row.number, trackingSecret: r.trackingSecret, status: r.row.status as CaseStatus };
  }

  async function act<A extends CaseAction>(actor: Actor, id: string, action: A, input: CaseActionInput<A> & { version: number }) {
    await actions.act(actor, id, action, input);
    return queries.getAfterAction(actor, id);
  }

  return {
    createByStaff, createPublic, act,
    /** Staff intake without the console's presentation (integrations): the written row, or the earlier one for a repeated key. */
    register: intake.intakeByStaff,
    recordEvent: actions.recordEvent,
    get: queries.get, targets: queries.targets, unmaskReporter: queries.unmaskReporter, list: queries.list, exportRows: queries.exportRows,
    queues: queries.queues, subtree: queries.subtree,
    scanDeadlines: createDeadlineJob(deps).scanDeadlines, track: tracking.track, rate: tracking.rate, resultPhoto: tracking.resultPhoto,
    facts: factsOf, search: createSearchIndexer(deps),
  };
}
export type CaseService = ReturnType<typeof createCaseService>;
