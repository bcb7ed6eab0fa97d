// Sparse tensor products (SPHNet's learned path gates): ref and tfjs apply the gates alike; a
// pruned model (services/prune.ts) gives the gated model's outputs with fewer weights; the
// three-phase schedule (targets/tfjs/sparsity.ts) trains the shipped tetris_sparse example to
// full accuracy at the target sparsity, and `eqvc prune` writes the pruned files.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile, compileSource } from '../../../compiler/compile.js';
import type { IRModule } from '../../../ir/types.js';
import { PruneError, pruneModel } from '../../../services/prune.js';
import { createRng } from '../../../stdlib/math/random.js';
import { initialParams, loadParams, paramsToTensors } from '../../../targets/io/params.js';
import { readSafetensors, writeSafetensors } from '../../../targets/io/safetensors.js';
import { evaluate } from '../../../targets/ref/evaluate.js';
import { loadModel } from '../../../targets/tfjs/load.js';
import { useBackend } from '../../../targets/tfjs/ops/backend.js';
import { assignParams } from '../../../targets/tfjs/ops/weights.js';
import { runGenerated } from '../../../targets/tfjs/runner.js';
import { PathSparsity } from '../../../targets/tfjs/sparsity.js';
import { evaluateMetrics, parseDatasetJson, train } from '../../../targets/tfjs/train.js';
import { tetrisGraphs } from '../../../examples/tetris_data.js';
import { getRunner } from '../../../targets/registry.js';
import { randomBatch, relativeError } from '../tfjs/helpers.js';
import { eqvc } from '../../cli/harness.js';

const FILE = 'examples/tetris_sparse.eqv';
const SOURCE = fs.readFileSync(FILE, 'utf8');
const gatedModule = compile(FILE).ir[0]!;

/** Random gates, and masks that switch off every third path of each gated product. */
function sparseParams(module: IRModule, seed: number): Map<string, Float64Array> {
  const params = initialParams(module, seed);
  const rng = createRng(seed + 1);
  for (const p of module.params) {
    const v = params.get(p.name)!;
    if (p.role === 'path_gate') v.forEach((_, i) => (v[i] = 0.5 + rng.uniform()));
    if (p.role === 'path_mask') v.forEach((_, i) => (v[i] = i % 3 === 1 ? 0 : 1));
  }
  return params;
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]!)));
const maxAbs = (a: ArrayLike<number>) => Math.max(...Array.from(a, Math.abs));

