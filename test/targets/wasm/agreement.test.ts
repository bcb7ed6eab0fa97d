// The wasm target against the float64 reference: every example on its run input, the bench
// workloads' kernels (convolution, blocked linear, fully connected tensor product, harmonics)
// on inputs big enough to split over threads, and each tensor-product mode. Tolerance: 1e-5
// of the output's largest magnitude (float32 against float64).

import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile, compileSource } from '../../../compiler/compile.js';
import type { IRModule } from '../../../ir/types.js';
import { createRng } from '../../../stdlib/math/random.js';
import { parseRunInput, type RuntimeBatch } from '../../../targets/io/inputs.js';
import { initialParams } from '../../../targets/io/params.js';
import { evaluate } from '../../../targets/ref/evaluate.js';
import { runWasmModule } from '../../../targets/wasm/evaluate.js';
import { WasmRuntime } from '../../../targets/wasm/runtime.js';
import { getRunner } from '../../../targets/registry.js';

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

function randomBatch(module: IRModule, nodes: number, graphs: number, seed: number, spread = 1): RuntimeBatch {
  const rng = createRng(seed);
  const per = nodes / graphs;
  const values = new Map<string, Float64Array>();
  for (const input of module.inputs) {
    const dim = input.type.kind === 'points' ? input.type.dim : input.type.kind === 'field' ? input.type.rep.dim : 0;
    values.set(input.name, Float64Array.from({ length: nodes * dim }, () => (input.type.kind === 'points' ? spread * (rng.uniform() - 0.5) : rng.normal())));
  }
  return { numGraphs: graphs, numNodes: nodes, graphPtr: Int32Array.from({ length: graphs + 1 }, (_, g) => g * per), nodeGraph: Int32Array.from({ length: nodes }, (_, i) => Math.floor(i / per)), values, wrapped: graphs > 1 };
}

const model = (file: string) => {
  const r = compile(file);
  if (!r.ok) throw new Error(`${file} does not compile`);
  return r.ir[0]!;
};

describe('wasm target agrees with ref', () => {
  const examples = fs.readdirSync('examples').filter((f) => f.endsWith('.eqv') && fs.existsSync(`examples/${f.replace('.eqv', '.input.json')}`));
  it.each(examples)('%s on its run input', async (f) => {
    const r = compile(`examples/${f}`);
    if (!r.ok) throw new Error('compile');
    for (const m of r.ir) {
      const p = parseRunInput(JSON.parse(fs.readFileSync(`examples/${f.replace('.eqv', '.input.json')}`, 'utf8')), m);
      if (!p.ok) throw new Error(p.errors.join('\n'));
      const params = initialParams(m, 1);
      const out = await getRunner('wasm')!(m, p.batch, params, {});
      expect(relErr(evaluate(m, p.batch, params), out)).toBeLessThan(1e-5);
    }
  });

  // Two runtimes: one thread, and three threads that split any kernel of 8 or more rows.
  const single = new WasmRuntime(1);
  const threaded = new WasmRuntime(3);
  threaded.pool.minRowsPerThread = 8;

  it.each(['w1', 'w1l', 'w2', 'w3', 'w4'])('bench model %s, one thread and three', (w) => {
    const m = model(`bench/models/${w}.eqv`);
    // Row models get 96 rows, so that their copies go through the transpose kernels (64 rows or more).
    const batch = w.startsWith('w1') ? randomBatch(m, 24, 2, 7) : randomBatch(m, 96, 4, 7);
    const params = initialParams(m, 3);
    const ref = evaluate(m, batch, params);
    const before = threaded.kernelCount;
    expect(relErr(ref, runWasmModule(single, m, batch, params))).toBeLessThan(1e-5);
    expect(relErr(ref, runWasmModule(threaded, m, batch, params))).toBeLessThan(1e-5);
    // The hot node ran as a generated kernel.
    expect(threaded.kernelCount).toBeGreaterThan(before);
  });

  const modes = ['uvw', 'uvu', 'uvv', 'uuw', 'uuu', 'uvuv'] as const;
  it.each(modes)('tensor product mode %s, shared weights and none', (mode) => {
    const weights = mode === 'uvw' ? ['shared'] : ['shared', 'none'];
    for (const wt of weights) {
      const src = `model M : O(3) {
  in  a: node[2x0e + 2x1o + 2x2e]
  in  b: node[2x0e + 2x1o]
  out y: node[${mode === 'uvuv' ? '4x0e + 4x1o + 4x1e + 4x2e' : mode === 'uuw' && wt === 'none' ? '1x0e + 1x1o + 1x1e + 1x2e' : '2x0e + 2x1o + 2x1e + 2x2e'}]
  y = tp(a, b, ${mode === 'uvuv' ? '4x0e + 4x1o + 4x1e + 4x2e' : mode === 'uuw' && wt === 'none' ? '1x0e + 1x1o + 1x1e + 1x2e' : '2x0e + 2x1o + 2x1e + 2x2e'}, mode = ${mode}, weights = ${wt})
}`;
      const r = compileSource(src, 'modes.eqv');
      if (!r.ok) throw new Error(`${mode} ${wt}: ${JSON.stringify(r.diagnostics.map((d) => d.message))}`);
      const m = r.ir[0]!;
      const batch = randomBatch(m, 13, 1, 11);
      const params = initialParams(m, 5);
      const before = threaded.kernelCount;
      expect(relErr(evaluate(m, batch, params), runWasmModule(threaded, m, batch, params))).toBeLessThan(1e-5);
      expect(threaded.kernelCount).toBe(before + 1);
    }
  });
});

