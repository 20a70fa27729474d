/** Duplicate and repeat detection (疑似重复): what a report looks like it repeats, and why. docs/triage.md. */
import { Type, type Static } from 'typebox';
import { Id, Strict, Timestamp, Uuid } from './schemas.ts';
import { CaseStatus, Location, Reporter } from './cases.ts';

/** Why a case looks like the report: each sign that counted. */
export const DuplicateReason = Type.Union([
  Strict({ kind: Type.Literal('text'), similarity: Type.Number({ description: 'Cosine of the two texts’ character bigrams, 0–1' }) }),
  Strict({ kind: Type.Literal('reporter') }),
  Strict({ kind: Type.Literal('near'), metres: Type.Integer({ minimum: 0 }) }),
  Strict({ kind: Type.Literal('address') }),
  Strict({ kind: Type.Literal('area') }),
  Strict({ kind: Type.Literal('category') }),
  Strict({ kind: Type.Literal('device') }),
]);
export type DuplicateReason = Static<typeof DuplicateReason>;
export const DuplicateCandidate = Strict({
  id: Uuid, number: Type.String(), status: CaseStatus, categoryId: Id, areaId: Id,
  /** The first 200 characters. */
  description: Type.String(), address: Type.Union([Type.String(), Type.Null()]), createdAt: Timestamp,
  /** The text's similarity plus what the other signs add (docs/triage.md); shown from 0.6. */
  score: Type.Number(), reasons: Type.Array(DuplicateReason),
});
export type DuplicateCandidate = Static<typeof DuplicateCandidate>;
export const DuplicateRequest = Strict({
  description: Type.String({ minLength: 2, maxLength: 5000 }),
  areaId: Id,
  categoryId: Type.Optional(Id),
  address: Type.Optional(Type.String({ maxLength: 200 })),
  location: Type.Optional(Location),
  phone: Reporter.properties.phone,
});
export const Duplicates = Strict({ items: Type.Array(DuplicateCandidate, { maxItems: 5 }) });
export const CaseDuplicates = Strict({
  /** 共反映 N 次: this case and the cases merged into it. */
  reports: Type.Integer({ minimum: 1 }),
  merged: Type.Array(Strict({ id: Uuid, number: Type.String(), createdAt: Timestamp })),
  /** Cases this one may repeat (or that repeat it), best first; none for a merged, rejected or archived case. */
  candidates: Type.Array(DuplicateCandidate, { maxItems: 5 }),
});
export const MergeSuggestionsRequest = Strict({ caseIds: Type.Array(Uuid, { minItems: 1, maxItems: 100, uniqueItems: true }) });
export const MergeSuggestions = Strict({
  items: Type.Array(Strict({ caseId: Uuid, candidates: Type.Array(DuplicateCandidate, { maxItems: 3 }) })),
});
