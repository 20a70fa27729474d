// Latency of one request, sampled 400 times (or `samples`) after 40 warm-up requests: first one at a time (the latency of
// the query itself), then 4 in flight (what a busy console sees while other users are served). Runs in a
// worker thread, so that the client's own work (fetch, reading the body) is not done on the server's event
// loop and counted as the server's latency.
import { parentPort, workerData } from 'node:worker_threads';

const { url, headers, samples = 400 } = workerData;
const percentile = (sorted, p) => +sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))].toFixed(1);
const one = async () => {
  const t = performance.now();
  const r = await fetch(url, { headers });
  await r.arrayBuffer();
  if (!r.ok) throw new Error(`${url}: ${r.status}`);
  return performance.now() - t;
};
for (let i = 0; i < 40; i++) await one();
const alone = [];
for (let i = 0; i < samples; i++) alone.push(await one());
alone.sort((a, b) => a - b);
const busy = [];
for (let i = 0; i < samples / 4; i++) busy.push(...(await Promise.all([one(), one(), one(), one()])));
busy.sort((a, b) => a - b);
parentPort.postMessage({
  p50: percentile(alone, 50), p95: percentile(alone, 95), p99: percentile(alone, 99),
  busyP95: percentile(busy, 95), busyP99: percentile(busy, 99),
});
