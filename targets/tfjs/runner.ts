// `eqvc run --target tfjs [--backend cpu|wasm]`: the generated module, run on the batch with
// the given weights, in float32.

import type { IRModule } from '../../ir/types.js';
import type { RuntimeBatch } from '../io/inputs.js';
import type { ParamStore } from '../io/params.js';
import type { RunOptions } from '../target.js';
import { useBackend } from './ops/backend.js';
import { assignParams } from './ops/weights.js';
import { loadModel, type GeneratedModel } from './load.js';
import { runGenerated } from './execute.js';
import { centrePositions, uncentreOutputs } from '../io/centre.js';

export { batchValues, batchGraphs, runGenerated } from './execute.js';

export const NODE_BACKENDS = ['cpu', 'wasm'];

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
