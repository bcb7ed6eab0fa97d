// Batch norm and copy dropout (docs/language.md "Normalization and dropout"): the reference's
// evaluation output against a direct computation from the running statistics; ref, tfjs and
// wgsl agree in evaluation with random running statistics; tfjs in training mode normalizes
// with the batch's statistics and moves the running ones as e3nn does (running = (1 - momentum)
// running + momentum batch, the variance biased); dropout is the identity in evaluation and
// drops whole copies, scaled by 1/(1 - p), in training.

import { describe, expect, it } from 'vitest';
import { compileSource } from '../../../compiler/compile.js';
import type { IRModule } from '../../../ir/types.js';
import { createRng } from '../../../stdlib/math/random.js';
import { evaluate } from '../../../targets/ref/evaluate.js';
import { batchNormStatistics, batchNormTraining, batchNormTrainingStep, runningUpdate } from '../../../targets/ref/ops/batchNorm.js';
import type { RuntimeBatch } from '../../../targets/io/inputs.js';
import { initialParams } from '../../../targets/io/params.js';
import { loadModel } from '../../../targets/tfjs/load.js';
import { useBackend } from '../../../targets/tfjs/ops/backend.js';
import { assignParams } from '../../../targets/tfjs/ops/weights.js';
import { batchValues, runGenerated } from '../../../targets/tfjs/runner.js';
import { runWgsl } from '../../../targets/wgsl/runner.js';
import { readSafetensors } from '../../../targets/io/safetensors.js';
import { parseDatasetJson, train } from '../../../targets/tfjs/train.js';
import { parseRunInput } from '../../../targets/io/inputs.js';

// x: 3x0e + 2x1o (dim 9). Copies: 3 scalars (weights 0..2, means 0..2), 2 vectors (weights 3, 4).
const SOURCE = `model Norms : E(3) {
  in x: node[3x0e + 2x1o]
  out y: node[3x0e + 2x1o]
  out z: node[3x0e + 2x1o]
  y = batch_norm(x, eps = 0.001, momentum = 0.2)
  z = dropout(x, p = 0.25)
}
`;
const DIM = 9;
const ROWS = 40;

function compiled(): IRModule {
  const r = compileSource(SOURCE);
  expect(r.diagnostics).toEqual([]);
  return r.ir[0]!;
}

function batchOf(seed: number): RuntimeBatch {
  const rng = createRng(seed);
  // Scalars with means away from 0 and scales away from 1, so the statistics matter.
  const x = Float64Array.from({ length: ROWS * DIM }, (_, i) => (i % DIM < 3 ? 2 + 3 * (i % DIM) + (1 + (i % DIM)) * rng.normal() : 1.5 * rng.normal()));
  const graphPtr = Int32Array.from([0, 15, ROWS]);
  const nodeGraph = new Int32Array(ROWS).map((_, i) => (i < 15 ? 0 : 1));
  return { numGraphs: 2, numNodes: ROWS, graphPtr, nodeGraph, values: new Map([['x', x]]), wrapped: true };
}

/** Weights, biases and running statistics all random (running variances positive). */
function randomParams(module: IRModule, seed: number): Map<string, Float64Array> {
  const rng = createRng(seed);
  const params = initialParams(module, seed);
  for (const p of module.params) {
    const v = params.get(p.name)!;
    for (let i = 0; i < v.length; i++) v[i] = p.role === 'running_var' ? 0.5 + rng.uniform() * 2 : p.role === 'running_mean' ? 3 * rng.normal() : 1 + 0.5 * rng.normal();
  }
  return params;
}

const names = { weight: 'y.weight', bias: 'y.bias', mean: 'y.running_mean', var: 'y.running_var' };

