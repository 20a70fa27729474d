import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { systemActor } from '../src/access/actor.ts';
import { createOpen311Service } from '../src/modules/open311/open311.service.ts';
import { createTestContext, snapshot, type TestContext } from './helpers/context.ts';
import { buildWorld, type World } from './helpers/world.ts';

/**
 * Open311 GeoReport v2: every endpoint in JSON and XML, checked against the specification's own machine-readable
 * description (test/fixtures/open311, the Open311 community's Swagger file) and its text (content types, error
 * documents, the Spark convention between the two formats).
 */
const spec = parseYaml(fs.readFileSync(new URL('./fixtures/open311/georeport_v2-1.yaml', import.meta.url), 'utf8')) as { definitions: Record<string, object> };
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
/** JSON is checked as sent; XML, whose values are all text, with the schema's types coerced. */
const ajvs = { json: addFormats(new Ajv({ strict: false })), xml: addFormats(new Ajv({ strict: false, coerceTypes: true })) };
for (const a of Object.values(ajvs)) { for (const f of ['uid', 'double', 'uint']) a.addFormat(f, true); a.addSchema({ $id: 'open311', definitions: spec.definitions }); }
const schemas = (a: Ajv) => ({
  services: a.compile({ type: 'array', items: { $ref: 'open311#/definitions/Service' } }),
  definition: a.compile({ $ref: 'open311#/definitions/ServiceDefinition' }),
  requests: a.compile({ type: 'array', items: { $ref: 'open311#/definitions/Request' } }),
  created: a.compile({ type: 'array', minItems: 1, maxItems: 1, items: { $ref: 'open311#/definitions/RequestResponse' } }),
  token: a.compile({ type: 'array', minItems: 1, maxItems: 1, items: { $ref: 'open311#/definitions/TokenResponse' } }),
  // the discovery document and errors are described in the specification's text only
  discovery: a.compile({
    type: 'object', required: ['changeset', 'contact', 'key_service', 'endpoints'],
    properties: { endpoints: { type: 'array', minItems: 1, items: { type: 'object', required: ['specification', 'url', 'changeset', 'type', 'formats'], properties: { type: { enum: ['production', 'test'] }, formats: { type: 'array', items: { type: 'string' } } } } } },
  }),
  errors: a.compile({ type: 'array', minItems: 1, items: { type: 'object', required: ['code', 'description'], properties: { code: { type: 'integer' }, description: { type: 'string', minLength: 1 } } } }),
});
const validators = { json: schemas(ajvs.json), xml: schemas(ajvs.xml) };
type Kind = keyof typeof validators.json;

/** XML back to the JSON mapping (Spark convention): a wrapper element holds one element per item. */
const LISTS: Record<string, string> = { services: 'service', service_requests: 'request', attributes: 'attribute', values: 'value', errors: 'error', endpoints: 'endpoint', formats: 'format' };
const xmlParser = new XMLParser({ parseTagValue: false, isArray: (name) => Object.values(LISTS).includes(name) });
function unspark(v: unknown, key: string): unknown {
  if (LISTS[key]) return v === '' ? [] : ((v as Record<string, unknown[]>)[LISTS[key]!] ?? []).map((x) => unspark(x, LISTS[key]!));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unspark(x, k)]));
  return v;
}

let ctx: TestContext;
let w: World;
let key: string;
let keyA: string;
const sys = systemActor();
beforeAll(async () => {
  ctx = await createTestContext();
  w = await buildWorld(ctx);
  key = (await ctx.services.tokens.create(sys, { userId: w.users.integration.id, name: '311 client' })).token;
  keyA = (await ctx.services.tokens.create(sys, { userId: w.users.aAll.id, name: 'township A' })).token;
}, 120_000);
afterAll(() => ctx?.close());

