// Graphs on the host. The positions are always a model input (positions cannot be computed by
// layers), so the host has them before any kernel runs: radius graphs come from the search all
// targets share (targets/io/neighbours.ts: cell lists in float64, the reference's edges in its
// order), graph inputs from the batch, and the kernels get what they need: edges sorted by
// (dst, src, shift), the row pointer of each destination's segment and, for periodic graphs,
// each edge's shift·cell offset.

import { neighbourSearch, type NeighbourGraph } from '../../io/neighbours.js';
import type { RuntimeBatch } from '../../io/inputs.js';

export interface HostGraph {
  readonly src: Int32Array;
  readonly dst: Int32Array;
  /** numNodes + 1 entries: the edges into node n are [rowptr[n], rowptr[n + 1]). */
  readonly rowptr: Int32Array;
  /** Periodic graphs: shift·cell per edge (spaceDim each), in float64 before the upload casts it. */
  readonly offset?: Float64Array;
}

/** The host's shared neighbour search (targets/io/neighbours.ts), with the kernels' row pointer. */
export function radiusGraph(pos: Float64Array, graphPtr: Int32Array, r: number, dim: number, cell?: Float64Array, nodeGraph?: Int32Array): HostGraph {
  const found = neighbourSearch(pos, graphPtr, r, dim, cell);
  return withRowptr(found, graphPtr[graphPtr.length - 1] ?? 0, dim, cell, nodeGraph);
}

/** A graph input's edges (already sorted by (dst, src, shift)) as a host graph. */
export function hostGraph(edges: NeighbourGraph, batch: RuntimeBatch, dim: number, cell?: Float64Array): HostGraph {
  return withRowptr(edges, batch.numNodes, dim, cell, batch.nodeGraph);
}

function withRowptr(g: NeighbourGraph, numNodes: number, dim: number, cell: Float64Array | undefined, nodeGraph: Int32Array | undefined): HostGraph {
  const rowptr = new Int32Array(numNodes + 1);
  for (const d of g.dst) rowptr[d + 1]!++;
  for (let n = 0; n < numNodes; n++) rowptr[n + 1]! += rowptr[n]!;
  if (!cell || !g.shifts || !nodeGraph) return { src: g.src, dst: g.dst, rowptr };
  const offset = new Float64Array(g.src.length * dim);
  for (let e = 0; e < g.src.length; e++) {
    const base = nodeGraph[g.dst[e]!]! * dim * dim;
    for (let c = 0; c < dim; c++) {
      let t = 0;
      for (let k = 0; k < dim; k++) t += g.shifts[e * dim + k]! * cell[base + k * dim + c]!;
      offset[e * dim + c] = t;
    }
  }
  return { src: g.src, dst: g.dst, rowptr, offset };
}

/**
 * S(n)'s pair domain as a graph: every ordered pair (i, j) of nodes of a graph, self-pairs
 * included, as the edge j -> i. Sorted by (dst, src), edge rowptr[i] + (j - first) is pair row
 * i * n + j of the reference's layout (targets/io/pairs.ts), so pair values are edge values
 * of this graph and the runtime's chunking and batch splitting apply to them unchanged.
 */
export function allPairsGraph(graphPtr: Int32Array): HostGraph {
  const numNodes = graphPtr[graphPtr.length - 1] ?? 0;
  let total = 0;
  for (let g = 0; g + 1 < graphPtr.length; g++) total += (graphPtr[g + 1]! - graphPtr[g]!) ** 2;
  const src = new Int32Array(total);
  const dst = new Int32Array(total);
  const rowptr = new Int32Array(numNodes + 1);
  let e = 0;
  for (let g = 0; g + 1 < graphPtr.length; g++) {
    const a = graphPtr[g]!;
    const b = graphPtr[g + 1]!;
    for (let i = a; i < b; i++) {
      for (let j = a; j < b; j++) (src[e] = j), (dst[e] = i), e++;
      rowptr[i + 1] = e;
    }
  }
  return { src, dst, rowptr };
}