describe('batch norm in evaluation (ref, tfjs, wgsl)', () => {
  it('the reference is (x - running_mean) / sqrt(running_var + eps) * weight + bias per copy', () => {
    const module = compiled();
    expect(module.params.map((p) => [p.name, p.role, p.shape[0]])).toEqual([
      ['y.weight', 'weight', 5],
      ['y.bias', 'bias', 3],
      ['y.running_mean', 'running_mean', 3],
      ['y.running_var', 'running_var', 5],
    ]);
    const params = randomParams(module, 4);
    const batch = batchOf(1);
    const y = evaluate(module, batch, params).get('y')!;
    const x = batch.values.get('x')!;
    const [w, b, m, v] = [names.weight, names.bias, names.mean, names.var].map((n) => params.get(n)!);
    // Component c belongs to copy: 0, 1, 2 (scalars), then 3 (1o, components 3..5), 4 (6..8).
    const copy = [0, 1, 2, 3, 3, 3, 4, 4, 4];
    for (let r = 0; r < ROWS; r++) {
      for (let c = 0; c < DIM; c++) {
        const k = copy[c]!;
        const centred = k < 3 ? x[r * DIM + c]! - m![k]! : x[r * DIM + c]!;
        const want = (centred / Math.sqrt(v![k]! + 0.001)) * w![k]! + (k < 3 ? b![k]! : 0);
        expect(y[r * DIM + c]).toBeCloseTo(want, 12);
      }
    }
  });

  it('ref, tfjs and wgsl agree to 1e-5 with random running statistics; dropout is the identity', async () => {
    const module = compiled();
    const params = randomParams(module, 5);
    const batch = batchOf(2);
    const ref = evaluate(module, batch, params);
    expect(Array.from(ref.get('z')!)).toEqual(Array.from(batch.values.get('x')!));
    await useBackend('cpu');
    const model = await loadModel(module);
    assignParams(model.params, params);
    const tfOut = runGenerated(model, batch);
    const wgsl = await runWgsl(module, batch, params);
    for (const [name, want] of ref) {
      const scale = Math.max(...Array.from(want, Math.abs));
      for (const got of [tfOut.get(name)!, Float64Array.from(wgsl.get(name)!)]) {
        const err = Math.max(...Array.from(got, (g, i) => Math.abs(g - want[i]!)));
        expect(err / scale, name).toBeLessThan(1e-5);
      }
    }
  });
});

describe('training mode in tfjs', () => {
  it('normalizes with the batch statistics and moves the running statistics as e3nn (momentum 0.2)', async () => {
    const module = compiled();
    const params = randomParams(module, 6);
    const batch = batchOf(3);
    await useBackend('cpu');
    const model = await loadModel(module);
    assignParams(model.params, params);
    model.setTraining!(true);
    const out = runGenerated(model, batch);
    model.setTraining!(false);
    const node = module.nodes.find((n) => n.op === 'batch_norm')!;
    if (node.op !== 'batch_norm') throw new Error('no batch norm');
    const x = batch.values.get('x')!;
    const want = batchNormTraining(node.attrs, x, DIM, ROWS, params.get(names.weight)!, params.get(names.bias)!);
    const got = out.get('y')!;
    for (let i = 0; i < got.length; i++) expect(got[i]).toBeCloseTo(want[i]!, 4);
    // The running statistics after one training forward.
    const stats = batchNormStatistics(node.attrs, x, DIM, ROWS);
    const mean = runningUpdate(params.get(names.mean)!, stats.mean, 0.2);
    const variance = runningUpdate(params.get(names.var)!, stats.variance, 0.2);
    const rm = model.params[names.mean]!.dataSync();
    const rv = model.params[names.var]!.dataSync();
    mean.forEach((v, i) => expect(rm[i]).toBeCloseTo(v, 4));
    variance.forEach((v, i) => expect(rv[i]).toBeCloseTo(v, 4));
    // The batch really differs from the running statistics it started from.
    expect(Math.max(...Array.from(stats.mean, (v, i) => Math.abs(v - params.get(names.mean)![i]!)))).toBeGreaterThan(0.5);
    // Evaluation again reads the (updated) running statistics and leaves them alone.
    const evalOut = runGenerated(model, batch).get('y')!;
    expect(Array.from(model.params[names.var]!.dataSync())).toEqual(Array.from(rv));
    const updated = new Map(params);
    updated.set(names.mean, mean);
    updated.set(names.var, variance);
    const refEval = evaluate(module, batch, updated).get('y')!;
    for (let i = 0; i < evalOut.length; i++) expect(evalOut[i]).toBeCloseTo(refEval[i]!, 3);
  });

  it('dropout drops whole copies with probability p and scales the kept ones by 1/(1 - p)', async () => {
    const module = compiled();
    const batch = batchOf(4);
    await useBackend('cpu');
    const model = await loadModel(module);
    assignParams(model.params, randomParams(module, 7));
    model.setTraining!(true);
    const outs = [runGenerated(model, batch).get('z')!, runGenerated(model, batch).get('z')!];
    model.setTraining!(false);
    const x = batch.values.get('x')!;
    const copies: [number, number][] = [[0, 1], [1, 1], [2, 1], [3, 3], [6, 3]];
    let kept = 0;
    let total = 0;
    for (const z of outs) {
      for (let r = 0; r < ROWS; r++) {
        for (const [o, d] of copies) {
          // One factor per copy, 0 or 1/(1 - p): the same for each of its components.
          const factors = Array.from({ length: d }, (_, i) => z[r * DIM + o + i]! / x[r * DIM + o + i]!);
          for (const f of factors) expect(f).toBeCloseTo(factors[0]!, 5);
          expect([0, 1 / 0.75].some((v) => Math.abs(factors[0]! - v) < 1e-5)).toBe(true);
          kept += factors[0]! > 0 ? 1 : 0;
          total++;
        }
      }
    }
    // 400 copies, each kept with probability 0.75: 300 ± 8.7 (3.5 sigma: 30).
    expect(Math.abs(kept - 0.75 * total)).toBeLessThan(30);
    // Two forwards draw different masks.
    expect(Array.from(outs[0]!)).not.toEqual(Array.from(outs[1]!));
    // Evaluation: the identity again.
    expect(Array.from(runGenerated(model, batch).get('z')!)).toEqual(Array.from(x, (v) => Math.fround(v)));
  });
});

