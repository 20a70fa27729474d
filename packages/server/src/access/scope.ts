import { and, eq, like, or, sql, type Column, type SQL } from 'drizzle-orm';
import type { Actor } from './actor.ts';
import { isOrganisationBound } from './actor.ts';
import { AppError } from '../lib/errors.ts';

/** `path LIKE prefix%` with LIKE's wildcards escaped. */
export function underPath(column: Column | SQL, prefix: string): SQL {
  const escaped = prefix.replace(/[\\%_]/g, (c) => `\\${c}`);
  return like(column as Column, `${escaped}%`);
}

export function pathContains(ancestor: string, path: string): boolean {
  return path.startsWith(ancestor);
}

/**
 * The one place that turns an actor into a row filter. Every scoped table carries `area_path`
 * (and, where a department may own rows, `organization_id`); repositories pass their columns here.
 */
export function visibleTo(actor: Actor, cols: { areaPath: Column; organizationId?: Column }): SQL {
  if (actor.kind === 'system') return sql`true`;
  const inArea = underPath(cols.areaPath, actor.areaPath);
  if (isOrganisationBound(actor)) {
    if (!cols.organizationId) return sql`false`;
    return and(inArea, eq(cols.organizationId, actor.organizationId!))!;
  }
  return inArea;
}

/** For writes: the target (an area path, an organisation) must lie inside the actor's jurisdiction. */
export function assertWithin(actor: Actor, target: { areaPath: string; organizationId?: number | null }): void {
  if (actor.kind === 'system') return;
  if (!pathContains(actor.areaPath, target.areaPath)) throw new AppError('OUT_OF_SCOPE');
  if (isOrganisationBound(actor) && target.organizationId !== actor.organizationId) throw new AppError('OUT_OF_SCOPE');
}

/** Areas are geography: everyone, department staff included, sees the tree below their own area. */
export function areasVisibleTo(actor: Actor, pathColumn: Column): SQL {
  return actor.kind === 'system' ? sql`true` : underPath(pathColumn, actor.areaPath);
}

/**
 * Cases: centers see their jurisdiction's cases, plus any case they own or handle; departments and mediation
 * committees see the cases dispatched or referred to them, or shared with them for co-handling.
 */
export function casesVisibleTo(actor: Actor, cols: { areaPath: Column; owningOrgId: Column; assigneeOrgId: Column; coHandlerOrgIds: Column }): SQL {
  if (actor.kind === 'system') return sql`true`;
  const org = actor.organizationId ?? -1;
  const shared = or(eq(cols.assigneeOrgId, org), sql`${org} = any(${cols.coHandlerOrgIds})`)!;
  if (isOrganisationBound(actor)) return shared;
  return or(underPath(cols.areaPath, actor.areaPath), eq(cols.owningOrgId, org), shared)!;
}

/**
 * casesVisibleTo's two halves as full-text search reads them from its own table (case_search): an area subtree —
 * the actor's, or one asked for inside it — and an organisation, matched against the organisations that see a
 * case other than through its area (case_search.orgs). A department or committee has only the second; a center
 * both, unless an area was asked for; the installation, the whole tree.
 */
export function searchScope(actor: Actor, requested?: { path: string }): { path: string | null; org: number | null } {
  if (actor.kind === 'system') return { path: requested?.path ?? '/', org: null };
  const org = actor.organizationId ?? -1;
  if (isOrganisationBound(actor)) return { path: null, org };
  return requested ? { path: requested.path, org: null } : { path: actor.areaPath, org };
}

/**
 * Mediations: whoever sees the dispute's case, and the committee or center that mediates it (a committee sees
 * the disputes it mediates, whether or not the case loop has dispatched the case to it).
 */
export function mediationsVisibleTo(actor: Actor, caseCols: Parameters<typeof casesVisibleTo>[1], committeeOrgId: Column): SQL {
  if (actor.kind === 'system') return sql`true`;
  return or(casesVisibleTo(actor, caseCols), eq(committeeOrgId, actor.organizationId ?? -1))!;
}

/**
 * Figures (the rollups, rankings, warnings): an area subtree — the actor's own, or one inside it — or, for an
 * actor bound to an organisation (a department, a mediation committee), the cases that organisation handles.
 * An area outside the actor's subtree is NOT_FOUND, as everywhere.
 */
export function figuresScope(actor: Actor, requested?: { path: string }): { kind: 'area'; areaPath: string } | { kind: 'organization'; orgId: number } {
  if (isOrganisationBound(actor)) return { kind: 'organization', orgId: actor.organizationId ?? -1 };
  if (requested && !pathContains(actor.areaPath, requested.path)) throw new AppError('NOT_FOUND', { what: 'area' });
  return { kind: 'area', areaPath: requested?.path ?? actor.areaPath };
}

/**
 * A case's papers (its attachments): whoever sees the case, and the committee that mediates it — a mediator reads
 * the session photos and the signed agreement of the disputes their committee mediates.
 */
export function caseFilesVisibleTo(actor: Actor, caseCols: Parameters<typeof casesVisibleTo>[1] & { id: Column }): SQL {
  if (actor.kind === 'system') return sql`true`;
  return or(casesVisibleTo(actor, caseCols), sql`exists (select 1 from mediations m where m.case_id = ${caseCols.id} and m.committee_org_id = ${actor.organizationId ?? -1})`)!;
}

/**
 * Shared resources of an area (the mediator pool, dispute sweeps): those at or below the actor's area, and those
 * of the areas above it on the actor's own path (a county's experts serve its townships; a grid worker answers
 * the township's sweep). Not for records of people or cases.
 */
export function onActorsPath(actor: Actor, pathColumn: Column): SQL {
  if (actor.kind === 'system') return sql`true`;
  return or(underPath(pathColumn, actor.areaPath), sql`${actor.areaPath} like ${pathColumn} || '%'`)!;
}