// Harmonics of a large value read the runner's float64 rows and write float64 rows directly
// (no transpose kernels): rows not a multiple of 4, a zero vector, an odd output dim (lmax 2:
// the last component stored lane by lane), and a result a kernel reads (kept as columns).
describe('wasm harmonics on float64 rows', () => {
  const single = new WasmRuntime(1);
  const threaded = new WasmRuntime(3);
  threaded.pool.minRowsPerThread = 8;
  const sources = {
    'lmax 3': 'model M : O(3) {\n  in  v: node[1x1o]\n  out y: node[1x0e + 1x1o + 1x2e + 1x3o]\n  y = spherical_harmonics(v, lmax = 3)\n}',
    'lmax 2': 'model M : O(3) {\n  in  v: node[1x1o]\n  out y: node[1x0e + 1x1o + 1x2e]\n  y = spherical_harmonics(v, lmax = 2)\n}',
    'into a linear map': 'model M : O(3) {\n  in  v: node[1x1o]\n  out y: node[2x0e + 2x1o + 2x2e]\n  y = linear(spherical_harmonics(v, lmax = 2), 2x0e + 2x1o + 2x2e)\n}',
  };
  it.each(Object.keys(sources))('%s, 1,003 vectors, one thread and three', (name) => {
    const r = compileSource(sources[name as keyof typeof sources], 'sh.eqv');
    if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.diagnostics.map((d) => d.message))}`);
    const m = r.ir[0]!;
    const batch = randomBatch(m, 1003, 1, 17);
    const v = batch.values.get('v')!;
    v.fill(0, 3 * 500, 3 * 501);
    const params = initialParams(m, 2);
    const ref = evaluate(m, batch, params);
    for (const rt of [single, threaded]) {
      const profile = new Map<string, number>();
      expect(relErr(ref, runWasmModule(rt, m, batch, params, profile))).toBeLessThan(1e-5);
      // The vectors went in without a transpose kernel (and the result too, unless a kernel reads it).
      expect(profile.has('copy in kernel')).toBe(false);
      expect(profile.has('copy out kernel')).toBe(name === 'into a linear map');
      expect(profile.has('spherical_harmonics kernel')).toBe(true);
    }
  });
});

// Values of at least 64 rows cross into and out of wasm memory through the transpose kernels
// (float64 rows -> float32 columns, four rows and two components a step; float32 columns ->
// float32 rows by 4x4 shuffles): input and output dims that are odd, even and multiples of 4,
// rows not a multiple of 4, one thread and three.
describe('wasm copies through the transpose kernels', () => {
  const single = new WasmRuntime(1);
  const threaded = new WasmRuntime(3);
  threaded.pool.minRowsPerThread = 8;
  const cases: Record<string, [string, string]> = {
    'dim 3 -> 9': ['1x1o', '3x1o'],
    'dim 7 -> 8': ['1x0e + 2x1o', '2x0e + 2x1o'],
    'dim 8 -> 14': ['2x0e + 2x1o', '2x0e + 4x1o'],
  };
  it.each(Object.keys(cases))('%s, 1,001 rows', (name) => {
    const [rin, rout] = cases[name]!;
    const r = compileSource(`model M : O(3) {\n  in  x: node[${rin}]\n  out y: node[${rout}]\n  y = linear(x, ${rout})\n}`, 't.eqv');
    if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.diagnostics.map((d) => d.message))}`);
    const m = r.ir[0]!;
    const batch = randomBatch(m, 1001, 1, 5);
    const params = initialParams(m, 3);
    const ref = evaluate(m, batch, params);
    for (const rt of [single, threaded]) {
      const profile = new Map<string, number>();
      expect(relErr(ref, runWasmModule(rt, m, batch, params, profile))).toBeLessThan(1e-5);
      expect(profile.has('copy in kernel')).toBe(true);
      expect(profile.has('copy out kernel')).toBe(true);
    }
  });
});