describe('train() (what `eqvc train` runs) with batch norm and dropout', () => {
  const TRAINED = `model Trained : E(3) {
  in pos: node[pos]
  in x: node[2x0e]
  out y: graph[1x0e]
  let g = radius_graph(pos, r = 1.5)
  let h = linear(concat(x, scatter(bessel(g.len, n = 4, cutoff = 1.5), g)), 4x0e)
  let n = batch_norm(h)
  y = pool(linear(dropout(silu(n), p = 0.1), 1x0e))
}
`;
  it('moves the running statistics (not by the optimizer), and keeps them in the weights file', async () => {
    const r = compileSource(TRAINED);
    expect(r.diagnostics).toEqual([]);
    const module = r.ir[0]!;
    await useBackend('cpu');
    const model = await loadModel(module);
    model.initParams(1);
    const rng = createRng(9);
    const graphs = Array.from({ length: 8 }, () => {
      const n = 5;
      return {
        pos: Array.from({ length: n }, () => [rng.uniform(), rng.uniform(), rng.uniform()]),
        x: Array.from({ length: n }, () => [3 + rng.normal(), rng.normal()]),
        targets: { y: [rng.normal()] },
      };
    });
    const data = parseDatasetJson({ graphs }, module, 'mse');
    train(model, data, { loss: 'mse', epochs: 2, lr: 0.01, batchSize: 4, emaDecay: 0.9 });
    const rm = Array.from(model.params['n.running_mean']!.dataSync());
    const rv = Array.from(model.params['n.running_var']!.dataSync());
    // 4 training steps at momentum 0.1 from (0, 1): 1 - 0.9^4 = 34% of the way to the batch statistics.
    expect(rm.some((v) => Math.abs(v) > 0.05)).toBe(true);
    expect(rv.some((v) => Math.abs(v - 1) > 0.05)).toBe(true);
    expect(model.mode!.training).toBe(false);
    const saved = readSafetensors(model.saveWeights());
    const names = [...saved.tensors.keys()];
    expect(names).toEqual(expect.arrayContaining(['n.weight', 'n.bias', 'n.running_mean', 'n.running_var']));
  });
});

