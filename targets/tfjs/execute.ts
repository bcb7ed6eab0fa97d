// Running a loaded generated module on a batch, apart from loading it (load.ts, which needs
// Node and the TypeScript compiler): a page that bundles generated modules runs them with this.

import * as tf from '@tensorflow/tfjs-core';
import type { RuntimeBatch } from '../io/inputs.js';
import type { GeneratedModel } from './load.js';

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
