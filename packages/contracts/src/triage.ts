/** Triage: category and handler suggestions, the model versions behind them. docs/triage.md. */
import { Type, type Static } from 'typebox';
import { Id, Strict } from './schemas.ts';

export const TriageSuggestRequest = Strict({
  text: Type.String({ minLength: 1, maxLength: 5000, description: 'What the report says (the description as typed so far)' }),
  areaId: Type.Optional(Id),
});
export const TriageSuggestion = Strict({
  id: Id, code: Type.String(), name: Type.String(), nameEn: Type.String(),
  confidence: Type.Number({ minimum: 0, maximum: 1 }),
  /** Confident enough to preselect (staff confirm); otherwise a hint. */
  confident: Type.Boolean(),
});
export const TriageSuggestions = Strict({
  modelVersion: Type.Union([Type.Integer(), Type.Null()], { description: 'null: no model has been trained yet' }),
  categories: Type.Array(TriageSuggestion, { maxItems: 3 }),
  /** The organisations that usually handle the first category around the area (staff only). */
  handlers: Type.Array(Strict({ id: Id, name: Type.String(), share: Type.Number() })),
});
export type TriageSuggestions = Static<typeof TriageSuggestions>;
/** Named in a staff intake that followed a suggestion: what was suggested, recorded with what staff chose. */
export const TriageFeedback = Strict({
  modelVersion: Type.Integer({ minimum: 1 }),
  suggested: Type.Array(Id, { maxItems: 3 }),
});
const Evaluation = Strict({
  heldOut: Type.Integer(), top1: Type.Number(), top3: Type.Number(), macroF1: Type.Number(), trainSeconds: Type.Number(),
});
export const TriageModel = Strict({
  version: Type.Integer(), source: Type.Enum(['cases', 'file']), kind: Type.String(), examples: Type.Integer(), active: Type.Boolean(),
  createdBy: Type.String(), createdAt: Type.String({ format: 'date-time' }), evaluation: Evaluation,
  /** Staff's choices after this version's suggestions: how many, how often the first was chosen, how often any of the three. */
  feedback: Strict({ n: Type.Integer(), first: Type.Integer(), any: Type.Integer() }),
});
export const TriageTrainResult = Strict({ version: Type.Integer(), examples: Type.Integer(), categories: Type.Integer(), evaluation: Evaluation });
