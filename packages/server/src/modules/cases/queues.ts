/**
 * The nine work queues (待受理, 待派单, 待签收 …) as conditions on the case table, and their counts in one statement.
 */
import { and, eq, inArray, isNotNull, or, sql, type SQL } from 'drizzle-orm';
import { Queues, RunningStatuses, WorkInHandStatuses, type Queue } from '@fengqiao/contracts';
import type { Db } from '../../db/database.ts';
import type { Actor } from '../../access/actor.ts';
import { cases } from '../../db/schema.ts';
import { countRow } from './cases.repository.ts';
import { visibleCases } from './context.ts';

const SOON_FLAGS = ['contact_soon', 'handle_soon', 'reply_soon'];
const OVERDUE_FLAGS = ['contact_overdue', 'handle_overdue', 'reply_overdue'];
const flags = (list: string[]) => sql`${cases.warnings} && ${sql.raw(`array[${list.map((f) => `'${f}'`).join(',')}]::text[]`)}`;
/** Literals, not parameters, so that the planner can match partial indexes' predicates. */
const statusIn = (list: readonly string[]) => sql`${cases.status} in ${sql.raw(`(${list.map((s) => `'${s}'`).join(', ')})`)}`;
const running = inArray(cases.status, [...RunningStatuses]);
export const overdueCondition = (overdue: boolean): SQL => (overdue ? flags(OVERDUE_FLAGS) : sql`not (${flags(OVERDUE_FLAGS)})`);

/** The queues a case in the caller's work in hand can be in, and their conditions on the indexed columns. */
const WORK_QUEUES = ['to_sign', 'in_progress', 'due_soon', 'overdue', 'supervised'] as const;
function workQueueCondition(q: (typeof WORK_QUEUES)[number]): SQL {
  switch (q) {
    case 'to_sign': return sql`${cases.status} = 'pending_signoff'`;
    case 'in_progress': return sql`${cases.status} = 'in_progress'`;
    case 'due_soon': return sql`${flags(SOON_FLAGS)} and not (${flags(OVERDUE_FLAGS)})`;
    case 'overdue': return flags(OVERDUE_FLAGS);
    case 'supervised': return isNotNull(cases.supervisionLevel);
  }
}

export function queueCondition(actor: Actor, q: Queue): SQL {
  const org = actor.organizationId ?? -1;
  const mine = sql`(${cases.owningOrgId} = ${org} or ${cases.assigneeOrgId} = ${org})`;
  switch (q) {
    case 'to_accept': return and(eq(cases.status, 'pending_acceptance'), eq(cases.owningOrgId, org))!;
    case 'to_dispatch': return and(eq(cases.status, 'pending_dispatch'), eq(cases.owningOrgId, org))!;
    case 'to_sign': return and(eq(cases.status, 'pending_signoff'), eq(cases.assigneeOrgId, org))!;
    case 'in_progress': return and(eq(cases.status, 'in_progress'), eq(cases.assigneeOrgId, org))!;
    case 'due_soon': return and(running, mine, flags(SOON_FLAGS), sql`not (${flags(OVERDUE_FLAGS)})`)!;
    case 'overdue': return and(running, mine, flags(OVERDUE_FLAGS))!;
    case 'supervised': return and(running, isNotNull(cases.supervisionLevel), actor.userId ? sql`(${mine} or ${cases.leaderUserId} = ${actor.userId})` : mine)!;
    case 'to_revisit': return and(eq(cases.status, 'replied'), eq(cases.owningOrgId, org))!;
    case 'ruling': return and(eq(cases.status, 'ruling'), eq(cases.dispatchOrgId, org))!;
  }
}

/**
 * All nine counts, in two parts of one statement. The organisation's work in hand (cases assigned to it,
 * waiting for sign-off or in progress) — most of a department's open cases — is counted from a partial
 * covering index alone (cases_assigned_work_idx: an index-only scan, no table rows read); being assigned to
 * the caller's organisation, those cases are always within its view. Everything else that concerns the
 * caller is counted as before, from the table, within the caller's view.
 */
export async function countQueues(db: Db, actor: Actor): Promise<Record<Queue, number>> {
  const org = actor.organizationId ?? -1;
  const work = sql`${cases.assigneeOrgId} = ${org} and ${statusIn(WorkInHandStatuses)}`;
  const workCounts = sql.join(WORK_QUEUES.map((q) => sql`count(*) filter (where ${workQueueCondition(q)})::int as ${sql.identifier(`work_${q}`)}`), sql`, `);
  const notWork = RunningStatuses.filter((s) => !(WorkInHandStatuses as readonly string[]).includes(s));
  const rest = and(
    running, sql`not (${work})`,
    or(eq(cases.owningOrgId, org), eq(cases.dispatchOrgId, org), sql`(${cases.assigneeOrgId} = ${org} and ${statusIn(notWork)})`,
      actor.userId ? eq(cases.leaderUserId, actor.userId) : undefined),
  )!; // every queue holds open cases only
  const counts = sql.join(Queues.map((q) => sql`count(*) filter (where ${queueCondition(actor, q)})::int as ${sql.identifier(q)}`), sql`, `);
  const row = await countRow(db, sql`select w.*, r.* from (select ${workCounts} from ${cases} where ${work}) w,
      (select ${counts} from ${cases} where ${and(visibleCases(actor), rest)}) r`);
  return Object.fromEntries(Queues.map((q) => [q, Number(row[q] ?? 0) + Number(row[`work_${q}`] ?? 0)])) as Record<Queue, number>;
}
