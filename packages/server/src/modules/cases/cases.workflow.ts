import { ActiveStatuses, OpenStatuses, type CaseAction, type CaseStatus, type Role } from '@fengqiao/contracts';
import type { Actor } from '../../access/actor.ts';
import { defineWorkflow, type Rule } from '../workflow/kernel.ts';

/**
 * The case loop's transition table on the workflow kernel: who may do what from which status.
 * Effects (which columns change) live in cases.effects.ts; this file decides only whether an action is allowed.
 */
export type Relation =
  | 'owner'        // staff of the center that owns the case
  | 'assignee'     // staff of the organisation the case is dispatched to
  | 'dispatcher'   // staff of the center that dispatched it (rulings)
  | 'above'        // staff of a center above the owning center (supervision, leaders, extensions)
  | 'grid';        // a grid worker whose grid contains the case

export interface CaseFacts {
  status: CaseStatus;
  areaPath: string;
  owningOrgId: number;
  /** Area path of the owning center: "above" means a center whose jurisdiction contains the owner's. */
  owningOrgAreaPath: string;
  assigneeOrgId: number | null;
  dispatchOrgId: number | null;
  coHandlerOrgIds: number[];
  finalAssignment: boolean;
  extensionRequest: unknown | null;
  hasReporterPhone: boolean;
  contacted: boolean;
  visitResult: string | null;
}

const CENTER_STAFF: Role[] = ['intake', 'dispatcher'];
const HANDLERS: Role[] = ['handler', 'intake', 'dispatcher', 'mediator'];
const ACTIVE = ActiveStatuses;
const OPEN = OpenStatuses;
const selfHandled = (c: CaseFacts) => c.assigneeOrgId === null || c.assigneeOrgId === c.owningOrgId;

export const transitions: Record<CaseAction, Rule<CaseStatus, CaseFacts, Relation>> = {
  accept: { from: ['pending_acceptance'], roles: CENTER_STAFF, relations: ['owner'] },
  reject: { from: ['pending_acceptance'], roles: CENTER_STAFF, relations: ['owner'] },
  set_tier: { from: ['pending_dispatch', 'pending_signoff', 'in_progress'], roles: CENTER_STAFF, relations: ['owner'] },
  dispatch: { from: ['pending_dispatch'], roles: ['dispatcher'], relations: ['owner'] },
  sign_for: { from: ['pending_signoff'], roles: HANDLERS, relations: ['assignee'] },
  handle_self: { from: ['pending_dispatch'], roles: ['dispatcher'], relations: ['owner'] },
  take_over: { from: ['pending_acceptance', 'pending_dispatch', 'pending_signoff', 'in_progress'], roles: ['dispatcher'], relations: ['above'] },
  return: { from: ['pending_signoff', 'in_progress'], roles: HANDLERS, relations: ['assignee'], when: (c) => !c.finalAssignment && !selfHandled(c) },
  rule: { from: ['ruling'], roles: ['dispatcher'], relations: ['dispatcher'] },
  escalate: { from: ['pending_dispatch', 'in_progress'], roles: CENTER_STAFF, relations: ['owner'], when: selfHandled },
  send_down: { from: ['pending_dispatch'], roles: ['dispatcher'], relations: ['owner'] },
  add_co_handler: { from: ['pending_signoff', 'in_progress'], roles: ['dispatcher'], relations: ['owner'] },
  contact: { from: ACTIVE, roles: HANDLERS, relations: ['owner', 'assignee'], when: (c) => !c.contacted },
  request_extension: { from: ['in_progress'], roles: HANDLERS, relations: ['assignee'], when: (c) => c.extensionRequest === null },
  approve_extension: { from: ['in_progress'], roles: ['dispatcher', 'leader'], relations: ['owner', 'above'], when: (c) => c.extensionRequest !== null },
  deny_extension: { from: ['in_progress'], roles: ['dispatcher', 'leader'], relations: ['owner', 'above'], when: (c) => c.extensionRequest !== null },
  suspend: { from: ACTIVE, roles: ['dispatcher'], relations: ['owner'] },
  resume: { from: ['suspended'], roles: ['dispatcher'], relations: ['owner'] },
  supervise: { from: OPEN, roles: ['leader', 'dispatcher'], relations: ['owner', 'above'] },
  take_ownership: { from: OPEN, roles: ['leader'], relations: ['owner', 'above'] },
  instruct: { from: OPEN, roles: ['leader'], relations: ['owner', 'above'] },
  handle_on_spot: { from: ['pending_acceptance', 'pending_dispatch'], roles: ['grid_worker'], relations: ['grid'] },
  reply: { from: ['in_progress'], roles: HANDLERS, relations: ['assignee'] },
  return_visit: { from: ['replied'], roles: CENTER_STAFF, relations: ['owner'] },
  merge: { from: ['pending_acceptance', ...ACTIVE], roles: CENTER_STAFF, relations: ['owner'] },
  close: { from: ['replied'], roles: CENTER_STAFF, relations: ['owner'], when: (c) => !c.hasReporterPhone || c.visitResult === 'unreachable' },
  archive: { from: ['closed', 'rejected', 'merged'], roles: [...CENTER_STAFF, 'admin'], relations: ['owner'] },
};

/** How the actor stands to the case. The system (CLI, jobs) stands in every relation. */
export function relationsOf(actor: Actor, c: CaseFacts): Set<Relation> {
  const r = new Set<Relation>();
  if (actor.kind === 'system') return new Set(['owner', 'assignee', 'dispatcher', 'above', 'grid']);
  const org = actor.organizationId;
  if (org === c.owningOrgId) r.add('owner');
  if (org !== null && org === c.assigneeOrgId) r.add('assignee');
  if (org === c.dispatchOrgId) r.add('dispatcher');
  if (actor.organizationKind === 'center' && org !== c.owningOrgId && c.owningOrgAreaPath.startsWith(actor.areaPath)) r.add('above');
  if (actor.roles.includes('grid_worker') && c.areaPath.startsWith(actor.areaPath)) r.add('grid');
  return r;
}

export const caseWorkflow = defineWorkflow({ name: 'case', table: transitions, relationsOf, invalidTransition: 'CASE_INVALID_TRANSITION' });
export const judge = caseWorkflow.judge;
export const allowedActions = caseWorkflow.allowedActions;
export type { Verdict } from '../workflow/kernel.ts';
