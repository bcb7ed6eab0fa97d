// The sum at receivers (targets/wasm/kernels/graph.ts, segmentSumKernel) against a float64 sum
// in JavaScript: runs of 0 to 11 edges (the 4-wide loop, the scalar tail, and nodes with no
// edges), dims with and without a partial group of SEGMENT_SUM_COLUMNS columns, column strides
// that differ between the edge and node values, on one thread and on three (threads own nodes).

import { describe, expect, it } from 'vitest';
import { createRng } from '../../../stdlib/math/random.js';
import { SEGMENT_SUM_COLUMNS, segmentSumKernel } from '../../../targets/wasm/kernels/graph.js';
import { WasmRuntime } from '../../../targets/wasm/runtime.js';

const pad4 = (n: number) => Math.ceil(n / 4) * 4;

describe('wasm segment sum kernel', () => {
  const single = new WasmRuntime(1);
  const threaded = new WasmRuntime(3);
  threaded.pool.minRowsPerThread = 8;

  it.each([
    [1, single],
    [SEGMENT_SUM_COLUMNS, single],
    [2 * SEGMENT_SUM_COLUMNS + 3, single],
    [2 * SEGMENT_SUM_COLUMNS + 3, threaded],
  ] as const)('sums each node run of %i columns', (dim, rt) => {
    const rng = createRng(dim);
    const nodes = 37;
    const runs = Array.from({ length: nodes }, (_, n) => (n * 7 + 3) % 12);
    const edges = runs.reduce((a, b) => a + b, 0);
    const ptr = new Int32Array(pad4(nodes) + 1);
    for (let n = 0; n < nodes; n++) ptr[n + 1] = ptr[n]! + runs[n]!;
    for (let n = nodes; n < pad4(nodes); n++) ptr[n + 1] = edges;
    rt.reset();
    // Edge columns with a stride beyond the edges (a padded arena), node columns with another.
    const mStride = pad4(edges) + 8;
    const oStride = pad4(nodes) + 4;
    const pp = rt.alloc(4 * ptr.length);
    const mp = rt.alloc(4 * mStride * dim);
    const op = rt.alloc(4 * oStride * dim);
    const f = rt.f32;
    new Int32Array(rt.memory.buffer, pp, ptr.length).set(ptr);
    const m = Float64Array.from({ length: dim * mStride }, () => Math.fround(rng.normal()));
    f.set(m, mp / 4);
    f.fill(Number.NaN, op / 4, op / 4 + oStride * dim);
    const k = rt.kernel(`test-segsum:${dim}:${mp}:${op}:${pp}:${mStride}:${oStride}`, () => segmentSumKernel({ ptr: mp, colBytes: 4 * mStride }, { ptr: op, colBytes: 4 * oStride }, pp, dim));
    rt.pool.run(k, pad4(nodes), edges);
    const g = rt.f32;
    for (let c = 0; c < dim; c++) {
      for (let n = 0; n < nodes; n++) {
        let want = 0;
        for (let e = ptr[n]!; e < ptr[n + 1]!; e++) want += m[c * mStride + e]!;
        expect(Math.abs(g[op / 4 + c * oStride + n]! - want)).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(want)));
      }
      // The padded node rows own no edges: zero, never left unwritten.
      for (let n = nodes; n < pad4(nodes); n++) expect(g[op / 4 + c * oStride + n]).toBe(0);
      // Nothing written past the node rows' padding.
      expect(Number.isNaN(g[op / 4 + c * oStride + pad4(nodes)]!)).toBe(true);
    }
  });
});
