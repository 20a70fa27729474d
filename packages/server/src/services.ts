import type { Config } from './config.ts';
import type { Db } from './db/database.ts';
import { systemClock, type Clock } from './lib/clock.ts';
import { createKeyRing } from './lib/personal-data.ts';
import { createPasswordHasher } from './lib/passwords.ts';
import { createAuditService } from './modules/audit/audit.service.ts';
import { createStaffNames } from './modules/users/staff-names.ts';
import { createAreaService } from './modules/areas/areas.service.ts';
import { createOrganizationService } from './modules/organizations/organizations.service.ts';
import { createUserService } from './modules/users/users.service.ts';
import { createAuthService } from './modules/auth/auth.service.ts';
import { createTokenService } from './modules/tokens/tokens.service.ts';
import { createCalendarService } from './modules/calendar/calendar.service.ts';
import { createCategoryService } from './modules/categories/categories.service.ts';
import { createCaseService } from './modules/cases/cases.service.ts';
import { createNotificationService } from './modules/notifications/notifications.service.ts';
import { createSettingsService } from './modules/settings/settings.service.ts';
import { createAttachmentService } from './modules/attachments/attachments.service.ts';
import { createDiskStorage, type BlobStorage } from './modules/attachments/storage.ts';
import { createGridLocator } from './modules/registry/grid-index.ts';
import { createRegistryService } from './modules/registry/registry.service.ts';
import { createGridService } from './modules/registry/grids.service.ts';
import { createPeopleImport } from './modules/registry/people-import.ts';
import { createQrSheets } from './modules/registry/qr-sheet.ts';
import { createOutboxWorker } from './modules/outbox/outbox.ts';
import { createRecordingSmsSender, type SmsSender } from './modules/outbox/sms.ts';
import { createMessageCatalog, createTopicRegistry } from './modules/outbox/topics.ts';
import { registerCaseTopics } from './modules/cases/cases.topics.ts';
import { registerMediationTopics } from './modules/mediation/mediation.topics.ts';
import { createMediationService } from './modules/mediation/mediation.service.ts';
import { createTriageService } from './modules/triage/triage.service.ts';
import { createDuplicateService } from './modules/triage/duplicates.service.ts';
import { createOpen311Service } from './modules/open311/open311.service.ts';
import { createFeedService } from './modules/feeds/feeds.service.ts';
import { createInbound } from './modules/feeds/inbound.ts';
import { registerFeedTopics, statusSync } from './modules/feeds/feeds.topics.ts';
import { createWebhookDelivery } from './modules/webhooks/delivery.ts';
import { createWebhookService } from './modules/webhooks/webhooks.service.ts';
import { gatewayFor } from './modules/sms/gateway.ts';
import type { AfterTransition } from './modules/cases/context.ts';
import { feedbackOnAccept } from './modules/triage/feedback.ts';
import { createCommandCenterService } from './modules/command-center/command-center.service.ts';

/** All wiring in one place: each service gets exactly the dependencies it names. */
export function createServices(db: Db, config: Config, clock: Clock = systemClock, opts: { sms?: SmsSender; log?: (msg: string) => void; storage?: BlobStorage; fetch?: typeof fetch; reads?: () => Db } = {}) {
  const keys = createKeyRing(config.secret, config.previousSecrets);
  const hasher = createPasswordHasher(config.passwordMemoryKiB, config.passwordTimeCost);
  const staff = createStaffNames({ db, keys });
  const audit = createAuditService({ db, keys, staff });
  const areas = createAreaService({ db, audit });
  const organizations = createOrganizationService({ db, audit });
  const users = createUserService({ db, audit, keys, hasher, clock });
  const auth = createAuthService({ db, config, keys, hasher, audit, clock });
  const tokens = createTokenService({ db, audit, keys, clock });
  const calendar = createCalendarService({ db });
  const categories = createCategoryService({ db });
  const attachments = createAttachmentService({
    db, clock, keys, storage: opts.storage ?? createDiskStorage(config.attachmentsDir), maxBytes: config.attachmentMaxBytes,
    budget: { dailyBytesPerAddress: config.publicUploadDailyBytes, unlinkedMaxBytes: config.publicUploadUnlinkedMaxBytes },
  });
  const gridLocator = createGridLocator(db);
  const registry = createRegistryService({ db, keys, audit, clock, grids: gridLocator });
  // other modules' work in a case transition's transaction (a platform's status callback, triage's feedback)
  const afterTransition: AfterTransition[] = [statusSync(), feedbackOnAccept()];
  const cases = createCaseService({ db, reads: opts.reads, keys, clock, staff, calendar, categories, attachments, audit, grids: gridLocator, afterTransition, options: { maxReturns: config.caseMaxReturns, tierLevels: config.tierLevels } });
  const grids = createGridService({ db, keys, audit, areas, registry, locator: gridLocator, cases: cases.subtree });
  const importPeople = createPeopleImport({ db, keys, audit, registry });
  const qrSheets = createQrSheets({ areas, registry, audit });
  const settings = createSettingsService({ db, audit, calendar, categories });

  // the outbox: every module registers its topics and the templates of its texts
  const topics = createTopicRegistry();
  const catalog = createMessageCatalog();
  const notifications = createNotificationService({ db, catalog });
  topics.register(notifications.topic);
  const gateway = gatewayFor(config, { db, keys, log: opts.log ?? (() => {}), ...(opts.fetch ? { fetch: opts.fetch } : {}) });
  const sms = opts.sms ?? gateway ?? createRecordingSmsSender({ db, keys, log: opts.log ?? (() => {}) });
  registerCaseTopics(topics, catalog, { db, keys, sms, publicUrl: config.publicUrl });
  registerMediationTopics(topics, catalog, { db, keys, sms });
  registerFeedTopics(topics, { db, keys, clock, ...(opts.fetch ? { fetch: opts.fetch } : {}) });
  const webhookDelivery = createWebhookDelivery({ db, keys, clock, ...(opts.fetch ? { fetch: opts.fetch } : {}) });
  webhookDelivery.register(topics);
  const mediation = createMediationService({ db, keys, clock, audit, cases, categories, attachments, calendar });
  const commandCenter = createCommandCenterService({ db, clock, keys, audit, catalog, categories, mediation });
  const triage = createTriageService({ db, clock, audit, categories });
  const duplicates = createDuplicateService({ db, keys, clock });
  const outbox = createOutboxWorker({ db, topics });
  const open311 = createOpen311Service({ db, config, categories, cases });
  const inbound = createInbound({ db, keys, clock, cases, categories, triage });
  const feeds = createFeedService({ db, keys, audit, categories, changed: inbound.forget });
  const webhooks = { ...createWebhookService({ db, keys, audit }), delivery: webhookDelivery };

  /** Reference data a new installation needs: default categories, the holiday calendar. Idempotent. */
  async function initReferenceData() {
    await categories.seedDefaults();
    await calendar.syncFromLibrary();
    await commandCenter.warnings.seedDefaultRules();
  }
  return { db, config, clock, keys, hasher, topics, catalog, audit, staff, areas, organizations, users, auth, tokens, calendar, categories, cases, mediation, commandCenter, triage, duplicates, open311, feeds, inbound, webhooks, smsGateway: gateway, attachments, notifications, settings, outbox, registry, grids, gridLocator, importPeople, qrSheets, initReferenceData };
}
export type Services = ReturnType<typeof createServices>;
