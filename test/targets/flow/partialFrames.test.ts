// A grid2d input whose rows are not whole frames is refused when the input is read, naming the
// input and graph, for every target alike: the wgsl host ran the partial frame and printed a
// row of zeros, while ref, tfjs and torch stopped (each with its own words).

import { describe, expect, it } from 'vitest';
import { compile } from '../../../compiler/compile.js';
import { parseRunInput } from '../../../targets/io/inputs.js';

describe('grid2d rows that are not whole frames', () => {
  const module = compile('examples/flow_tracker.eqv').ir[0]!;
  const frame = (t: number) => Array.from({ length: 25 }, (_, i) => [Math.sin(i + t)]);

  it('a partial frame in the second graph is an input error naming it', () => {
    const r = parseRunInput({ graphs: [{ frames: [...frame(0), ...frame(1)] }, { frames: [...frame(0), [1], [2]] }] }, module);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors).toEqual(['input frames in graph 1 has 27 rows, not a whole number of 5x5 frames: a grid2d input needs a multiple of 25 rows (one per cell of every frame)']);
  });

  it('whole frames are read', () => {
    const r = parseRunInput({ frames: [...frame(0), ...frame(1), ...frame(2)] }, module);
    expect(r.ok && r.batch.graphPtr[1]).toBe(75);
  });
});