describe('sparse tensor products', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('tfjs applies gates and masks as the reference does (1e-5)', async () => {
    const params = sparseParams(gatedModule, 2);
    const model = await loadModel(gatedModule);
    assignParams(model.params, params);
    const batch = randomBatch(gatedModule, [5, 4], 3);
    const expected = evaluate(gatedModule, batch, params).get('y')!;
    const got = runGenerated(model, batch).get('y')!;
    expect(relativeError(got, expected)).toBeLessThan(1e-5);
    // The gates matter: with every gate at 1 the outputs differ.
    const ones = new Map(params);
    for (const p of gatedModule.params) if (p.role === 'path_gate') ones.set(p.name, new Float64Array(p.shape[0]!).fill(1));
    expect(maxDiff(evaluate(gatedModule, batch, ones).get('y')!, expected)).toBeGreaterThan(1e-3 * maxAbs(expected));
  }, 60_000);

  for (const target of ['wasm', 'wgsl']) {
    it(`the ${target} target folds the gates as the reference does (1e-5, float32 kernels)`, async () => {
      const params = sparseParams(gatedModule, 7);
      const batch = randomBatch(gatedModule, [4, 5], 9);
      const expected = evaluate(gatedModule, batch, params).get('y')!;
      const got = (await getRunner(target)!(gatedModule, batch, params, {})).get('y')!;
      expect(maxDiff(got, expected)).toBeLessThan(1e-5 * maxAbs(expected));
    }, 60_000);
  }

  it('a pruned model gives the gated outputs (1e-6) with fewer weights and a smaller weights file', () => {
    const params = sparseParams(gatedModule, 4);
    const pruned = pruneModel(gatedModule, { path: FILE, text: SOURCE }, params);
    expect(pruned.source).not.toContain('gates = learned');
    expect(pruned.source).toMatch(/paths = \[0, 2, 3, 5,/);
    const prunedModule = compileSource(pruned.source, FILE).ir[0]!;
    expect(prunedModule.nodes.some((n) => n.op === 'tensor_product' && n.attrs.gated)).toBe(false);
    expect(prunedModule.params.some((p) => p.role === 'path_gate' || p.role === 'path_mask')).toBe(false);
    for (const seed of [5, 6]) {
      const batch = randomBatch(gatedModule, [6, 3], seed);
      const a = evaluate(gatedModule, batch, params).get('y')!;
      const b = evaluate(prunedModule, batch, pruned.params).get('y')!;
      expect(maxDiff(a, b)).toBeLessThan(1e-6 * maxAbs(a));
    }
    expect(pruned.summary.weightsAfter).toBeLessThan(pruned.summary.weightsBefore);
    const bytes = (m: IRModule, p: Map<string, Float64Array>) => writeSafetensors(paramsToTensors(m, p)).length;
    expect(bytes(prunedModule, pruned.params)).toBeLessThan(0.8 * bytes(gatedModule, params));
    // A mask that removes everything is refused, not written.
    const off = new Map(params);
    for (const p of gatedModule.params) if (p.role === 'path_mask') off.set(p.name, new Float64Array(p.shape[0]!));
    expect(() => pruneModel(gatedModule, { path: FILE, text: SOURCE }, off)).toThrow(PruneError);
  });

  it('the schedule runs in thirds and keeps a path into every output block', async () => {
    const model = await loadModel(gatedModule);
    model.initParams(0);
    const s = new PathSparsity(model.params, model.paramSpecs, 0.9, 9, createRng(1));
    expect([1, 3, 4, 6, 7, 9].map((e) => s.phaseOf(e))).toEqual([1, 1, 2, 2, 3, 3]);
    s.beginEpoch(4);
    // Each interaction product has 4 output blocks: 0.9 of 18 paths would leave 2, the blocks keep 4.
    for (const spec of model.paramSpecs.filter((p) => p.sparsity === 'path_mask')) {
      const mask = Array.from(model.params[spec.name]!.dataSync());
      const blocks = new Set(spec.pathOutputs!.filter((_, i) => mask[i] === 1));
      expect(blocks.size).toBe(new Set(spec.pathOutputs).size);
    }
    expect(() => new PathSparsity(model.params, model.paramSpecs, 1, 9, createRng(1))).toThrow(/below 1/);
  }, 60_000);

  it('trains tetris_sparse to full accuracy at sparsity 0.5 through tfjs, and eqvc prune keeps its outputs', async () => {
    await useBackend('wasm');
    const model = await loadModel(gatedModule);
    model.initParams(0);
    const data = parseDatasetJson({ graphs: tetrisGraphs(2, 3) }, gatedModule, 'cross_entropy');
    const result = train(model, data, { loss: 'cross_entropy', epochs: 60, lr: 0.02, batchSize: 4, sparsity: 0.5 });
    const metrics = evaluateMetrics(model, data, { loss: 'cross_entropy' });
    expect(metrics.accuracy).toBe(1);
    // 9 of 18 paths in each interaction, 2 of 3 in the scalar readout (one per block at least).
    expect(result.sparsity!).toBeCloseTo(20 / 42, 6);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eqv-sparse-'));
    const weights = path.join(dir, 'gated.safetensors');
    fs.writeFileSync(weights, model.saveWeights());
    const r = await eqvc('prune', FILE, '--weights', weights, '--out', path.join(dir, 'pruned'), '--dtype', 'float64');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/kept 9 of 18 paths/);
    const prunedModule = compile(path.join(dir, 'pruned', 'tetris_sparse.eqv')).ir[0]!;
    const loaded = loadParams(prunedModule, readSafetensors(fs.readFileSync(path.join(dir, 'pruned', 'tetris_sparse.safetensors'))).tensors);
    const gated = loadParams(gatedModule, readSafetensors(fs.readFileSync(weights)).tensors);
    if (!loaded.ok || !gated.ok) throw new Error('weights do not load');
    const batch = randomBatch(gatedModule, [5, 4], 8);
    const a = evaluate(gatedModule, batch, gated.params).get('y')!;
    const b = evaluate(prunedModule, batch, loaded.params).get('y')!;
    expect(maxDiff(a, b)).toBeLessThan(1e-6 * maxAbs(a));
    expect(fs.statSync(path.join(dir, 'pruned', 'tetris_sparse.safetensors')).size).toBeLessThan(fs.statSync(weights).size);
  }, 120_000);

  it('eqvc train --sparsity on a model without gates is a usage error', async () => {
    const r = await eqvc('train', 'examples/tetris_chiral.eqv', '--data', 'examples/tetris.train.json', '--out', path.join(os.tmpdir(), 'never.safetensors'), '--loss', 'cross_entropy', '--sparsity', '0.5', '--epochs', '1');
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('`gates = learned`');
  });
});
