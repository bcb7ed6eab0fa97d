// The copy-major convolution kernel (targets/wasm/kernels/convolution.ts) against the float64
// reference: a convolution whose gathered node features it reads in place through the edge
// index (no gather kernel), on one thread and three; a uvu product over plain columns; and the
// products it leaves to the per-path kernel (lmax 3 harmonics, a second input with two copies).

import { describe, expect, it } from 'vitest';
import { compileSource } from '../../../compiler/compile.js';
import type { IRModule } from '../../../ir/types.js';
import { createRng } from '../../../stdlib/math/random.js';
import type { RuntimeBatch } from '../../../targets/io/inputs.js';
import { initialParams } from '../../../targets/io/params.js';
import { evaluate } from '../../../targets/ref/evaluate.js';
import { runWasmModule } from '../../../targets/wasm/evaluate.js';
import { convolutionCopies, convolutionKernel } from '../../../targets/wasm/kernels/convolution.js';
import { encodeModule } from '../../../targets/wasm/encoder/module.js';
import { blockLayout } from '../../../stdlib/nn/layout.js';
import { WasmRuntime } from '../../../targets/wasm/runtime.js';

function relErr(a: Map<string, Float64Array>, b: Map<string, Float64Array>): number {
  let worst = 0;
  for (const [k, v] of a) {
    const w = b.get(k)!;
    expect(w.length).toBe(v.length);
    let scale = 1e-30;
    for (const x of v) scale = Math.max(scale, Math.abs(x));
    for (let i = 0; i < v.length; i++) worst = Math.max(worst, Math.abs(v[i]! - w[i]!) / scale);
  }
  return worst;
}

function batchFor(module: IRModule, nodes: number, graphs: number, seed: number): RuntimeBatch {
  const rng = createRng(seed);
  const per = nodes / graphs;
  const values = new Map<string, Float64Array>();
  for (const input of module.inputs) {
    const dim = input.type.kind === 'points' ? input.type.dim : input.type.kind === 'field' ? input.type.rep.dim : 0;
    values.set(input.name, Float64Array.from({ length: nodes * dim }, () => (input.type.kind === 'points' ? 1.6 * (rng.uniform() - 0.5) : rng.normal())));
  }
  return { numGraphs: graphs, numNodes: nodes, graphPtr: Int32Array.from({ length: graphs + 1 }, (_, g) => g * per), nodeGraph: Int32Array.from({ length: nodes }, (_, i) => Math.floor(i / per)), values, wrapped: graphs > 1 };
}

function compiled(src: string): IRModule {
  const r = compileSource(src, 'conv.eqv');
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics.map((d) => d.message)));
  return r.ir[0]!;
}

const conv = (features: string, lmax: number) => `model M : E(3) {
  in  pos: node[pos]
  in  h:   node[${features}]
  out y:   node[${features}]
  let g   = radius_graph(pos, r = 0.9)
  let sh  = spherical_harmonics(g.vec, lmax = ${lmax})
  let rad = bessel(g.len, n = 6, cutoff = 0.9)
  let m   = tp(gather(h, g), sh, ${features}, mode = uvu, weights = mlp(rad, hidden = [8]))
  y = scatter(m, g)
}`;

