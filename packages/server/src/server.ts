import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import { openDatabase, type Database } from './db/database.ts';
import { privateDir } from './db/lock.ts';
import { createServices, type Services } from './services.ts';
import { buildApp } from './http/app.ts';
import { housekeeping } from './housekeeping.ts';
import { openReplica } from './db/replica.ts';
import { systemActor } from './access/actor.ts';
import { isDemoSeeded, seedDemo, type DemoAccount } from './demo/seed-demo.ts';

/**
 * Demo mode without FENGQIAO_SECRET: a random secret is kept in the data directory,
 * so that encrypted demo data stays readable across restarts. Never used outside demo mode.
 */
export function resolveDemoSecrets(config: Config): Config {
  if (!config.demo) return config;
  privateDir(config.dataDir);
  let secret = config.secret;
  if (!secret) {
    const file = path.join(config.dataDir, 'demo-secret');
    if (!fs.existsSync(file)) fs.writeFileSync(file, crypto.randomBytes(36).toString('base64url'), { mode: 0o600 });
    secret = fs.readFileSync(file, 'utf8').trim();
  }
  let demoPassword = config.demoPassword;
  if (!demoPassword) {
    const file = path.join(config.dataDir, 'demo-password');
    if (!fs.existsSync(file)) fs.writeFileSync(file, `Fq${crypto.randomBytes(6).toString('hex')}9`, { mode: 0o600 });
    demoPassword = fs.readFileSync(file, 'utf8').trim();
  }
  return { ...config, secret, demoPassword };
}

export async function openConfiguredDatabase(config: Config): Promise<Database> {
  return openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.databaseUrl ? null : config.dataDir, poolSize: config.databasePoolSize });
}

/** The port is taken: said before anything is opened, migrated or seeded. */
export class PortInUseError extends Error {
  constructor(host: string, port: number) {
    super(`port ${port} on ${host} is already in use (by another Fengqiao or another program): choose a free one with PORT=<port> (or --port), or stop what listens there`);
    this.name = 'PortInUseError';
  }
}

/** Tries the address for a moment; refuses with PortInUseError when something else holds it. */
export async function assertPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (e: NodeJS.ErrnoException) => reject(e.code === 'EADDRINUSE' ? new PortInUseError(host, port) : e));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()));
  });
}

export interface RunningServer {
  app: FastifyInstance; services: Services; database: Database; url: string; demoAccounts: DemoAccount[] | null;
  /**
   * Stops: with `drainSeconds`, first reports not-ready for that long while still serving (the balancer's checks
   * move new requests to the other servers), then stops taking connections, finishes the requests in flight and
   * the outbox's claimed messages, stops the background work and closes the database.
   */
  close(opts?: { drainSeconds?: number }): Promise<void>;
}

/** Opens the database, applies migrations, seeds the demo jurisdiction when asked, and listens. */
export async function startServer(input: Config): Promise<RunningServer> {
  await assertPortFree(input.host, input.port); // before the database is opened, migrated or seeded
  const config = resolveDemoSecrets(input);
  const database = await openConfiguredDatabase(config);
  let replica: ReturnType<typeof openReplica> | null = null;
  try {
    await database.migrate();
    let log: (msg: string) => void = () => {};
    // lists, exports and figures read from a streaming replica while it keeps up (READ_DATABASE_URL)
    replica = config.readDatabaseUrl ? openReplica(database.db, config.readDatabaseUrl, config.replicaMaxLagSeconds, { poolSize: config.databasePoolSize }) : null;
    const services = createServices(database.db, config, undefined, { log: (m) => log(m), ...(replica ? { reads: replica.reads } : {}) });
    await services.initReferenceData();
    let demoAccounts: DemoAccount[] | null = null;
    if (config.demo && !(await isDemoSeeded(services))) demoAccounts = await seedDemo(services, config.demoPassword!);
    const lifecycle = { draining: false };
    const app = await buildApp({ services, database, rateLimitMultiplier: config.rateLimitMultiplier, lifecycle, replica });
    log = (m) => app.log.info(m);
    await app.listen({ port: config.port, host: config.host });
    const stopOutbox = services.outbox.start(1000);
    const stopRollups = services.commandCenter.rollups.start(1000, (e) => app.log.error({ err: e }, 'rollup fold failed'));
    const stopWarnings = services.commandCenter.warnings.start(1000, (e) => app.log.error({ err: e }, 'warning evaluation failed'));
    const stopWebhooks = services.webhooks.delivery.start(1000, (e) => app.log.error({ err: e }, 'webhook fan-out failed'));
    // cases without search words (from before full-text search, or a bulk import), indexed in the background
    void services.cases.search.indexAll().catch((e) => app.log.error({ err: e }, 'search indexing failed'));
    const stopTriage = config.triageRetrainHours > 0
      ? services.triage.start(config.triageRetrainHours, systemActor('triage'), (e) => app.log.error({ err: e }, 'triage retraining failed'))
      : async () => {};
    const deadlineTimer = config.deadlineScanSeconds > 0
      ? setInterval(() => {
        services.cases.scanDeadlines().catch((e) => app.log.error({ err: e }, 'deadline scan failed'));
        services.mediation.scanDeadlines().catch((e) => app.log.error({ err: e }, 'mediation deadline scan failed'));
      }, config.deadlineScanSeconds * 1000)
      : null;
    const hourly = setInterval(() => {
      housekeeping(services).then((n) => app.log.info({ purged: n }, 'housekeeping')).catch((e) => app.log.error({ err: e }, 'housekeeping failed'));
    }, 3_600_000);
    // residents' unlinked photos expire 45 minutes after upload: looked for every five minutes, gone within the hour
    const uploadPurge = setInterval(() => {
      services.attachments.purgeUnlinked().catch((e) => app.log.error({ err: e }, 'attachment purge failed'));
    }, 5 * 60_000);
    const addr = app.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : config.port;
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
    return {
      app, services, database, url, demoAccounts,
      async close(opts = {}) {
        lifecycle.draining = true;
        if (opts.drainSeconds) await new Promise((r) => setTimeout(r, opts.drainSeconds! * 1000));
        if (deadlineTimer) clearInterval(deadlineTimer);
        clearInterval(hourly);
        clearInterval(uploadPurge);
        await app.close(); // no new connections; the requests in flight finish
        await stopOutbox(); // the claimed messages are delivered (what is left pending, another server or the next start delivers)
        await stopRollups();
        await stopWarnings();
        await stopWebhooks();
        await stopTriage();
        await replica?.close();
        await database.close();
      },
    };
  } catch (e) {
    await replica?.close(); // its lag probe would keep the process alive
    await database.close();
    throw e;
  }
}
