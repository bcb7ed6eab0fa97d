// Graph construction and message passing over a batch of graphs: radius graphs, edge
// vectors, gathers from nodes to edges, scatters from edges to nodes, pooling per graph.

import { checkEdgeCount } from '../../io/limits.js';

/** Edges as two parallel index arrays into the batch's nodes. */
export interface GraphValue {
  readonly src: Int32Array;
  readonly dst: Int32Array;
}

/**
 * Edges (src, dst) for every ordered pair of distinct nodes of the same graph with
 * |pos_src - pos_dst|^2 < r^2: strict, as torch_cluster's radius (nanoflann's radiusSearch on
 * CPU and the CUDA kernel both compare the squared distance with `dist < r*r`), without self
 * loops (radius_graph(loop=False)) and without a neighbour cap. Sorted by (dst, src).
 * `graphPtr`: the nodes of graph g are [graphPtr[g], graphPtr[g + 1]).
 */
export function radiusGraph(pos: Float64Array, graphPtr: Int32Array, r: number, dim = 3): GraphValue {
  const src: number[] = [];
  const dst: number[] = [];
  const r2 = r * r;
  for (let g = 0; g + 1 < graphPtr.length; g++) {
    const a = graphPtr[g]!;
    const b = graphPtr[g + 1]!;
    for (let d = a; d < b; d++) {
      for (let s = a; s < b; s++) {
        if (s === d) continue;
        let d2 = 0;
        for (let c = 0; c < dim; c++) {
          const dc = pos[dim * s + c]! - pos[dim * d + c]!;
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
  return { src: Int32Array.from(src), dst: Int32Array.from(dst) };
}

/** pos[src] - pos[dst] for each edge (e3nn's examples: edge_vec = pos[edge_src] - pos[edge_dst]). */
export function edgeVectors(pos: Float64Array, graph: GraphValue, spaceDim = 3): Float64Array {
  const m = graph.src.length;
  const out = new Float64Array(m * spaceDim);
  for (let e = 0; e < m; e++) {
    const s = graph.src[e]!;
    const d = graph.dst[e]!;
    for (let c = 0; c < spaceDim; c++) out[e * spaceDim + c] = pos[s * spaceDim + c]! - pos[d * spaceDim + c]!;
  }
  return out;
}

/** Euclidean length of each row of (n, dim) vectors. */
export function vectorLengths(v: Float64Array, dim: number): Float64Array {
  const n = v.length / dim;
  const out = new Float64Array(n);
  for (let e = 0; e < n; e++) {
    let s = 0;
    for (let c = 0; c < dim; c++) s += v[e * dim + c]! * v[e * dim + c]!;
    out[e] = Math.sqrt(s);
  }
  return out;
}

/** Node rows to edge rows: x[src[e]] or x[dst[e]]. */
export function gather(x: Float64Array, dim: number, graph: GraphValue, side: 'src' | 'dst'): Float64Array {
  const idx = side === 'src' ? graph.src : graph.dst;
  const out = new Float64Array(idx.length * dim);
  for (let e = 0; e < idx.length; e++) out.set(x.subarray(idx[e]! * dim, idx[e]! * dim + dim), e * dim);
  return out;
}

/**
 * Edge rows to node rows at destinations: sum, mean (sum / count) or max over the incoming
 * edges; a node without incoming edges gets 0 (torch_scatter's convention for all three).
 */
export function scatter(m: Float64Array, dim: number, graph: GraphValue, numNodes: number, reduce: 'sum' | 'mean' | 'max'): Float64Array {
  const out = new Float64Array(numNodes * dim);
  const count = new Float64Array(numNodes);
  if (reduce === 'max') out.fill(-Infinity);
  for (let e = 0; e < graph.dst.length; e++) {
    const d = graph.dst[e]!;
    count[d]!++;
    for (let c = 0; c < dim; c++) {
      const v = m[e * dim + c]!;
      if (reduce === 'max') out[d * dim + c] = Math.max(out[d * dim + c]!, v);
      else out[d * dim + c] += v;
    }
  }
  for (let i = 0; i < numNodes; i++) {
    if (count[i] === 0) out.fill(0, i * dim, (i + 1) * dim);
    else if (reduce === 'mean') for (let c = 0; c < dim; c++) out[i * dim + c] /= count[i]!;
  }
  return out;
}

/** Node rows to one row per graph: sum, mean or max over the graph's nodes (every graph has one). */
export function pool(x: Float64Array, dim: number, graphPtr: Int32Array, reduce: 'sum' | 'mean' | 'max'): Float64Array {
  const numGraphs = graphPtr.length - 1;
  const out = new Float64Array(numGraphs * dim);
  for (let g = 0; g < numGraphs; g++) {
    const a = graphPtr[g]!;
    const b = graphPtr[g + 1]!;
    if (b === a) continue;
    for (let c = 0; c < dim; c++) {
      let acc = reduce === 'max' ? -Infinity : 0;
      for (let i = a; i < b; i++) acc = reduce === 'max' ? Math.max(acc, x[i * dim + c]!) : acc + x[i * dim + c]!;
      out[g * dim + c] = reduce === 'mean' ? acc / (b - a) : acc;
    }
  }
  return out;
}
