// Latency of one request, sampled at low concurrency (4 in flight), 400 times after 40 warm-up requests.
// Runs in a worker thread, so that the client's own work (fetch, reading the body) is not done on the
// server's event loop and counted as the server's latency.
import { parentPort, workerData } from 'node:worker_threads';

const { url, headers } = workerData;
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const one = async () => {
  const t = performance.now();
  const r = await fetch(url, { headers });
  await r.arrayBuffer();
  if (!r.ok) throw new Error(`${url}: ${r.status}`);
  return performance.now() - t;
};
for (let i = 0; i < 40; i++) await one();
const times = [];
for (let i = 0; i < 100; i++) times.push(...(await Promise.all([one(), one(), one(), one()])));
times.sort((a, b) => a - b);
parentPort.postMessage({ p50: +percentile(times, 50).toFixed(1), p95: +percentile(times, 95).toFixed(1), p99: +percentile(times, 99).toFixed(1) });
