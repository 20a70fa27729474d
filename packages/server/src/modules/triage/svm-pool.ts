/**
 * Trains several binary SVMs (svm-kernel.mjs) — one per category — in this thread, or, for a large training set,
 * in worker threads (as many as the machine has cores, at most one per SVM) over one shared copy of the matrix.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { trainBinary, type Csr } from './svm-kernel.mjs';
import type { Sparse } from './vectorizer.ts';

export interface SvmJob { rows: Int32Array; ys: Int8Array; cost: Float64Array; alpha: Float64Array; seed: number }

/** The rows as one matrix in compressed rows, in shared memory when workers will read it. */
export function toCsr(xs: Sparse[], shared: boolean): Csr {
  const nnz = xs.reduce((s, x) => s + x.idx.length, 0);
  const bytes = (n: number, size: number) => (shared ? new SharedArrayBuffer(n * size) : new ArrayBuffer(n * size));
  const start = new Int32Array(bytes(xs.length + 1, 4));
  const idx = new Int32Array(bytes(nnz, 4));
  const val = new Float32Array(bytes(nnz, 4));
  let p = 0;
  xs.forEach((x, r) => { start[r] = p; idx.set(x.idx, p); val.set(x.val, p); p += x.idx.length; });
  start[xs.length] = p;
  return { start, idx, val };
}

/** Each job's weights, in the jobs' order; each job's `alpha` is left holding its solution. */
export async function trainMany(matrix: Csr, dims: number, jobs: SvmJob[], o: { parallel: boolean; maxPasses: number; epsilon: number }): Promise<Float64Array[]> {
  const threads = o.parallel ? Math.min(jobs.length, availableParallelism()) : 0;
  if (threads < 2) return jobs.map((j) => trainBinary(matrix, j.rows, j.ys, j.cost, j.alpha, dims, o.maxPasses, o.epsilon, j.seed));
  const out: Float64Array[] = new Array(jobs.length);
  let next = 0;
  const workers = Array.from({ length: threads }, () => new Worker(new URL('./svm-kernel.mjs', import.meta.url)));
  try {
    await Promise.all(workers.map((worker) => new Promise<void>((resolve, reject) => {
      const give = () => {
        if (next >= jobs.length) { resolve(); return; }
        const id = next++;
        const j = jobs[id]!;
        worker.postMessage({ id, matrix, rows: j.rows, ys: j.ys, cost: j.cost, alpha: j.alpha, dims, maxPasses: o.maxPasses, epsilon: o.epsilon, seed: j.seed });
      };
      worker.on('message', (m: { id: number; w: Float64Array; alpha: Float64Array }) => { out[m.id] = m.w; jobs[m.id]!.alpha.set(m.alpha); give(); });
      worker.once('error', reject);
      give();
    })));
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return out;
}
