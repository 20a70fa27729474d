/**
 * Triage (智能分拨): suggests a report's category — the top three with their confidences — and the organisations
 * that usually handle that category where it happened, from a model learned from the installation's own closed
 * cases (or a labelled JSON-lines file). A new version is trained by an administrator, the CLI or the scheduled
 * job; each server notices the active version within seconds and loads it, without a restart. What staff finally
 * chose is kept as feedback. docs/triage.md explains the model.
 */
import { authorize, type Actor } from '../../access/actor.ts';
import type { Db } from '../../db/database.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import type { Clock } from '../../lib/clock.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { CategoryService } from '../categories/categories.service.ts';
import { areasOnPath, findArea } from '../areas/areas.repository.ts';
import { areasVisibleTo } from '../../access/scope.ts';
import { areas } from '../../db/schema.ts';
import { everyInterval } from '../../lib/background.ts';
import { CategoryModel, type Example, type ModelMeta } from './model.ts';
import { score } from './evaluation.ts';
import * as repo from './triage.repository.ts';
import { visibleCases } from '../cases/context.ts';

/** At or above this confidence a suggestion is preselected in the intake form (staff confirm); below, it only hints. */
export const CONFIDENT = 0.6;
/** How many closed cases a model learns from at most (the most recent). */
const MAX_EXAMPLES = 200_000;
/** How often a server asks which version is active. */
const VERSION_CHECK_MS = 5_000;

/** The model is the installation's: trained and switched by its administrators (the city's, or the system). */
function authorizeInstallationAdmin(actor: Actor) {
  authorize(actor, 'settings.write');
  if (actor.kind !== 'system' && actor.areaPath.split('/').filter(Boolean).length > 2) throw new AppError('FORBIDDEN');
}

