// Learned path gates of a sparse tensor product (stdlib/nn/pathGates.ts): path p's weights times
// gate[p] * mask[p], as tf ops so that training differentiates through the gates.

import * as tf from '@tensorflow/tfjs-core';
import type { TensorProductAttrs } from '../../../ir/types.js';
import { weightPathIndex } from '../../../stdlib/nn/pathGates.js';

const indexCache = new WeakMap<TensorProductAttrs, tf.Tensor1D>();

export function gatedWeights(weights: tf.Tensor, gate: tf.Tensor, mask: tf.Tensor, attrs: TensorProductAttrs): tf.Tensor1D {
  let index = indexCache.get(attrs);
  if (!index) {
    index = tf.keep(tf.tensor1d(weightPathIndex(attrs.paths, attrs.weightNumel), 'int32'));
    indexCache.set(attrs, index);
  }
  return tf.tidy(() => tf.mul(tf.reshape(weights, [-1]), tf.gather(tf.mul(tf.reshape(gate, [-1]), tf.reshape(mask, [-1])), index!)) as tf.Tensor1D);
}
