import gcoordModule from 'gcoord';

/**
 * Plane geometry for grids: GeoJSON polygons in WGS-84 (lon, lat). Grids are small (a few hundred
 * metres), so planar tests on degrees are exact enough for "which grid is this point in".
 */
export type Position = [number, number];
export type Ring = Position[];
export interface PolygonGeometry { type: 'Polygon'; coordinates: Ring[] }
export interface MultiPolygonGeometry { type: 'MultiPolygon'; coordinates: Ring[][] }
export type AreaGeometry = PolygonGeometry | MultiPolygonGeometry;
export type BBox = [minLon: number, minLat: number, maxLon: number, maxLat: number];
export type Crs = 'wgs84' | 'gcj02' | 'bd09';

// gcoord is CommonJS: at run time the default import is its exports object; its typings describe an ES default.
const gcoord = ((gcoordModule as unknown as { default?: unknown }).default ?? gcoordModule) as unknown as {
  transform<T>(input: T, from: unknown, to: unknown): T; WGS84: unknown; GCJ02: unknown; BD09: unknown;
};
const CRS = { wgs84: gcoord.WGS84, gcj02: gcoord.GCJ02, bd09: gcoord.BD09 } as const;

export function toWgs84Point(lon: number, lat: number, crs: Crs): Position {
  if (crs === 'wgs84') return [lon, lat];
  return gcoord.transform([lon, lat] as Position, CRS[crs], gcoord.WGS84);
}

/** Converts every position of a polygon to WGS-84, rounded to 1e-7° (about 1 cm). */
export function toWgs84(geometry: AreaGeometry, crs: Crs): AreaGeometry {
  const conv = (p: Position): Position => {
    const [x, y] = toWgs84Point(p[0], p[1], crs);
    return [Math.round(x * 1e7) / 1e7, Math.round(y * 1e7) / 1e7];
  };
  return geometry.type === 'Polygon'
    ? { type: 'Polygon', coordinates: geometry.coordinates.map((r) => r.map(conv)) }
    : { type: 'MultiPolygon', coordinates: geometry.coordinates.map((poly) => poly.map((r) => r.map(conv))) };
}

export const polygonsOf = (g: AreaGeometry): Ring[][] => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates);

export function bboxOf(g: AreaGeometry): BBox {
  let minX = Infinity; let minY = Infinity; let maxX = -Infinity; let maxY = -Infinity;
  for (const poly of polygonsOf(g)) for (const [x, y] of poly[0]!) {
    if (x < minX) minX = x; if (y < minY) minY = y; if (x > maxX) maxX = x; if (y > maxY) maxY = y;
  }
  return [minX, minY, maxX, maxY];
}

