// eqv's batch_norm against real e3nn 0.5.6 nn.BatchNorm(irreps, eps, momentum, affine=True,
// reduce='mean', instance=False, normalization='component') (test/fixtures/e3nn/batch_norm.json,
// float64): three training steps from random weights, biases and running statistics (the
// output of each step and the running statistics after it), then evaluation with the updated
// statistics. The input has 0o scalars, which e3nn does not centre (only 0e). normalization='norm'
// has no eqv form (eqv's batch_norm is the component one), so it is not checked.
// The float64 reference: its training kernels to 1e-10, its forward (evaluation) to 1e-10;
// tfjs in training mode (setTraining) and evaluation to 1e-5.

import { describe, expect, it } from 'vitest';
import type { IRModule } from '../../../ir/types.js';
import { batchNormStatistics, batchNormTraining, runningUpdate } from '../../../targets/ref/ops/batchNorm.js';
import { loadModel } from '../../../targets/tfjs/load.js';
import { useBackend } from '../../../targets/tfjs/ops/backend.js';
import { assignParams } from '../../../targets/tfjs/ops/weights.js';
import { runGenerated } from '../../../targets/tfjs/runner.js';
import { compileOne, fixtureParams, nodeBatch, readFixture, refOutput, scaledError } from './harness.js';

type Rows = number[][];
interface BatchNormFixture {
  irreps: string;
  eps: number;
  momentum: number;
  params: Record<string, number[]>;
  training_steps: { x: Rows; y: Rows; running_mean: number[]; running_var: number[] }[];
  eval: { x: Rows; y: Rows };
}

const fx = readFixture<BatchNormFixture>('batch_norm.json');
const SOURCE = `model M : O(3) {
  in x: node[${fx.irreps}]
  out y: node[${fx.irreps}]
  y = batch_norm(x, eps = ${fx.eps}, momentum = ${fx.momentum})
}
`;

function node(module: IRModule) {
  const n = module.nodes.find((v) => v.op === 'batch_norm');
  if (!n || n.op !== 'batch_norm') throw new Error('no batch_norm node');
  return n;
}

describe('batch_norm against e3nn 0.5.6 nn.BatchNorm (component, instance=False)', () => {
  it('uses e3nn parameter names and sizes (weight, bias, running_mean, running_var)', () => {
    const module = compileOne(SOURCE);
    expect(module.params.map((p) => [p.name, p.shape.reduce((a, b) => a * b, 1)])).toEqual(Object.entries(fx.params).map(([k, v]) => [k, v.length]));
  });

  it('reference: training outputs and running statistics of three steps, then evaluation, to 1e-10', () => {
    const module = compileOne(SOURCE);
    const attrs = node(module).attrs;
    const dim = fx.training_steps[0]!.x[0]!.length;
    const params = fixtureParams(module, fx.params);
    let mean = params.get('y.running_mean')!;
    let variance = params.get('y.running_var')!;
    for (const step of fx.training_steps) {
      const x = Float64Array.from(step.x.flat());
      const rows = step.x.length;
      const y = batchNormTraining(attrs, x, dim, rows, params.get('y.weight')!, params.get('y.bias'));
      expect(scaledError(y, step.y.flat())).toBeLessThan(1e-10);
      const stats = batchNormStatistics(attrs, x, dim, rows);
      mean = runningUpdate(mean, stats.mean, fx.momentum);
      variance = runningUpdate(variance, stats.variance, fx.momentum);
      expect(scaledError(mean, step.running_mean)).toBeLessThan(1e-10);
      expect(scaledError(variance, step.running_var)).toBeLessThan(1e-10);
    }
    params.set('y.running_mean', mean);
    params.set('y.running_var', variance);
    expect(scaledError(refOutput(module, nodeBatch({ x: fx.eval.x }), params), fx.eval.y.flat())).toBeLessThan(1e-10);
  });

  it('tfjs: setTraining(true) for three forwards, then evaluation, to 1e-5', async () => {
    const module = compileOne(SOURCE);
    await useBackend('cpu');
    const model = await loadModel(module);
    assignParams(model.params, fixtureParams(module, fx.params));
    model.setTraining!(true);
    for (const step of fx.training_steps) {
      const y = runGenerated(model, nodeBatch({ x: step.x })).get('y')!;
      expect(scaledError(y, step.y.flat())).toBeLessThan(1e-5);
      expect(scaledError(model.params['y.running_mean']!.dataSync(), step.running_mean)).toBeLessThan(1e-5);
      expect(scaledError(model.params['y.running_var']!.dataSync(), step.running_var)).toBeLessThan(1e-5);
    }
    model.setTraining!(false);
    const y = runGenerated(model, nodeBatch({ x: fx.eval.x })).get('y')!;
    expect(scaledError(y, fx.eval.y.flat())).toBeLessThan(1e-5);
  });
});
