// e3nn's Norm and NormActivation in tfjs (the reference is targets/ref/ops/norm.ts): sums of
// squares per copy by one matrix product, spread back with a column gather.

import * as tf from '@tensorflow/tfjs-core';
import type { NormActivationAttrs, NormAttrs } from '../../../ir/types.js';
import { applyScaled } from './activation.js';
import { gatherCols } from './customKernels.js';

/** Sum of squares of every copy: (n, dim) -> (n, copies), by a 0/1 matrix product. */
function copySquares(x: tf.Tensor2D, blocks: NormAttrs['blocks'], dimIn: number): { sums: tf.Tensor2D; spread: number[] } {
  const copies = blocks.reduce((s, b) => s + b.mul, 0);
  const m = new Float32Array(dimIn * copies);
  const spread = new Array<number>(dimIn).fill(-1);
  let c = 0;
  for (const b of blocks) {
    for (let u = 0; u < b.mul; u++, c++) {
      for (let k = 0; k < b.dim; k++) {
        const row = b.offset + u * b.dim + k;
        m[row * copies + c] = 1;
        spread[row] = c;
      }
    }
  }
  return { sums: tf.matMul(tf.square(x), tf.tensor2d(m, [dimIn, copies])), spread };
}

/** One 0e per copy: its Euclidean norm. (A 1e-24 under the root keeps the gradient finite at 0.) */
export function norm(x: tf.Tensor2D, attrs: NormAttrs): tf.Tensor2D {
  const { sums } = copySquares(x, attrs.blocks, x.shape[1]);
  return tf.sqrt(tf.add(tf.relu(sums), 1e-24)) as tf.Tensor2D;
}

/** e3nn NormActivation(normalize=True): x * act(n) / n with n = sqrt(max(|x|^2, 1e-16)). */
export function normActivation(x: tf.Tensor2D, attrs: NormActivationAttrs): tf.Tensor2D {
  const { sums, spread } = copySquares(x, attrs.blocks, x.shape[1]);
  if (spread.some((c) => c < 0)) throw new Error('norm_activation: some channels belong to no block');
  const n = tf.sqrt(tf.maximum(sums, 1e-16));
  const factor = tf.div(applyScaled(n, attrs.act), n);
  return tf.mul(x, gatherCols(factor as tf.Tensor2D, spread));
}
