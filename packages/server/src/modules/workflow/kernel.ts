/**
 * The workflow kernel: what every kind of record with a life cycle (a case, a mediation) shares.
 *
 * A module declares its transition table — for each action, the statuses it may start from, the roles that may
 * take it, how the actor must stand to the record, and an extra guard — and gets back `judge` (allowed, refused
 * because the actor may never do this, or refused because not now) and `allowedActions`. `applyTransition`
 * runs one action inside the caller's transaction: verdict, version check, the action's typed effect, the
 * update, the event row and the outbox rows — all committed together or not at all.
 */
import type { ErrorCode, Role } from '@fengqiao/contracts';
import type { Actor } from '../../access/actor.ts';
import type { Tx } from '../../db/database.ts';
import { AppError } from '../../lib/errors.ts';
import { enqueue, type OutboxMessage } from '../outbox/outbox.ts';

export interface Rule<S extends string, F, R extends string> {
  from: readonly S[];
  roles: readonly Role[];
  relations: readonly R[];
  /** An extra condition on the record; false means "not now" (an invalid transition), not "never". */
  when?: (facts: F) => boolean;
}

export type Verdict = 'allowed' | 'forbidden' | 'invalid_transition';

export interface WorkflowSpec<A extends string, S extends string, F extends { status: S }, R extends string> {
  /** Names the workflow in errors and documents. */
  name: string;
  table: Record<A, Rule<S, F, R>>;
  /** How the actor stands to the record. The system actor (CLI, jobs) stands in every relation. */
  relationsOf(actor: Actor, facts: F): Set<R>;
  /** The error code of a transition that is not possible now. */
  invalidTransition: ErrorCode;
}

export interface Workflow<A extends string, S extends string, F extends { status: S }, R extends string> extends WorkflowSpec<A, S, F, R> {
  actions: A[];
  judge(actor: Actor, facts: F, action: A): Verdict;
  allowedActions(actor: Actor, facts: F): A[];
}

export function defineWorkflow<A extends string, S extends string, F extends { status: S }, R extends string>(
  spec: WorkflowSpec<A, S, F, R>,
): Workflow<A, S, F, R> {
  const actions = Object.keys(spec.table) as A[];
  /** Forbidden: the actor has no role or relation for this action at all. Invalid: they could, but not in this state. */
  function judge(actor: Actor, facts: F, action: A): Verdict {
    const rule = spec.table[action];
    const rel = spec.relationsOf(actor, facts);
    const hasRole = actor.kind === 'system' || rule.roles.some((role) => actor.roles.includes(role));
    if (!hasRole || !rule.relations.some((x) => rel.has(x))) return 'forbidden';
    if (!rule.from.includes(facts.status)) return 'invalid_transition';
    if (rule.when && !rule.when(facts)) return 'invalid_transition';
    return 'allowed';
  }
  return { ...spec, actions, judge, allowedActions: (actor, facts) => actions.filter((a) => judge(actor, facts, a) === 'allowed') };
}

/** What an action changes: the columns, the note and payload of its event, and the messages it sends. */
export interface Effect<P> {
  patch: P;
  note?: string | null;
  payload?: Record<string, unknown>;
  messages?: OutboxMessage[];
}

/** One row of a record's timeline. */
export interface TimelineEvent {
  recordId: string; seq: number; at: Date; actorId: string | null; actorName: string; actorOrgId: number | null;
  action: string; fromStatus: string | null; toStatus: string; note: string | null; payload: Record<string, unknown>;
}

/** Where a workflow's records and their events live: the module's repository. */
export interface WorkflowStore<Row extends { id: string; version: number; status: string }, P> {
  /** Optimistic concurrency: applies only to `version`; undefined when the record changed meanwhile. */
  update(tx: Tx, id: string, version: number, patch: P): Promise<Row | undefined>;
  insertEvent(tx: Tx, event: TimelineEvent): Promise<void>;
  /** The patch as the event stores it (dates as ISO strings). */
  eventPatch(patch: P): Record<string, unknown>;
}

export interface TransitionRequest<A extends string, F, Row, P> {
  actor: Actor;
  row: Row;
  facts: F;
  action: A;
  /** The version the caller saw; a stale one is a CONFLICT. */
  version: number;
  now: Date;
  /** The name the timeline shows, when it is not the actor's (a resident's rating, say). */
  actorName?: string;
  effect: () => Promise<Effect<P>>;
  /** Work of the same transaction after the update, before the event (linking photos); returns what the event adds. */
  also?: (updated: Row) => Promise<Record<string, unknown>>;
}

/** Runs one transition in the caller's transaction; any error leaves nothing behind. */
export async function applyTransition<A extends string, S extends string, F extends { status: S }, R extends string,
  Row extends { id: string; version: number; status: string }, P>(
  tx: Tx, workflow: Workflow<A, S, F, R>, store: WorkflowStore<Row, P>, req: TransitionRequest<A, F, Row, P>,
): Promise<Row> {
  const { actor, row, action } = req;
  const verdict = workflow.judge(actor, req.facts, action);
  if (verdict === 'forbidden') throw new AppError('FORBIDDEN');
  if (verdict === 'invalid_transition') throw new AppError(workflow.invalidTransition, { status: row.status, action });
  if (req.version !== row.version) throw new AppError('CONFLICT');
  const effect = await req.effect();
  const updated = await store.update(tx, row.id, row.version, effect.patch);
  if (!updated) throw new AppError('CONFLICT');
  const extra = req.also ? await req.also(updated) : {};
  await store.insertEvent(tx, {
    recordId: row.id, seq: updated.version, at: req.now, actorId: actor.userId, actorName: req.actorName ?? actor.username,
    actorOrgId: actor.organizationId, action, fromStatus: row.status, toStatus: updated.status, note: effect.note ?? null,
    payload: { patch: store.eventPatch(effect.patch), ...(effect.payload ?? {}), ...extra },
  });
  // each message knows who caused it: nobody is told of their own action
  await enqueue(tx, (effect.messages ?? []).map((m) => ({ ...m, payload: { actorUserId: actor.userId, ...m.payload } })));
  return updated;
}
