// Gradients of the generated tfjs modules (autograd through every lowered op) agree with
// central finite differences of the float64 reference evaluator, for a few weights of each
// parameter and for the input positions (the forces of a potential).

import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../../compiler/compile.js';
import type { IRModule } from '../../../ir/types.js';
import { createRng } from '../../../stdlib/math/random.js';
import { evaluate } from '../../../targets/ref/evaluate.js';
import type { RuntimeBatch } from '../../../targets/io/inputs.js';
import { initialParams } from '../../../targets/io/params.js';
import { loadModel, type GeneratedModel } from '../../../targets/tfjs/load.js';
import { useBackend } from '../../../targets/tfjs/ops/backend.js';
import { assignParams } from '../../../targets/tfjs/ops/weights.js';
import { batchValues } from '../../../targets/tfjs/runner.js';
import { randomBatch } from './helpers.js';

/** A fixed random linear functional of the outputs: the scalar whose gradient is compared. */
function probe(module: IRModule, batch: RuntimeBatch): Map<string, Float64Array> {
  const rng = createRng(99);
  const ref = evaluate(module, batch, initialParams(module, 1));
  return new Map([...ref].map(([name, v]) => [name, v.map(() => rng.normal())]));
}

function objectiveRef(module: IRModule, batch: RuntimeBatch, params: Map<string, Float64Array>, c: Map<string, Float64Array>): number {
  let s = 0;
  for (const [name, v] of evaluate(module, batch, params)) v.forEach((x, i) => (s += x * c.get(name)![i]!));
  return s;
}

function objectiveTf(outputs: Record<string, tf.Tensor2D>, c: Map<string, Float64Array>): tf.Scalar {
  let s: tf.Scalar = tf.scalar(0);
  for (const [name, t] of Object.entries(outputs)) s = tf.add(s, tf.sum(tf.mul(t, tf.tensor(Float32Array.from(c.get(name)!), t.shape)))) as tf.Scalar;
  return s;
}

const H = 1e-5;

// Dense enough that every node has neighbours: an isolated node's zero features sit on the
// kinks of |x| and max, where one-sided finite differences mean nothing.
const cases = [
  { file: 'examples/tetris.eqv', sizes: [4, 5], box: 1.6 },
  { file: 'examples/nequip.eqv', sizes: [5, 3], box: 1.6 },
  { file: 'examples/o3_pointcloud.eqv', sizes: [8], box: 0.7 },
  { file: 'examples/residual.eqv', sizes: [5, 4], box: 1.2 },
];

describe('tfjs gradients agree with finite differences of the reference', () => {
  for (const { file, sizes, box } of cases) {
    describe(file, () => {
      const module = compile(file).ir[0]!;
      const batch = randomBatch(module, sizes, 5, box);
      const params = initialParams(module, 2);
      const c = probe(module, batch);
      let model: GeneratedModel;
      beforeAll(async () => {
        await useBackend('cpu');
        model = await loadModel(module);
        assignParams(model.params, params);
      }, 120_000);

      it('for three weights of every parameter', () => {
        const { grads } = tf.variableGrads(() => objectiveTf(model.forward(model.makeInputs(batchValues(batch), batch.graphPtr)), c));
        const byVar = new Map(Object.entries(model.params).map(([name, v]) => [v.name, name]));
        const tfGrad = new Map(Object.entries(grads).map(([varName, g]) => [byVar.get(varName)!, g.dataSync()]));
        let checked = 0;
        for (const p of module.params) {
          const g = tfGrad.get(p.name)!;
          const n = params.get(p.name)!.length;
          for (const i of [0, Math.floor(n / 2), n - 1]) {
            const plus = new Map(params);
            const minus = new Map(params);
            plus.set(p.name, params.get(p.name)!.map((v, j) => (j === i ? v + H : v)));
            minus.set(p.name, params.get(p.name)!.map((v, j) => (j === i ? v - H : v)));
            const fd = (objectiveRef(module, batch, plus, c) - objectiveRef(module, batch, minus, c)) / (2 * H);
            const scale = Math.max(...g.map(Math.abs), 1e-3);
            expect(Math.abs(g[i]! - fd), `${p.name}[${i}]: tfjs ${g[i]} vs finite differences ${fd}`).toBeLessThan(2e-3 * scale);
            checked++;
          }
        }
        expect(checked).toBe(3 * module.params.length);
      });

      it('for the positions', () => {
        const inputs = model.makeInputs(batchValues(batch), batch.graphPtr);
        const posName = module.inputs.find((i) => i.type.kind === 'points')!.name;
        const grad = tf.grad((p: tf.Tensor) => objectiveTf(model.forward({ ...inputs, [posName]: p as tf.Tensor2D }), c))(inputs[posName]!).dataSync();
        const pos = batch.values.get(posName)!;
        const scale = Math.max(...grad.map(Math.abs), 1e-3);
        for (const i of [0, 4, pos.length - 1]) {
          const shifted = (d: number) => {
            const values = new Map(batch.values);
            values.set(posName, pos.map((v, j) => (j === i ? v + d : v)));
            return objectiveRef(module, { ...batch, values }, params, c);
          };
          const fd = (shifted(H) - shifted(-H)) / (2 * H);
          expect(Math.abs(grad[i]! - fd), `d/dpos[${i}]: tfjs ${grad[i]} vs ${fd}`).toBeLessThan(2e-3 * scale);
        }
      });
    });
  }
});
