import type { Services } from '../services.ts';
import type { Handlers } from './handlers.ts';

type TriageOps = 'findDuplicates' | 'mergeSuggestions' | 'caseDuplicates' | 'suggestCategories' | 'publicSuggestCategories' | 'listTriageModels' | 'trainTriageModel' | 'activateTriageModel';

/** Triage's edges: one service call each. */
export function triageHandlers(s: Services): Pick<Handlers, TriageOps> {
  return {
    suggestCategories: ({ actor, body }) => s.triage.suggest(actor, body),
    publicSuggestCategories: ({ body }) => s.triage.suggest(null, { text: body.text }),
    findDuplicates: ({ actor, body }) => s.duplicates.forReport(actor, body),
    mergeSuggestions: ({ actor, body }) => s.duplicates.mergeSuggestions(actor, body.caseIds),
    caseDuplicates: ({ actor, params }) => s.duplicates.forCase(actor, params.id),
    listTriageModels: ({ actor }) => s.triage.models(actor),
    async trainTriageModel({ actor, reply }) { reply.status(201); return s.triage.trainFromCases(actor); },
    activateTriageModel: ({ actor, params }) => s.triage.activate(actor, params.version),
  };
}
