// `grad` (forces): d(Σ energy)/d(positions) by tfjs's autograd. The generated module passes a
// closure that recomputes the energy from the positions `p` (the nodes between them; the
// radius graph and position-free features are constants from forward).

import * as tf from '@tensorflow/tfjs-core';

/**
 * The gradient of the sum of `energy(p)` at `pos`. A batch without edges gives an energy that
 * does not depend on the positions at all, where tf.grad refuses ("f must enclose all
 * operations from x to y"): adding 0 · Σ p keeps p on the tape, so the answer is the zero
 * field, as the reference gives.
 */
export function positionsGradient(energy: (p: tf.Tensor2D) => tf.Tensor, pos: tf.Tensor2D): tf.Tensor2D {
  return tf.grad((p: tf.Tensor) => tf.add(tf.sum(energy(p as tf.Tensor2D)), tf.mul(tf.sum(p), 0)))(pos) as tf.Tensor2D;
}
