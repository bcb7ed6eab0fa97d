// Value arithmetic in tfjs (the reference is targets/ref/ops/arithmetic.ts): linear
// combinations of values of one type, and values scaled by an invariant scalar of their row.

import * as tf from '@tensorflow/tfjs-core';

/** y = Σ c_i x_i. */
export function add(parts: readonly tf.Tensor2D[], coefficients: readonly number[]): tf.Tensor2D {
  return parts.map((x, i): tf.Tensor2D => (coefficients[i] === 1 ? x : tf.mul(x, coefficients[i]!))).reduce((a, b) => tf.add(a, b));
}

/** y[r, :] = s[r, 0] x[r, :] (s has one column, broadcast over the row). */
export function scalarMul(s: tf.Tensor2D, x: tf.Tensor2D): tf.Tensor2D {
  return tf.mul(s, x);
}
