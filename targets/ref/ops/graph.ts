// Graph construction and message passing over a batch of graphs: radius graphs, edge
// vectors, gathers from nodes to edges, scatters from edges to nodes, pooling per graph.

import { neighbourSearch } from '../../io/neighbours.js';

/** Edges as two parallel index arrays into the batch's nodes, with lattice shifts when periodic. */
export interface GraphValue {
  readonly src: Int32Array;
  readonly dst: Int32Array;
  /** Integer lattice steps of each edge's source image (dim per edge), for periodic graphs. */
  readonly shifts?: Int32Array;
}

/**
 * Edges (src, dst) for every ordered pair of distinct nodes of the same graph (and, with a cell,
 * every periodic image) with |v|^2 < r^2: strict, as torch_cluster's radius (nanoflann's
 * radiusSearch on CPU and the CUDA kernel both compare the squared distance with `dist < r*r`),
 * without self loops (radius_graph(loop=False)) and without a neighbour cap. Sorted by
 * (dst, src, shift). The search is the host's shared one (targets/io/neighbours.ts).
 * `graphPtr`: the nodes of graph g are [graphPtr[g], graphPtr[g + 1]).
 */
export function radiusGraph(pos: Float64Array, graphPtr: Int32Array, r: number, dim = 3, cell?: Float64Array): GraphValue {
  return neighbourSearch(pos, graphPtr, r, dim, cell);
}

/**
 * pos[src] - pos[dst] for each edge (e3nn's examples: edge_vec = pos[edge_src] - pos[edge_dst]),
 * plus shift · cell of the receiver's graph for periodic edges.
 */
export function edgeVectors(pos: Float64Array, graph: GraphValue, spaceDim = 3, cell?: { readonly data: Float64Array; readonly nodeGraph: Int32Array }): Float64Array {
  const m = graph.src.length;
  const out = new Float64Array(m * spaceDim);
  const dd = spaceDim * spaceDim;
  for (let e = 0; e < m; e++) {
    const s = graph.src[e]!;
    const d = graph.dst[e]!;
    for (let c = 0; c < spaceDim; c++) {
      let t = pos[s * spaceDim + c]! - pos[d * spaceDim + c]!;
      if (cell && graph.shifts) {
        const base = cell.nodeGraph[d]! * dd;
        for (let k = 0; k < spaceDim; k++) t += graph.shifts[e * spaceDim + k]! * cell.data[base + k * spaceDim + c]!;
      }
      out[e * spaceDim + c] = t;
    }
  }
  return out;
}

/** edge_vectors' cell gradient: d/d cell[g][k][c] = Σ over g's edges of shift_k · gradOut_c. */
export function edgeVectorsCellBackward(gradOut: Float64Array, graph: GraphValue, nodeGraph: Int32Array, numGraphs: number, spaceDim = 3): Float64Array {
  const dd = spaceDim * spaceDim;
  const g = new Float64Array(numGraphs * dd);
  if (!graph.shifts) return g;
  for (let e = 0; e < graph.src.length; e++) {
    const base = nodeGraph[graph.dst[e]!]! * dd;
    for (let k = 0; k < spaceDim; k++) {
      const S = graph.shifts[e * spaceDim + k]!;
      if (S === 0) continue;
      for (let c = 0; c < spaceDim; c++) g[base + k * spaceDim + c]! += S * gradOut[e * spaceDim + c]!;
    }
  }
  return g;
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

// ---- reverse mode (targets/ref/grad.ts): d(loss)/d(input) from d(loss)/d(output) ----

/** edge_vectors: each edge's gradient goes to its source and, negated, to its destination. */
export function edgeVectorsBackward(gradOut: Float64Array, graph: GraphValue, numNodes: number, spaceDim = 3): Float64Array {
  const g = new Float64Array(numNodes * spaceDim);
  for (let e = 0; e < graph.src.length; e++) {
    const s = graph.src[e]!;
    const d = graph.dst[e]!;
    for (let c = 0; c < spaceDim; c++) {
      g[s * spaceDim + c]! += gradOut[e * spaceDim + c]!;
      g[d * spaceDim + c]! -= gradOut[e * spaceDim + c]!;
    }
  }
  return g;
}

/** |v|: d|v|/dv = v / |v| (0 for the zero vector, as torch's norm backward). */
export function vectorLengthsBackward(v: Float64Array, dim: number, gradOut: Float64Array): Float64Array {
  const g = new Float64Array(v.length);
  for (let e = 0; e < gradOut.length; e++) {
    let s = 0;
    for (let c = 0; c < dim; c++) s += v[e * dim + c]! * v[e * dim + c]!;
    const len = Math.sqrt(s);
    if (len === 0) continue;
    for (let c = 0; c < dim; c++) g[e * dim + c] = (gradOut[e]! * v[e * dim + c]!) / len;
  }
  return g;
}

/** gather: the edge gradients summed into the nodes they were read from. */
export function gatherBackward(gradOut: Float64Array, dim: number, graph: GraphValue, side: 'src' | 'dst', numNodes: number): Float64Array {
  const idx = side === 'src' ? graph.src : graph.dst;
  const g = new Float64Array(numNodes * dim);
  for (let e = 0; e < idx.length; e++) for (let c = 0; c < dim; c++) g[idx[e]! * dim + c]! += gradOut[e * dim + c]!;
  return g;
}

/**
 * scatter: each edge gets its destination's gradient (divided by the count for mean); for max,
 * only the first edge attaining the maximum of a component gets it (torch_scatter's argmax).
 */
export function scatterBackward(m: Float64Array, out: Float64Array, gradOut: Float64Array, dim: number, graph: GraphValue, numNodes: number, reduce: 'sum' | 'mean' | 'max'): Float64Array {
  const g = new Float64Array(m.length);
  const count = new Float64Array(numNodes);
  for (let e = 0; e < graph.dst.length; e++) count[graph.dst[e]!]!++;
  const taken = reduce === 'max' ? new Uint8Array(numNodes * dim) : undefined;
  for (let e = 0; e < graph.dst.length; e++) {
    const d = graph.dst[e]!;
    for (let c = 0; c < dim; c++) {
      const k = d * dim + c;
      if (reduce === 'sum') g[e * dim + c] = gradOut[k]!;
      else if (reduce === 'mean') g[e * dim + c] = gradOut[k]! / count[d]!;
      else if (!taken![k] && m[e * dim + c] === out[k]) {
        taken![k] = 1;
        g[e * dim + c] = gradOut[k]!;
      }
    }
  }
  return g;
}

/** pool: each node gets its graph's gradient (divided by the size for mean; max: the first argmax). */
export function poolBackward(x: Float64Array, out: Float64Array, gradOut: Float64Array, dim: number, graphPtr: Int32Array, reduce: 'sum' | 'mean' | 'max'): Float64Array {
  const g = new Float64Array(x.length);
  for (let gi = 0; gi + 1 < graphPtr.length; gi++) {
    const a = graphPtr[gi]!;
    const b = graphPtr[gi + 1]!;
    for (let c = 0; c < dim; c++) {
      const go = gradOut[gi * dim + c]!;
      if (reduce === 'max') {
        for (let i = a; i < b; i++) {
          if (x[i * dim + c] === out[gi * dim + c]) {
            g[i * dim + c] = go;
            break;
          }
        }
      } else {
        for (let i = a; i < b; i++) g[i * dim + c] = reduce === 'mean' ? go / (b - a) : go;
      }
    }
  }
  return g;
}
