// An open-loop sender: `rate` POSTs a second for `seconds`, each sent at its due time whether or not earlier answers
// have come, so that a slow server cannot slow the sender down and hide its queue (no coordinated omission). Each
// latency runs from the request's due time to its answer. Runs in a worker thread, off the server's event loop.
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

const { url, headers, body, rate, seconds, keyPrefix } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: 2000 });
const target = new URL(url);
const count = Math.round(rate * seconds);
const latencies = [];
let errors = 0;
const pending = [];
const started = performance.now();
for (let i = 0; i < count; i++) {
  const due = started + (i * 1000) / rate;
  const wait = due - performance.now();
  if (wait > 1) await new Promise((r) => setTimeout(r, wait));
  pending.push(new Promise((resolve) => {
    const req = http.request({ hostname: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent,
      headers: { 'content-type': 'application/json', 'idempotency-key': `${keyPrefix}-${i}`, ...headers } }, (res) => {
      res.resume();
      res.on('end', () => { if (res.statusCode >= 200 && res.statusCode < 300) latencies.push(performance.now() - due); else errors++; resolve(); });
    });
    req.on('error', () => { errors++; resolve(); });
    req.end(body);
  }));
}
const sendSeconds = (performance.now() - started) / 1000;
await Promise.all(pending);
agent.destroy();
latencies.sort((a, b) => a - b);
const at = (q) => (latencies.length ? Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] * 10) / 10 : null);
parentPort.postMessage({ sent: count, ok: latencies.length, errors, achieved: Math.round(count / sendSeconds), p50: at(0.5), p99: at(0.99), p999: at(0.999), max: at(1) });
