import type { Metric } from '@fengqiao/contracts';

/** The case list behind a figure: the same area, the same China days, the figure's counter, and a breakdown row's own filter. */
export function drillHref(v: { areaId?: number; from?: string; to?: string; metric?: Metric; filter?: Record<string, string>; assigneeOrgId?: number }): string {
  const q = new URLSearchParams();
  if (v.areaId) q.set('areaId', String(v.areaId));
  if (v.from) q.set('createdFrom', `${v.from}T00:00:00+08:00`);
  if (v.to) q.set('createdTo', `${v.to}T23:59:59.999+08:00`);
  if (v.metric) q.set('metric', v.metric);
  if (v.assigneeOrgId) q.set('assigneeOrgId', String(v.assigneeOrgId));
  for (const [k, x] of Object.entries(v.filter ?? {})) q.set(k, x);
  return `/cases?${q}`;
}

export const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);
/** The change against a base, as +12.5% / −3.0% (nothing when the base is zero or missing). */
export function change(now: number | null, base: number | null): string {
  if (now === null || base === null || base === 0) return '—';
  const d = ((now - base) / base) * 100;
  return `${d >= 0 ? '+' : '−'}${Math.abs(d).toFixed(1)}%`;
}
export const LEVEL_COLOURS = { red: '#cf1322', orange: '#d46b08', yellow: '#d4b106', blue: '#1677ff' } as const;
