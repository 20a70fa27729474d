/**
 * Open311 GeoReport v2 over the case loop: the category tree as the service list, cases as service requests.
 * Filing goes through staff intake as the API key's account (channel `other_platform`); reads go through the
 * scope function (open311.repository.ts). The formats live in format.ts, the HTTP edge in http/open311.ts.
 */
import type { Locale } from '@fengqiao/contracts';
import { checkStaffIntake } from '../cases/intake-check.ts';
import type { Db } from '../../db/database.ts';
import type { Config } from '../../config.ts';
import type { Actor } from '../../access/actor.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import type { CategoryService } from '../categories/categories.service.ts';
import type { CaseService } from '../cases/cases.service.ts';
import { findOrgWithLevel } from '../organizations/organizations.repository.ts';
import { findPlaceWithArea } from '../registry/registry.repository.ts';
import { findAreaByCode } from '../areas/areas.repository.ts';
import * as repo from './open311.repository.ts';
import { presentRequest, w3 } from './present.ts';
import { parseFilingForm, parseListQuery, type Form } from './requests.ts';
import { text } from './messages.ts';


const SPEC = 'http://wiki.open311.org/GeoReport_v2';
const started = new Date();

export function createOpen311Service(deps: { db: Db; config: Pick<Config, 'open311ServiceType' | 'open311Contact' | 'open311PublicReads'>; categories: CategoryService; cases: CaseService }) {
  const { db, config, categories } = deps;

  /** The subtree a client names by its division code; the whole installation when it names none. */
  async function jurisdiction(code: string | undefined) {
    if (!code) return null;
    const j = await repo.jurisdictionByCode(db, code);
    if (!j) throw new AppError('NOT_FOUND', { what: `jurisdiction_id ${code.slice(0, 40)}` });
    return j;
  }

  /** Services are the active categories that cases are filed under: the leaves of the tree. */
  async function leaves() {
    const all = await categories.list();
    const parents = new Set(all.map((c) => c.parentId).filter((id) => id !== null));
    return { all, leaves: all.filter((c) => c.active && !parents.has(c.id)).sort((a, b) => a.sortOrder - b.sortOrder || a.id - b.id) };
  }
  const nameOf = (c: { name: string; nameEn: string }, locale: Locale) => (locale === 'en-US' ? c.nameEn : c.name);

  async function discovery(baseUrl: string, locale: Locale) {
    const [top] = await repo.topAreas(db);
    const changeset = w3(started);
    return {
      changeset, contact: config.open311Contact ?? text('discovery', 'contact', locale, { area: top?.name ?? '' }),
      key_service: text('discovery', 'key_service', locale),
      endpoints: [{ specification: SPEC, url: `${baseUrl}/open311/v2`, changeset, type: 'production', formats: ['text/xml', 'application/json'] }],
    };
  }

  async function services(jurisdictionId: string | undefined, locale: Locale) {
    await jurisdiction(jurisdictionId);
    const { all, leaves: ls } = await leaves();
    const byId = new Map(all.map((c) => [c.id, c]));
    return ls.map((c) => {
      const group = c.parentId ? byId.get(c.parentId) : undefined;
      return {
        service_code: c.code, service_name: nameOf(c, locale), description: group ? `${nameOf(group, locale)} · ${nameOf(c, locale)}` : nameOf(c, locale),
        metadata: true, type: config.open311ServiceType, keywords: [nameOf(c, locale), group && nameOf(group, locale)].filter(Boolean).join(', '),
        group: group ? nameOf(group, locale) : nameOf(c, locale),
      };
    });
  }

  async function service(code: string) {
    const c = (await leaves()).leaves.find((x) => x.code === code);
    if (!c) throw new AppError('NOT_FOUND', { what: `service_code ${code.slice(0, 40)}` });
    return c;
  }

  /** Every service takes the same two optional attributes: how many people are involved, and anonymity. */
  async function definition(jurisdictionId: string | undefined, code: string, locale: Locale) {
    await jurisdiction(jurisdictionId);
    const c = await service(code);
    const t = (k: string) => text('attribute', k, locale);
    return {
      service_code: c.code,
      attributes: [
        { variable: true, code: 'people_involved', datatype: 'number', required: false, datatype_description: t('people_involved_help'), order: 1, description: t('people_involved') },
        {
          variable: true, code: 'anonymous', datatype: 'singlevaluelist', required: false, datatype_description: t('anonymous_help'), order: 2, description: t('anonymous'),
          values: [{ key: 'false', name: t('no') }, { key: 'true', name: t('yes') }],
        },
      ],
    };
  }

  /** POST requests: a case filed as the API key's account; the number, or in batch mode a token for it. */
  async function file(actor: Actor, form: Form, idempotencyKey: string | null, locale: Locale) {
    const f = parseFilingForm(form);
    const j = await jurisdiction(f.jurisdictionId);
    const category = await service(f.serviceCode);
    let areaId = j?.id ?? Number(actor.areaPath.split('/').filter(Boolean).at(-1));
    let location = f.location;
    let address = f.address;
    if (f.addressId) {
      // a registered place's code (its QR code) or an area's division code
      const place = await findPlaceWithArea(db, f.addressId);
      const area = place?.area ?? await findAreaByCode(db, f.addressId);
      if (!area || (j && !area.path.startsWith(j.path))) throw new AppError('NOT_FOUND', { what: `address_id ${f.addressId}` });
      areaId = area.id;
      if (place) {
        address ??= [place.place.name, place.place.address].filter(Boolean).join(' ');
        if (!location && place.place.lon !== null && place.place.lat !== null) location = { lon: place.place.lon, lat: place.place.lat };
      }
    }
    const description = [f.description ?? nameOf(category, locale), f.mediaUrl && `${text('attribute', 'media', locale)}: ${f.mediaUrl}`].filter(Boolean).join('\n');
    const input = {
      channel: 'other_platform' as const, areaId, categoryId: category.id, description,
      ...(address ? { address } : {}), ...(location ? { location } : {}),
      ...(f.reporter ? { reporter: f.reporter } : {}), ...(f.anonymous !== undefined ? { anonymous: f.anonymous } : {}),
      ...(f.peopleInvolved !== undefined ? { peopleInvolved: f.peopleInvolved } : {}),
    };
    checkStaffIntake(input);
    const r = await deps.cases.register(actor, input, idempotencyKey);
    const owner = await findOrgWithLevel(db, r.row.owningOrgId);
    const notice = text('notice', 'received', locale, { org: owner?.name ?? '', number: r.row.number });
    return config.open311ServiceType === 'batch'
      ? [{ token: r.row.id, service_notice: notice }]
      : [{ service_request_id: r.row.number, service_notice: notice }];
  }

  /** GET requests: newest first, at most 1,000, within 90 days unless numbers are asked for. */
  async function list(actor: Actor | null, query: Form, now: Date, locale: Locale) {
    const q = parseListQuery(query, now);
    const j = await jurisdiction(q.jurisdictionId);
    let categoryIds: number[] | undefined;
    if (q.serviceCodes) {
      const { leaves: ls } = await leaves();
      categoryIds = ls.filter((c) => q.serviceCodes!.includes(c.code)).map((c) => c.id);
      if (!categoryIds.length) throw new AppError('NOT_FOUND', { what: `service_code ${q.serviceCodes.join(',').slice(0, 60)}` });
    }
    const rows = await repo.listRequests(db, repo.readerConditions(actor, config.open311PublicReads), {
      jurisdictionPath: j?.path ?? null, numbers: q.numbers, categoryIds, statuses: q.statuses, from: q.from, to: q.to, limit: 1000,
    });
    return rows.map((r) => presentRequest(r, locale));
  }

  /** GET requests/{id}: one request, or 404 when the reader may not see it. */
  async function get(actor: Actor | null, jurisdictionId: string | undefined, number: string, locale: Locale) {
    const j = await jurisdiction(jurisdictionId);
    const [r] = await repo.listRequests(db, repo.readerConditions(actor, config.open311PublicReads), { jurisdictionPath: j?.path ?? null, numbers: [number], limit: 1 });
    if (!r) throw notFound('case');
    return [presentRequest(r, locale)];
  }

  /** GET tokens/{token}: the token is the case's own random id, answered only to the client that filed it. */
  async function token(jurisdictionId: string | undefined, t: string) {
    await jurisdiction(jurisdictionId);
    const number = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(t) ? await repo.numberOfCase(db, t.toLowerCase()) : undefined;
    if (!number) throw new AppError('NOT_FOUND', { what: 'token' });
    return [{ service_request_id: number, token: t }];
  }

  return { discovery, services, definition, file, list, get, token };
}
export type Open311Service = ReturnType<typeof createOpen311Service>;
