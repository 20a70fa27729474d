import { createClient, ApiError } from '@fengqiao/contracts/client';

/** The console's one API client: the session cookie travels by itself; the CSRF token is added to unsafe calls. */
let csrf: string | null = null;
let locale = 'zh-CN';
export const setCsrfToken = (t: string | null) => { csrf = t; };
export const setApiLocale = (l: string) => { locale = l; };

const onUnauthenticated = new Set<(code: string) => void>();
export const subscribeUnauthenticated = (fn: (code: string) => void) => { onUnauthenticated.add(fn); return () => { onUnauthenticated.delete(fn); }; };

const inner = createClient({ baseUrl: window.location.origin, csrfToken: () => csrf, fetch: (u, i) => fetch(u, { ...i, headers: { ...(i?.headers as Record<string, string>), 'accept-language': locale } }) });

export const api = {
  url: inner.url,
  call: (async (...args: Parameters<typeof inner.call>) => {
    try {
      return await inner.call(...args);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401 && args[0] !== 'login') for (const fn of onUnauthenticated) fn(String(e.code));
      throw e;
    }
  }) as typeof inner.call,
};
export { ApiError };