export function createTriageService(deps: { db: Db; clock: Clock; audit: AuditService; categories: CategoryService; versionCheckMs?: number }) {
  const { db } = deps;
  const checkEvery = deps.versionCheckMs ?? VERSION_CHECK_MS;
  let held: { version: number; model: CategoryModel } | null = null;
  let checkedAt = -Infinity;
  let loading: Promise<void> | null = null;

  /** The active model, reloaded when another server (or this one) activates a new version. */
  async function current(): Promise<{ version: number; model: CategoryModel } | null> {
    if (Date.now() - checkedAt >= checkEvery) {
      loading ??= (async () => {
        const version = await repo.activeVersion(db);
        if (version === null) held = null;
        else if (held?.version !== version) {
          const row = await repo.loadModel(db, version);
          held = row ? { version, model: CategoryModel.fromStored(row.model as unknown as ModelMeta, row.weights) } : null;
        }
        checkedAt = Date.now();
      })().finally(() => { loading = null; });
      await loading;
    }
    return held;
  }

  /** Trains on the examples, evaluates on a stratified tenth held out, stores the version and activates it. */
  async function trainOn(examples: Example[], source: 'cases' | 'file', by: string) {
    const labels = new Map<string, number>();
    for (const e of examples) labels.set(e.label, (labels.get(e.label) ?? 0) + 1);
    const usable = examples.filter((e) => labels.get(e.label)! >= 5 && e.text.trim().length > 0);
    if (new Set(usable.map((e) => e.label)).size < 2) throw new AppError('TRIAGE_NOT_ENOUGH_DATA', { examples: usable.length });
    const started = Date.now();
    const { model, heldOut, labels: trained } = await CategoryModel.trainWithHoldout(usable);
    const e = score(heldOut, trained, []);
    const evaluation = { heldOut: e.n, top1: e.top1, top3: e.top3, macroF1: e.macroF1, trainSeconds: (Date.now() - started) / 1000 };
    const version = await db.transaction(async (tx) => repo.insertActiveModel(tx, {
      source, kind: model.meta.kind, model: model.meta as unknown as Record<string, unknown>, weights: model.weightBytes(), examples: usable.length, evaluation, createdBy: by,
    }));
    held = { version, model };
    checkedAt = Date.now();
    return { version, examples: usable.length, categories: model.meta.labels.length, evaluation };
  }

  /** A new version from the most recent closed cases (administrators; the CLI and the scheduled job as the system). */
  async function trainFromCases(actor: Actor) {
    authorizeInstallationAdmin(actor);
    const r = await trainOn(await repo.trainingCases(db, MAX_EXAMPLES), 'cases', actor.username);
    await deps.audit.record(actor, { action: 'triage.train', targetType: 'triage_model', targetId: r.version, areaPath: actor.kind === 'system' ? '/' : actor.areaPath, detail: { source: 'cases', examples: r.examples } });
    return r;
  }

  /** A new version from labelled examples (`{"text", "label"}` with a category's code or id as the label). */
  async function trainFromExamples(actor: Actor, examples: Example[]) {
    authorizeInstallationAdmin(actor);
    const byCode = new Map((await deps.categories.list()).map((c) => [c.code, c.id]));
    const mapped = examples.map((e) => ({ text: e.text, label: byCode.has(e.label) ? String(byCode.get(e.label)) : e.label }));
    const r = await trainOn(mapped, 'file', actor.username);
    await deps.audit.record(actor, { action: 'triage.train', targetType: 'triage_model', targetId: r.version, areaPath: actor.kind === 'system' ? '/' : actor.areaPath, detail: { source: 'file', examples: r.examples } });
    return r;
  }

  async function activate(actor: Actor, version: number) {
    authorizeInstallationAdmin(actor);
    if (!(await db.transaction((tx) => repo.activate(tx, version)))) throw notFound('triage model');
    checkedAt = -Infinity;
    await deps.audit.record(actor, { action: 'triage.activate', targetType: 'triage_model', targetId: version, areaPath: actor.kind === 'system' ? '/' : actor.areaPath, detail: {} });
    return { version };
  }

  async function models(actor: Actor) {
    authorizeInstallationAdmin(actor);
    const rows = await repo.listModels(db);
    const feedback = await repo.feedbackFigures(db, rows.map((r) => r.version));
    return {
      items: rows.map((r) => ({
        version: r.version, source: r.source as 'cases' | 'file', kind: r.kind, examples: r.examples, active: r.active, createdBy: r.createdBy, createdAt: r.createdAt.toISOString(),
        evaluation: r.evaluation as { heldOut: number; top1: number; top3: number; macroF1: number; trainSeconds: number },
        feedback: feedback.get(r.version) ?? { n: 0, first: 0, any: 0 },
      })),
    };
  }

  /**
   * The top three categories for a text, with confidences — only categories the caller may file a report under
   * (active, without subcategories) — and, for the first, the organisations that usually handle it in the area.
   * `null` actor: the resident page (no handlers shown).
   */
  async function suggest(actor: Actor | null, input: { text: string; areaId?: number }) {
    if (actor) authorize(actor, 'case.create');
    // the area names where the report is, within the caller's jurisdiction (as intake checks it)
    const area = actor && input.areaId ? await findArea(db, areasVisibleTo(actor, areas.path), input.areaId) : null;
    if (actor && input.areaId && !area) throw notFound('area');
    const m = await current();
    const text = input.text.trim();
    if (!m || text.length < 2) return { modelVersion: m?.version ?? null, categories: [], handlers: [] };
    const all = await deps.categories.list();
    const parents = new Set(all.map((c) => c.parentId).filter((p): p is number => p !== null));
    const usable = new Map(all.filter((c) => c.active && !parents.has(c.id)).map((c) => [String(c.id), c]));
    const ranked = m.model.predict(text).filter((r) => usable.has(r.label));
    const total = ranked.reduce((s, r) => s + r.confidence, 0) || 1; // confidences among what may be offered
    const categories = ranked.slice(0, 3).map((r) => {
      const c = usable.get(r.label)!;
      const confidence = Math.round((r.confidence / total) * 1000) / 1000;
      return { id: c.id, code: c.code, name: c.name, nameEn: c.nameEn, confidence, confident: confidence >= CONFIDENT };
    });
    let handlers: { id: number; name: string; share: number }[] = [];
    if (area && categories[0]) {
      // the handlers of the township around the place (a grid's own history is too thin)
      const around = (await areasOnPath(db, area.path)).find((a) => a.level === 'township') ?? area;
      const found = await repo.usualHandlers(db, visibleCases(actor!), categories[0].id, around.path);
      const sum = found.reduce((s, f) => s + f.n, 0) || 1;
      handlers = found.map((f) => ({ id: f.id, name: f.name, share: Math.round((f.n / sum) * 1000) / 1000 }));
    }
    return { modelVersion: m.version, categories, handlers };
  }

  /** The model's own choice for a case that came without one (a platform's report): feedback once a clerk accepts it. */
  async function guessed(caseId: string, v: { modelVersion: number; suggested: number[]; chosen: number }) {
    await repo.recordFeedback(db, { caseId, modelVersion: v.modelVersion, suggested: v.suggested.slice(0, 3), chosen: v.chosen, userId: null, pending: true });
  }

  /** Staff's final choice after a suggestion, kept once per case. */
  async function feedback(actor: Actor, caseId: string, v: { modelVersion: number; suggested: number[]; chosen: number }) {
    await repo.recordFeedback(db, { caseId, modelVersion: v.modelVersion, suggested: v.suggested.slice(0, 3), chosen: v.chosen, userId: actor.kind === 'system' ? null : actor.userId });
  }

  /**
   * Background loop for `serve`: every `hours`, a new version from the closed cases if enough closed since the
   * last (one server does it: the others see the new version).
   */
  function start(hours: number, actor: Actor, onError?: (e: unknown) => void) {
    return everyInterval(Math.max(60_000, Math.min(hours * 3_600_000, 6 * 3_600_000)), async () => {
      const last = await repo.lastModelAt(db);
      if (last && deps.clock.now().getTime() - last.getTime() < hours * 3_600_000) return;
      if ((await repo.closedSince(db, last ?? new Date(0))) < 50) return;
      await trainFromCases(actor).catch((e) => { if (!(e instanceof AppError && e.code === 'TRIAGE_NOT_ENOUGH_DATA')) throw e; });
    }, onError);
  }

  return { suggest, feedback, guessed, trainFromCases, trainFromExamples, activate, models, current, start };
}
export type TriageService = ReturnType<typeof createTriageService>;
