// radius_graph on the host. The positions are always a model input (positions cannot be
// computed by layers), so the host has them before any kernel runs; building the graph here
// costs one pass over candidate pairs in float64 (the same strict |d|^2 < r^2 test as the
// reference evaluator, so both see the same edges) and gives the kernels what they need:
// edges sorted by (dst, src) and the row pointer of each destination's segment.

import { checkEdgeCount } from '../../io/limits.js';

export interface HostGraph {
  readonly src: Int32Array;
  readonly dst: Int32Array;
  /** numNodes + 1 entries: the edges into node n are [rowptr[n], rowptr[n + 1]). */
  readonly rowptr: Int32Array;
}

/** Graphs above this many nodes use a cell grid instead of all pairs. */
const GRID_THRESHOLD = 256;

export function radiusGraph(pos: Float64Array, graphPtr: Int32Array, r: number, dim: number): HostGraph {
  const numNodes = graphPtr[graphPtr.length - 1] ?? 0;
  const src: number[] = [];
  const dst: number[] = [];
  const rowptr = new Int32Array(numNodes + 1);
  const r2 = r * r;
  const dist2 = (a: number, b: number) => {
    let s = 0;
    for (let c = 0; c < dim; c++) {
      const d = pos[a * dim + c]! - pos[b * dim + c]!;
      s += d * d;
    }
    return s;
  };
  for (let g = 0; g + 1 < graphPtr.length; g++) {
    const a = graphPtr[g]!;
    const b = graphPtr[g + 1]!;
    const neighbours = b - a > GRID_THRESHOLD && r > 0 ? gridNeighbours(pos, a, b, r, dim) : undefined;
    for (let d = a; d < b; d++) {
      const cands = neighbours ? neighbours(d) : undefined;
      if (cands) {
        for (const s of cands) if (s !== d && dist2(s, d) < r2) (src.push(s), dst.push(d));
      } else {
        for (let s = a; s < b; s++) if (s !== d && dist2(s, d) < r2) (src.push(s), dst.push(d));
      }
      rowptr[d + 1] = src.length;
      checkEdgeCount(src.length, r);
    }
  }
  return { src: Int32Array.from(src), dst: Int32Array.from(dst), rowptr };
}

/** Candidates within one cell of side r around each node, in ascending order. */
function gridNeighbours(pos: Float64Array, a: number, b: number, r: number, dim: number): (d: number) => number[] {
  const lo = new Float64Array(dim).fill(Infinity);
  for (let i = a; i < b; i++) for (let c = 0; c < dim; c++) lo[c] = Math.min(lo[c]!, pos[i * dim + c]!);
  const cellOf = (i: number) => Array.from({ length: dim }, (_, c) => Math.floor((pos[i * dim + c]! - lo[c]!) / r));
  const cells = new Map<string, number[]>();
  for (let i = a; i < b; i++) {
    const key = cellOf(i).join(',');
    const list = cells.get(key);
    if (list) list.push(i);
    else cells.set(key, [i]);
  }
  const offsets: number[][] = [[]];
  for (let c = 0; c < dim; c++) {
    const next: number[][] = [];
    for (const o of offsets) for (const dlt of [-1, 0, 1]) next.push([...o, dlt]);
    offsets.splice(0, offsets.length, ...next);
  }
  return (d) => {
    const cell = cellOf(d);
    const out: number[] = [];
    for (const o of offsets) {
      const list = cells.get(cell.map((x, c) => x + o[c]!).join(','));
      if (list) out.push(...list);
    }
    return out.sort((p, q) => p - q);
  };
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
