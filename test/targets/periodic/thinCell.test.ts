// A cell almost degenerate (a lattice vector 1e-9 out of the plane of another): the periodic
// search's box of images around each atom spans ~1e20 bins, and ref and tfjs hung (the torch
// module ran out of memory) before the edge limit could stop them. The search now counts the
// bins it would visit and refuses such a cell, naming the graph and its heights.

import { describe, expect, it } from 'vitest';
import { CellError, neighbourSearch } from '../../../targets/io/neighbours.js';

const pos = Float64Array.of(0, 0, 0, 1.3, 1.25, 1.4);
const ptr = Int32Array.of(0, 2);

describe('periodic search on thin cells', () => {
  it('a nearly degenerate cell is refused with the graph and its heights', () => {
    const thin = Float64Array.of(2.7, 0, 0, 2.7, 1e-9, 0, 0.1, 2.6, 2.8);
    let error: unknown;
    try {
      neighbourSearch(pos, ptr, 3, 3, thin);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CellError);
    expect((error as Error).message).toMatch(/^the cell of graph 0 is too thin or skewed for r = 3: finding its neighbours would visit about 5\.4e\+20 periodic images \(its heights, the distances between opposite faces, are 7\.33e-10, 7\.33e-10, 2\.8;/);
  });

  it('an ordinary cell smaller than 2r still gets its edges', () => {
    const g = neighbourSearch(pos, ptr, 3, 3, Float64Array.of(2.7, 0, 0, 0.1, 2.6, 0, 0, 0.2, 2.8));
    expect(g.src.length).toBeGreaterThan(10);
    expect(g.shifts!.length).toBe(3 * g.src.length);
  });
});
