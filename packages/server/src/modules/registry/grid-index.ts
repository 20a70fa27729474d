import Flatbush from 'flatbush';
import type { Db } from '../../db/database.ts';
import { gridBoundaries } from '../areas/areas.repository.ts';
import { bboxOf, containsPoint, type AreaGeometry } from '../../lib/geo.ts';

export interface IndexedGrid { id: number; path: string; name: string; code: string | null; geometry: AreaGeometry }

/**
 * Point → grid: a packed Hilbert R-tree (flatbush) over the grids' bounding boxes narrows the candidates
 * to a handful, and an exact point-in-polygon test picks the grid. Built in memory from the stored
 * boundaries; rebuilt after an import in this process, and at most `maxAgeMs` later in the others.
 */
export class GridIndex {
  private readonly tree: Flatbush | null;
  constructor(readonly grids: IndexedGrid[]) {
    if (grids.length === 0) { this.tree = null; return; }
    const tree = new Flatbush(grids.length);
    for (const g of grids) { const [a, b, c, d] = bboxOf(g.geometry); tree.add(a, b, c, d); }
    tree.finish();
    this.tree = tree;
  }

  /** The grid containing the point (WGS-84), or null; `within` keeps the answer inside an area subtree. */
  lookup(lon: number, lat: number, within?: string): IndexedGrid | null {
    if (!this.tree) return null;
    const hits = this.tree.search(lon, lat, lon, lat);
    let found: IndexedGrid | null = null;
    for (const i of hits) {
      const g = this.grids[i]!;
      if (within && !g.path.startsWith(within)) continue;
      // grids should not overlap; if two do, the smaller id (the older grid) wins, whatever the tree's order
      if (containsPoint(g.geometry, lon, lat) && (!found || g.id < found.id)) found = g;
    }
    return found;
  }
}

export async function loadGridIndex(db: Db): Promise<GridIndex> {
  const rows = await gridBoundaries(db);
  return new GridIndex(rows.map((r) => ({ id: r.id, path: r.path, name: r.name, code: r.code, geometry: r.boundary as AreaGeometry })));
}

/** A lazily built, shared index; `invalidate()` after grids change. */
export function createGridLocator(db: Db, maxAgeMs = 5 * 60_000) {
  let current: { index: GridIndex; at: number } | null = null;
  let building: Promise<GridIndex> | null = null;
  async function index(): Promise<GridIndex> {
    if (current && Date.now() - current.at < maxAgeMs) return current.index;
    building ??= loadGridIndex(db).then((index) => { current = { index, at: Date.now() }; return index; }).finally(() => { building = null; });
    return building;
  }
  return {
    index,
    async lookup(lon: number, lat: number, within?: string) { return (await index()).lookup(lon, lat, within); },
    invalidate() { current = null; },
  };
}
export type GridLocator = ReturnType<typeof createGridLocator>;
