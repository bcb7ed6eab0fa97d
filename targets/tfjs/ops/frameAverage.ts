// Frame averaging (Puny et al. 2022) in tensor ops (the reference: targets/ref/ops/frameAverage.ts).
// The PCA frames are computed on the host in float64 from the positions (stdlib/nn/frames.ts),
// as the radius graph is: they are constants to autograd, so training differentiates the MLP's
// weights (and the centred positions, not the frames).

import * as tf from '@tensorflow/tfjs-core';
import type { FrameAverageAttrs } from '../../../ir/types.js';
import { pcaFrames } from '../../../stdlib/nn/frames.js';
import { mlp } from './features.js';
import type { Batch } from './graph.js';

/** pos: (numNodes, 3); x: (numNodes, k) -> (numNodes, scalars + 3 vectors). Throws on a degenerate frame. */
export function frameAverage(pos: tf.Tensor2D, x: tf.Tensor2D, batch: Batch, attrs: FrameAverageAttrs, weights: readonly tf.Tensor[]): tf.Tensor2D {
  const n = pos.shape[0];
  const dimOut = attrs.scalars + 3 * attrs.vectors;
  if (n === 0) return tf.zeros([0, dimOut]);
  const { centroids, frames } = pcaFrames(pos.dataSync(), batch.graphPtr, attrs.frames, attrs.tolerance);
  const nodeCentroids = new Float32Array(n * 3);
  const nodeFrames = Array.from({ length: attrs.frames }, () => new Float32Array(n * 9));
  for (let g = 0; g < batch.numGraphs; g++) {
    for (let i = batch.graphPtr[g]!; i < batch.graphPtr[g + 1]!; i++) {
      nodeCentroids.set(centroids.subarray(3 * g, 3 * g + 3), 3 * i);
      for (let f = 0; f < attrs.frames; f++) nodeFrames[f]!.set(frames.subarray((g * attrs.frames + f) * 9, (g * attrs.frames + f + 1) * 9), 9 * i);
    }
  }
  const centred = tf.reshape(tf.sub(pos, tf.tensor2d(nodeCentroids, [n, 3])), [n, 3, 1]) as tf.Tensor3D;
  const sizes = { sizes: attrs.sizes, act: attrs.act };
  let sum: tf.Tensor2D | undefined;
  for (let f = 0; f < attrs.frames; f++) {
    const F = tf.tensor3d(nodeFrames[f]!, [n, 3, 3]);
    const q = tf.reshape(tf.matMul(F, centred, true, false), [n, 3]) as tf.Tensor2D;
    const y = mlp(tf.concat([q, x], 1), sizes, weights);
    const parts: tf.Tensor2D[] = [];
    if (attrs.scalars > 0) parts.push(tf.slice(y, [0, 0], [n, attrs.scalars]));
    if (attrs.vectors > 0) {
      // Each vector's frame coordinates v (n, vectors, 3) back to space: F v, as (n, vectors, 3).
      const v = tf.reshape(tf.slice(y, [0, attrs.scalars], [n, 3 * attrs.vectors]), [n, attrs.vectors, 3]) as tf.Tensor3D;
      parts.push(tf.reshape(tf.matMul(v, F, false, true), [n, 3 * attrs.vectors]) as tf.Tensor2D);
    }
    const framed = parts.length === 1 ? parts[0]! : (tf.concat(parts, 1) as tf.Tensor2D);
    sum = sum ? (tf.add(sum, framed) as tf.Tensor2D) : framed;
  }
  return tf.div(sum!, attrs.frames) as tf.Tensor2D;
}
