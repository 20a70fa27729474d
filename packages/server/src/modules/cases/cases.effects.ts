/**
 * What each case action changes: its columns, its event's note and payload, its messages. Each effect receives
 * the action's body exactly as its contract types it (CaseActionInput); the kernel has already checked who may
 * act, from which status, and the version.
 */
import { and, eq } from 'drizzle-orm';
import { OpenStatuses, type CaseAction, type CaseActionInput, type Tier } from '@fengqiao/contracts';
import type { Tx } from '../../db/database.ts';
import type { Actor } from '../../access/actor.ts';
import { cases } from '../../db/schema.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import type { Clock } from '../../lib/clock.ts';
import { addDuration, addWorkingDays, shiftForPause, type WorkCalendar } from '../calendar/working-time.ts';
import { centersAbove, findOrg } from '../organizations/organizations.repository.ts';
import { findCategory } from '../categories/categories.repository.ts';
import type { Effect } from '../workflow/kernel.ts';
import { dropWarnings } from './case-record.ts';
import { findCaseRow, type CasePatch, type CaseRow } from './cases.repository.ts';
import { notifyCase, smsToReporter } from './cases.topics.ts';
import { visibleCases } from './context.ts';
import { policyFor, type ClockName, type Policy } from './deadlines.ts';

export interface EffectContext<A extends CaseAction> {
  tx: Tx; actor: Actor; row: CaseRow; input: CaseActionInput<A>; now: Date; cal: WorkCalendar;
  /** The deadline policy of the case's category and tier, read at most once. */
  policy: () => Promise<Policy>;
}
export type CaseEffects = { [A in CaseAction]: (c: EffectContext<A>) => Promise<Effect<CasePatch>> };

const LEVEL_DEPTH: Record<string, number> = { city: 0, county: 1, township: 2, village: 3, grid: 4 };

/** The handle clock's due time, never past the deadline a sending platform set (a 12345 work order's 办理时限). */
const capped = (row: Pick<CaseRow, 'dueBy'>, due: Date) => (row.dueBy && row.dueBy < due ? row.dueBy : due);