// A value with no rows in training mode (an empty batch slice, the edges of graphs that have
// none): no statistics exist, so the output has no rows and the running statistics stay; a
// mean over no rows would be NaN and poison them for every later evaluation. The model's edge
// values also pass a linear with a bias and a layer norm: tfjs has no gradient for a (1, dim)
// parameter broadcast over 0 rows, so those skip it too (train() once threw there).
describe('batch norm in training mode on a value with no rows', () => {
  const EDGE_NORM = `model EdgeNorm : E(3) {
  in pos: node[pos]
  in x: node[2x0e]
  out y: graph[1x0e]
  let g = radius_graph(pos, r = 1.5)
  let m = batch_norm(linear(bessel(g.len, n = 4, cutoff = 1.5), 2x0e + 1x0e, bias = true), momentum = 0.3)
  y = pool(linear(concat(x, scatter(layer_norm(m), g)), 1x0e))
}
`;
  const edgeNorm = () => {
    const r = compileSource(EDGE_NORM);
    expect(r.diagnostics).toEqual([]);
    return r.ir[0]!;
  };
  // Single atoms have no edges; the pair within the radius has two.
  const lonely = { graphs: [{ pos: [[0, 0, 0]], x: [[1, 2]] }, { pos: [[5, 5, 5]], x: [[-1, 0.5]] }] };
  const paired = { graphs: [{ pos: [[0, 0, 0], [0.9, 0.2, 0]], x: [[1, 2], [0, 1]] }] };

  it('ref: the training step gives no rows and leaves the running statistics; with rows it is the statistics and e3nn\'s update', () => {
    const module = compiled();
    const node = module.nodes.find((n) => n.op === 'batch_norm')!;
    if (node.op !== 'batch_norm') throw new Error('no batch norm');
    const params = randomParams(module, 3);
    const running = { mean: params.get(names.mean)!, variance: params.get(names.var)! };
    const empty = batchNormTrainingStep(node.attrs, new Float64Array(0), DIM, 0, params.get(names.weight)!, params.get(names.bias)!, running);
    expect(empty.y.length).toBe(0);
    expect(Array.from(empty.runningMean!)).toEqual(Array.from(running.mean));
    expect(Array.from(empty.runningVar)).toEqual(Array.from(running.variance));
    expect(batchNormTraining(node.attrs, new Float64Array(0), DIM, 0, params.get(names.weight)!, params.get(names.bias)!).length).toBe(0);
    // The statistics of no rows are NaN: what the step must not fold into the running ones.
    expect(batchNormStatistics(node.attrs, new Float64Array(0), DIM, 0).variance.every(Number.isNaN)).toBe(true);
    const x = batchOf(2).values.get('x')!;
    const step = batchNormTrainingStep(node.attrs, x, DIM, ROWS, params.get(names.weight)!, params.get(names.bias)!, running);
    expect(Array.from(step.y)).toEqual(Array.from(batchNormTraining(node.attrs, x, DIM, ROWS, params.get(names.weight)!, params.get(names.bias)!)));
    expect(Array.from(step.runningVar)).toEqual(Array.from(runningUpdate(running.variance, batchNormStatistics(node.attrs, x, DIM, ROWS).variance, 0.2)));
  });

  it('tfjs: a training forward over graphs without edges is finite and leaves the running statistics; one with edges moves them', async () => {
    const module = edgeNorm();
    await useBackend('cpu');
    const model = await loadModel(module);
    model.initParams(2);
    const stats = () => [...model.params['m.running_mean']!.dataSync(), ...model.params['m.running_var']!.dataSync()];
    const before = stats();
    const batch = (json: unknown) => {
      const r = parseRunInput(json, module);
      if (!r.ok) throw new Error(r.errors.join('\n'));
      return r.batch;
    };
    model.setTraining!(true);
    const y = runGenerated(model, batch(lonely)).get('y')!;
    expect(y.length).toBe(2);
    expect(Array.from(y).every(Number.isFinite)).toBe(true);
    expect(stats()).toEqual(before);
    runGenerated(model, batch(paired));
    model.setTraining!(false);
    expect(stats().every(Number.isFinite)).toBe(true);
    expect(Math.max(...stats().map((v, i) => Math.abs(v - before[i]!)))).toBeGreaterThan(1e-3);
  });

  it('tfjs: train() steps on batches without edges keep every weight finite and the running statistics where they were', async () => {
    const module = edgeNorm();
    await useBackend('cpu');
    const model = await loadModel(module);
    model.initParams(4);
    const before = [...model.params['m.running_mean']!.dataSync(), ...model.params['m.running_var']!.dataSync()];
    const data = parseDatasetJson({ graphs: lonely.graphs.map((g, i) => ({ ...g, targets: { y: [i - 0.5] } })) }, module, 'mse');
    train(model, data, { loss: 'mse', epochs: 3, lr: 0.05, batchSize: 2 });
    expect([...model.params['m.running_mean']!.dataSync(), ...model.params['m.running_var']!.dataSync()]).toEqual(before);
    for (const [name, v] of Object.entries(model.params)) expect(Array.from(v.dataSync()).every(Number.isFinite), name).toBe(true);
  });
});
