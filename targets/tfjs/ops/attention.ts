// Graph attention in tfjs (the reference is targets/ref/ops/attention.ts): per receiver and
// head, a softmax of its incoming edges' logits with the receiver's maximum subtracted, then
// the weighted sum of the edges' values, each component weighted by its head. Built from ops
// with gradients (a padded max, exp, segment sums, gathers), so forces reach the logits and
// values through tf.grad. A receiver without incoming edges gets zeros.

import * as tf from '@tensorflow/tfjs-core';
import type { AttentionAttrs } from '../../../ir/types.js';
import { attentionHeadOfComponent } from '../../../stdlib/nn/attention.js';
import { gatherRows, segmentSum } from './customKernels.js';
import type { Graph } from './graph.js';

/**
 * The maximum of each receiver's incoming rows (0 for a receiver without edges; its value is
 * never read). Edges may come in any order: each receiver's edges are listed on the host and
 * gathered into a (receivers, longest, c) block padded with a very negative row.
 */
function receiverMax(x: tf.Tensor2D, graph: Graph): tf.Tensor2D {
  const numNodes = graph.numNodes;
  const c = x.shape[1];
  const edges = graph.dstIndex.length;
  const counts = new Int32Array(numNodes);
  for (const d of graph.dstIndex) counts[d]!++;
  const longest = Math.max(1, ...counts);
  const idx = new Int32Array(numNodes * longest).fill(edges);
  const filled = new Int32Array(numNodes);
  graph.dstIndex.forEach((d, e) => (idx[d * longest + filled[d]!++] = e));
  const padded = tf.concat([x, tf.fill([1, c], -3e38)], 0) as tf.Tensor2D;
  const rows = gatherRows(padded, tf.tensor1d(idx, 'int32'));
  const max = tf.max(tf.reshape(rows, [numNodes, longest, c]), 1) as tf.Tensor2D;
  return tf.mul(max, tf.tensor2d(Float32Array.from(counts, (n) => (n > 0 ? 1 : 0)), [numNodes, 1]));
}

function headMatrix(attrs: AttentionAttrs, dim: number): tf.Tensor2D {
  const head = attentionHeadOfComponent(attrs, dim);
  const m = new Float32Array(attrs.heads * dim);
  head.forEach((h, c) => (m[h * dim + c] = 1));
  return tf.tensor2d(m, [attrs.heads, dim]);
}

export function attention(logits: tf.Tensor2D, values: tf.Tensor2D, graph: Graph, attrs: AttentionAttrs): tf.Tensor2D {
  {
    const dim = values.shape[1];
    const shifted = tf.sub(logits, gatherRows(receiverMax(logits, graph), graph.dst));
    const weights = tf.exp(shifted);
    const sums = segmentSum(weights as tf.Tensor2D, graph.dst, graph.numNodes);
    // Every receiver with an edge has a sum >= 1 (its maximum contributes exp(0)).
    const alpha = tf.div(weights, gatherRows(sums, graph.dst)) as tf.Tensor2D;
    // Each component takes its head's weight: alpha times a (heads, dim) one-hot matrix (a
    // column gather would do the same, but tf.gather on axis 1 of an edgeless (0, heads)
    // tensor returns a malformed shape).
    const perComponent = attrs.heads === 1 ? alpha : tf.matMul(alpha, headMatrix(attrs, dim));
    return segmentSum(tf.mul(perComponent, values) as tf.Tensor2D, graph.dst, graph.numNodes);
  }
}
