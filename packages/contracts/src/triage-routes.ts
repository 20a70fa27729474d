import { Type } from 'typebox';
import * as S from './schemas.ts';
import * as T from './triage.ts';
import * as D from './duplicates.ts';
import type { RouteContract } from './routes.ts';

/** Triage's endpoints; `routes` (routes.ts) includes them. */
const route = <const R extends RouteContract>(c: R) => c;
const tags = ['triage'];

export const triageRoutes = {
  suggestCategories: route({
    operationId: 'suggestCategories', method: 'POST', url: '/api/v1/triage/suggestions', auth: 'user', tags,
    summary: 'The three most likely categories of a report’s text, with confidences, and who usually handles the first around the area',
    body: T.TriageSuggestRequest, response: T.TriageSuggestions,
  }),
  publicSuggestCategories: route({
    operationId: 'publicSuggestCategories', method: 'POST', url: '/api/v1/public/triage/suggestions', auth: 'public', tags: ['public'], rateLimit: 120,
    summary: 'The resident page’s category hint: the three most likely categories of the text', body: T.TriageSuggestRequest, response: T.TriageSuggestions,
  }),
  findDuplicates: route({
    operationId: 'findDuplicates', method: 'POST', url: '/api/v1/triage/duplicates', auth: 'user', tags,
    summary: 'Open and recent cases a report being registered looks like, with the reasons (same words, reporter, place, category)',
    body: D.DuplicateRequest, response: D.Duplicates,
  }),
  mergeSuggestions: route({
    operationId: 'mergeSuggestions', method: 'POST', url: '/api/v1/triage/merge-suggestions', auth: 'user', tags,
    summary: 'For each of some cases (a queue’s page), the cases it looks like: what it might be merged into',
    body: D.MergeSuggestionsRequest, response: D.MergeSuggestions,
  }),
  caseDuplicates: route({
    operationId: 'caseDuplicates', method: 'GET', url: '/api/v1/cases/:id/duplicates', auth: 'user', tags: ['cases'],
    summary: 'How many times this was reported (the case and the cases merged into it), and the cases it looks like',
    params: S.UuidParams, response: D.CaseDuplicates,
  }),
  listTriageModels: route({
    operationId: 'listTriageModels', method: 'GET', url: '/api/v1/triage/models', auth: 'user', tags,
    summary: 'The category model’s versions, newest first, with their evaluation and feedback figures',
    response: Type.Object({ items: Type.Array(T.TriageModel) }, { additionalProperties: false }),
  }),
  trainTriageModel: route({
    operationId: 'trainTriageModel', method: 'POST', url: '/api/v1/triage/models', auth: 'user', tags, status: 201,
    summary: 'Train a new version from the installation’s closed cases and make it the active one', response: T.TriageTrainResult,
  }),
  activateTriageModel: route({
    operationId: 'activateTriageModel', method: 'POST', url: '/api/v1/triage/models/:version/activate', auth: 'user', tags,
    summary: 'Make an earlier (or later) version the active one', params: Type.Object({ version: S.Id }, { additionalProperties: false }),
    response: Type.Object({ version: Type.Integer() }, { additionalProperties: false }),
  }),
};
