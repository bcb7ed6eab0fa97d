// Channel bookkeeping and small dense layers: concatenation, channel selection, scaling, and
// e3nn's FullyConnectedNet.

import * as tf from '@tensorflow/tfjs-core';
import type { MlpAttrs } from '../../../ir/types.js';
import { applyScaled } from './activation.js';
import { gatherCols } from './customKernels.js';
import { kernelProvider } from './kernelProvider.js';

export function concat(parts: readonly tf.Tensor2D[]): tf.Tensor2D {
  return parts.length === 1 ? parts[0]! : tf.concat(parts as tf.Tensor2D[], 1);
}

/** Channels [start, end) of each range, concatenated in order. */
export function select(x: tf.Tensor2D, ranges: readonly (readonly [number, number])[]): tf.Tensor2D {
  const idx: number[] = [];
  for (const [a, b] of ranges) for (let c = a; c < b; c++) idx.push(c);
  return gatherCols(x, idx);
}

/** x * factor; with rowRamp, row r also times (1 + rowRamp * r) (the generated tests' mutants). */
export function scale(x: tf.Tensor2D, factor: number, rowRamp = 0): tf.Tensor2D {
  if (rowRamp === 0) return tf.mul(x, factor);
  const n = x.shape[0];
  const ramp = tf.tensor2d(Float32Array.from({ length: n }, (_, r) => factor * (1 + rowRamp * r)), [n, 1]);
  return tf.mul(x, ramp);
}

/** e3nn FullyConnectedNet: h @ (W_i / sqrt(h_in)), the normalized act between layers. */
export function mlp(x: tf.Tensor2D, attrs: MlpAttrs, weights: readonly tf.Tensor[]): tf.Tensor2D {
  let h = x;
  weights.forEach((w, i) => {
    const hIn = attrs.sizes[i]!;
    const hOut = attrs.sizes[i + 1]!;
    const fast = kernelProvider(h.shape[0])?.dense?.(h, w, hIn, hOut, 1 / Math.sqrt(hIn));
    h = fast ?? tf.matMul(h, tf.mul(tf.reshape(w, [hIn, hOut]), 1 / Math.sqrt(hIn)));
    if (i < weights.length - 1) h = applyScaled(h, attrs.act);
  });
  return h;
}
