// Graphs over a batch of point sets, and moving values between domains: radius graphs (built
// on the host from the positions, like the reference), edge vectors and lengths (tensor ops, so
// gradients reach the positions: forces), gathers node -> edge, scatters edge -> node (sum,
// mean, max) and pooling node -> graph. Conventions are the reference's (targets/ref/ops/graph.ts).

import * as tf from '@tensorflow/tfjs-core';
import { gatherRows, segmentSum } from './customKernels.js';
import { neighbourSearch } from '../../io/neighbours.js';

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
  /** Periodic graphs: each edge's integer lattice shift as floats (edges, dim), and the graph of its receiver. */
  readonly shifts?: tf.Tensor2D;
  readonly edgeGraph?: tf.Tensor1D;
}

export function batchOf(graphPtr: ArrayLike<number>): Batch {
  const ptr = Int32Array.from(graphPtr);
  return { numGraphs: ptr.length - 1, numNodes: ptr[ptr.length - 1]!, graphPtr: ptr };
}

/** A graph from host edges; `shifts` (dim per edge) and the batch make it periodic. */
export function graphFromEdges(srcIndex: Int32Array, dstIndex: Int32Array, numNodes: number, shifts?: Int32Array, batch?: Batch): Graph {
  const graph = { src: tf.tensor1d(srcIndex, 'int32'), dst: tf.tensor1d(dstIndex, 'int32'), srcIndex, dstIndex, numNodes };
  if (!shifts || !batch) return graph;
  const dim = srcIndex.length > 0 ? shifts.length / srcIndex.length : 0;
  const nodeGraph = new Int32Array(batch.numNodes);
  for (let g = 0; g < batch.numGraphs; g++) nodeGraph.fill(g, batch.graphPtr[g]!, batch.graphPtr[g + 1]!);
  return {
    ...graph,
    shifts: tf.tensor2d(Float32Array.from(shifts), [srcIndex.length, dim]),
    edgeGraph: tf.tensor1d(Int32Array.from(dstIndex, (d) => nodeGraph[d]!), 'int32'),
  };
}

/** A graph input's edges as the host gives them: global node indices, shifts dim per edge. */
export interface GivenEdges {
  readonly src: ArrayLike<number>;
  readonly dst: ArrayLike<number>;
  readonly shifts?: ArrayLike<number>;
}

/** A graph input's edges (indices into the batch's nodes, sorted by (dst, src, shift): targets/io/edges.ts). */
export function givenGraph(edges: GivenEdges | undefined, batch: Batch, name: string): Graph {
  if (!edges) throw new Error(`missing graph input ${name}`);
  return graphFromEdges(Int32Array.from(edges.src), Int32Array.from(edges.dst), batch.numNodes, edges.shifts ? Int32Array.from(edges.shifts) : undefined, batch);
}

/**
 * Edges i != j of the same graph (and, with a cell, of every periodic image) with
 * |v|^2 < r^2, sorted by (dst, src, shift): the host's shared search (targets/io/neighbours.ts),
 * as the reference builds them. The positions (and cell) are read back to the host: the graph's
 * structure has no gradient; edge vectors computed from it do.
 */
export function radiusGraph(pos: tf.Tensor2D, batch: Batch, r: number, cell?: tf.Tensor2D): Graph {
  const dim = pos.shape[1];
  const found = neighbourSearch(Float64Array.from(pos.dataSync()), batch.graphPtr, r, dim, cell ? Float64Array.from(cell.dataSync()) : undefined);
  return graphFromEdges(found.src, found.dst, batch.numNodes, found.shifts, batch);
}

/** pos[src] - pos[dst] per edge, plus shift · cell[graph] for periodic edges (gradients reach pos and cell). */
export function edgeVectors(pos: tf.Tensor2D, graph: Graph, cell?: tf.Tensor2D): tf.Tensor2D {
  const v = tf.sub(gatherRows(pos, graph.src), gatherRows(pos, graph.dst)) as tf.Tensor2D;
  if (!cell || !graph.shifts || !graph.edgeGraph) return v;
  const dim = pos.shape[1];
  const m = graph.srcIndex.length;
  if (m === 0) return v;
  const lattice = tf.reshape(gatherRows(cell, graph.edgeGraph), [m, dim, dim]) as tf.Tensor3D;
  const offset = tf.reshape(tf.matMul(tf.reshape(graph.shifts, [m, 1, dim]) as tf.Tensor3D, lattice), [m, dim]);
  return tf.add(v, offset) as tf.Tensor2D;
}

/**
 * Euclidean length of each row, as a (rows, 1) column. The gradient of a zero row is 0, as the
 * reference's (targets/ref/ops/graph.ts): sqrt's gradient 1/(2 sqrt(0)) times the square's 0
 * was NaN, so two atoms on top of each other gave NaN forces. The root is taken of 1 where the
 * sum is 0 and that branch discarded, so no infinity enters the chain.
 */
export function vectorLengths(v: tf.Tensor2D): tf.Tensor2D {
  return sqrtZeroSafe(tf.sum(tf.square(v), 1, true)) as tf.Tensor2D;
}

/** sqrt(s) of sums of squares s >= 0, with the gradient 0 (not NaN) where s is 0. */
export function sqrtZeroSafe(s: tf.Tensor): tf.Tensor {
  const positive = tf.greater(s, 0);
  return tf.where(positive, tf.sqrt(tf.where(positive, s, tf.onesLike(s))), tf.zerosLike(s));
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
