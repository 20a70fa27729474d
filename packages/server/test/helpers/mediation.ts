import { expect } from 'vitest';
import type { TestContext } from './context.ts';
import type { Session } from './world.ts';
import { withCreditCheck, withIdCheck } from '../../src/modules/registry/identifiers.ts';

/** Valid identifiers for parties (GB 11643 ID numbers, GB 32100 credit codes). */
export const ids = {
  villager: withIdCheck('22010219700305123'), worker: withIdCheck('22010219850612201'), daughter: withIdCheck('22010219800101002'),
  mother: withIdCheck('22010219500808002'), company: withCreditCheck('91220102MA0000001'), villageCommittee: withCreditCheck('54220102MA0000002'),
};

/** The mediation endpoints through HTTP, as the console calls them. */
export function mediationApi(ctx: TestContext) {
  const call = async (s: Session, method: 'GET' | 'POST', url: string, payload?: unknown, expected = 200) => {
    const res = await ctx.app.inject({ method, url, headers: s.headers, payload: payload as object });
    expect(res.statusCode, `${method} ${url}: ${res.body.slice(0, 500)}`).toBe(expected);
    return res.json();
  };
  const get = (s: Session, id: string) => call(s, 'GET', `/api/v1/mediations/${id}`);
  const tryAct = async (s: Session, id: string, action: string, body: Record<string, unknown> = {}) => {
    const current = await ctx.app.inject({ method: 'GET', url: `/api/v1/mediations/${id}`, headers: s.headers });
    const version = current.statusCode === 200 ? current.json().version : 1;
    return ctx.app.inject({ method: 'POST', url: `/api/v1/mediations/${id}/${action}`, headers: s.headers, payload: { version, ...body } });
  };
  const act = async (s: Session, id: string, action: string, body: Record<string, unknown> = {}) => {
    const res = await tryAct(s, id, action, body);
    expect(res.statusCode, `${action}: ${res.body.slice(0, 500)}`).toBe(200);
    return res.json();
  };
  return { call, get, act, tryAct };
}
