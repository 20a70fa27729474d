import crypto from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import client from 'prom-client';
import { AppError } from '../lib/errors.ts';
import type { Backlog } from '../ops/backlog.ts';

/** Prometheus metrics: request rate, latency and errors per route, plus Node's process metrics. */
/**
 * Who may read /metrics: with a token configured, whoever presents it; without one, only a scraper on this
 * machine (loopback) — the figures describe the installation's traffic and are not for the public.
 */
export function metricsAllowed(req: FastifyRequest, token: string | null): boolean {
  if (token) {
    const given = Buffer.from(String(req.headers.authorization ?? '').replace(/^Bearer\s+/i, ''));
    const want = Buffer.from(token);
    return given.length === want.length && crypto.timingSafeEqual(given, want);
  }
  const ip = req.socket.remoteAddress ?? '';
  return ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1';
}

export function installMetrics(app: FastifyInstance, opts: { token: string | null } = { token: null }, extra: (registry: client.Registry) => void = () => {}) {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'fengqiao_' });
  const duration = new client.Histogram({
    name: 'fengqiao_http_request_duration_seconds', help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'], buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  extra(registry);
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    if (route === '/metrics') return;
    duration.observe({ method: req.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
  app.get('/metrics', { schema: { hide: true } }, async (req, reply) => {
    if (!metricsAllowed(req, opts.token)) throw new AppError('NOT_FOUND', { what: 'route' });
    reply.type(registry.contentType);
    return registry.metrics();
  });
  return registry;
}

/**
 * Gauges read together when scraped: `read` runs once for all of them (a scrape collects each gauge in turn),
 * and again only after a second has passed.
 */
function scrapedGauges<T>(registry: client.Registry, read: () => Promise<T>, gauges: [name: string, help: string, value: (t: T) => number][]) {
  let last: Promise<T> | null = null;
  const once = () => (last ??= read().finally(() => { setTimeout(() => { last = null; }, 1000).unref(); }));
  for (const [name, help, value] of gauges) {
    new client.Gauge({ name, help, registers: [registry], async collect() { this.set(value(await once())); } });
  }
}

/** The public upload budget and the free space where attachments are written, read when scraped. */
export function diskBudgetGauges(registry: client.Registry, read: () => Promise<{ unlinkedPublicBytes: number; unlinkedMaxBytes: number; freeBytes: number | null }>) {
  scrapedGauges(registry, read, [
    ['fengqiao_public_uploads_unlinked_bytes', "Bytes of residents' uploads that no report names yet", (d) => d.unlinkedPublicBytes],
    ['fengqiao_public_uploads_unlinked_budget_bytes', 'PUBLIC_UPLOAD_UNLINKED_MAX_MIB in bytes: beyond it public uploads pause', (d) => d.unlinkedMaxBytes],
    ['fengqiao_attachments_free_bytes', 'Free bytes on the volume where attachments are written (-1: unknown)', (d) => d.freeBytes ?? -1],
  ]);
}

/** The streaming replica's replay lag, and whether reads go there (READ_DATABASE_URL). */
export function replicaGauges(registry: client.Registry, replica: { lagSeconds(): number | null; inUse(): boolean }) {
  new client.Gauge({
    name: 'fengqiao_replica_lag_seconds', help: 'Seconds the read replica is behind the primary (-1: it cannot be reached)', registers: [registry],
    collect() { this.set(replica.lagSeconds() ?? -1); },
  });
  new client.Gauge({
    name: 'fengqiao_replica_in_use', help: '1 while lists, exports and figures read from the replica, 0 while they read the primary', registers: [registry],
    collect() { this.set(replica.inUse() ? 1 : 0); },
  });
}

/** What waits to be done (ops/backlog.ts): the outbox, the rollup and warnings queues; read once a scrape. */
export function backlogGauges(registry: client.Registry, read: () => Promise<Backlog>) {
  scrapedGauges(registry, read, [
    ['fengqiao_outbox_pending_messages', 'Outbox messages waiting to be delivered', (b) => b.outboxPending],
    ['fengqiao_outbox_oldest_due_seconds', 'How long the oldest due outbox message has waited (0: none waiting)', (b) => b.outboxOldestDueSeconds],
    ['fengqiao_rollup_queue_facts', 'Case changes queued for the rollups, not yet folded', (b) => b.rollupFacts],
    ['fengqiao_warning_queue_cases', 'Cases queued for the early-warning rules, not yet looked at', (b) => b.warningCases],
  ]);
}
