// `eqvc run --target tfjs [--backend cpu|wasm]`: the generated module, run on the batch with
// the given weights, in float32.

import * as tf from '@tensorflow/tfjs-core';
import type { IRModule } from '../../ir/types.js';
import type { RuntimeBatch } from '../io/inputs.js';
import type { ParamStore } from '../io/params.js';
import type { RunOptions } from '../target.js';
import { useBackend } from './ops/backend.js';
import { assignParams } from './ops/weights.js';
import { loadModel, type GeneratedModel } from './load.js';
import { centrePositions, uncentreOutputs } from '../io/centre.js';

export const NODE_BACKENDS = ['cpu', 'wasm'];

/** Values by input name for makeInputs. */
export function batchValues(batch: RuntimeBatch): Record<string, Float64Array> {
  return Object.fromEntries(batch.values);
}

/** Graph inputs' edges by name for makeInputs. */
export function batchGraphs(batch: RuntimeBatch): Record<string, { src: Int32Array; dst: Int32Array; shifts?: Int32Array }> {
  return Object.fromEntries(batch.edges ?? []);
}

/** Run a loaded model on a batch; outputs by name as float64 arrays (rows x dim). */
export function runGenerated(model: GeneratedModel, batch: RuntimeBatch): Map<string, Float64Array> {
  const outputs = tf.tidy(() => model.forward(model.makeInputs(batchValues(batch), batch.graphPtr, batchGraphs(batch))));
  const result = new Map<string, Float64Array>();
  for (const [name, t] of Object.entries(outputs)) {
    result.set(name, Float64Array.from(t.dataSync()));
    t.dispose();
  }
  return result;
}

export async function runTfjs(module: IRModule, batch: RuntimeBatch, params: ParamStore, options: RunOptions): Promise<Map<string, Float64Array>> {
  const backend = options.backend ?? 'wasm';
  if (!NODE_BACKENDS.includes(backend)) throw new Error(`the tfjs backend must be one of ${NODE_BACKENDS.join(', ')} in Node, got '${backend}'`);
  await useBackend(backend);
  const model = await loadedModel(module);
  assignParams(model.params, params);
  // float32: positions centred per graph in float64 first (targets/io/centre.ts).
  const centred = centrePositions(module, batch);
  return uncentreOutputs(module, centred, runGenerated(model, centred.batch));
}

/**
 * The generated module of an IR module, rendered, transpiled and imported once per module
 * object: the equivariance suites run the same model (and each mutant) on many batches, and
 * loading costs far more than a run. Weights are assigned again on every run.
 */
const loaded = new WeakMap<IRModule, Promise<GeneratedModel>>();

function loadedModel(module: IRModule): Promise<GeneratedModel> {
  let model = loaded.get(module);
  if (!model) {
    model = loadModel(module);
    loaded.set(module, model);
    model.catch(() => loaded.delete(module));
  }
  return model;
}
