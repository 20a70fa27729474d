import { useEffect, useState } from 'react';
import { chinaTime } from '@fengqiao/contracts/time';

/** The text to show for a failure: the server's message in the user's language (ApiError is an Error). */
export const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function useAsync<T>(fn: () => Promise<T>, deps: unknown[]): { data: T | undefined; error: unknown; reload: () => void } {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>();
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    fn().then((d) => { if (live) { setData(d); setError(undefined); } }).catch((e) => { if (live) setError(e); });
    return () => { live = false; };
  }, [...deps, n]);
  return { data, error, reload: () => setN((x) => x + 1) };
}

/** A moment as staff read it: China time, to the minute (2026-12-01 09:14). */
export const formatTime = (iso: string) => chinaTime(iso);

/** A grid worker without desk roles works from the phone layout; everyone else from the console. */
export const phoneFirst = (me: { user: { roles: readonly string[] } }) =>
  me.user.roles.includes('grid_worker') && !me.user.roles.some((r) => ['intake', 'dispatcher', 'admin', 'leader'].includes(r));