describe('copy-major convolution kernel', () => {
  const single = new WasmRuntime(1);
  const threaded = new WasmRuntime(3);
  threaded.pool.minRowsPerThread = 8;

  it('reads gathered node features through the edge index, one thread and three', () => {
    // Three copies (an odd count: the copy loop is not unrolled by 4) and 2 graphs of 21 nodes.
    const m = compiled(conv('3x0e + 3x1o + 3x2e', 2));
    const batch = batchFor(m, 42, 2, 5);
    const params = initialParams(m, 4);
    const ref = evaluate(m, batch, params);
    for (const rt of [single, threaded]) {
      const profile = new Map<string, number>();
      expect(relErr(ref, runWasmModule(rt, m, batch, params, profile))).toBeLessThan(1e-5);
      expect(profile.has('conv kernel')).toBe(true);
      // No gathered edge columns were written, and the radial basis went into wasm memory
      // as float32 columns (radialColumns.ts), not through a copy-in transpose.
      expect(profile.has('conv gather kernel')).toBe(false);
      expect(profile.has('radial_basis js')).toBe(true);
      expect(profile.has('copy in kernel')).toBe(false);
    }
  });

  it('takes lmax 3 harmonics (16 components) as the grouped schedule, gathered in place, one thread and three', () => {
    const m = compiled(conv('2x0e + 2x1o + 2x2e', 3));
    const batch = batchFor(m, 24, 2, 6);
    const params = initialParams(m, 4);
    const ref = evaluate(m, batch, params);
    for (const rt of [single, threaded]) {
      const profile = new Map<string, number>();
      expect(relErr(ref, runWasmModule(rt, m, batch, params, profile))).toBeLessThan(1e-5);
      expect(profile.has('conv kernel')).toBe(true);
      expect(profile.has('conv gather kernel')).toBe(false);
    }
  });

  it('computes a uvu product with lmax 3 harmonics of plain columns (grouped schedule; shared and no weights)', () => {
    for (const weights of ['shared', 'none']) {
      const m = compiled(`model M : O(3) {
  in  a: node[3x0e + 3x1o + 3x2e]
  in  b: node[1x0e + 1x1o + 1x2e + 1x3o]
  out y: node[3x0e + 3x1o + 3x2e + 3x3e]
  y = tp(a, b, 3x0e + 3x1o + 3x2e + 3x3e, mode = uvu, weights = ${weights})
}`);
      const tp = m.nodes.find((n) => n.op === 'tensor_product')!;
      if (tp.op !== 'tensor_product' || tp.type.kind !== 'field') throw new Error('no tensor product');
      const shape = { in1: blockLayout(tp.attrs.in1), in2: blockLayout(tp.attrs.in2), out: blockLayout(tp.type.rep) };
      expect(convolutionCopies(tp.attrs, m.tables, shape)).toBe(3);
      const cols = (ptr: number) => ({ ptr, colBytes: 160 });
      const gen = () => encodeModule({ initial: 1 }, [convolutionKernel(tp.attrs, m.tables, shape, { x1: { kind: 'columns', cols: cols(0) }, x2: cols(8192), out: cols(16384), weights: { kind: 'shared', ptr: 32768 } })]);
      const bytes = gen();
      expect(WebAssembly.validate(bytes)).toBe(true);
      expect(gen()).toEqual(bytes);
      const batch = batchFor(m, 37, 1, 11);
      const params = initialParams(m, 3);
      const ref = evaluate(m, batch, params);
      // Four output blocks (3e from 1o x 3o and 2e x 2e), each reached from several x1 blocks: stores, then adds.
      for (const rt of [single, threaded]) {
        const profile = new Map<string, number>();
        expect(relErr(ref, runWasmModule(rt, m, batch, params, profile))).toBeLessThan(1e-5);
        expect(profile.has('tensor_product kernel')).toBe(true);
      }
    }
  });

  it('computes a uvu product of plain columns (shared weights; no weights), and a two-copy second input', () => {
    for (const [b, weights, copyMajor] of [
      ['1x0e + 1x1o + 1x2e', 'shared', true],
      ['1x0e + 1x1o', 'none', true],
      ['2x0e + 2x1o', 'shared', false],
    ] as const) {
      const m = compiled(`model M : O(3) {
  in  a: node[4x0e + 4x1o + 4x2e]
  in  b: node[${b}]
  out y: node[4x0e + 4x1o + 4x2e]
  y = tp(a, b, 4x0e + 4x1o + 4x2e, mode = uvu, weights = ${weights})
}`);
      const tp = m.nodes.find((n) => n.op === 'tensor_product')!;
      if (tp.op !== 'tensor_product' || tp.type.kind !== 'field') throw new Error('no tensor product');
      const shape = { in1: blockLayout(tp.attrs.in1), in2: blockLayout(tp.attrs.in2), out: blockLayout(tp.type.rep) };
      expect(convolutionCopies(tp.attrs, m.tables, shape)).toBe(copyMajor ? 4 : undefined);
      if (copyMajor) {
        // Deterministic bytes: the same kernel generated twice encodes identically, and validates.
        const cols = (ptr: number) => ({ ptr, colBytes: 160 });
        const gen = () => encodeModule({ initial: 1 }, [convolutionKernel(tp.attrs, m.tables, shape, { x1: { kind: 'gathered', cols: cols(0), indexPtr: 65536 }, x2: cols(8192), out: cols(16384), weights: { kind: 'shared', ptr: 32768 } })]);
        const bytes = gen();
        expect(WebAssembly.validate(bytes)).toBe(true);
        expect(gen()).toEqual(bytes);
      }
      const batch = batchFor(m, 37, 1, 9);
      const params = initialParams(m, 2);
      const ref = evaluate(m, batch, params);
      for (const rt of [single, threaded]) expect(relErr(ref, runWasmModule(rt, m, batch, params))).toBeLessThan(1e-5);
    }
  });
});
