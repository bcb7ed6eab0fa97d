// e3nn's equivariant BatchNorm and copy dropout in tfjs (the reference is
// targets/ref/ops/batchNorm.ts). Per-copy quantities (weights, statistics, dropout masks) reach
// the components through a (copies, dim) one-hot matrix, so every step is a dense op with a
// gradient. Evaluation uses the running statistics; training normalizes with the batch's
// statistics over all rows and, when `update` is set, moves the running statistics toward them
// (e3nn's momentum convention: running = (1 - momentum) running + momentum batch).

import * as tf from '@tensorflow/tfjs-core';
import type { BatchNormAttrs, DropoutAttrs } from '../../../ir/types.js';

type Blocks = BatchNormAttrs['blocks'] | DropoutAttrs['blocks'];

/** (copies, dim): row k is 1 on the components of copy k (all copies, or only the centred ones). */
function spread(blocks: Blocks, dim: number, centredOnly: boolean): tf.Tensor2D {
  const copies: [number, number][] = [];
  for (const b of blocks) {
    if (centredOnly && !('centre' in b && b.centre)) continue;
    for (let u = 0; u < b.mul; u++) copies.push([b.offset + u * b.dim, b.dim]);
  }
  const m = new Float32Array(copies.length * dim);
  copies.forEach(([o, d], k) => m.fill(1, k * dim + o, k * dim + o + d));
  return tf.tensor2d(m, [copies.length, dim]);
}


const row = (v: tf.Tensor) => tf.reshape(v, [1, -1]) as tf.Tensor2D;

export function batchNorm(
  x: tf.Tensor2D,
  attrs: BatchNormAttrs,
  weight: tf.Variable,
  bias: tf.Variable | undefined,
  runningMean: tf.Variable | undefined,
  runningVar: tf.Variable,
  training: boolean,
  update: boolean,
): tf.Tensor2D {
  const dim = x.shape[1];
  const rows = x.shape[0];
  // No rows (an empty batch, the edges of graphs without edges): no statistics to take, so the
  // running ones stay, and the output is the empty input. The per-copy broadcasts below would
  // have no gradient here (tfjs cannot reduce a (0, dim) gradient to the (1, dim) operand).
  if (rows === 0) return x;
  const all = spread(attrs.blocks, dim, false);
  const centred = attrs.biasNumel > 0 ? spread(attrs.blocks, dim, true) : undefined;
  const copyDims = tf.sum(all, 1); // components per copy
  let mean: tf.Tensor1D | undefined;
  let variance: tf.Tensor1D;
  let xc = x;
  if (training) {
    if (centred) {
      // Centred copies are scalars (one component each): their column means.
      mean = tf.reshape(tf.matMul(row(tf.mean(x, 0)), centred, false, true), [-1]) as tf.Tensor1D;
      xc = tf.sub(x, tf.matMul(row(mean), centred)) as tf.Tensor2D;
    }
    // Per copy: the mean over rows of the mean over its components of the squares.
    variance = tf.div(tf.reshape(tf.matMul(row(tf.mean(tf.square(xc), 0)), all, false, true), [-1]), copyDims) as tf.Tensor1D;
    if (update) {
      const m = attrs.momentum;
      if (mean && runningMean) runningMean.assign(tf.add(tf.mul(runningMean, 1 - m), tf.mul(mean, m)));
      runningVar.assign(tf.add(tf.mul(runningVar, 1 - m), tf.mul(variance, m)));
    }
  } else {
    variance = tf.reshape(runningVar, [-1]) as tf.Tensor1D;
    if (centred && runningMean) {
      mean = tf.reshape(runningMean, [-1]) as tf.Tensor1D;
      xc = tf.sub(x, tf.matMul(row(mean), centred)) as tf.Tensor2D;
    }
  }
  const factor = tf.mul(tf.reshape(weight, [-1]), tf.rsqrt(tf.add(variance, attrs.eps)));
  let y = tf.mul(xc, tf.matMul(row(factor), all)) as tf.Tensor2D;
  if (centred && bias) y = tf.add(y, tf.matMul(row(bias), centred)) as tf.Tensor2D;
  return y;
}

/** The identity in evaluation; in training each copy of each row kept with probability 1 - p and scaled by 1/(1 - p). */
export function dropout(x: tf.Tensor2D, attrs: DropoutAttrs, training: boolean, seed?: number): tf.Tensor2D {
  if (!training || attrs.p === 0 || x.shape[0] === 0) return x;
  const all = spread(attrs.blocks, x.shape[1], false);
  const keep = tf.floor(tf.add(tf.randomUniform([x.shape[0], all.shape[0]], 0, 1, 'float32', seed), 1 - attrs.p));
  return tf.mul(x, tf.matMul(tf.div(keep, 1 - attrs.p) as tf.Tensor2D, all)) as tf.Tensor2D;
}
