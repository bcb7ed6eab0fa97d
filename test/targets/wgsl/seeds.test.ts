// The seeds' grid and frame layers on wgsl: sphere activations with a grid wider than llvmpipe's
// 65,535 loop iterations per invocation (the quadrature loop repeats its body), a different
// output degree than input, chunked frame averaging, and the same runtime error as the
// reference evaluator for a graph without a unique PCA frame. The examples' agreement and their
// generated suites run in agreement.test.ts and test/generated/.

import { describe, expect, it } from 'vitest';
import { compile, compileSource } from '../../../compiler/compile.js';
import { evaluate } from '../../../targets/ref/evaluate.js';
import type { RuntimeBatch } from '../../../targets/io/inputs.js';
import { initialParams } from '../../../targets/io/params.js';
import { planModule } from '../../../targets/wgsl/lower.js';
import { runWgsl, wgslModel } from '../../../targets/wgsl/runner.js';
import { DEFAULT_STYLE } from '../../../targets/wgsl/plan.js';
import { wgslRefusal } from '../../../targets/wgsl/refuses.js';
import { decodeF32, encodeF32 } from '../../../targets/wgsl/tableData.js';
import { sphereActMatrices } from '../../../stdlib/nn/sphereActivation.js';
import { randomBatch, relativeError } from './helpers.js';

const TOLERANCE = 1e-5;

describe('constant tables', () => {
  it('round-trip float32 values exactly through base64', () => {
    const values = [0, -0, 1, -0.1, 3.4e38, 1e-40, Math.PI, -2.5e-8];
    const back = decodeF32(encodeF32(values));
    expect(Array.from(back)).toEqual(values.map((v) => Math.fround(v)));
    expect(decodeF32(encodeF32(new Float64Array(70_000).fill(0.5))).length).toBe(70_000);
  });
});

describe('sphere activations on wgsl', () => {
  // 200 x 400 = 80,000 grid points: one quadrature sum per output component is longer than the loop limit.
  const wide = compileSource(
    `model WideSphere : O(3) {
  in x: node[2x0e + 2x1o + 2x2e]
  out a: node[2x0e + 2x1o + 2x2e]
  out b: node[1x0e + 1x1o]
  a = sphere_act(x, act = silu, resolution = 200)
  b = sphere_mlp(x, hidden = [4], out = 1, lmax = 1, resolution = 200)
}
`,
    'wide-sphere.eqv',
  );

  it('plans the grid matrices as shared tables and repeats the quadrature loop for a wide grid', () => {
    expect(wide.ok, wide.ok ? '' : wide.diagnostics.map((d) => d.message).join('; ')).toBe(true);
    const plan = planModule(wide.ir[0]!);
    // One harmonics table (degree 2) and two quadrature tables (degrees 2 and 1) of the same grid.
    expect(plan.tables!.map((t) => [t.name, t.length])).toEqual([
      ['sphere_grid_200x400.Y2', 9 * 80_000],
      ['sphere_grid_200x400.wY2', 80_000 * 9],
      ['sphere_grid_200x400.wY1', 80_000 * 4],
    ]);
    // The tables are the reference's matrices in float32, exactly.
    const m = sphereActMatrices({ lmaxIn: 2, lmaxOut: 1, nTheta: 200, nPhi: 400 });
    const Y = decodeF32(plan.tables![0]!.data);
    const wY1 = decodeF32(plan.tables![2]!.data);
    for (const k of [0, 1, 77_777, 9 * 80_000 - 1]) expect(Y[k]).toBe(Math.fround(m.toGrid[k]!));
    for (const k of [0, 5, 123_457, 4 * 80_000 - 1]) expect(wY1[k]).toBe(Math.fround(m.fromGrid[k]!));
    const back = plan.kernels.filter((k) => k.name.endsWith('sphere_back'));
    expect(back.map((k) => k.summary)).toEqual([expect.stringContaining('80000 points, loop body x4'), expect.stringContaining('80000 points, loop body x4')]);
  });

  it('agrees with the reference evaluator on the wide grid', async () => {
    const m = wide.ir[0]!;
    const params = initialParams(m, 5);
    const batch = randomBatch(m, 11, 2, (g) => 2 + g, 1);
    const ref = evaluate(m, batch, params);
    const got = await runWgsl(m, batch, params);
    for (const [name, expected] of ref) expect(relativeError(got.get(name) ?? [], expected), name).toBeLessThan(TOLERANCE);
  });
});

