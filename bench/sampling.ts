/** What the PostgreSQL benchmarks share: latency sampling off the server's event loop, percentiles, raw rows. */
import { Worker } from 'node:worker_threads';

export interface Sample { p50: number; p95: number; p99: number; busyP95: number; busyP99: number }
/** `samples` requests one at a time, then as many four in flight (bench/latency-sampler.mjs, in a worker thread). */
export function sample(url: string, headers: Record<string, string>, samples = 200): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL('./latency-sampler.mjs', import.meta.url), { workerData: { url, headers, samples } });
    w.once('message', resolve);
    w.once('error', reject);
  });
}
export const rows = (r: unknown) => (r as { rows: Record<string, unknown>[] }).rows;
export const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN; };
