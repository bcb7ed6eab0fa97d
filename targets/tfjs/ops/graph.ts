// Graphs over a batch of point sets, and moving values between domains: radius graphs (built
// on the host from the positions, like the reference), edge vectors and lengths (tensor ops, so
// gradients reach the positions: forces), gathers node -> edge, scatters edge -> node (sum,
// mean, max) and pooling node -> graph. Conventions are the reference's (targets/ref/ops/graph.ts).

import * as tf from '@tensorflow/tfjs-core';
import { gatherRows, segmentSum } from './customKernels.js';
import { checkEdgeCount } from '../../io/limits.js';

/** How the nodes of a batch split into graphs: graph g owns nodes [graphPtr[g], graphPtr[g + 1]). */
export interface Batch {
  readonly numGraphs: number;
  readonly numNodes: number;
  readonly graphPtr: Int32Array;
}

/** Edges (src -> dst) as index tensors, with the same indices on the host. */
export interface Graph {
  readonly src: tf.Tensor1D;
  readonly dst: tf.Tensor1D;
  readonly srcIndex: Int32Array;
  readonly dstIndex: Int32Array;
  readonly numNodes: number;
}

export function batchOf(graphPtr: ArrayLike<number>): Batch {
  const ptr = Int32Array.from(graphPtr);
  return { numGraphs: ptr.length - 1, numNodes: ptr[ptr.length - 1]!, graphPtr: ptr };
}

export function graphFromEdges(srcIndex: Int32Array, dstIndex: Int32Array, numNodes: number): Graph {
  return { src: tf.tensor1d(srcIndex, 'int32'), dst: tf.tensor1d(dstIndex, 'int32'), srcIndex, dstIndex, numNodes };
}

/**
 * Edges i != j of the same graph with |pos_i - pos_j|^2 < r^2, sorted by (dst, src), exactly as
 * the reference builds them. The positions are read back to the host: the graph's structure has
 * no gradient; edge vectors computed from it do.
 */
export function radiusGraph(pos: tf.Tensor2D, batch: Batch, r: number): Graph {
  const p = pos.dataSync();
  const dim = pos.shape[1];
  const src: number[] = [];
  const dst: number[] = [];
  const r2 = r * r;
  for (let g = 0; g < batch.numGraphs; g++) {
    const a = batch.graphPtr[g]!;
    const b = batch.graphPtr[g + 1]!;
    for (let d = a; d < b; d++) {
      for (let s = a; s < b; s++) {
        if (s === d) continue;
        let d2 = 0;
        for (let c = 0; c < dim; c++) {
          const dc = p[dim * s + c]! - p[dim * d + c]!;
          d2 += dc * dc;
        }
        if (d2 < r2) {
          src.push(s);
          dst.push(d);
        }
      }
      checkEdgeCount(src.length, r);
    }
  }
  return graphFromEdges(Int32Array.from(src), Int32Array.from(dst), batch.numNodes);
}

/** pos[src] - pos[dst] per edge. */
export function edgeVectors(pos: tf.Tensor2D, graph: Graph): tf.Tensor2D {
  return tf.sub(gatherRows(pos, graph.src), gatherRows(pos, graph.dst));
}

/** Euclidean length of each row, as a (rows, 1) column. */
export function vectorLengths(v: tf.Tensor2D): tf.Tensor2D {
  return tf.sqrt(tf.sum(tf.square(v), 1, true)) as tf.Tensor2D;
}

/** Node rows onto edges: the source's (or destination's) features. */
export function gather(x: tf.Tensor2D, graph: Graph, side: 'src' | 'dst'): tf.Tensor2D {
  return gatherRows(x, side === 'src' ? graph.src : graph.dst);
}

/** Contiguous segments [start, end) of rows, for max reductions (and the counts of means). */
interface Segments {
  readonly starts: Int32Array;
  readonly counts: Int32Array;
}

export function segmentsOfSorted(ids: Int32Array, numSegments: number): Segments {
  const counts = new Int32Array(numSegments);
  for (const i of ids) counts[i]!++;
  const starts = new Int32Array(numSegments);
  for (let s = 1; s < numSegments; s++) starts[s] = starts[s - 1]! + counts[s - 1]!;
  return { starts, counts };
}

function countsColumn(counts: Int32Array): tf.Tensor2D {
  return tf.tensor2d(Float32Array.from(counts, (c) => (c > 0 ? 1 / c : 0)), [counts.length, 1]);
}

/**
 * Max over contiguous row segments; an empty segment gives 0 (torch_scatter's convention).
 * Rows are padded to the longest segment with a very negative row, gathered into
 * (segments, longest, c) and reduced: tfjs's max has a gradient, so this one does too.
 */
export function segmentMax(x: tf.Tensor2D, seg: Segments): tf.Tensor2D {
  const k = x.shape[0];
  const c = x.shape[1];
  const numSegments = seg.counts.length;
  const longest = Math.max(1, ...seg.counts);
  const idx = new Int32Array(numSegments * longest).fill(k);
  for (let s = 0; s < numSegments; s++) for (let j = 0; j < seg.counts[s]!; j++) idx[s * longest + j] = seg.starts[s]! + j;
  const padded = tf.concat([x, tf.fill([1, c], -3e38)], 0);
  const rows = gatherRows(padded as tf.Tensor2D, tf.tensor1d(idx, 'int32'));
  const max = tf.max(tf.reshape(rows, [numSegments, longest, c]), 1) as tf.Tensor2D;
  const nonEmpty = tf.tensor2d(Float32Array.from(seg.counts, (n) => (n > 0 ? 1 : 0)), [numSegments, 1]);
  return tf.mul(max, nonEmpty);
}

/** Edge rows into their destination nodes: sum, mean (0 without edges) or max (0 without edges). */
export function scatter(m: tf.Tensor2D, graph: Graph, reduce: 'sum' | 'mean' | 'max'): tf.Tensor2D {
  if (reduce === 'sum') return segmentSum(m, graph.dst, graph.numNodes);
  const seg = segmentsOfSorted(graph.dstIndex, graph.numNodes);
  if (reduce === 'mean') return tf.mul(segmentSum(m, graph.dst, graph.numNodes), countsColumn(seg.counts));
  return segmentMax(m, seg);
}

function nodeGraphIds(batch: Batch): Int32Array {
  const ids = new Int32Array(batch.numNodes);
  for (let g = 0; g < batch.numGraphs; g++) ids.fill(g, batch.graphPtr[g]!, batch.graphPtr[g + 1]!);
  return ids;
}

/** Node rows to one row per graph of the batch: sum, mean or max over the graph's nodes. */
export function pool(x: tf.Tensor2D, batch: Batch, reduce: 'sum' | 'mean' | 'max'): tf.Tensor2D {
  const ids = nodeGraphIds(batch);
  const seg = segmentsOfSorted(ids, batch.numGraphs);
  if (reduce === 'max') return segmentMax(x, seg);
  const sum = segmentSum(x, tf.tensor1d(ids, 'int32'), batch.numGraphs);
  return reduce === 'mean' ? tf.mul(sum, countsColumn(seg.counts)) : sum;
}
