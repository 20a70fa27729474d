/** The mediation workflow on the kernel: for each action, from which statuses, by which roles, standing how to the record. */
import type { MediationAction, MediationStatus, Role } from '@fengqiao/contracts';
import type { Actor } from '../../access/actor.ts';
import { defineWorkflow, type Rule } from '../workflow/kernel.ts';

export interface MediationFacts {
  status: MediationStatus;
  /** The committee or center that mediates. */
  committeeOrgId: number;
  /** Users of the lead mediator and the team (mediators from the pool who have accounts). */
  mediatorUserIds: string[];
  hasConfirmation: boolean;
  ruled: boolean;
}
/** holder: a member of the mediating organisation; mediator: the lead or a team member. */
export type MediationRelation = 'holder' | 'mediator';

const managers: Role[] = ['mediator', 'dispatcher'];
const running: MediationStatus[] = ['in_mediation'];
const agreed: MediationStatus[] = ['agreed', 'partial'];
const rule = (from: MediationStatus[], relations: MediationRelation[] = ['holder'], when?: (f: MediationFacts) => boolean): Rule<MediationStatus, MediationFacts, MediationRelation> =>
  ({ from, roles: managers, relations, when });

export const mediationWorkflow = defineWorkflow<MediationAction, MediationStatus, MediationFacts, MediationRelation>({
  name: 'mediation',
  invalidTransition: 'MEDIATION_INVALID_TRANSITION',
  table: {
    accept: rule(['applied']),
    decline: rule(['applied']),
    assign: rule(['accepted', 'in_mediation']),
    assess: rule(running, ['holder', 'mediator']),
    schedule_session: rule(running, ['holder', 'mediator']),
    record_session: rule(running, ['holder', 'mediator']),
    extend: rule(running),
    conclude: rule(running, ['holder', 'mediator']),
    record_performance: rule(agreed, ['holder', 'mediator']),
    file_signed_agreement: rule(agreed, ['holder', 'mediator']),
    refer_confirmation: rule(agreed, ['holder'], (f) => !f.hasConfirmation),
    record_ruling: rule(agreed, ['holder'], (f) => f.hasConfirmation && !f.ruled),
    refer_on: rule(['failed', 'terminated']),
    close: rule(['agreed', 'partial', 'failed', 'terminated'], ['holder'], (f) => !f.hasConfirmation || f.ruled),
  },
  relationsOf(actor: Actor, f: MediationFacts) {
    const out = new Set<MediationRelation>();
    if (actor.kind === 'system') return new Set(['holder', 'mediator']);
    if (actor.organizationId === f.committeeOrgId) out.add('holder');
    if (actor.userId && f.mediatorUserIds.includes(actor.userId)) out.add('mediator');
    return out;
  },
});
