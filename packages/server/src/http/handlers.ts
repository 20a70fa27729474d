import type { FastifyReply, FastifyRequest } from 'fastify';
import { CaseActions, pickLocale, type CaseAction, type OperationId, type RequestOf, type ResponseOf } from '@fengqiao/contracts';
import type { Actor } from '../access/actor.ts';
import type { Services } from '../services.ts';
import { presentArea } from '../modules/areas/areas.service.ts';
import { presentOrganization } from '../modules/organizations/organizations.service.ts';
import { presentCategory } from '../modules/categories/categories.service.ts';
import { SESSION_COOKIE, describeMe, requestContext } from './session.ts';
import { AppError } from '../lib/errors.ts';
import { caseLedger } from '../modules/cases/export.ts';
import { codeTables } from '../modules/registry/codes.ts';
import { PER_PAGE, sheetDocument, sheetPage } from '../modules/registry/qr-sheet.ts';
import { mediationHandlers } from './mediation-handlers.ts';
import { commandCenterHandlers } from './command-center-handlers.ts';
import { triageHandlers } from './triage-handlers.ts';
import { chinaDay } from '../modules/calendar/working-time.ts';

export interface HandlerContext<K extends OperationId> {
  params: RequestOf<K>['params'];
  query: RequestOf<K>['query'];
  body: RequestOf<K>['body'];
  /** Present on every route whose contract says auth: 'user'. */
  actor: Actor;
  req: FastifyRequest;
  reply: FastifyReply;
}
export type Handlers = { [K in OperationId]: (ctx: HandlerContext<K>) => Promise<ResponseOf<K>> };

