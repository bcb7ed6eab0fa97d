// Values with no rows on tfjs (targets/tfjs/ops/emptyValues.ts): a batch whose graphs have
// nodes but no edges gives every edge op a (0, dim) input. tfjs failed on such values in three
// places that per-op guards used to step around, returning zeros cut off from the parameters:
// the gradient of a (1, d) operand broadcast over 0 rows, the wasm backend's Transpose and the
// cpu backend's Concat. One rule each now holds for every op, so the models run on empty edges
// as on any others: their outputs agree with the reference, and every parameter has a
// gradient (zero for those used on edges only, as in torch), on both backends.

import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { compile } from '../../../compiler/compile.js';
import type { IRModule } from '../../../ir/types.js';
import type { RuntimeBatch } from '../../../targets/io/inputs.js';
import { initialParams } from '../../../targets/io/params.js';
import { evaluate } from '../../../targets/ref/evaluate.js';
import { createRng } from '../../../stdlib/math/random.js';
import { sampleBatch } from '../../../targets/suite/sampleInputs.js';
import { batchGraphs, batchValues, runGenerated } from '../../../targets/tfjs/execute.js';
import { loadModel } from '../../../targets/tfjs/load.js';
import { useBackend } from '../../../targets/tfjs/ops/backend.js';
import { assignParams } from '../../../targets/tfjs/ops/weights.js';
import { relativeError } from './helpers.js';

const FIXTURE = 'test/fixtures/tfjs/edge_ops.eqv';
const MODELS = [FIXTURE, 'examples/bonded.eqv', 'examples/crystal_bonds.eqv', 'examples/periodic.eqv', 'examples/attention.eqv', 'examples/mace.eqv'];

/** The sampled batch with its edges taken away: given edges emptied, positions and cells spread 1000 times wider than any cutoff. */
function withoutEdges(module: IRModule, batch: RuntimeBatch): RuntimeBatch {
  const values = new Map(batch.values);
  for (const i of module.inputs) if (i.type.kind === 'points' || i.type.kind === 'cell') values.set(i.name, values.get(i.name)!.map((v) => v * 1000));
  const edges = batch.edges && new Map([...batch.edges].map(([k, g]) => [k, { src: new Int32Array(0), dst: new Int32Array(0), ...(g.shifts ? { shifts: new Int32Array(0) } : {}) }]));
  return { ...batch, values, ...(edges ? { edges } : {}) };
}

describe('tfjs on values with no rows', () => {
  for (const backend of ['cpu', 'wasm']) {
    it(`${backend}: a broadcast (1, d) operand over 0 rows has a zero gradient; an empty transpose and concat are empty`, async () => {
      await useBackend(backend);
      const b = tf.variable(tf.ones([1, 4]));
      const x = tf.zeros([0, 4]);
      for (const op of [tf.add, tf.sub, tf.mul, tf.div]) {
        const { grads } = tf.variableGrads(() => tf.sum(op(x, b)), [b]);
        expect(grads[b.name]!.shape).toEqual([1, 4]);
        expect(Array.from(grads[b.name]!.dataSync())).toEqual([0, 0, 0, 0]);
      }
      const t = tf.transpose(tf.zeros([0, 2, 3]), [0, 2, 1]);
      expect(t.shape).toEqual([0, 3, 2]);
      const c = tf.concat([tf.zeros([0, 2]), tf.zeros([0, 3])], 1);
      expect(c.shape).toEqual([0, 5]);
      expect(tf.slice(c, [0, 1], [0, 2]).shape).toEqual([0, 2]);
      b.dispose();
    });

    for (const file of MODELS) {
      it(`${backend}: ${file} on graphs without edges agrees with ref, and every parameter has a finite gradient`, async () => {
        await useBackend(backend);
        const module = compile(file).ir[0]!;
        const params = initialParams(module, 0);
        const batch = withoutEdges(module, sampleBatch(module, createRng(3), { nodes: [3, 2] }));
        const model = await loadModel(module);
        assignParams(model.params, params);
        const want = evaluate(module, batch, params);
        const got = runGenerated(model, batch);
        for (const [name, w] of want) expect(relativeError(got.get(name)!, w, 1e-3), `${name}`).toBeLessThan(1e-5);
        const trainable = Object.values(model.params).filter((v) => v.trainable);
        const inputs = model.makeInputs(batchValues(batch), batch.graphPtr, batchGraphs(batch));
        model.setTraining?.(true);
        const { value, grads } = tf.variableGrads(() => tf.addN(Object.values(model.forward(inputs)).map((t) => tf.sum(t))) as tf.Scalar, trainable);
        model.setTraining?.(false);
        expect(Number.isFinite(value.dataSync()[0]!)).toBe(true);
        expect(Object.keys(grads).sort()).toEqual(trainable.map((v) => v.name).sort());
        for (const [name, g] of Object.entries(grads)) expect(Array.from(g.dataSync()).every(Number.isFinite), name).toBe(true);
        tf.dispose([value, ...Object.values(grads), ...Object.values(inputs).flatMap((t) => (t instanceof tf.Tensor ? [t] : []))]);
      }, 60_000);
    }
  }
});
