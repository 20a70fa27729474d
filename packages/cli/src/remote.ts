import type { Role } from '@fengqiao/contracts';
import { ApiError, createClient } from '@fengqiao/contracts/client';

/**
 * The administrative commands through a running server's API, with an administrator's API token — for when
 * the server holds the embedded database (PGlite allows one process per data directory) or runs elsewhere.
 * Each function does what its local twin in index.ts does, with the rights of the token's owner, and prints
 * the same lines.
 */
export type Remote = ReturnType<typeof remote>;

export function remote(server: string, token: string) {
  let base: URL;
  try { base = new URL(server); } catch { throw new RemoteError(`--server must be the server's address, e.g. http://127.0.0.1:3000; got "${server}"`); }
  const client = createClient({ baseUrl: base.origin + base.pathname.replace(/\/$/, ''), token, locale: process.env.LANG?.startsWith('en') ? 'en-US' : 'zh-CN' });
  /** Any API answer that is not a success becomes one line for the operator. */
  async function answer<T>(pending: Promise<T>): Promise<T> {
    try {
      return await pending;
    } catch (e) {
      if (e instanceof ApiError) throw new RemoteError(`${e.code}: ${e.message}${e.details?.length ? ` (${e.details.map((d) => `${d.path} ${d.message}`).join('; ')})` : ''}`);
      throw new RemoteError(`cannot reach ${base.origin}: ${(e as Error).message}`);
    }
  }
  const call = client.call;

  async function userId(username: string): Promise<string> {
    const found = (await answer(call('listUsers', { query: { q: username, limit: 100 } }))).items.find((u) => u.username === username);
    if (!found) throw new RemoteError(`no user named ${username} that this token's owner may manage`);
    return found.id;
  }
  async function areaId(code: string): Promise<number> {
    const found = (await answer(call('listAreas', { query: { q: code, limit: 100 } }))).items.find((a) => a.code === code);
    if (!found) throw new RemoteError(`no area with code ${code}`);
    return found.id;
  }

  return {
    async createUser(v: { username: string; displayName: string; organizationId: number; roles: Role[]; phone: string | null; password: string }) {
      return answer(call('createUser', { body: v }));
    },
    async resetPassword(username: string, password: string) {
      await answer(call('resetUserPassword', { params: { id: await userId(username) }, body: { password } }));
    },
    async importGrids(bytes: Buffer, fileName: string, q: { crs: 'wgs84' | 'gcj02' | 'bd09'; parentCode?: string; skipInvalid?: boolean }) {
      return answer(call('importGrids', { query: q, file: new Blob([new Uint8Array(bytes)], { type: 'application/geo+json' }), fileName }));
    },
    async importPeople(bytes: Buffer, fileName: string, format: 'csv' | 'xlsx', q: { area?: string; skipInvalid?: boolean }) {
      const type = format === 'csv' ? 'text/csv' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
      return answer(call('importPeople', { query: { format, areaId: q.area ? await areaId(q.area) : undefined, skipInvalid: q.skipInvalid }, file: new Blob([new Uint8Array(bytes)], { type }), fileName }));
    },
    async locate(lon: number, lat: number, crs: 'wgs84' | 'gcj02' | 'bd09') {
      return answer(call('gridLookup', { query: { lon, lat, crs } }));
    },
  };
}

export class RemoteError extends Error {}
