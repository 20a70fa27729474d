/**
 * The case loop's transition listener for triage: when a clerk accepts a case whose category the model chose (a
 * platform's report that came without one), the category they accept it under — kept, or corrected in the same
 * step — becomes the model's feedback, in the acceptance's transaction.
 */
import type { Actor } from '../../access/actor.ts';
import type { Tx } from '../../db/database.ts';
import type { AfterTransition } from '../cases/context.ts';
import type { CaseRow } from '../cases/cases.repository.ts';
import { confirmFeedback } from './triage.repository.ts';

export function feedbackOnAccept(): AfterTransition {
  return async (tx: Tx, _before: CaseRow, after: CaseRow, action: string, actor: Actor) => {
    if (action !== 'accept' || actor.kind === 'system') return;
    await confirmFeedback(tx, after.id, after.categoryId, actor.userId);
  };
}
