import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { containsPoint, insideOf, selfIntersection, validateGeometry, type AreaGeometry, type Ring } from '../src/lib/geo.ts';
import { GridIndex, type IndexedGrid } from '../src/modules/registry/grid-index.ts';
import { idNumberProblem, isCreditCode, isMobile, withIdCheck } from '../src/modules/registry/identifiers.ts';

const square = (x: number, y: number, d: number): AreaGeometry => ({ type: 'Polygon', coordinates: [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]] });

describe('geometry checks', () => {
  it('accepts simple polygons and multipolygons; names the problem of a bad one', () => {
    expect('geometry' in validateGeometry(square(0, 0, 1))).toBe(true);
    expect('geometry' in validateGeometry({ type: 'MultiPolygon', coordinates: [square(0, 0, 1).coordinates, square(2, 0, 1).coordinates] })).toBe(true);
    const reason = (g: unknown) => ('reason' in validateGeometry(g) ? (validateGeometry(g) as { reason: string }).reason : null);
    expect(reason({ type: 'Point', coordinates: [1, 2] })).toMatch(/not Polygon/);
    expect(reason({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1]]] })).toMatch(/not closed/);
    expect(reason({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [0, 0]]] })).toMatch(/fewer than 4/);
    expect(reason({ type: 'Polygon', coordinates: [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]] })).toMatch(/intersects itself/);
    expect(reason({ type: 'Polygon', coordinates: [[[0, 0], [200, 0], [1, 1], [0, 0]]] })).toMatch(/outside lon/);
    expect(reason({ type: 'Polygon', coordinates: [[[0, 0], ['1', 0], [1, 1], [0, 0]]] })).toMatch(/numbers/);
    // a spike: the ring doubles back along its own edge
    expect(reason({ type: 'Polygon', coordinates: [[[0, 0], [2, 0], [1, 0], [1, 1], [0, 0]]] })).toMatch(/intersects itself/);
  });

  it('a convex polygon never intersects itself; swapping two non-adjacent vertices of a square always makes it cross', () => {
    fc.assert(fc.property(fc.integer({ min: 3, max: 40 }), fc.double({ min: 0.001, max: 1, noNaN: true }), (n, r) => {
      const ring: [number, number][] = [];
      for (let i = 0; i < n; i++) ring.push([r * Math.cos((2 * Math.PI * i) / n), r * Math.sin((2 * Math.PI * i) / n)]);
      ring.push(ring[0]!);
      expect(selfIntersection(ring)).toBeNull();
    }));
    expect(selfIntersection([[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]])).not.toBeNull();
  });

  it('points inside, outside and in holes', () => {
    const ring = (g: AreaGeometry) => (g.coordinates as Ring[])[0]!;
    const withHole: AreaGeometry = { type: 'Polygon', coordinates: [ring(square(0, 0, 4)), ring(square(1, 1, 2))] };
    expect(containsPoint(withHole, 0.5, 0.5)).toBe(true);
    expect(containsPoint(withHole, 2, 2)).toBe(false);
    expect(containsPoint(withHole, 5, 2)).toBe(false);
    expect(insideOf(square(0, 0, 1), square(0, 0, 2))).toBe(true); // shared edges are inside
    expect(insideOf(square(1.5, 1.5, 1), square(0, 0, 2))).toBe(false);
  });

  it('the index finds the same grid as a scan over every polygon', () => {
    const grids: IndexedGrid[] = [];
    for (let i = 0; i < 30; i++) for (let j = 0; j < 30; j++) grids.push({ id: i * 30 + j + 1, path: `/1/${i * 30 + j + 1}/`, name: `g${i}-${j}`, code: null, geometry: square(120 + i * 0.01, 30 + j * 0.01, 0.01) });
    const index = new GridIndex(grids);
    fc.assert(fc.property(fc.double({ min: 119.99, max: 120.31, noNaN: true }), fc.double({ min: 29.99, max: 30.31, noNaN: true }), (x, y) => {
      const scan = grids.filter((g) => containsPoint(g.geometry, x, y)).sort((a, b) => a.id - b.id)[0] ?? null;
      expect(index.lookup(x, y)?.id ?? null).toBe(scan?.id ?? null);
    }), { numRuns: 2000 });
    expect(index.lookup(120.005, 30.005, '/2/')).toBeNull(); // outside the asked subtree
  });
});

describe('identifiers', () => {
  it('GB 11643 ID numbers: check character, birth date, format', () => {
    expect(idNumberProblem('11010519491231002X')).toBeNull(); // the standard's own example
    expect(idNumberProblem('11010519491231002x')).toBeNull();
    expect(idNumberProblem('110105194912310021')).toBe('checksum');
    expect(idNumberProblem('110105194902300021')).toBe('birth_date');
    expect(idNumberProblem('11010519491231002')).toBe('format');
    fc.assert(fc.property(fc.stringMatching(/^\d{6}(19[5-9]\d|200\d)(0[1-9]|1[0-2])(0[1-9]|1\d|2[0-8])\d{3}$/), (first17) => {
      const id = withIdCheck(first17);
      expect(idNumberProblem(id)).toBeNull();
      const wrong = id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
      expect(idNumberProblem(wrong)).toBe('checksum');
    }));
  });

  it('mobile numbers and GB 32100 credit codes', () => {
    expect(isMobile('13912345678')).toBe(true);
    expect(isMobile('12912345678')).toBe(false);
    expect(isMobile('1391234567')).toBe(false);
    expect(isCreditCode('91350100M000100Y43')).toBe(true);
    expect(isCreditCode('91350100M000100Y44')).toBe(false);
    expect(isCreditCode('91350100M000100I43')).toBe(false); // I is not in the alphabet
  });
});
