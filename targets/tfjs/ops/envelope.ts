// Cutoff envelopes of lengths in tfjs (the reference is targets/ref/ops/envelope.ts): the
// polynomial in Horner form, masked to zero at and beyond the cutoff.

import * as tf from '@tensorflow/tfjs-core';
import type { CutoffEnvelopeAttrs } from '../../../ir/types.js';
import { polynomialEnvelopeCoefficients } from '../../../stdlib/nn/radial.js';

export function cutoffEnvelope(len: tf.Tensor2D, attrs: CutoffEnvelopeAttrs): tf.Tensor2D {
  const x = tf.div(len, attrs.cutoff);
  const inside = tf.less(x, 1);
  // Outside, evaluate at 0 so that the masked branch has a finite gradient.
  const xs = tf.where(inside, x, tf.zerosLike(x));
  let value: tf.Tensor;
  if (attrs.envelope === 'cosine') value = tf.mul(tf.add(tf.cos(tf.mul(xs, Math.PI)), 1), 0.5);
  else {
    const [a, b, c] = polynomialEnvelopeCoefficients(attrs.p);
    value = tf.add(1, tf.mul(tf.pow(xs, attrs.p), tf.add(a, tf.mul(xs, tf.add(b, tf.mul(xs, c))))));
  }
  return tf.where(inside, value, tf.zerosLike(value)) as tf.Tensor2D;
}