export function createCaseEffects(opts: { tierLevels: Record<Tier, string>; maxReturns: number; clock: Clock }): CaseEffects {
  const { tierLevels, maxReturns } = opts;

  async function validTarget(tx: Tx, ownerOrgId: number, targetId: number) {
    const owner = await findOrg(tx, ownerOrgId);
    const target = await findOrg(tx, targetId);
    if (!owner || !target || !target.active) throw new AppError('CASE_INVALID_TARGET', { reason: 'not an active organisation' });
    const below = target.areaPath.startsWith(owner.areaPath);
    const upperDepartment = target.kind === 'department' && owner.areaPath.startsWith(target.areaPath);
    if (!below && !upperDepartment) throw new AppError('CASE_INVALID_TARGET', { reason: 'outside the owning center’s jurisdiction' });
    return target;
  }

  async function tierCenter(tx: Tx, areaPath: string, tier: Tier) {
    const centers = (await centersAbove(tx, areaPath)).filter((c) => c.level !== 'grid');
    // the center at the tier's level, or the nearest one above it when that level has none
    const at = (t: Tier) => centers.find((x) => LEVEL_DEPTH[x.level]! <= (LEVEL_DEPTH[tierLevels[t]] ?? 3));
    const c = at(tier);
    if (!c) throw new AppError('CASE_NO_CENTER');
    return Object.assign(c, { at });
  }

  return {
    async accept({ tx, actor, row, input, now, cal }) {
      const center = await tierCenter(tx, row.areaPath, input.tier);
      const own = await findOrg(tx, row.owningOrgId);
      if (actor.kind !== 'system' && own && !center.areaPath.startsWith(own.areaPath)) {
        // the advice follows this center's level: the highest tier it keeps itself (一般 at a village, 较大 at a township)
        const keep = (['cross_region', 'difficult', 'major', 'general'] as const).find((t) => center.at(t)?.areaPath.startsWith(own.areaPath)) ?? 'general';
        throw new AppError('CASE_TIER_NEEDS_ESCALATION', { center: center.name, tier: keep });
      }
      // the clerk may correct the category as they accept (a resident's pick, a platform's or the model's guess)
      const recategorised = input.categoryId !== undefined && input.categoryId !== row.categoryId ? await findCategory(tx, input.categoryId) ?? null : undefined;
      if (recategorised === null || (recategorised && !recategorised.active)) throw notFound('category');
      const categoryId = recategorised?.id ?? row.categoryId;
      const policy = await policyFor(tx, categoryId, input.tier);
      return {
        patch: {
          status: 'pending_dispatch', tier: input.tier, owningOrgId: center.id, acceptedAt: now,
          contactDueAt: addDuration(now, policy.contact.amount, policy.contact.unit, cal),
          handleDueAt: capped(row, addDuration(now, policy.handle.amount, policy.handle.unit, cal)),
          ...(recategorised ? { categoryId, caseType: recategorised.caseType } : {}),
        },
        note: input.note ?? null,
        ...(recategorised ? { payload: { categoryName: recategorised.name } } : {}),
        messages: [...smsToReporter(row, 'accepted'), ...(center.id !== row.owningOrgId ? [notifyCase(row, 'case_sent_down', [center.id])] : [])],
      };
    },
    async reject({ input, now }) {
      return { patch: { status: 'rejected', closedAt: now, resultText: input.reason }, note: input.reason };
    },
    async set_tier({ tx, row, input, cal }) {
      const policy = await policyFor(tx, row.categoryId, input.tier);
      const handleDueAt = row.acceptedAt ? capped(row, addDuration(row.acceptedAt, policy.handle.amount, policy.handle.unit, cal)) : row.handleDueAt;
      return { patch: { tier: input.tier, handleDueAt, warnings: dropWarnings(row.warnings, ['handle']) }, note: input.note ?? null };
    },
    async dispatch({ tx, row, input }) {
      const target = await validTarget(tx, row.owningOrgId, input.organizationId);
      return {
        patch: { status: 'pending_signoff', assigneeOrgId: target.id, dispatchOrgId: row.owningOrgId },
        note: input.note ?? null, payload: { organizationName: target.name },
        messages: [notifyCase(row, 'case_dispatched', [target.id], row.description.slice(0, 100))],
      };
    },
    async sign_for({ input }) { return { patch: { status: 'in_progress' }, note: input.note ?? null }; },
    // a center above takes the case: not yet accepted, it accepts it; otherwise it dispatches it again (or handles
    // it itself); the former owner and the organisation that had it are told why
    async take_over({ row, actor, input }) {
      // a center takes a case over; the system (CLI, jobs), which belongs to none, cannot
      if (actor.organizationId === null || actor.organizationKind !== 'center') throw new AppError('FORBIDDEN');
      const accepted = row.status !== 'pending_acceptance';
      return {
        patch: { owningOrgId: actor.organizationId!, ...(accepted ? { status: 'pending_dispatch' as const, assigneeOrgId: null, dispatchOrgId: null } : {}) },
        note: input.reason,
        payload: { fromOrgId: row.owningOrgId },
        messages: [notifyCase(row, 'case_taken_over', [row.owningOrgId, row.assigneeOrgId], input.reason)],
      };
    },
    // the owning center is the assignee and the dispatcher: reply, extensions and returns work as after a dispatch
    async handle_self({ row, input }) {
      return { patch: { status: 'in_progress', assigneeOrgId: row.owningOrgId, dispatchOrgId: row.owningOrgId }, note: input.note ?? null };
    },
    async return({ row, input }) {
      const returnCount = row.returnCount + 1;
      const ruling = returnCount > maxReturns;
      return {
        patch: { status: ruling ? 'ruling' : 'pending_dispatch', assigneeOrgId: null, returnCount },
        note: input.reason,
        messages: [notifyCase(row, ruling ? 'case_ruling' : 'case_returned', [row.dispatchOrgId ?? row.owningOrgId], input.reason)],
      };
    },
    async rule({ tx, row, input }) {
      const target = await validTarget(tx, row.dispatchOrgId ?? row.owningOrgId, input.organizationId);
      return {
        patch: { status: 'pending_signoff', assigneeOrgId: target.id, finalAssignment: true },
        note: input.note ?? null, payload: { organizationName: target.name },
        messages: [notifyCase(row, 'case_dispatched', [target.id], '', 'case_ruled')],
      };
    },
    async escalate({ tx, row, input, cal }) {
      const own = (await findOrg(tx, row.owningOrgId))!;
      const parent = (await centersAbove(tx, own.areaPath)).find((c) => c.areaPath !== own.areaPath && own.areaPath.startsWith(c.areaPath));
      if (!parent) throw new AppError('CASE_NO_CENTER');
      const tier = input.tier ?? (row.tier as Tier | null);
      const patch: CasePatch = { status: 'pending_dispatch', owningOrgId: parent.id, assigneeOrgId: null, tier };
      if (tier !== row.tier && tier && row.acceptedAt) {
        const policy = await policyFor(tx, row.categoryId, tier);
        patch.handleDueAt = capped(row, addDuration(row.acceptedAt, policy.handle.amount, policy.handle.unit, cal));
        patch.warnings = dropWarnings(row.warnings, ['handle']);
      }
      return {
        patch, note: input.reason, payload: { from: own.name, to: parent.name },
        messages: [notifyCase(row, 'case_escalated', [parent.id], input.reason)],
      };
    },
    async send_down({ tx, row, input }) {
      const target = await findOrg(tx, input.organizationId);
      const own = (await findOrg(tx, row.owningOrgId))!;
      if (!target || target.kind !== 'center' || !target.active || target.id === own.id
        || !target.areaPath.startsWith(own.areaPath) || !row.areaPath.startsWith(target.areaPath)) {
        throw new AppError('CASE_INVALID_TARGET', { reason: 'send down to a center between this one and the case’s area' });
      }
      return { patch: { owningOrgId: target.id }, note: input.note ?? null, payload: { to: target.name }, messages: [notifyCase(row, 'case_sent_down', [target.id])] };
    },
    async add_co_handler({ tx, row, input }) {
      const target = await validTarget(tx, row.owningOrgId, input.organizationId);
      if (row.coHandlerOrgIds.includes(target.id) || target.id === row.assigneeOrgId) throw new AppError('CASE_INVALID_TARGET', { reason: 'already handling it' });
      return { patch: { coHandlerOrgIds: [...row.coHandlerOrgIds, target.id] }, note: input.note ?? null, messages: [notifyCase(row, 'case_co_handling', [target.id])] };
    },
    async contact({ input, now }) { return { patch: { contactedAt: now }, note: input.note ?? null }; },
    async request_extension({ actor, row, input }) {
      return {
        patch: { extensionRequest: { workingDays: input.workingDays, reason: input.reason, by: actor.username } },
        note: input.reason, messages: [notifyCase(row, 'case_extension_requested', [row.owningOrgId])],
      };
    },
    async approve_extension({ row, input, cal }) {
      const n = row.extensionRequest!.workingDays;
      return {
        patch: { extensionRequest: null, handleDueAt: addWorkingDays(row.handleDueAt ?? opts.clock.now(), n, cal), warnings: dropWarnings(row.warnings, ['handle']) },
        note: input.note ?? null, payload: { workingDays: n },
        messages: [notifyCase(row, 'case_extension_approved', [row.assigneeOrgId])],
      };
    },
    async deny_extension({ row, input }) {
      return { patch: { extensionRequest: null }, note: input.reason, messages: [notifyCase(row, 'case_extension_denied', [row.assigneeOrgId], input.reason)] };
    },
    async suspend({ row, input, now }) {
      return { patch: { status: 'suspended', resumeStatus: row.status, suspendedAt: now }, note: input.reason };
    },
    async resume({ row, input, now, cal, policy }) {
      const p = await policy();
      const since = row.suspendedAt ?? now;
      const shift = (due: Date | null, unit: Policy['handle']['unit']) => (due ? shiftForPause(due, unit, since, now, cal) : null);
      const patch: CasePatch = { status: row.resumeStatus!, resumeStatus: null, suspendedAt: null };
      const moved: ClockName[] = [];
      if (row.contactDueAt && !row.contactedAt) { patch.contactDueAt = shift(row.contactDueAt, p.contact.unit); moved.push('contact'); }
      if (row.handleDueAt && !row.repliedAt) { patch.handleDueAt = shift(row.handleDueAt, p.handle.unit); moved.push('handle'); }
      if (row.supervisionDueAt) patch.supervisionDueAt = shift(row.supervisionDueAt, 'working_days');
      patch.warnings = dropWarnings(row.warnings, moved);
      return { patch, note: input.note ?? null, payload: { pausedMs: now.getTime() - since.getTime() } };
    },
    async supervise({ row, input, now, cal }) {
      return {
        patch: { supervisionLevel: input.level, supervisionDueAt: addWorkingDays(now, input.dueInWorkingDays, cal) },
        note: input.note,
        messages: [notifyCase(row, 'case_supervised', [row.owningOrgId, row.assigneeOrgId], input.note, `case_supervised_${input.level}`)],
      };
    },
    async take_ownership({ actor, input }) { return { patch: { leaderUserId: actor.userId }, note: input.note ?? null }; },
    async instruct({ row, input }) {
      return { patch: {}, note: input.note, messages: [notifyCase(row, 'case_instruction', [row.owningOrgId, row.assigneeOrgId], input.note)] };
    },
    async handle_on_spot({ tx, row, input, now, cal }) {
      const tier = (row.tier as Tier | null) ?? 'general';
      const policy = await policyFor(tx, row.categoryId, tier);
      return {
        patch: {
          status: 'replied', tier, acceptedAt: row.acceptedAt ?? now, contactedAt: row.contactedAt ?? now, repliedAt: now,
          handleDueAt: row.handleDueAt ?? now, resultText: input.result,
          replyDueAt: addDuration(now, policy.reply.amount, policy.reply.unit, cal),
        },
        note: input.result,
        messages: [...smsToReporter(row, 'replied'), notifyCase(row, 'case_replied', [row.owningOrgId], '', 'case_replied_on_spot')],
      };
    },
    async reply({ row, input, now, cal, policy }) {
      const p = await policy();
      return {
        patch: { status: 'replied', repliedAt: now, resultText: input.result, contactedAt: row.contactedAt ?? now, replyDueAt: addDuration(now, p.reply.amount, p.reply.unit, cal) },
        note: input.result, messages: [...smsToReporter(row, 'replied'), notifyCase(row, 'case_replied', [row.owningOrgId])],
      };
    },
    async return_visit({ row, input, now, cal, policy }) {
      const result = input.result;
      if (result !== 'unsatisfied') return { patch: { status: 'closed', closedAt: now, visitResult: result }, note: input.note ?? null, payload: { result } };
      const p = await policy();
      return {
        patch: {
          status: row.assigneeOrgId ? 'in_progress' : 'pending_dispatch', visitResult: 'unsatisfied', reopenCount: row.reopenCount + 1,
          repliedAt: null, replyDueAt: null, handleDueAt: addDuration(now, p.handle.amount, p.handle.unit, cal),
          warnings: dropWarnings(row.warnings, ['handle', 'reply']),
        },
        note: input.note ?? null, payload: { result, reopened: true },
        messages: [...smsToReporter(row, 'reopened'), notifyCase(row, 'case_reopened', [row.assigneeOrgId ?? row.owningOrgId], input.note ?? '')],
      };
    },
    async merge({ tx, actor, row, input, now }) {
      const master = await findCaseRow(tx, and(visibleCases(actor), eq(cases.id, input.masterCaseId))!);
      if (!master || master.id === row.id || !(OpenStatuses as readonly string[]).includes(master.status) || master.status === 'suspended') {
        throw new AppError('CASE_INVALID_TARGET', { reason: 'the master case must be another open case you can see' });
      }
      return { patch: { status: 'merged', mergedIntoId: master.id, closedAt: now }, note: input.note ?? null, payload: { masterNumber: master.number } };
    },
    async close({ input, now }) { return { patch: { status: 'closed', closedAt: now }, note: input.note ?? null }; },
    async archive({ input }) { return { patch: { status: 'archived' }, note: input.note ?? null }; },
  };
}