/** One call in one format: the exact content type, a well-formed document, valid against the specification. */
async function call(format: 'json' | 'xml', method: 'GET' | 'POST', url: string, kind: Kind, opts: { form?: Record<string, string>; status?: number } = {}) {
  const res = await ctx.app.inject({
    method, url: url.replace('{f}', format),
    ...(opts.form ? { payload: new URLSearchParams(opts.form).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' } } : {}),
  });
  expect(res.statusCode, res.body).toBe(opts.status ?? 200);
  expect(res.headers['content-type']).toBe(format === 'json' ? 'application/json; charset=utf-8' : 'text/xml; charset=utf-8');
  let doc: unknown;
  if (format === 'json') doc = res.json();
  else {
    expect(res.body.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
    expect(XMLValidator.validate(res.body)).toBe(true);
    const parsed = xmlParser.parse(res.body) as Record<string, unknown>;
    const root = Object.keys(parsed).find((k) => k !== '?xml')!;
    doc = unspark(parsed[root], root);
  }
  const v: ValidateFunction = validators[format][kind];
  expect(v(doc), `${url} ${format}: ${JSON.stringify(v.errors)}\n${res.body.slice(0, 600)}`).toBe(true);
  return doc as any;
}
const both = async (method: 'GET' | 'POST', url: string, kind: Kind, opts: { form?: Record<string, string>; status?: number } = {}) => {
  const json = await call('json', method, url, kind, opts);
  const xml = await call('xml', method, url, kind, opts);
  return { json, xml };
};
const caseCount = async () => (await ctx.services.cases.list(sys, { limit: 500 } as never)).items.length;

describe('Open311 GeoReport v2', () => {
  it('discovery names the v2 endpoint with both formats', async () => {
    const { json, xml } = await both('GET', '/open311/discovery.{f}', 'discovery');
    expect(json.endpoints[0]).toMatchObject({ specification: 'http://wiki.open311.org/GeoReport_v2', type: 'production' });
    expect(json.endpoints[0].url).toMatch(/\/open311\/v2$/);
    expect(xml.endpoints[0].formats).toEqual(['text/xml', 'application/json']);
  });

  it('the service list is the active leaf categories, the same in JSON and XML; a definition lists the attributes', async () => {
    const { json, xml } = await both('GET', '/open311/v2/services.{f}', 'services');
    const leaves = (await ctx.services.categories.list()).filter((c) => c.active && c.parentId !== null);
    expect(json.map((s: { service_code: string }) => s.service_code).sort()).toEqual(leaves.map((c) => c.code).sort());
    expect(xml.map((s: { service_code: string }) => s.service_code)).toEqual(json.map((s: { service_code: string }) => s.service_code));
    expect(json[0]).toMatchObject({ metadata: true, type: 'realtime' });
    const def = await both('GET', '/open311/v2/services/A02.{f}', 'definition');
    expect(def.json.attributes.map((a: { code: string }) => a.code)).toEqual(['people_involved', 'anonymous']);
    expect(def.xml.attributes[1].values).toEqual([{ key: 'false', name: '否' }, { key: 'true', name: '是' }]);
    await both('GET', '/open311/v2/services/NOPE.{f}', 'errors', { status: 404 });
    await both('GET', '/open311/v2/services.{f}?jurisdiction_id=000000', 'errors', { status: 404 });
  });

  it('files a request, reads it by id, lists it with each filter, and sees it close', async () => {
    const form = {
      api_key: key, service_code: 'A02', address_id: w.areas.b1.code!, address_string: '乙一社区东门', description: '乙一社区东门路灯不亮，晚上看不清路',
      first_name: '小明', last_name: '王', phone: '+86 139-1234-5678', 'attribute[people_involved]': '3',
    };
    const created = await call('json', 'POST', '/open311/v2/requests.{f}', 'created', { form });
    const id = created[0].service_request_id as string;
    expect(created[0].service_notice).toContain('乙镇综治中心'); // an account's intake lands in its own center
    const full = (await ctx.services.cases.list(sys, { number: id } as never)).items[0]!;
    expect(full).toMatchObject({ channel: 'other_platform', peopleInvolved: 3, address: '乙一社区东门', reporter: { name: '王*明', phone: '139****5678' } });

    // the public sees the tracking page's fields; the key's account sees its own request in full
    const pub = await both('GET', `/open311/v2/requests/${id}.{f}`, 'requests');
    expect(pub.json[0]).toMatchObject({ service_request_id: id, status: 'open', service_code: 'A02', address: '乙一社区', agency_responsible: '乙镇综治中心' });
    expect(pub.json[0].description).toBeUndefined();
    expect(pub.xml[0].description).toBeUndefined();
    expect(pub.json[0].requested_datetime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
    const keyed = await both('GET', `/open311/v2/requests/${id}.{f}?api_key=${key}`, 'requests');
    expect(keyed.json[0]).toMatchObject({ description: form.description, address: '乙一社区东门' });
    await both('GET', `/open311/v2/request/${id}.{f}`, 'requests');

    const ids = async (query: string) => (await both('GET', `/open311/v2/requests.{f}?${query}`, 'requests')).json.map((r: { service_request_id: string }) => r.service_request_id);
    expect(await ids('')).toContain(id);
    expect(await ids(`service_request_id=${id},NONE`)).toEqual([id]);
    expect(await ids('service_code=A02')).toContain(id);
    expect(await ids('service_code=A09')).not.toContain(id);
    expect(await ids('status=open')).toContain(id);
    expect(await ids('status=closed')).not.toContain(id);
    const now = ctx.clock.now().getTime();
    const iso = (t: number) => new Date(t).toISOString();
    expect(await ids(`start_date=${iso(now - 3600_000)}&end_date=${iso(now + 3600_000)}`)).toContain(id);
    expect(await ids(`start_date=${iso(now + 60_000)}`)).not.toContain(id);
    expect(await ids(`jurisdiction_id=${w.areas.b.code}`)).toContain(id);
    expect(await ids(`jurisdiction_id=${w.areas.a.code}`)).not.toContain(id);

    // handled on the spot and rated: closed, with the result as its notes
    const c = (await ctx.services.cases.list(sys, { number: id } as never)).items[0]!;
    const replied = await ctx.services.cases.act(sys, c.id, 'handle_on_spot', { version: c.version, result: '已更换灯泡，路灯恢复照明' });
    await ctx.services.cases.act(sys, c.id, 'return_visit', { version: replied.case.version, result: 'satisfied' });
    const closed = await both('GET', `/open311/v2/requests/${id}.{f}`, 'requests');
    expect(closed.json[0]).toMatchObject({ status: 'closed', status_notes: '已办结：已更换灯泡，路灯恢复照明' });
    expect(await ids('status=closed')).toContain(id);
    expect(await ids('status=open,closed')).toContain(id);
  });

  it('batch mode answers a token that resolves to the request', async () => {
    const batch = createOpen311Service({ db: ctx.services.db, config: { open311ServiceType: 'batch', open311Contact: null, open311PublicReads: true }, categories: ctx.services.categories, cases: ctx.services.cases });
    const actor = await ctx.services.auth.authenticateToken(key, { ip: null, userAgent: null, requestId: 'test' });
    const [answer] = await batch.file(actor, { service_code: 'A02', lat: '39.9', long: '116.4', address_id: w.areas.b1.code!, description: '乙一社区西门井盖缺失' }, null, 'zh-CN');
    expect(answer).not.toHaveProperty('service_request_id');
    const { json, xml } = await both('GET', `/open311/v2/tokens/${(answer as { token: string }).token}.{f}`, 'token');
    expect(json[0].service_request_id).toMatch(/^990102002001-\d{8}-\d{6}$/);
    expect(xml[0]).toEqual(json[0]);
    const { json: byId } = await both('GET', `/open311/v2/requests/${json[0].service_request_id}.{f}?api_key=${key}`, 'requests');
    expect(byId[0].lat).toBe(39.9);
    await both('GET', '/open311/v2/tokens/7b0c4a8e-0000-4000-8000-000000000000.{f}', 'errors', { status: 404 });
  });

  it('a dispute between people is never public; the scope function decides what a key reads', async () => {
    const dispute = (await ctx.services.categories.list()).find((c) => c.caseType === 'dispute' && c.parentId !== null)!;
    const made = await ctx.services.cases.createByStaff(sys, { channel: 'window', areaId: w.areas.a1.id, categoryId: dispute.id, description: '邻里之间因宅基地边界发生争执' }, null);
    const find = async (q: string) => (await call('json', 'GET', `/open311/v2/requests.{f}?service_request_id=${made.case.number}${q}`, 'requests')).length;
    expect(await find('')).toBe(0);
    expect(await find(`&api_key=${key}`)).toBe(0); // township B's integration
    expect(await find(`&api_key=${keyA}`)).toBe(1); // township A's staff
    const housing = (await ctx.services.tokens.create(sys, { userId: w.users.housingAll.id, name: 'housing' })).token;
    expect(await find(`&api_key=${housing}`)).toBe(0); // a department of the same county: not given to it
    // an appeal of township A: a department's key reads only its public fields, not the reporter's words
    const appeal = await ctx.services.cases.createByStaff(sys, { channel: 'window', areaId: w.areas.a1.id, categoryId: (await ctx.services.categories.byCode('A02'))!.id, description: '甲一村某户门前积水' }, null);
    const seen = await call('json', 'GET', `/open311/v2/requests/${appeal.case.number}.{f}?api_key=${housing}`, 'requests');
    expect(seen[0].description).toBeUndefined();
    expect((await call('json', 'GET', `/open311/v2/requests/${appeal.case.number}.{f}?api_key=${keyA}`, 'requests'))[0].description).toBe('甲一村某户门前积水');
    await call('json', 'GET', `/open311/v2/requests/${made.case.number}.{f}`, 'errors', { status: 404 });
    // an installation that publishes nothing without a key
    const closed = createOpen311Service({ db: ctx.services.db, config: { open311ServiceType: 'realtime', open311Contact: null, open311PublicReads: false }, categories: ctx.services.categories, cases: ctx.services.cases });
    expect(await closed.list(null, {}, ctx.clock.now(), 'zh-CN')).toEqual([]);
    expect((await ctx.services.open311.list(null, {}, ctx.clock.now(), 'zh-CN')).length).toBeGreaterThan(0);
  });

  it('bad input gets an error document with the right status, and nothing is written', async () => {
    const before = await snapshot(ctx, ['sessions', 'audit_log', 'api_tokens']);
    const count = await caseCount();
    const base = { api_key: key, service_code: 'A02', address_id: w.areas.b1.code!, description: '路灯不亮' };
    const rows: [string, Record<string, string>, number][] = [
      ['no api_key', { ...base, api_key: '' }, 403],
      ['a wrong api_key', { ...base, api_key: 'fqt_wrong' }, 403],
      ['no service_code', { ...base, service_code: '' }, 400],
      ['an unknown service_code', { ...base, service_code: 'Z99' }, 404],
      ['a group, not a service', { ...base, service_code: 'A' }, 404],
      ['no location', { api_key: key, service_code: 'A02', description: '路灯不亮' }, 400],
      ['lat without long', { ...base, lat: '39.9' }, 400],
      ['lat out of range', { ...base, lat: '91', long: '116' }, 400],
      ['lat not a number', { ...base, lat: 'north', long: '116' }, 400],
      ['an unknown address_id', { ...base, address_id: 'NOWHERE' }, 404],
      ['another township\'s area', { ...base, address_id: w.areas.a1.code! }, 404],
      ['an unknown jurisdiction', { ...base, jurisdiction_id: '123456' }, 404],
      ['a bad phone', { ...base, phone: '12345' }, 400],
      ['a description over 5,000 characters', { ...base, description: '灯'.repeat(5001) }, 400],
      ['a NUL in the description', { ...base, description: 'a\u0000b' }, 400],
      ['a bidirectional override', { ...base, description: '路灯\u202e不亮' }, 400],
      ['a bad media_url', { ...base, media_url: 'javascript:alert(1)' }, 400],
      ['people_involved not a whole number', { ...base, 'attribute[people_involved]': '2.5' }, 400],
      ['an attribute the service does not have', { ...base, 'attribute[colour]': 'red' }, 400],
      ['anonymous not true or false', { ...base, 'attribute[anonymous]': 'maybe' }, 400],
    ];
    for (const [what, form, status] of rows) {
      for (const format of ['json', 'xml'] as const) {
        const doc = await call(format, 'POST', '/open311/v2/requests.{f}', 'errors', { form, status });
        expect(doc[0].code, what).toBe(status);
      }
    }
    const listRows: [string, number][] = [
      ['start_date=yesterday', 400], ['start_date=2026-01-01T00:00:00', 400], ['status=pending', 400],
      ['start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z', 400], ['service_code=Z99', 404], ['jurisdiction_id=123456', 404],
      [`service_request_id=${Array.from({ length: 101 }, (_, i) => i).join(',')}`, 400],
    ];
    for (const [query, status] of listRows) await both('GET', `/open311/v2/requests.{f}?${query}`, 'errors', { status });
    const broken = await ctx.app.inject({ method: 'POST', url: '/open311/v2/requests.json', payload: '{"service_code":', headers: { 'content-type': 'application/json' } });
    expect(broken.statusCode).toBe(400);
    expect(broken.json()[0].code).toBe(400);
    const wrongType = await ctx.app.inject({ method: 'POST', url: '/open311/v2/requests.xml', payload: 'x', headers: { 'content-type': 'text/plain' } });
    expect(wrongType.statusCode).toBe(415);
    expect(wrongType.headers['content-type']).toBe('text/xml; charset=utf-8');
    await both('GET', '/open311/v2/nothing.{f}', 'errors', { status: 404 });
    expect(await caseCount()).toBe(count);
    expect(await snapshot(ctx, ['sessions', 'audit_log', 'api_tokens'])).toBe(before);
  });

  it('a repeated Idempotency-Key answers the first request again', async () => {
    const form = { api_key: key, service_code: 'A02', address_id: w.areas.b1.code!, description: '乙一社区北门垃圾桶满了' };
    const send = () => ctx.app.inject({ method: 'POST', url: '/open311/v2/requests.json', payload: new URLSearchParams(form).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': 'client-42' } });
    const first = await send();
    const again = await send();
    expect(first.statusCode, first.body).toBe(200);
    expect(again.json()[0].service_request_id).toBe(first.json()[0].service_request_id);
  });
});