/** Thin edges: parse (done by the schema), call one service function, shape the output. */
export function createHandlers(s: Services): Handlers {
  const header = (req: FastifyRequest, name: string) => {
    const v = req.headers[name];
    return typeof v === 'string' ? v : undefined;
  };
  const idempotencyKey = (req: FastifyRequest) => {
    const k = req.headers['idempotency-key'];
    return typeof k === 'string' && k.trim() ? k.trim() : null;
  };
  // every case action is one service call: the state machine decides the rest
  const actions = Object.fromEntries(CaseActions.map((a) => [`case_${a}`,
    ({ actor, params, body }: HandlerContext<`case_${CaseAction}`>) => s.cases.act(actor, params.id, a, body as never)])) as unknown as Pick<Handlers, `case_${CaseAction}`>;
  return {
    ...actions,
    ...mediationHandlers(s),
    ...commandCenterHandlers(s),
    ...triageHandlers(s),
    listFeedSources: ({ actor }) => s.feeds.list(actor),
    async createFeedSource({ actor, body, reply }) { reply.status(201); return s.feeds.create(actor, body); },
    updateFeedSource: ({ actor, params, body }) => s.feeds.update(actor, params.id, body),
    rotateFeedSecret: ({ actor, params }) => s.feeds.rotateSecret(actor, params.id),
    listFeedDevices: ({ actor, params }) => s.feeds.listDevices(actor, params.id),
    async createFeedDevice({ actor, params, body, reply }) { reply.status(201); return s.feeds.createDevice(actor, params.id, body); },
    updateFeedDevice: ({ actor, params, body }) => s.feeds.updateDevice(actor, params.id, params.deviceId, body),
    listWebhooks: ({ actor }) => s.webhooks.list(actor),
    async createWebhook({ actor, body, reply }) { reply.status(201); return s.webhooks.create(actor, body); },
    updateWebhook: ({ actor, params, body }) => s.webhooks.update(actor, params.id, body),
    listWebhookDeliveries: ({ actor, params, query }) => s.webhooks.deliveries(actor, params.id, query),
    replayWebhookDelivery: ({ actor, params }) => s.webhooks.replay(actor, params.id, params.deliveryId),
    async login({ body, req, reply }) {
      const { sessionId, csrfToken, actor } = await s.auth.login(body.username, body.password, requestContext(req));
      reply.setCookie(SESSION_COOKIE, sessionId, {
        httpOnly: true, sameSite: 'lax', path: '/', secure: s.config.cookieSecure, maxAge: s.config.sessionMaxHours * 3600,
      });
      return describeMe(s, actor, csrfToken);
    },
    async logout({ actor, reply }) {
      await s.auth.logout(actor);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true as const };
    },
    me: async ({ actor, req }) => describeMe(s, actor, req.csrfToken ?? null),
    async changePassword({ actor, body }) {
      await s.auth.changePassword(actor, body.currentPassword, body.newPassword);
      return { ok: true as const };
    },

    listAreas: ({ actor, query }) => s.areas.list(actor, query),
    getArea: async ({ actor, params }) => presentArea(await s.areas.get(actor, params.id)),
    async createArea({ actor, body, reply }) { reply.status(201); return presentArea(await s.areas.create(actor, body)); },
    updateArea: async ({ actor, params, body }) => presentArea(await s.areas.update(actor, params.id, body)),
    async deleteArea({ actor, params }) { await s.areas.remove(actor, params.id); return { ok: true as const }; },

    listOrganizations: ({ actor, query }) => s.organizations.list(actor, query),
    getOrganization: async ({ actor, params }) => presentOrganization(await s.organizations.get(actor, params.id)),
    async createOrganization({ actor, body, reply }) { reply.status(201); return presentOrganization(await s.organizations.create(actor, body)); },
    updateOrganization: async ({ actor, params, body }) => presentOrganization(await s.organizations.update(actor, params.id, body)),

    listUsers: ({ actor, query }) => s.users.list(actor, query),
    getUser: ({ actor, params }) => s.users.get(actor, params.id),
    async createUser({ actor, body, reply }) { reply.status(201); return s.users.create(actor, body); },
    updateUser: ({ actor, params, body }) => s.users.update(actor, params.id, body),
    async resetUserPassword({ actor, params, body }) { await s.users.resetPassword(actor, params.id, body.password); return { ok: true as const }; },
    unlockUser: ({ actor, params }) => s.users.unlock(actor, params.id),
    unmaskUser: ({ actor, params, body }) => s.users.unmask(actor, params.id, body.field, body.reason),

    listTokens: ({ actor, query }) => s.tokens.list(actor, query.userId),
    async createToken({ actor, body, reply }) { reply.status(201); return s.tokens.create(actor, body); },
    async revokeToken({ actor, params }) { await s.tokens.revoke(actor, params.id); return { ok: true as const }; },

    listAudit: ({ actor, query }) => s.audit.list(actor, query),
    async exportAudit({ actor, query, req, reply }) {
      const { locale, ...filters } = query;
      const file = await s.audit.exportLog(actor, filters, locale ?? pickLocale(req.headers['accept-language']));
      reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
        .header('x-content-type-options', 'nosniff');
      return file.body as never;
    },

    async createCase({ actor, body, req, reply }) {
      const { triage, ...input } = body;
      const created = await s.cases.createByStaff(actor, input, idempotencyKey(req));
      if (triage) await s.triage.feedback(actor, created.case.id, { ...triage, chosen: input.categoryId });
      reply.status(201);
      return created;
    },
    listCases: ({ actor, query }) => s.cases.list(actor, query),
    caseQueues: ({ actor }) => s.cases.queues(actor),
    getCase: ({ actor, params }) => s.cases.get(actor, params.id),
    unmaskCaseReporter: ({ actor, params, body }) => s.cases.unmaskReporter(actor, params.id, body.field, body.reason),
    caseTargets: ({ actor, params }) => s.cases.targets(actor, params.id),
    listCategories: async () => ({ items: (await s.categories.list()).map(presentCategory) }),
    listNotifications: ({ actor, query, req }) => s.notifications.list(actor, query, pickLocale(req.headers['accept-language'])),
    readNotification: ({ actor, params }) => s.notifications.read(actor, params.id),
    readAllNotifications: ({ actor }) => s.notifications.readAll(actor),
    publicCategories: async () => ({ items: (await s.categories.list()).filter((c) => c.active).map(presentCategory), popular: await s.categories.popular(s.clock.now()) }),
    async publicCreateCase({ body, req, reply }) { reply.status(201); return s.cases.createPublic(body, idempotencyKey(req)); },
    publicTrackCase: ({ params, query }) => s.cases.track(params.number, query.secret),
    async publicResultPhoto({ params, query, reply }) {
      const { meta, data } = await s.cases.resultPhoto(params.number, query.secret, params.id);
      reply.header('content-type', meta.contentType).header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox").header('cache-control', 'private, max-age=3600')
        .header('referrer-policy', 'no-referrer').header('content-disposition', 'inline');
      return reply.send(data) as never;
    },
    publicRateCase: ({ params, body }) => s.cases.rate(params.number, body.secret, body.result, body.comment),

    async uploadAttachment({ actor, req, reply }) {
      reply.status(201);
      return s.attachments.uploadByStaff(actor, req.body as Buffer, req.headers['content-type'], header(req, 'x-file-name'));
    },
    async publicUploadAttachment({ req, reply }) {
      reply.status(201);
      return s.attachments.upload(null, req.body as Buffer, req.headers['content-type'], header(req, 'x-file-name'), req.ip);
    },
    async getAttachment({ actor, params, reply }) {
      const { meta, data } = await s.attachments.read(actor, params.id);
      // never rendered as a page: pictures may show inline, anything else downloads; no sniffing, no scripts
      const inline = meta.contentType.startsWith('image/');
      reply.header('content-type', meta.contentType).header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; img-src 'self'; sandbox")
        .header('cache-control', 'private, max-age=3600')
        .header('content-disposition', `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(meta.fileName)}`);
      return reply.send(data) as never;
    },
    async exportCases({ actor, query, req, reply }) {
      const locale = query.locale ?? pickLocale(req.headers['accept-language']);
      const title = locale === 'zh-CN' ? '事项台账' : 'Case ledger';
      const file = await caseLedger(s.cases.exportRows(actor, query), locale, title);
      await s.audit.record(actor, { action: 'case.export', targetType: 'case', detail: { filters: query, bytes: file.length } });
      const day = chinaDay(s.clock.now());
      reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(`${title}-${day}.xlsx`)}`)
        .header('x-content-type-options', 'nosniff');
      return reply.send(file) as never;
    },
    publicPlace: ({ params }) => s.areas.publicPlace(params.code),
    publicAreas: ({ query }) => s.areas.publicChildren(query.parentId),

    async createCategory({ actor, body, reply }) { reply.status(201); return s.settings.createCategory(actor, body); },
    updateCategory: ({ actor, params, body }) => s.settings.updateCategory(actor, params.id, body),
    listDeadlinePolicies: () => s.settings.listPolicies(),
    putDeadlinePolicy: ({ actor, body }) => s.settings.putPolicy(actor, body),
    async deleteDeadlinePolicy({ actor, params }) { await s.settings.deletePolicy(actor, params.id); return { ok: true as const }; },
    listCalendarDays: ({ query }) => s.settings.listDays(query.from, query.to),
    putCalendarDay: ({ actor, params, body }) => s.settings.putDay(actor, params.day, body.kind, body.name),
    async deleteCalendarDay({ actor, params }) { await s.settings.deleteDay(actor, params.day); return { ok: true as const }; },
    registryCodes: async ({ actor }) => { if (!actor.permissions.has('registry.read')) throw new AppError('FORBIDDEN'); return codeTables; },
    listPeople: ({ actor, query }) => s.registry.listPeople(actor, query),
    async createPerson({ actor, body, reply }) { reply.status(201); return s.registry.createPerson(actor, body); },
    getPerson: ({ actor, params }) => s.registry.getPerson(actor, params.id),
    updatePerson: ({ actor, params, body }) => s.registry.updatePerson(actor, params.id, body),
    unmaskPerson: ({ actor, params, body }) => s.registry.unmaskPerson(actor, params.id, body.field, body.reason),
    putPersonGroup: ({ actor, params, body }) => s.registry.putGroup(actor, params.id, params.kind, body),
    deletePersonGroup: ({ actor, params }) => s.registry.removeGroup(actor, params.id, params.kind),
    archivePerson: ({ actor, params, body }) => s.registry.archivePerson(actor, params.id, body.reason),
    purgePerson: ({ actor, params, body }) => s.registry.purgePerson(actor, params.id, body.reason),
    importPeople: ({ actor, query, req }) => {
      if (!Buffer.isBuffer(req.body)) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
      return s.importPeople(actor, req.body, query.format, { areaId: query.areaId, skipInvalid: query.skipInvalid });
    },
    listPlaces: ({ actor, query }) => s.registry.listPlaces(actor, query),
    async createPlace({ actor, body, reply }) { reply.status(201); return s.registry.createPlace(actor, body); },
    getPlace: ({ actor, params }) => s.registry.getPlace(actor, params.id),
    updatePlace: ({ actor, params, body }) => s.registry.updatePlace(actor, params.id, body),
    async placeQrSheet({ actor, query, req, reply }) {
      const { places, title, caption } = await s.qrSheets.placesOf(actor, { areaId: query.areaId, kind: query.kind, locale: pickLocale(req.headers['accept-language']) });
      const base = s.config.publicUrl ?? `${req.protocol}://${req.host}`;
      reply.header('x-content-type-options', 'nosniff').header('cache-control', 'no-store');
      if (query.format === 'svg') {
        const pageNo = query.page ?? 1;
        const pages = Math.max(1, Math.ceil(places.length / PER_PAGE));
        if (pageNo > pages) throw new AppError('NOT_FOUND', { what: `page ${pageNo}` });
        return reply.type('image/svg+xml; charset=utf-8').header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
          .send(sheetPage(places.slice((pageNo - 1) * PER_PAGE, pageNo * PER_PAGE), base, title, pageNo, pages, caption)) as never;
      }
      return reply.type('text/html; charset=utf-8').header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
        .send(sheetDocument(places, base, title, caption)) as never;
    },
    listRegistryOrganizations: ({ actor, query }) => s.registry.listOrganizations(actor, query),
    async createRegistryOrganization({ actor, body, reply }) { reply.status(201); return s.registry.createOrganization(actor, body); },
    listVisits: ({ actor, query }) => s.registry.listVisits(actor, query),
    async createVisit({ actor, body, reply }) { reply.status(201); return s.registry.recordVisit(actor, body); },
    importGrids: ({ actor, query, req }) => {
      if (!Buffer.isBuffer(req.body)) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
      let parsed: unknown;
      try { parsed = JSON.parse(req.body.toString('utf8')); } catch { throw new AppError('BAD_JSON'); }
      return s.grids.importGrids(actor, parsed, { crs: query.crs, parentCode: query.parentCode, skipInvalid: query.skipInvalid });
    },
    gridLookup: ({ actor, query }) => s.grids.lookup(actor, query.lon, query.lat, query.crs),
    gridOverview: ({ actor, params }) => s.grids.overview(actor, params.id) as never,
    setGridWorkers: ({ actor, params, body }) => s.grids.setWorkers(actor, params.id, body.userIds) as never,
    setAreaBoundary: ({ actor, params, body }) => s.grids.setBoundary(actor, params.id, body.geometry, body.crs),
    areaMap: async ({ actor, query }) => ({ ...(await s.grids.map(actor, query.areaId)), tileUrl: s.config.mapTileUrl }) as never,
  };
}
