// Pointwise nonlinearities on scalar channels: e3nn's Activation (per block, act(x) * scale with
// the normalize2mom scale the IR carries). The reference is targets/ref/ops/activation.ts.

import * as tf from '@tensorflow/tfjs-core';
import type { ActivationAttrs, ScaledActivation } from '../../../ir/types.js';
import { gatherCols } from './customKernels.js';

const range = (start: number, size: number) => Array.from({ length: size }, (_, i) => start + i);

/** The raw function, as torch computes it. */
export function applyActivation(x: tf.Tensor, act: ScaledActivation['act']): tf.Tensor {
  switch (act) {
    case 'silu':
      return tf.mul(x, tf.sigmoid(x));
    case 'tanh':
      return tf.tanh(x);
    case 'relu':
      return tf.relu(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'abs':
      return tf.abs(x);
    case 'gelu':
      return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))));
    case 'ssp':
      // softplus(x) - log 2 = log(0.5 e^x + 0.5)
      return tf.sub(tf.softplus(x), Math.LN2);
    case 'identity':
      return x;
  }
}

export function applyScaled<T extends tf.Tensor>(x: T, a: ScaledActivation): T {
  const y = applyActivation(x, a.act);
  return (a.scale === 1 ? y : tf.mul(y, a.scale)) as T;
}

/** Per scalar block of `blocks` (offset, size): act(x) * scale. */
export function activation(x: tf.Tensor2D, attrs: ActivationAttrs, blocks: readonly { offset: number; size: number }[]): tf.Tensor2D {
  const same = attrs.blocks.every((a) => a.act === attrs.blocks[0]!.act && a.scale === attrs.blocks[0]!.scale);
  if (same && attrs.blocks.length > 0) return applyScaled(x, attrs.blocks[0]!);
  const parts = blocks.map((b, i) => applyScaled(gatherCols(x, range(b.offset, b.size)), attrs.blocks[i]!));
  return tf.concat(parts, 1);
}