/** Even-odd ray casting on one ring. */
function inRing(x: number, y: number, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!; const [xj, yj] = ring[j]!;
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function onSegment(p: Position, a: Position, b: Position, eps = 1e-9): boolean {
  const cross = (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
  if (Math.abs(cross) > eps) return false;
  return p[0] >= Math.min(a[0], b[0]) - eps && p[0] <= Math.max(a[0], b[0]) + eps
    && p[1] >= Math.min(a[1], b[1]) - eps && p[1] <= Math.max(a[1], b[1]) + eps;
}

/** Inside the outer ring of some polygon and outside its holes. */
export function containsPoint(g: AreaGeometry, x: number, y: number): boolean {
  for (const poly of polygonsOf(g)) {
    if (!inRing(x, y, poly[0]!)) continue;
    if (poly.slice(1).some((hole) => inRing(x, y, hole))) continue;
    return true;
  }
  return false;
}

/** Inside, or on the boundary (for "is this grid inside its village": shared edges are allowed). */
export function coversPoint(g: AreaGeometry, p: Position): boolean {
  if (containsPoint(g, p[0], p[1])) return true;
  for (const poly of polygonsOf(g)) for (const ring of poly) {
    for (let i = 1; i < ring.length; i++) if (onSegment(p, ring[i - 1]!, ring[i]!)) return true;
  }
  return false;
}

const orient = (a: Position, b: Position, c: Position) => Math.sign((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]));

function segmentsIntersect(a: Position, b: Position, c: Position, d: Position): boolean {
  const o1 = orient(a, b, c); const o2 = orient(a, b, d); const o3 = orient(c, d, a); const o4 = orient(c, d, b);
  if (o1 !== o2 && o3 !== o4 && o1 !== 0 && o2 !== 0 && o3 !== 0 && o4 !== 0) return true;
  // touching or collinear overlap also makes a ring non-simple
  return (o1 === 0 && onSegment(c, a, b)) || (o2 === 0 && onSegment(d, a, b)) || (o3 === 0 && onSegment(a, c, d)) || (o4 === 0 && onSegment(b, c, d));
}

export interface GeometryProblem { reason: string }

const isPosition = (p: unknown): p is Position =>
  Array.isArray(p) && p.length >= 2 && typeof p[0] === 'number' && typeof p[1] === 'number' && Number.isFinite(p[0]) && Number.isFinite(p[1]);

/**
 * Checks a GeoJSON geometry for use as an area boundary: a Polygon or MultiPolygon whose rings have at
 * least four positions, are closed (first = last), lie within lon/lat bounds and do not cross themselves.
 * Returns the geometry (positions cut to lon, lat) or the first problem found.
 */
export function validateGeometry(input: unknown): { geometry: AreaGeometry } | GeometryProblem {
  const g = input as { type?: unknown; coordinates?: unknown } | null;
  if (!g || typeof g !== 'object') return { reason: 'no geometry' };
  if (g.type !== 'Polygon' && g.type !== 'MultiPolygon') return { reason: `geometry type ${String(g.type)} is not Polygon or MultiPolygon` };
  const polys = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as unknown[];
  if (!Array.isArray(polys) || polys.length === 0) return { reason: 'no coordinates' };
  const out: Ring[][] = [];
  for (const [pi, poly] of polys.entries()) {
    if (!Array.isArray(poly) || poly.length === 0) return { reason: `polygon ${pi} has no rings` };
    const rings: Ring[] = [];
    for (const [ri, ring] of (poly as unknown[]).entries()) {
      const where = `${g.type === 'MultiPolygon' ? `polygon ${pi} ` : ''}ring ${ri}`;
      if (!Array.isArray(ring) || !ring.every(isPosition)) return { reason: `${where}: positions must be [lon, lat] numbers` };
      const r = (ring as Position[]).map((p) => [p[0], p[1]] as Position);
      if (r.some(([x, y]) => x < -180 || x > 180 || y < -90 || y > 90)) return { reason: `${where}: a position is outside lon −180…180 / lat −90…90` };
      if (r.length < 4) return { reason: `${where}: fewer than 4 positions` };
      const first = r[0]!; const last = r[r.length - 1]!;
      if (first[0] !== last[0] || first[1] !== last[1]) return { reason: `${where}: ring is not closed (first position ≠ last)` };
      const crossing = selfIntersection(r);
      if (crossing) return { reason: `${where}: ring intersects itself (segments ${crossing[0]} and ${crossing[1]})` };
      rings.push(r);
    }
    out.push(rings);
  }
  return { geometry: g.type === 'Polygon' ? { type: 'Polygon', coordinates: out[0]! } : { type: 'MultiPolygon', coordinates: out } };
}

/** The first pair of non-adjacent segments that touch or cross, or null for a simple ring. */
export function selfIntersection(ring: Ring): [number, number] | null {
  const n = ring.length - 1; // segments
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (j === i + 1 || (i === 0 && j === n - 1)) {
        // adjacent segments share one end; they still must not fold back onto each other
        const shared = j === i + 1 ? ring[j]! : ring[0]!;
        const [a, b] = j === i + 1 ? [ring[i]!, ring[j + 1]!] : [ring[1]!, ring[n - 1]!];
        if (orient(a, shared, b) === 0 && (onSegment(a, shared, b) || onSegment(b, a, shared))) return [i, j];
        continue;
      }
      if (segmentsIntersect(ring[i]!, ring[i + 1]!, ring[j]!, ring[j + 1]!)) return [i, j];
    }
  }
  return null;
}

/** Every outer-ring position of `inner` lies inside or on `outer` (vertex test: exact for convex parents, close otherwise). */
export function insideOf(inner: AreaGeometry, outer: AreaGeometry): boolean {
  return polygonsOf(inner).every((poly) => poly[0]!.every((p) => coversPoint(outer, p)));
}

/** Area-weighted centre of the largest outer ring, for labels and map markers. */
export function centroidOf(g: AreaGeometry): Position {
  let best: Ring = polygonsOf(g)[0]![0]!; let bestArea = 0;
  for (const poly of polygonsOf(g)) {
    const a = Math.abs(ringArea(poly[0]!));
    if (a > bestArea) { bestArea = a; best = poly[0]!; }
  }
  let cx = 0; let cy = 0; let a2 = 0;
  for (let i = 0; i < best.length - 1; i++) {
    const [x0, y0] = best[i]!; const [x1, y1] = best[i + 1]!;
    const f = x0 * y1 - x1 * y0;
    cx += (x0 + x1) * f; cy += (y0 + y1) * f; a2 += f;
  }
  if (a2 === 0) return best[0]!;
  return [cx / (3 * a2), cy / (3 * a2)];
}

function ringArea(r: Ring): number {
  let s = 0;
  for (let i = 0; i < r.length - 1; i++) s += r[i]![0] * r[i + 1]![1] - r[i + 1]![0] * r[i]![1];
  return s / 2;
}
