// The `pair` domain of S(n) models: one row per ordered pair (i, j) of nodes of the same graph,
// graph by graph, row i * n + j within a graph of n nodes. Every target derives these index
// arrays from the batch's graphPtr the same way (ref, tfjs and the wgsl host).

import type { Domain } from '../../ir/types.js';

export interface PairLayout {
  readonly numPairs: number;
  /** Pairs of graph g are [pairPtr[g], pairPtr[g + 1]); length numGraphs + 1. */
  readonly pairPtr: Int32Array;
  /** Per pair row: the graph, the global index of node i and of node j. */
  readonly pairGraph: Int32Array;
  readonly pairRow: Int32Array;
  readonly pairCol: Int32Array;
  /** Per pair row: the row of the transposed pair (j, i). */
  readonly transpose: Int32Array;
  /** Per node: the row of its diagonal pair (i, i). */
  readonly diagonal: Int32Array;
}

const cache = new WeakMap<Int32Array, PairLayout>();

export function pairLayout(graphPtr: Int32Array): PairLayout {
  const hit = cache.get(graphPtr);
  if (hit) return hit;
  const numGraphs = graphPtr.length - 1;
  const pairPtr = new Int32Array(numGraphs + 1);
  for (let g = 0; g < numGraphs; g++) {
    const n = graphPtr[g + 1]! - graphPtr[g]!;
    pairPtr[g + 1] = pairPtr[g]! + n * n;
  }
  const numPairs = pairPtr[numGraphs]!;
  const pairGraph = new Int32Array(numPairs);
  const pairRow = new Int32Array(numPairs);
  const pairCol = new Int32Array(numPairs);
  const transpose = new Int32Array(numPairs);
  const diagonal = new Int32Array(graphPtr[numGraphs]!);
  for (let g = 0; g < numGraphs; g++) {
    const first = graphPtr[g]!;
    const n = graphPtr[g + 1]! - first;
    const base = pairPtr[g]!;
    for (let i = 0; i < n; i++) {
      diagonal[first + i] = base + i * n + i;
      for (let j = 0; j < n; j++) {
        const r = base + i * n + j;
        pairGraph[r] = g;
        pairRow[r] = first + i;
        pairCol[r] = first + j;
        transpose[r] = base + j * n + i;
      }
    }
  }
  const layout = { numPairs, pairPtr, pairGraph, pairRow, pairCol, transpose, diagonal };
  cache.set(graphPtr, layout);
  return layout;
}

/** Rows of a value on `domain` in a batch (edges depend on the graph value, not the batch). */
export function domainRows(batch: { readonly numNodes: number; readonly numGraphs: number; readonly graphPtr: Int32Array }, domain: Domain): number {
  if (domain === 'graph') return batch.numGraphs;
  if (domain === 'pair') return pairLayout(batch.graphPtr).numPairs;
  return batch.numNodes;
}
