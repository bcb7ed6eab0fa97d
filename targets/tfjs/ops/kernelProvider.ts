// Other kernels for the tfjs runtime's hot ops: a provider (the wasm target's generated SIMD
// kernels, targets/wasm/tfjsOps.ts) may compute tensor products, linear maps, MLP layers and
// spherical harmonics as tfjs custom ops with their own gradients. This file only holds the
// switch, so that the runtime library (which browsers bundle) never imports the provider: the
// one who installs it (`eqvc train --kernels wasm`, or a program calling setKernelProvider)
// imports it. An op the provider does not handle (it returns undefined) runs as tfjs's ops.

import type * as tf from '@tensorflow/tfjs-core';
import type { IRCouplingTable, IRRep, LinearAttrs, SphericalHarmonicsAttrs, TensorProductAttrs } from '../../../ir/types.js';

export interface KernelProvider {
  /** What `eqvc train` prints (e.g. `wasm (2 threads)`). */
  readonly name: string;
  tensorProduct?(a: tf.Tensor2D, b: tf.Tensor2D, weights: tf.Tensor | undefined, attrs: TensorProductAttrs, tables: Readonly<Record<string, IRCouplingTable>>, outRep: IRRep): tf.Tensor2D | undefined;
  linear?(x: tf.Tensor2D, attrs: LinearAttrs, inRep: IRRep, outRep: IRRep, weight: tf.Tensor | undefined, bias: tf.Tensor | undefined): tf.Tensor2D | undefined;
  /** One MLP layer without its activation: x (n, hIn) times w (hIn * hOut, row-major) times `factor`. */
  dense?(x: tf.Tensor2D, w: tf.Tensor, hIn: number, hOut: number, factor: number): tf.Tensor2D | undefined;
  sphericalHarmonics?(v: tf.Tensor2D, attrs: SphericalHarmonicsAttrs): tf.Tensor2D | undefined;
}

let provider: KernelProvider | undefined;

/** Install a provider (undefined: tfjs's ops everywhere again). Returns the previous one. */
export function setKernelProvider(p: KernelProvider | undefined): KernelProvider | undefined {
  const before = provider;
  provider = p;
  return before;
}

/**
 * The installed provider; with `rows`, none for a value with no rows (the edges of a batch
 * without edges): the kernels are for real work, and tfjs's ops run empty values (emptyValues.ts).
 */
export function kernelProvider(rows?: number): KernelProvider | undefined {
  return rows === 0 ? undefined : provider;
}
