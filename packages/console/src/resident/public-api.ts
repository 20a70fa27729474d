import type { OperationId, RequestOf, ResponseOf } from '@fengqiao/contracts';

/**
 * The resident page's own small client for the public endpoints: plain fetch, types only from the
 * contracts, so that a phone does not download the schema library the console's client carries.
 */
type PublicOp = 'publicSuggestCategories' | 'publicCategories' | 'publicCreateCase' | 'publicTrackCase' | 'publicRateCase' | 'publicPlace' | 'publicAreas' | 'publicUploadAttachment';
let locale = 'zh-CN';
export const setPublicLocale = (l: string) => { locale = l; };

async function request<K extends PublicOp>(method: string, path: string, init: { json?: unknown; file?: Blob; fileName?: string; headers?: Record<string, string> } = {}): Promise<ResponseOf<K>> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': locale, ...init.headers };
  let body: BodyInit | undefined;
  if (init.file) {
    headers['content-type'] = init.file.type || 'application/octet-stream';
    if (init.fileName) headers['x-file-name'] = encodeURIComponent(init.fileName);
    body = init.file;
  } else if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  }
  const res = await fetch(path, { method, headers, body, credentials: 'omit' });
  const text = await res.text();
  const json = text ? JSON.parse(text) : undefined;
  if (!res.ok) throw Object.assign(new Error(json?.error?.message ?? res.statusText), { code: json?.error?.code as string | undefined, status: res.status });
  return json as ResponseOf<K>;
}
const enc = encodeURIComponent;

export const publicApi = {
  categories: () => request<'publicCategories'>('GET', '/api/v1/public/categories'),
  suggest: (text: string) => request<'publicSuggestCategories'>('POST', '/api/v1/public/triage/suggestions', { json: { text } }),
  areas: (parentId?: number) => request<'publicAreas'>('GET', `/api/v1/public/areas${parentId ? `?parentId=${parentId}` : ''}`),
  place: (code: string) => request<'publicPlace'>('GET', `/api/v1/public/places/${enc(code)}`),
  upload: (file: File) => request<'publicUploadAttachment'>('POST', '/api/v1/public/attachments', { file, fileName: file.name }),
  report: (body: RequestOf<'publicCreateCase'>['body'], idempotencyKey: string) =>
    request<'publicCreateCase'>('POST', '/api/v1/public/cases', { json: body, headers: { 'idempotency-key': idempotencyKey } }),
  track: (number: string, secret: string) => request<'publicTrackCase'>('GET', `/api/v1/public/cases/${enc(number)}?secret=${enc(secret)}`),
  rate: (number: string, body: RequestOf<'publicRateCase'>['body']) => request<'publicRateCase'>('POST', `/api/v1/public/cases/${enc(number)}/rating`, { json: body }),
} satisfies Record<string, (...a: never[]) => Promise<ResponseOf<OperationId>>>;

/** The address of a photo of the result, for an <img> (the secret rides in the query, as for the tracking itself). */
export const resultPhotoUrl = (number: string, secret: string, id: string) =>
  `/api/v1/public/cases/${enc(number)}/photos/${enc(id)}?secret=${enc(secret)}`;
