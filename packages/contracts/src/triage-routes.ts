import { Type } from 'typebox';
import * as S from './schemas.ts';
import * as T from './triage.ts';
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
