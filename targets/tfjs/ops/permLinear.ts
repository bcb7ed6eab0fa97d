// S(n)-equivariant linear layers and pooling over pairs in tfjs: the statistics of the input
// (transpose and diagonal as row gathers, row/column/overall means as segment sums scaled by
// 1/n), placed on the output rows by gathers (broadcasts, rows, columns) and a diagonal mask,
// concatenated along channels and mixed by one matMul with the (basis * c_in, c_out) weights.
// Everything is gather/segmentSum/matMul, so tfjs's autograd trains it. Conventions are the
// reference's (stdlib/groups/perm/basis.ts, targets/ref/ops/permLinear.ts).

import * as tf from '@tensorflow/tfjs-core';
import type { PermLinearAttrs, PermStatistic } from '../../../ir/types.js';
import { pairLayout } from '../../io/pairs.js';
import { gatherRows, segmentSum } from './customKernels.js';
import { segmentMax, segmentsOfSorted, type Batch } from './graph.js';

/** Index tensors and 1/n columns of a batch's pair layout, made once per forward. */
interface PairIndex {
  readonly nodeGraph: tf.Tensor1D;
  readonly pairGraph: tf.Tensor1D;
  readonly pairRow: tf.Tensor1D;
  readonly pairCol: tf.Tensor1D;
  readonly transpose: tf.Tensor1D;
  readonly diagonal: tf.Tensor1D;
  /** (numPairs, 1): 1 on pairs (i, i). */
  readonly diagMask: tf.Tensor2D;
  /** 1/n per node (numNodes, 1) and per graph (numGraphs, 1); 1/n^2 per graph. */
  readonly invNodeN: tf.Tensor2D;
  readonly invGraphN: tf.Tensor2D;
  readonly invGraphN2: tf.Tensor2D;
}

function indexOf(batch: Batch): PairIndex {
  const p = pairLayout(batch.graphPtr);
  const counts = Array.from({ length: batch.numGraphs }, (_, g) => batch.graphPtr[g + 1]! - batch.graphPtr[g]!);
  const nodeGraph = new Int32Array(batch.numNodes);
  for (let g = 0; g < batch.numGraphs; g++) nodeGraph.fill(g, batch.graphPtr[g]!, batch.graphPtr[g + 1]!);
  const mask = new Float32Array(p.numPairs);
  for (const d of p.diagonal) mask[d] = 1;
  const int = (a: Int32Array) => tf.tensor1d(a, 'int32');
  return {
    nodeGraph: int(nodeGraph),
    pairGraph: int(p.pairGraph),
    pairRow: int(p.pairRow),
    pairCol: int(p.pairCol),
    transpose: int(p.transpose),
    diagonal: int(p.diagonal),
    diagMask: tf.tensor2d(mask, [p.numPairs, 1]),
    invNodeN: tf.tensor2d(Float32Array.from(nodeGraph, (g) => 1 / counts[g]!), [batch.numNodes, 1]),
    invGraphN: tf.tensor2d(Float32Array.from(counts, (n) => (n > 0 ? 1 / n : 0)), [batch.numGraphs, 1]),
    invGraphN2: tf.tensor2d(Float32Array.from(counts, (n) => (n > 0 ? 1 / (n * n) : 0)), [batch.numGraphs, 1]),
  };
}

function statistic(stat: PermStatistic, from: PermLinearAttrs['from'], x: tf.Tensor2D, batch: Batch, ix: PairIndex): tf.Tensor2D {
  switch (stat) {
    case 'x':
      return x;
    case 'transpose':
      return gatherRows(x, ix.transpose);
    case 'diagonal':
      return gatherRows(x, ix.diagonal);
    case 'row_mean':
      return tf.mul(segmentSum(x, ix.pairRow, batch.numNodes), ix.invNodeN);
    case 'col_mean':
      return tf.mul(segmentSum(x, ix.pairCol, batch.numNodes), ix.invNodeN);
    case 'trace_mean':
      return tf.mul(segmentSum(gatherRows(x, ix.diagonal), ix.nodeGraph, batch.numGraphs), ix.invGraphN);
    case 'mean':
      return from === 'pair' ? tf.mul(segmentSum(x, ix.pairGraph, batch.numGraphs), ix.invGraphN2) : tf.mul(segmentSum(x, ix.nodeGraph, batch.numGraphs), ix.invGraphN);
  }
}

/** y = factor Σ_b basis_b(x) W[b] + biases (docs/ir.md, `perm_linear`). */
export function permLinear(x: tf.Tensor2D, batch: Batch, attrs: PermLinearAttrs, weight: tf.Tensor, bias?: tf.Tensor): tf.Tensor2D {
  const ix = indexOf(batch);
  const { from, to } = attrs;
  const stats = new Map<PermStatistic, tf.Tensor2D>();
  const stat = (s: PermStatistic) => {
    let v = stats.get(s);
    if (!v) stats.set(s, (v = statistic(s, from, x, batch, ix)));
    return v;
  };
  const parts = attrs.basis.map(({ stat: s, place }) => {
    const v = stat(s);
    const onGraph = s === 'mean' || s === 'trace_mean' || from === 'graph';
    switch (place) {
      case 'same':
        return v;
      case 'broadcast':
        return gatherRows(v, to === 'node' ? ix.nodeGraph : ix.pairGraph);
      case 'diagonal':
        return tf.mul(gatherRows(v, onGraph ? ix.pairGraph : ix.pairRow), ix.diagMask) as tf.Tensor2D;
      case 'row':
        return gatherRows(v, ix.pairRow);
      case 'col':
        return gatherRows(v, ix.pairCol);
    }
  });
  const features = parts.length === 1 ? parts[0]! : (tf.concat(parts, 1) as tf.Tensor2D);
  const w = tf.reshape(weight, [attrs.basis.length * attrs.channelsIn, attrs.channelsOut]) as tf.Tensor2D;
  let y = tf.mul(tf.matMul(features, w), attrs.factor) as tf.Tensor2D;
  if (attrs.bias && bias) {
    const b = tf.reshape(bias, [attrs.bias.maps.length, attrs.channelsOut]) as tf.Tensor2D;
    attrs.bias.maps.forEach((m, k) => {
      const row = tf.slice(b, [k, 0], [1, attrs.channelsOut]);
      y = tf.add(y, m === 'diagonal' ? tf.mul(ix.diagMask, row) : row) as tf.Tensor2D;
    });
  }
  return y;
}

/** Pair rows to one row per graph: sum, mean or max over its n^2 pairs. */
export function poolPairs(x: tf.Tensor2D, batch: Batch, reduce: 'sum' | 'mean' | 'max'): tf.Tensor2D {
  const ix = indexOf(batch);
  if (reduce === 'max') return segmentMax(x, segmentsOfSorted(pairLayout(batch.graphPtr).pairGraph, batch.numGraphs));
  const sum = segmentSum(x, ix.pairGraph, batch.numGraphs);
  return reduce === 'mean' ? (tf.mul(sum, ix.invGraphN2) as tf.Tensor2D) : sum;
}

/** Rows of a pair value in a batch: the sum of n^2 over its graphs. */
export function pairRows(batch: Batch): number {
  return pairLayout(batch.graphPtr).numPairs;
}
