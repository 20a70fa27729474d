import { useSyncExternalStore } from 'react';

/** The console's routes live in the address bar, so that a reload or a shared link opens the same screen. */
const listeners = new Set<() => void>();
const notify = () => { for (const l of listeners) l(); };
window.addEventListener('popstate', notify);

export function navigate(to: string, opts: { replace?: boolean } = {}) {
  if (to === window.location.pathname + window.location.search) return;
  if (opts.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  notify();
}

const snapshot = () => window.location.pathname + window.location.search;
export function useLocation() {
  const href = useSyncExternalStore((l) => { listeners.add(l); return () => { listeners.delete(l); }; }, snapshot);
  const url = new URL(href, window.location.origin);
  return { path: url.pathname, query: url.searchParams };
}

/** `/cases/abc` against `/cases/:id` → { id: 'abc' }; null when it does not match. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/');
  const s = path.replace(/\/$/, '').split('/');
  if (p.length !== s.length) return null;
  const out: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i]!.startsWith(':')) out[p[i]!.slice(1)] = decodeURIComponent(s[i]!);
    else if (p[i] !== s[i]) return null;
  }
  return out;
}
