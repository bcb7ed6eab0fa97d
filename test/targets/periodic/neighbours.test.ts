// The host's shared neighbour search (targets/io/neighbours.ts): cell lists against the
// all-pairs search over every image, open and periodic, small cells (several images of the same
// pair) and positions outside the cell; the edge vectors of a periodic graph against a direct
// enumeration of images; lattice translations of one atom leave the edge vectors unchanged.

import { describe, expect, it } from 'vitest';
import { allPairsSearch, neighbourSearch, type NeighbourGraph } from '../../../targets/io/neighbours.js';
import { createRng } from '../../../stdlib/math/random.js';

function cloud(seed: number, n: number, dim: number, extent: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n * dim }, () => (rng.uniform() - 0.3) * extent);
}

/** Edges as sorted "src dst shift" strings with their vectors, for comparing two searches. */
function edgeList(g: NeighbourGraph, dim: number): string[] {
  return Array.from(g.src, (s, e) => `${s} ${g.dst[e]} ${g.shifts ? Array.from(g.shifts.subarray(e * dim, e * dim + dim)).join(',') : ''}`);
}

const TRICLINIC = Float64Array.from([2.1, 0, 0, 0.4, 1.9, 0, -0.3, 0.5, 2.4]);

describe('neighbourSearch (cell lists)', () => {
  it('finds the all-pairs edges, in the same order, on open clouds of 1 to 400 points', () => {
    for (const [n, seed] of [[1, 1], [7, 2], [60, 3], [400, 4]] as const) {
      const pos = cloud(seed, n, 3, 6);
      const ptr = Int32Array.from([0, n]);
      const a = neighbourSearch(pos, ptr, 1.3, 3);
      const b = allPairsSearch(pos, ptr, 1.3, 3);
      expect(edgeList(a, 3)).toEqual(edgeList(b, 3));
      if (n === 400) expect(a.src.length).toBeGreaterThan(400);
    }
  });

  it('finds every periodic image within r, in a triclinic cell smaller than 2r, with positions outside the cell', () => {
    const pos = cloud(5, 9, 3, 5); // spread over about two cells in each direction
    const ptr = Int32Array.from([0, 4, 9]);
    const cell = Float64Array.from([...TRICLINIC, 3, 0, 0, 0, 3, 0, 0, 0, 3]);
    const a = neighbourSearch(pos, ptr, 2.5, 3, cell);
    const b = allPairsSearch(pos, ptr, 2.5, 3, cell);
    expect(edgeList(a, 3)).toEqual(edgeList(b, 3));
    // A one-atom graph sees its own images: in the 3x3x3 cube with r = 2.5 none (the nearest is 3 away);
    // with r = 3.5 its 6 face neighbours.
    const one = neighbourSearch(Float64Array.from([0.2, 0.3, 0.4]), Int32Array.from([0, 1]), 3.5, 3, Float64Array.from([3, 0, 0, 0, 3, 0, 0, 0, 3]));
    expect(one.src.length).toBe(6);
    expect(Array.from(one.shifts!)).toEqual([-1, 0, 0, 0, -1, 0, 0, 0, -1, 0, 0, 1, 0, 1, 0, 1, 0, 0]);
  });

  it('matches the all-pairs search on a 2D cell (E(2)), in a cell smaller than 2r', () => {
    const pos2 = cloud(6, 12, 2, 4);
    const cell2 = Float64Array.from([1.7, 0.2, -0.4, 1.5]);
    const ptr2 = Int32Array.from([0, 12]);
    expect(edgeList(neighbourSearch(pos2, ptr2, 1.9, 2, cell2), 2)).toEqual(edgeList(allPairsSearch(pos2, ptr2, 1.9, 2, cell2), 2));
  });

  it('gives edge vectors that do not change when an atom moves by a lattice vector (only its shifts do)', () => {
    const pos = cloud(8, 6, 3, 2.5);
    const ptr = Int32Array.from([0, 6]);
    const vectors = (p: Float64Array) => {
      const g = neighbourSearch(p, ptr, 2.2, 3, TRICLINIC);
      return Array.from(g.src, (s, e) => {
        const d = g.dst[e]!;
        const v = [0, 1, 2].map((c) => p[s * 3 + c]! - p[d * 3 + c]! + [0, 1, 2].reduce((t, k) => t + g.shifts![e * 3 + k]! * TRICLINIC[k * 3 + c]!, 0));
        return `${s} ${d} ${v.map((x) => x.toFixed(9)).join(',')}`;
      }).sort();
    };
    const moved = Float64Array.from(pos);
    for (let c = 0; c < 3; c++) moved[2 * 3 + c]! += TRICLINIC[3 + c]! - 2 * TRICLINIC[6 + c]!;
    expect(vectors(moved)).toEqual(vectors(pos));
    expect(vectors(pos).length).toBeGreaterThan(6);
  });

  it('refuses a degenerate cell, naming the graph', () => {
    const cell = Float64Array.from([1, 0, 0, 2, 0, 0, 0, 0, 1]);
    expect(() => neighbourSearch(Float64Array.from([0, 0, 0]), Int32Array.from([0, 1]), 1, 3, cell)).toThrow(/the cell of graph 0 is degenerate/);
  });
});
