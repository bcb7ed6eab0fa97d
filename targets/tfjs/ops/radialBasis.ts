// e3nn's soft_one_hot_linspace in tensor ops (the reference: stdlib/nn/radial.ts). The centres
// and their spacing are computed on the host exactly as the reference computes them; branches
// with a cutoff are masks (tf.where) whose untaken side is kept finite, so gradients stay finite.

import * as tf from '@tensorflow/tfjs-core';
import type { RadialBasisAttrs } from '../../../ir/types.js';
import { linspace } from '../../../stdlib/nn/radial.js';

/** The smooth_finite scale, as e3nn computes it in float32 (see stdlib/nn/radial.ts). */
const SMOOTH_FINITE_SCALE = Math.fround(Math.fround(1.14136) * Math.fround(Math.exp(2)));

/** theta(t) e^{-1/t}, with t <= 0 mapped away from the pole before the exponential. */
function softUnitStep(t: tf.Tensor): tf.Tensor {
  const positive = tf.greater(t, 0);
  const safe = tf.where(positive, t, tf.onesLike(t));
  return tf.where(positive, tf.exp(tf.div(-1, safe)), tf.zerosLike(t));
}

/** value where 0 < u < 1, else 0 (two wheres: tfjs's logicalAnd has no gradient to pass through). */
function inside(u: tf.Tensor, value: tf.Tensor): tf.Tensor {
  const zero = tf.zerosLike(value);
  const above = tf.where(tf.broadcastTo(tf.greater(u, 0), value.shape), value, zero);
  return tf.where(tf.broadcastTo(tf.less(u, 1), value.shape), above, zero);
}

/** len: (n, 1) -> (n, number). */
export function radialBasis(len: tf.Tensor2D, attrs: RadialBasisAttrs): tf.Tensor2D {
  const { start, end, number: n, basis, cutoff } = attrs;
  const index = (offset: number) => tf.tensor2d(Float32Array.from({ length: n }, (_, i) => i + offset), [1, n]);
  if (basis === 'gaussian' || basis === 'cosine' || basis === 'smooth_finite') {
    const all = linspace(start, end, cutoff ? n + 2 : n);
    const step = all[1]! - all[0]!;
    const values = cutoff ? all.subarray(1, n + 1) : all;
    const diff = tf.div(tf.sub(len, tf.tensor2d(Float32Array.from(values), [1, n])), step);
    if (basis === 'gaussian') return tf.div(tf.exp(tf.neg(tf.square(diff))), 1.12) as tf.Tensor2D;
    if (basis === 'cosine') {
      const inside = tf.less(tf.abs(diff), 1);
      return tf.where(inside, tf.cos(tf.mul(diff, Math.PI / 2)), tf.zerosLike(diff)) as tf.Tensor2D;
    }
    return tf.mul(tf.mul(softUnitStep(tf.add(diff, 1)), softUnitStep(tf.sub(1, diff))), SMOOTH_FINITE_SCALE) as tf.Tensor2D;
  }
  const c = end - start;
  const t = tf.sub(len, start);
  if (basis === 'fourier') {
    const u = tf.div(t, c);
    const norm = 1 / Math.sqrt(0.25 + n / 2);
    if (!cutoff) return tf.mul(tf.cos(tf.mul(u, tf.mul(index(0), Math.PI))), norm) as tf.Tensor2D;
    const wave = tf.mul(tf.sin(tf.mul(u, tf.mul(index(1), Math.PI))), norm);
    return inside(u, wave) as tf.Tensor2D;
  }
  // bessel: sqrt(2/c) sin(k pi t / c) / t. For a = k pi t / c below 1e-2 it is
  // sqrt(2/c) (k pi / c)(1 - a^2 / 6), exact in float32 there and the limit at t = 0: the wasm
  // backend's sin loses tiny arguments (points 1e-15 apart were 13% off, 1e-18 apart 100%).
  const roots = tf.mul(index(1), Math.PI);
  const a = tf.div(tf.mul(t, roots), c);
  const small = tf.less(a, 1e-2);
  const safe = tf.where(small, tf.onesLike(a), a);
  const rate = tf.broadcastTo(tf.div(roots, c), a.shape);
  const value = tf.mul(tf.div(tf.mul(tf.sin(safe), rate), safe), Math.sqrt(2 / c));
  const series = tf.mul(tf.mul(rate, tf.sub(1, tf.div(tf.square(a), 6))), Math.sqrt(2 / c));
  let out = tf.where(small, series, value);
  if (cutoff) out = inside(tf.div(t, c), out);
  return out as tf.Tensor2D;
}
