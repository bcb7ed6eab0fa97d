// Graph inputs (`in bonds: graph`): edges given in the run input rather than found by a radius
// search, e.g. bonds or an MD code's neighbour list. Per graph object:
//
//   "bonds": {"src": [0, 1, ...], "dst": [1, 0, ...], "shifts": [[0, 0, 1], ...]}
//
// indices local to the graph; messages flow from src to dst; "shifts" (integer lattice steps per
// edge, the image of src at pos[src] + shift·cell) is required when the model has a cell and
// refused when it has none. The batch holds the edges with global node indices, sorted by
// (dst, src, shift) like radius-graph edges, so every target's receiver-sorted reductions apply.

import type { NeighbourGraph } from './neighbours.js';

/** One graph's edges as given, node indices local to the graph. */
export interface GraphEdges {
  readonly src: readonly number[];
  readonly dst: readonly number[];
  readonly shifts?: readonly (readonly number[])[];
}

/** The JSON of a graph input, for code that builds batches directly. */
/** The largest lattice step of a given edge's shift: shifts are stored as 32-bit integers (Int32Array). */
export const MAX_LATTICE_SHIFT = 2 ** 31 - 1;

export type GivenEdgesJson = { readonly src: readonly number[]; readonly dst: readonly number[]; readonly shifts?: readonly (readonly number[])[] };

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  return typeof v === 'object' ? 'an object' : typeof v === 'string' ? `the string ${JSON.stringify(v)}` : String(v);
}

/** The edges of one graph, or the first problem with them (`what` names the input and graph). */
export function parseEdges(v: unknown, what: string, nodes: number, cellDim: number | undefined): GraphEdges | string {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return `${what} is a graph: give {"src": [...], "dst": [...]${cellDim ? ', "shifts": [...]' : ''}}, got ${describe(v)}`;
  const o = v as Record<string, unknown>;
  const extra = Object.keys(o).filter((k) => k !== 'src' && k !== 'dst' && k !== 'shifts');
  if (extra.length > 0) return `${what}: unexpected field ${extra.join(', ')} (a graph input has "src", "dst"${cellDim ? ' and "shifts"' : ''})`;
  const index = (key: 'src' | 'dst'): number[] | string => {
    const list = o[key];
    if (!Array.isArray(list)) return `${what}: field "${key}" must be an array of node indices, got ${describe(list)}`;
    for (let e = 0; e < list.length; e++) {
      const i = list[e];
      if (typeof i !== 'number' || !Number.isInteger(i)) return `${what}: field "${key}" entry ${e} must be an integer node index, got ${describe(i)}`;
      if (i < 0 || i >= nodes) return `${what}: field "${key}" entry ${e} is node ${i}, out of range: the graph has ${nodes} node${nodes === 1 ? '' : 's'} (indices 0 to ${nodes - 1})`;
    }
    return list as number[];
  };
  const src = index('src');
  if (typeof src === 'string') return src;
  const dst = index('dst');
  if (typeof dst === 'string') return dst;
  if (src.length !== dst.length) return `${what}: fields "src" and "dst" have different lengths (${src.length} and ${dst.length}): one entry of each per edge`;
  if (!('shifts' in o)) {
    if (cellDim) return `${what}: field "shifts" is missing: the model has a cell, so each edge needs its integer lattice shift ([${new Array(cellDim).fill(0).join(', ')}] within the cell)`;
    return { src, dst };
  }
  if (!cellDim) return `${what}: field "shifts" needs a cell, and the model declares none (declare \`in cell: graph[cell]\`, or drop "shifts")`;
  const shifts = o.shifts;
  if (!Array.isArray(shifts)) return `${what}: field "shifts" must be an array of integer vectors, got ${describe(shifts)}`;
  if (shifts.length !== src.length) return `${what}: field "shifts" has ${shifts.length} entries but there are ${src.length} edges: one shift per edge`;
  for (let e = 0; e < shifts.length; e++) {
    const S = shifts[e];
    if (!Array.isArray(S) || S.length !== cellDim || S.some((x) => typeof x !== 'number' || !Number.isInteger(x))) {
      return `${what}: field "shifts" entry ${e} must be ${cellDim} integers (lattice steps), got ${describe(S)}`;
    }
    const big = (S as number[]).find((x) => Math.abs(x) > MAX_LATTICE_SHIFT);
    if (big !== undefined) return `${what}: field "shifts" entry ${e} has the lattice step ${big}; a shift is stored as a 32-bit integer, at most ${MAX_LATTICE_SHIFT} in size`;
  }
  return { src, dst, shifts: shifts as number[][] };
}

/** The graphs' edges with global indices, sorted by (dst, src, shift) within the batch. */
export function concatEdges(perGraph: readonly GraphEdges[], graphPtr: Int32Array): NeighbourGraph {
  const rows: { s: number; d: number; S?: readonly number[] }[] = [];
  perGraph.forEach((edges, g) => {
    const base = graphPtr[g]!;
    for (let e = 0; e < edges.src.length; e++) rows.push({ s: base + edges.src[e]!, d: base + edges.dst[e]!, ...(edges.shifts ? { S: edges.shifts[e]! } : {}) });
  });
  rows.sort((p, q) => p.d - q.d || p.s - q.s || compare(p.S, q.S));
  const src = Int32Array.from(rows, (r) => r.s);
  const dst = Int32Array.from(rows, (r) => r.d);
  const withShifts = perGraph.some((e) => e.shifts);
  return withShifts ? { src, dst, shifts: Int32Array.from(rows.flatMap((r) => r.S ?? [])) } : { src, dst };
}

function compare(p: readonly number[] | undefined, q: readonly number[] | undefined): number {
  if (!p || !q) return 0;
  for (let k = 0; k < p.length; k++) if (p[k] !== q[k]) return p[k]! - q[k]!;
  return 0;
}
