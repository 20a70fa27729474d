// One binary L2-loss linear SVM by dual coordinate descent (Hsieh et al., ICML 2008 — LIBLINEAR's default solver),
// with LIBLINEAR's shrinking and stopping rule. Plain JavaScript: the same code runs in the server's thread and in
// the worker threads that train several categories at once (a worker loads it without TypeScript's loader).
// Types: svm-kernel.d.mts. The caller is model.ts.
import { parentPort } from 'node:worker_threads';

/** Seeded shuffling (mulberry32), as random.ts: the same data trains the same model. */
function rng(seed) {
  let a = seed >>> 0;
  return () => { a = (a + 0x6d2b79f5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}

/**
 * Trains on the rows `rows` of the matrix (CSR: `start`, `idx`, `val`), labels `ys` (±1), costs `cost` (each row's
 * C); `alpha` may hold a warm start and is left holding the solution. Answers the weights (dims, then the bias).
 */
export function trainBinary({ start, idx, val }, rows, ys, cost, alpha, dims, maxPasses, epsilon, seed) {
  const random = rng(seed);
  const n = rows.length;
  const w = new Float64Array(dims + 1);
  const diag = new Float64Array(n);
  const qii = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const r = rows[k];
    diag[k] = 1 / (2 * cost[k]);
    let s = 1 + diag[k];
    for (let p = start[r]; p < start[r + 1]; p++) s += val[p] * val[p];
    qii[k] = s;
    if (alpha[k]) {
      const d = alpha[k] * ys[k];
      for (let p = start[r]; p < start[r + 1]; p++) w[idx[p]] += d * val[p];
      w[dims] += d;
    }
  }
  let active = new Int32Array(n);
  for (let k = 0; k < n; k++) active[k] = k;
  let size = n;
  let pgMaxOld = Infinity;
  for (let pass = 0; pass < maxPasses; pass++) {
    for (let i = size - 1; i > 0; i--) { const j = Math.floor(random() * (i + 1)); const t = active[i]; active[i] = active[j]; active[j] = t; }
    let pgMax = -Infinity, pgMin = Infinity;
    let kept = 0;
    for (let a = 0; a < size; a++) {
      const k = active[a];
      const r = rows[k];
      const y = ys[k];
      let s = w[dims];
      for (let p = start[r]; p < start[r + 1]; p++) s += w[idx[p]] * val[p];
      const g = y * s - 1 + diag[k] * alpha[k];
      let pg = g;
      if (alpha[k] === 0) {
        if (g > pgMaxOld) continue; // shrunk: at its bound and likely to stay there
        if (g > 0) pg = 0;
      }
      active[kept++] = k;
      if (pg > pgMax) pgMax = pg;
      if (pg < pgMin) pgMin = pg;
      if (Math.abs(pg) < 1e-12) continue;
      const old = alpha[k];
      alpha[k] = Math.max(old - g / qii[k], 0);
      const d = (alpha[k] - old) * y;
      for (let p = start[r]; p < start[r + 1]; p++) w[idx[p]] += d * val[p];
      w[dims] += d;
    }
    if (pgMax - pgMin <= epsilon) {
      if (kept === n) break;
      // converged on the active set: check every example once more
      for (let k = 0; k < n; k++) active[k] = k;
      size = n;
      pgMaxOld = Infinity;
      continue;
    }
    size = kept;
    pgMaxOld = pgMax <= 0 ? Infinity : pgMax;
  }
  return w;
}

// as a worker: one job per message, the matrix shared (SharedArrayBuffer) and the rest copied
if (parentPort) {
  parentPort.on('message', (job) => {
    const w = trainBinary(job.matrix, job.rows, job.ys, job.cost, job.alpha, job.dims, job.maxPasses, job.epsilon, job.seed);
    parentPort.postMessage({ id: job.id, w, alpha: job.alpha }, [w.buffer, job.alpha.buffer]);
  });
}
