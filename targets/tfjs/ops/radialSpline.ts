// Radial splines (Facet) in tensor ops (the reference: stdlib/nn/spline.ts). The cubic B-spline
// is written around its centre, B3(u) = φ(|u - 2|) with φ(t) = 2/3 - t² + t³/2 for t < 1 and
// (2 - t)³/6 for 1 <= t < 2: both branches stay small and finite, so float32 keeps its accuracy
// and tf.where passes finite gradients (forces differentiate through it).

import * as tf from '@tensorflow/tfjs-core';
import type { RadialSplineAttrs } from '../../../ir/types.js';

/** len: (rows, 1); weight: (number, out) flat -> (rows, out). */
export function radialSpline(len: tf.Tensor2D, attrs: RadialSplineAttrs, weight: tf.Tensor): tf.Tensor2D {
  const n = attrs.number;
  const out = weight.size / n;
  // u - 2 = len / h - k + 1 for basis k.
  const shift = tf.tensor2d(Float32Array.from({ length: n }, (_, k) => 1 - k), [1, n]);
  const t = tf.abs(tf.add(tf.div(len, attrs.spacing), shift));
  const t2 = tf.square(t);
  const near = tf.add(tf.sub(2 / 3, t2), tf.mul(tf.mul(t2, t), 0.5));
  const far = tf.div(tf.pow(tf.relu(tf.sub(2, t)), 3), 6);
  const basis = tf.where(tf.less(t, 1), near, far) as tf.Tensor2D;
  return tf.matMul(basis, tf.reshape(weight, [n, out]) as tf.Tensor2D);
}