describe('frame averaging on wgsl', () => {
  const model = compile('examples/frame_averaged.eqv').ir[0]!;
  const params = initialParams(model, 2);

  it('is no longer refused', () => {
    expect(wgslRefusal(model)).toBeUndefined();
    expect(wgslRefusal(compile('examples/sphere_act.eqv').ir[0]!)).toBeUndefined();
  });

  it('agrees with the reference evaluator when its kernels run in chunks of rows', async () => {
    const batch = randomBatch(model, 3, 3, (g) => 6 + 3 * g, 2);
    const ref = evaluate(model, batch, params);
    const got = await runWgsl(model, batch, params, { maxBindingBytes: 16_384 });
    for (const [name, expected] of ref) expect(relativeError(got.get(name) ?? [], expected), name).toBeLessThan(TOLERANCE);
    // 27 nodes of 256 floats per row (the 8 frames' hidden layers) in 16 KiB windows: chunked.
    expect((await wgslModel(model, DEFAULT_STYLE, { maxBindingBytes: 16_384 })).lastRun!.chunkedKernels).toBeGreaterThan(0);
  });

  it('agrees with the reference evaluator in the naive kernel style (its MLP layers are dense kernels)', async () => {
    const batch = randomBatch(model, 5, 2, (g) => 5 + g, 2);
    const ref = evaluate(model, batch, params);
    const got = await runWgsl(model, batch, params, { style: { linear: 'naive', tensorProduct: 'naive', conv: 'unfused' } });
    for (const [name, expected] of ref) expect(relativeError(got.get(name) ?? [], expected), name).toBeLessThan(TOLERANCE);
  });

  it('agrees with the reference evaluator when the batch runs in parts (the host frames sliced with it)', async () => {
    const framedConv = compileSource(
      `model FramedConv : E(3) {
  in pos: node[pos]
  in z: node[2x0e]
  out y: node[4x0e + 2x1o]
  let h = frame_average(pos, z, out = 4x0e + 2x1o, hidden = [8])
  let g = radius_graph(pos, r = 1.5)
  y = scatter(gather(h, g), g)
}
`,
      'framed-conv.eqv',
    );
    expect(framedConv.ok, framedConv.ok ? '' : framedConv.diagnostics.map((d) => d.message).join('; ')).toBe(true);
    const m = framedConv.ir[0]!;
    const p = initialParams(m, 1);
    const batch = randomBatch(m, 6, 3, () => 100, 6);
    const ref = evaluate(m, batch, p);
    // The gathered node features (10 floats a node) are bound whole: 10 KiB hold 255 nodes, so 3 graphs of 100 run in 2 parts.
    const options = { maxBindingBytes: 10_240 };
    const got = await runWgsl(m, batch, p, options);
    expect((await wgslModel(m, DEFAULT_STYLE, options)).lastRun!.parts).toBe(2);
    for (const [name, expected] of ref) expect(relativeError(got.get(name) ?? [], expected), name).toBeLessThan(TOLERANCE);
  });

  it('a graph without a unique frame fails with the reference evaluator\'s message', async () => {
    const batch: RuntimeBatch = randomBatch(model, 4, 2, () => 4, 2);
    // Graph 1: a square, symmetric about its normal (two equal eigenvalues).
    batch.values.get('pos')!.set([1, 0, 0, 0, 1, 0, -1, 0, 0, 0, -1, 0], 12);
    let refMessage = '';
    try {
      evaluate(model, batch, params);
    } catch (e) {
      refMessage = (e as Error).message;
    }
    expect(refMessage).toMatch(/^%\d+ \(frame_average, examples\/frame_averaged.eqv:15\): frame_average: graph 1 \(4 points\) has no unique PCA frame/);
    await expect(runWgsl(model, batch, params)).rejects.toThrow(refMessage);
  });
});
