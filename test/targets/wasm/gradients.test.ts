// Forces on the wasm target: `grad(e, pos)` runs the reference's reverse sweep with the VJPs of
// tensor products and linear maps as generated kernels (tensorProductBackward.ts, the dense
// kernel on transposed weights). Each tensor-product mode's VJP, per-edge weights included,
// is checked against the float64 reference's gradients.

import { describe, expect, it } from 'vitest';
import { compileSource } from '../../../compiler/compile.js';
import { createRng } from '../../../stdlib/math/random.js';
import type { RuntimeBatch } from '../../../targets/io/inputs.js';
import { initialParams } from '../../../targets/io/params.js';
import { evaluate, evaluateWithVjp } from '../../../targets/ref/evaluate.js';
import { runWasmForwardBackward, runWasmModule, type WasmProfile } from '../../../targets/wasm/evaluate.js';
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

describe('wasm forward+backward (the benchmark rows)', () => {
  it('d(Σ y)/d(h) of a convolution with per-edge weights matches the reference', () => {
    const r = compileSource(`model C : E(3) {
  in  pos: node[pos]
  in  h:   node[4x0e + 4x1o + 2x2e]
  out y:   node[4x0e + 4x1o + 2x2e]
  let g   = radius_graph(pos, r = 2.0)
  let sh  = spherical_harmonics(g.vec, lmax = 2)
  let rad = bessel(g.len, n = 4, cutoff = 2.0)
  y = scatter(tp(gather(h, g), sh, 4x0e + 4x1o + 2x2e, mode = uvu, weights = mlp(rad, hidden = [8])), g)
}`);
    if (!r.ok) throw new Error('compile');
    const m = r.ir[0]!;
    const rng = createRng(5);
    const n = 24;
    const b: RuntimeBatch = {
      numGraphs: 2,
      numNodes: n,
      graphPtr: Int32Array.from([0, 12, 24]),
      nodeGraph: Int32Array.from({ length: n }, (_, i) => (i < 12 ? 0 : 1)),
      values: new Map([
        ['pos', Float64Array.from({ length: 3 * n }, () => 2 * (rng.uniform() - 0.5))],
        ['h', Float64Array.from({ length: 26 * n }, () => rng.normal())],
      ]),
      wrapped: true,
    };
    const params = initialParams(m, 2);
    const rt = new WasmRuntime(2);
    rt.pool.minRowsPerThread = 8;
    // d/dh through the gather; d/dpos through the harmonics and the MLP's per-edge weights.
    for (const wrt of ['h', 'pos']) {
      const ref = evaluateWithVjp(m, b, params, {}, 'y', wrt);
      const profile: WasmProfile = new Map();
      const got = runWasmForwardBackward(rt, m, b, params, 'y', wrt, profile);
      expect(profile.get('tensor_product vjp kernel')).toBeGreaterThan(0);
      // The convolution ran fused: gather and sum as kernels, the product's inputs left in wasm
      // memory for its VJP, the output gradient gathered by a kernel (no reference loops).
      // Graphs of 12 nodes within r = 2 in a cube of side 2: senders are not sorted.
      expect(profile.get('conv gather kernel')).toBeGreaterThan(0);
      expect(profile.get('conv sum kernel')).toBeGreaterThan(0);
      expect(profile.has('gather js')).toBe(false);
      expect(profile.has('scatter js')).toBe(false);
      // d/dh: the gather's VJP (a sum at the senders) ran as a kernel too.
      expect(profile.has('conv gather vjp kernel')).toBe(wrt === 'h');
      const scale = Math.max(...ref.gradient.map(Math.abs));
      expect(scale).toBeGreaterThan(1e-3);
      let worst = 0;
      for (let i = 0; i < ref.gradient.length; i++) worst = Math.max(worst, Math.abs(ref.gradient[i]! - got.gradient[i]!) / scale);
      expect(worst).toBeLessThan(1e-5);
      const y = ref.outputs.get('y')!;
      const yScale = Math.max(...y.map(Math.abs));
      expect(Math.max(...got.outputs.get('y')!.map((v, i) => Math.abs(v - y[i]!))) / yScale).toBeLessThan(1e-5);
    }
  });
});
