// Learned path gates of a sparse tensor product (stdlib/nn/pathGates.ts): path p's weights times
// gate[p] * mask[p], as tf ops so that training differentiates through the gates. The gates reach
// the weights through a constant 0/1 (paths, weights) matrix: a gather's gradient needs a kernel
// the wasm backend lacks, a small matmul does not.

import * as tf from '@tensorflow/tfjs-core';
import type { TensorProductAttrs } from '../../../ir/types.js';
import { weightPathIndex } from '../../../stdlib/nn/pathGates.js';

const spreadCache = new WeakMap<TensorProductAttrs, tf.Tensor2D>();

export function gatedWeights(weights: tf.Tensor, gate: tf.Tensor, mask: tf.Tensor, attrs: TensorProductAttrs): tf.Tensor1D {
  let spread = spreadCache.get(attrs);
  if (!spread) {
    const owner = weightPathIndex(attrs.paths, attrs.weightNumel);
    const onehot = new Float32Array(attrs.paths.length * attrs.weightNumel);
    owner.forEach((p, i) => {
      if (p >= 0) onehot[p * attrs.weightNumel + i] = 1;
    });
    spread = tf.keep(tf.tensor2d(onehot, [attrs.paths.length, attrs.weightNumel]));
    spreadCache.set(attrs, spread);
  }
  return tf.tidy(() => {
    const perPath = tf.reshape(tf.mul(tf.reshape(gate, [-1]), tf.reshape(mask, [-1])), [1, -1]);
    return tf.mul(tf.reshape(weights, [-1]), tf.reshape(tf.matMul(perPath, spread!), [-1])) as tf.Tensor1D;
  });
}
