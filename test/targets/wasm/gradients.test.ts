// Forces on the wasm target: `grad(e, pos)` runs the reference's reverse sweep with the VJPs of
// tensor products and linear maps as generated kernels (tensorProductBackward.ts, the dense
// kernel on transposed weights). Each tensor-product mode's VJP, per-edge weights included,
// is checked against the float64 reference's gradients.

import { describe, expect, it } from 'vitest';
import { compileSource } from '../../../compiler/compile.js';
import { createRng } from '../../../stdlib/math/random.js';
import type { RuntimeBatch } from '../../../targets/io/inputs.js';
import { initialParams } from '../../../targets/io/params.js';
import { evaluate } from '../../../targets/ref/evaluate.js';
import { runWasmModule, type WasmProfile } from '../../../targets/wasm/evaluate.js';
import { WasmRuntime } from '../../../targets/wasm/runtime.js';

const source = (mode: string, weights: string) => `model M : E(3) {
  in  pos: node[pos]
  in  h:   node[2x0e + 2x1o]
  out energy: graph[1x0e]
  out forces: node[1x1o]
  let g  = radius_graph(pos, r = 2.0)
  let sh = spherical_harmonics(g.vec, lmax = 2)
  // A first convolution, so that the next product's first input depends on the positions too.
  let pre = scatter(tp(gather(h, g), sh, 2x0e + 2x1o, mode = uvu, weights = shared), g)
  let x  = linear(gather(pre, g), 2x0e + 2x1o)
  let m  = tp(x, sh, ${mode === 'uvuv' ? '2x0e + 2x1o + 2x1e + 2x2e' : '2x0e + 2x1o'}, mode = ${mode}, weights = ${weights})
  let s  = linear(scatter(m, g), 1x0e)
  let e  = pool(s, reduce = sum)
  energy = e
  forces = -grad(e, pos)
}`;

function batch(seed: number): RuntimeBatch {
  const rng = createRng(seed);
  const n = 10;
  const pos = Float64Array.from({ length: 3 * n }, () => 2 * (rng.uniform() - 0.5));
  const h = Float64Array.from({ length: 8 * n }, () => rng.normal());
  return { numGraphs: 2, numNodes: n, graphPtr: Int32Array.from([0, 5, 10]), nodeGraph: Int32Array.from({ length: n }, (_, i) => (i < 5 ? 0 : 1)), values: new Map([['pos', pos], ['h', h]]), wrapped: true };
}

describe('wasm forces', () => {
  const rt = new WasmRuntime(2);
  rt.pool.minRowsPerThread = 8;
  const cases: [string, string][] = [
    ['uvu', 'mlp(bessel(g.len, n = 4, cutoff = 2.0), hidden = [8])'],
    ['uvu', 'shared'],
    ['uvuv', 'shared'],
    ['uvw', 'shared'],
  ];
  it.each(cases)('tp mode %s, weights %s: forces match the reference gradient', (mode, weights) => {
    const r = compileSource(source(mode, weights), 'forces.eqv');
    if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
    const m = r.ir[0]!;
    const b = batch(3);
    const params = initialParams(m, 2);
    const ref = evaluate(m, b, params).get('forces')!;
    const profile: WasmProfile = new Map();
    const got = runWasmModule(rt, m, b, params, profile).get('forces')!;
    let scale = 0;
    let err = 0;
    for (let i = 0; i < ref.length; i++) {
      scale = Math.max(scale, Math.abs(ref[i]!));
      err = Math.max(err, Math.abs(ref[i]! - got[i]!));
    }
    expect(scale).toBeGreaterThan(1e-3);
    expect(err / scale).toBeLessThan(1e-5);
    // The VJPs ran as kernels, not as the reference's loops.
    expect(profile.get('tensor_product vjp kernel')).toBeGreaterThan(0);
    expect(profile.get('linear vjp kernel')).toBeGreaterThan(0);
  });
});
