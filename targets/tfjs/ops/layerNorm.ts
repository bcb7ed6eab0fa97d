// Equivariant layer norm in tfjs (the reference is targets/ref/ops/layerNorm.ts): each block
// viewed as (rows, copies, dim), normalized by its root mean square, scaled per copy.

import * as tf from '@tensorflow/tfjs-core';
import type { LayerNormAttrs } from '../../../ir/types.js';

export function layerNorm(x: tf.Tensor2D, attrs: LayerNormAttrs, weight: tf.Tensor, bias: tf.Tensor | undefined): tf.Tensor2D {
  const n = x.shape[0];
  const parts = attrs.blocks.map((b) => {
    let xb: tf.Tensor = tf.reshape(tf.slice(x, [0, b.offset], [n, b.mul * b.dim]), [n, b.mul, b.dim]);
    if (b.centre) xb = tf.sub(xb, tf.mean(xb, [1, 2], true));
    const inv = tf.rsqrt(tf.add(tf.mean(tf.square(xb), [1, 2], true), attrs.eps));
    let yb = tf.mul(tf.mul(xb, inv), tf.reshape(tf.slice(tf.reshape(weight, [-1]), [b.weightOffset], [b.mul]), [1, b.mul, 1]));
    if (b.centre && bias) yb = tf.add(yb, tf.reshape(tf.slice(tf.reshape(bias, [-1]), [b.biasOffset!], [b.mul]), [1, b.mul, 1]));
    return tf.reshape(yb, [n, b.mul * b.dim]) as tf.Tensor2D;
  });
  return parts.length === 1 ? parts[0]! : tf.concat(parts, 1);
}
