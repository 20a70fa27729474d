/**
 * Segments a large training set in worker threads (tokens.mjs), as many as the machine has cores: jieba is the
 * part of reading 100,000 reports that runs in one thread otherwise. Each text's tokens come back in its order.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { tokens } from './tokens.mjs';

const CHUNK = 2000;

export async function tokenizeAll(texts: string[], parallel: boolean): Promise<string[][]> {
  const threads = parallel ? Math.min(availableParallelism(), Math.ceil(texts.length / CHUNK)) : 0;
  if (threads < 2) return texts.map(tokens);
  const out: string[][] = new Array(texts.length);
  let next = 0;
  const workers = Array.from({ length: threads }, () => new Worker(new URL('./tokens.mjs', import.meta.url), { workerData: { fengqiaoTokens: true } }));
  try {
    await Promise.all(workers.map((worker) => new Promise<void>((resolve, reject) => {
      const give = () => {
        if (next >= texts.length) { resolve(); return; }
        const id = next;
        next += CHUNK;
        worker.postMessage({ id, texts: texts.slice(id, id + CHUNK) });
      };
      worker.on('message', (m: { id: number; joined: string[] }) => {
        m.joined.forEach((j, k) => { out[m.id + k] = j ? j.split('\u0001') : []; });
        give();
      });
      worker.once('error', reject);
      give();
    })));
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return out;
}
