/**
 * Point → grid lookup, in process: a flatbush R-tree over the grids' bounding boxes, then an exact
 * point-in-polygon test. 20,000 irregular grids (a 200 × 100 lattice of 16-vertex polygons around
 * 长春, about 300 m across), a million random points over the whole area (some outside every grid).
 *
 *   npm run bench:grids
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GridIndex, type IndexedGrid } from '../packages/server/src/modules/registry/grid-index.ts';
import { containsPoint, type Position } from '../packages/server/src/lib/geo.ts';

const COLS = 200; const ROWS = 100; const STEP = 0.003; const X0 = 125.0; const Y0 = 43.6;
let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);

/** A star-shaped 16-vertex polygon inside its lattice cell (so grids never overlap). */
function grid(c: number, r: number, id: number): IndexedGrid {
  const cx = X0 + (c + 0.5) * STEP; const cy = Y0 + (r + 0.5) * STEP;
  const ring: Position[] = [];
  for (let k = 0; k < 16; k++) {
    const a = (2 * Math.PI * k) / 16; const rr = STEP * (0.35 + 0.14 * rand());
    ring.push([cx + rr * Math.cos(a), cy + rr * Math.sin(a)]);
  }
  ring.push(ring[0]!);
  return { id, path: `/1/${id}/`, name: `g${id}`, code: null, geometry: { type: 'Polygon', coordinates: [ring] } };
}

const grids: IndexedGrid[] = [];
for (let r = 0; r < ROWS; r++) for (let c = 0; c < COLS; c++) grids.push(grid(c, r, grids.length + 1));

let t = process.hrtime.bigint();
const index = new GridIndex(grids);
const buildMs = Number(process.hrtime.bigint() - t) / 1e6;

const N = 1_000_000;
const xs = new Float64Array(N); const ys = new Float64Array(N);
for (let i = 0; i < N; i++) { xs[i] = X0 + rand() * COLS * STEP; ys[i] = Y0 + rand() * ROWS * STEP; }
// correctness on a sample, against a scan of every polygon
for (let i = 0; i < 2000; i++) {
  const scan = grids.find((g) => containsPoint(g.geometry, xs[i]!, ys[i]!))?.id ?? null;
  if ((index.lookup(xs[i]!, ys[i]!)?.id ?? null) !== scan) throw new Error(`lookup ${i} disagrees with a full scan`);
}
for (let i = 0; i < 100_000; i++) index.lookup(xs[i]!, ys[i]!); // warm-up
t = process.hrtime.bigint();
let hits = 0;
for (let i = 0; i < N; i++) if (index.lookup(xs[i]!, ys[i]!)) hits++;
const seconds = Number(process.hrtime.bigint() - t) / 1e9;
const perSecond = Math.round(N / seconds);

const table = [
  `Grid lookup benchmark — ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, Node ${process.version}`,
  '',
  '| grids | vertices per grid | index build | lookups | inside a grid | lookups per second | µs per lookup |',
  '|---:|---:|---:|---:|---:|---:|---:|',
  `| ${grids.length} | 16 | ${buildMs.toFixed(1)} ms | ${N} | ${((100 * hits) / N).toFixed(1)} % | ${perSecond} | ${((seconds * 1e6) / N).toFixed(2)} |`,
].join('\n');
fs.writeFileSync(path.join(import.meta.dirname, 'results', 'grids.md'), `${table}\n`);
console.log(table);
