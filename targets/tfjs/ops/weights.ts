// A generated module's parameters as tf.Variables: e3nn's initialization (the same numbers as
// targets/io/params.ts draws for a seed), and safetensors files loaded into and saved from
// the variables, matched by name or alias like every other target.

import * as tf from '@tensorflow/tfjs-core';
import type { IRParam } from '../../../ir/types.js';
import { initialParams, loadParams, paramsToTensors } from '../../io/params.js';
import { readSafetensors, writeSafetensors } from '../../io/safetensors.js';

/** `running`: a batch norm's running statistic, updated by training forwards, not by optimizers. */
export type ParamSpec = Pick<IRParam, 'name' | 'shape' | 'init' | 'node' | 'aliases' | 'statistic'> & { readonly running?: boolean; readonly sparsity?: 'path_gate' | 'path_mask'; readonly pathOutputs?: readonly number[] };

/** One variable per parameter (trainable unless a running statistic), zero until initialized or loaded. */
export function createParams<K extends string>(specs: readonly (ParamSpec & { name: K })[]): Record<K, tf.Variable> {
  const out = {} as Record<K, tf.Variable>;
  for (const p of specs) out[p.name] = tf.variable(tf.zeros(p.shape as number[]), !p.running);
  return out;
}

/** Assign values (float64 arrays by name) to the variables. */
export function assignParams(params: Readonly<Record<string, tf.Variable>>, values: ReadonlyMap<string, Float64Array>): void {
  for (const [name, v] of Object.entries(params)) {
    const data = values.get(name);
    if (!data) throw new Error(`parameter ${name} has no value`);
    v.assign(tf.tensor(Float32Array.from(data), v.shape));
  }
}

/** e3nn's initialization from a seed: weights N(0, 1) in parameter order, biases 0. */
export function initParams(params: Readonly<Record<string, tf.Variable>>, specs: readonly ParamSpec[], seed: number): void {
  assignParams(params, initialParams({ params: specs as IRParam[] }, seed));
}

/** The variables' current values as float64 arrays by name. */
export function readParams(params: Readonly<Record<string, tf.Variable>>): Map<string, Float64Array> {
  const out = new Map<string, Float64Array>();
  for (const [name, v] of Object.entries(params)) out.set(name, Float64Array.from(v.dataSync()));
  return out;
}

/** Load a safetensors file; every problem (missing, unexpected, wrong size) is reported at once. */
export function loadWeights(params: Readonly<Record<string, tf.Variable>>, specs: readonly ParamSpec[], bytes: Uint8Array): void {
  const loaded = loadParams({ params: specs as IRParam[] }, readSafetensors(bytes).tensors);
  if (!loaded.ok) throw new Error(`the weights do not fit the model:\n  ${loaded.errors.join('\n  ')}`);
  assignParams(params, loaded.params);
}

export function saveWeights(params: Readonly<Record<string, tf.Variable>>, specs: readonly ParamSpec[], metadata: Readonly<Record<string, string>> = {}): Uint8Array {
  return writeSafetensors(paramsToTensors({ params: specs as IRParam[] }, readParams(params)), { metadata: { format: 'eqv', ...metadata } });
}
