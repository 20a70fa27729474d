import { routes, type OperationId, type RequestOf, type ResponseOf, type Routes } from './routes.ts';
import type { ErrorCode } from './errors.ts';

/** An error answered by the server, with its stable code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | string,
    message: string,
    readonly requestId?: string,
    readonly details?: { path: string; message: string }[],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ClientOptions {
  baseUrl: string;
  /** API token for integrations and the CLI. */
  token?: string;
  /** Browser sessions: send cookies and this CSRF token on unsafe methods. */
  csrfToken?: () => string | null | undefined;
  locale?: string;
  fetch?: typeof fetch;
  /** Extra headers, e.g. a cookie when a Node script holds a session. */
  headers?: Record<string, string>;
}

type Args<K extends OperationId> = {
  [P in keyof RequestOf<K> as RequestOf<K>[P] extends undefined ? never : P]: RequestOf<K>[P];
} & (Routes[K] extends { upload: true } ? { file: Blob; fileName?: string } : unknown) & { headers?: Record<string, string> };

/** A typed client: `client.call('listAreas', { query: { level: 'township' } })`. */
export function createClient(options: ClientOptions) {
  const doFetch = options.fetch ?? fetch;
  /** The address of an operation, e.g. for a download link: `client.url('exportCases', { query })`. */
  function url(op: OperationId, args: { params?: Record<string, unknown>; query?: Record<string, unknown> } = {}): string {
    let path: string = routes[op].url.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(String(args.params?.[name] ?? '')));
    if (args.query) {
      const qs = new URLSearchParams();
      for (const [k, v] of Object.entries(args.query)) if (v !== undefined && v !== null) qs.set(k, String(v));
      const text = qs.toString();
      if (text) path += `?${text}`;
    }
    return options.baseUrl.replace(/\/$/, '') + path;
  }

  async function call<K extends OperationId>(op: K, ...rest: Exclude<keyof Args<K>, 'headers'> extends never ? [args?: Args<K>] : [args: Args<K>]): Promise<ResponseOf<K>> {
    const contract = routes[op];
    const args = (rest[0] ?? {}) as { params?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown; file?: Blob; fileName?: string; headers?: Record<string, string> };
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers, ...args.headers };
    if (options.locale) headers['accept-language'] = options.locale;
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (contract.method !== 'GET') {
      const csrf = options.csrfToken?.();
      if (csrf) headers['x-csrf-token'] = csrf;
    }
    let body: string | Blob | undefined;
    if (args.file !== undefined) {
      headers['content-type'] = args.file.type || 'application/octet-stream';
      if (args.fileName) headers['x-file-name'] = encodeURIComponent(args.fileName);
      body = args.file;
    } else if (args.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(args.body);
    }
    const res = await doFetch(url(op, args), {
      method: contract.method, headers, body, credentials: 'same-origin',
    });
    const text = await res.text();
    const json = text ? JSON.parse(text) : undefined;
    if (!res.ok) {
      const e = json?.error ?? {};
      throw new ApiError(res.status, e.code ?? 'INTERNAL', e.message ?? res.statusText, e.requestId, e.details);
    }
    return json as ResponseOf<K>;
  }
  return { call, url };
}
export type FengqiaoClient = ReturnType<typeof createClient>;
