import type { FastifyInstance } from 'fastify';
import client from 'prom-client';

/** Prometheus metrics: request rate, latency and errors per route, plus Node's process metrics. */
export function installMetrics(app: FastifyInstance, extra: (registry: client.Registry) => void = () => {}) {
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
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
  return registry;
}
