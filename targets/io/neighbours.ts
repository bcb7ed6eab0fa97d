// The radius graph's neighbour search, on the host, in float64: the one implementation that the
// reference evaluator, the tfjs target and the WebGPU host share, so all three see the same
// edges in the same order. Linear time for a fixed density: points are binned (cell lists) in
// bins at least r wide, and each node looks only at the bins within r of it.
//
// Periodic graphs (a cell given): rows of `cell` are the lattice vectors a_k, periodic in every
// direction. An edge is (src, dst, shift) with shift an integer vector S: the message comes from
// the image of src at pos[src] + S·cell, so the edge vector is pos[src] + S·cell - pos[dst]
// (eqv's pos[src] - pos[dst] convention, extended by the image's lattice translation). Every
// image closer than r is an edge, so a cell smaller than 2r gives several edges between the same
// two nodes, and a node's own images are its neighbours (only the zero-shift self-pair is not).
// Positions need not lie inside the cell: they are wrapped for binning, and the shifts are
// expressed against the positions as given.
//
// Edges are sorted by (dst, src, shift) on every target (receiver-major, as the wgsl kernels'
// segments and tfjs's segment reductions need); the distance test is strict, |v|^2 < r^2, with v
// computed exactly as the edge vectors are.

import { checkEdgeCount } from './limits.js';

export interface NeighbourGraph {
  readonly src: Int32Array;
  readonly dst: Int32Array;
  /** Integer lattice shifts, dim per edge (row-major); absent for a graph without a cell. */
  readonly shifts?: Int32Array;
}

/**
 * The most (destination, image bin) pairs the periodic search of one graph may visit: far above
 * any cell whose heights are not orders of magnitude below r (a 1000-atom cell of side 20 with
 * r = 5 visits 64,000), and a few seconds of work.
 */
export const MAX_SEARCH_VISITS = 1e8;

/** A runtime problem with a cell, naming the graph. */
export class CellError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CellError';
  }
}

/**
 * Edges of every graph of the batch. `cell` holds dim x dim numbers per graph (row k = lattice
 * vector k), or is undefined for open boundaries.
 */
export function neighbourSearch(pos: Float64Array, graphPtr: Int32Array, r: number, dim: number, cell?: Float64Array): NeighbourGraph {
  const src: number[] = [];
  const dst: number[] = [];
  const shifts: number[] = [];
  for (let g = 0; g + 1 < graphPtr.length; g++) {
    const a = graphPtr[g]!;
    const b = graphPtr[g + 1]!;
    if (cell) periodicGraph(pos, a, b, r, dim, cell.subarray(g * dim * dim, (g + 1) * dim * dim), g, src, dst, shifts);
    else openGraph(pos, a, b, r, dim, src, dst);
  }
  const out = { src: Int32Array.from(src), dst: Int32Array.from(dst) };
  return cell ? { ...out, shifts: Int32Array.from(shifts) } : out;
}

/** The search over all pairs, for comparison (bench/ and tests): the same edges, slower. */
export function allPairsSearch(pos: Float64Array, graphPtr: Int32Array, r: number, dim: number, cell?: Float64Array): NeighbourGraph {
  const src: number[] = [];
  const dst: number[] = [];
  const shifts: number[] = [];
  const r2 = r * r;
  for (let g = 0; g + 1 < graphPtr.length; g++) {
    const a = graphPtr[g]!;
    const b = graphPtr[g + 1]!;
    const lattice = cell?.subarray(g * dim * dim, (g + 1) * dim * dim);
    const reach = lattice ? imageReach(lattice, dim, r, g).map((n) => n + 1) : new Array<number>(dim).fill(0);
    const images = shiftRange(reach.map((n) => -n), reach);
    const v = new Float64Array(dim);
    for (let d = a; d < b; d++) {
      for (let s = a; s < b; s++) {
        for (const S of images) {
          if (s === d && S.every((x) => x === 0)) continue;
          if (edgeVector(pos, s, d, S, lattice, dim, v) < r2) {
            src.push(s);
            dst.push(d);
            if (lattice) shifts.push(...S);
          }
        }
      }
      checkEdgeCount(src.length, r);
    }
  }
  const out = { src: Int32Array.from(src), dst: Int32Array.from(dst) };
  return cell ? { ...out, shifts: Int32Array.from(shifts) } : out;
}

/** |pos[s] + S·cell - pos[d]|², the vector written into v (the edge vector's own arithmetic). */
function edgeVector(pos: Float64Array, s: number, d: number, S: readonly number[] | Int32Array, cell: Float64Array | undefined, dim: number, v: Float64Array): number {
  let d2 = 0;
  for (let c = 0; c < dim; c++) {
    let t = pos[s * dim + c]! - pos[d * dim + c]!;
    if (cell) for (let k = 0; k < dim; k++) t += S[k]! * cell[k * dim + c]!;
    v[c] = t;
    d2 += t * t;
  }
  return d2;
}

function shiftRange(lo: readonly number[], hi: readonly number[]): number[][] {
  let out: number[][] = [[]];
  for (let k = 0; k < lo.length; k++) {
    const next: number[][] = [];
    for (const o of out) for (let x = lo[k]!; x <= hi[k]!; x++) next.push([...o, x]);
    out = next;
  }
  return out;
}

// ---- open boundaries ----

function openGraph(pos: Float64Array, a: number, b: number, r: number, dim: number, src: number[], dst: number[]): void {
  const n = b - a;
  if (n === 0) return;
  const r2 = r * r;
  const lo = new Float64Array(dim).fill(Infinity);
  const hi = new Float64Array(dim).fill(-Infinity);
  for (let i = a; i < b; i++) {
    for (let c = 0; c < dim; c++) {
      lo[c] = Math.min(lo[c]!, pos[i * dim + c]!);
      hi[c] = Math.max(hi[c]!, pos[i * dim + c]!);
    }
  }
  // Bins of side >= r (a few more when the cloud is small), at most about n of them.
  const counts = new Array<number>(dim);
  let total = 1;
  for (let c = 0; c < dim; c++) {
    counts[c] = Math.max(1, Math.min(Math.floor((hi[c]! - lo[c]!) / r), Math.ceil(Math.pow(n, 1 / dim))));
    total *= counts[c]!;
  }
  const width = counts.map((m, c) => Math.max((hi[c]! - lo[c]!) / m, Number.MIN_VALUE));
  const binCoord = (i: number, c: number) => Math.min(counts[c]! - 1, Math.floor((pos[i * dim + c]! - lo[c]!) / width[c]!));
  const bins = binPoints(n, total, (local) => {
    let key = 0;
    for (let c = 0; c < dim; c++) key = key * counts[c]! + binCoord(a + local, c);
    return key;
  });
  const v = new Float64Array(dim);
  const cand: number[] = [];
  const at = new Array<number>(dim);
  for (let d = a; d < b; d++) {
    cand.length = 0;
    for (let c = 0; c < dim; c++) at[c] = binCoord(d, c);
    forEachOffset(dim, (o) => {
      let key = 0;
      for (let c = 0; c < dim; c++) {
        const x = at[c]! + o[c]!;
        if (x < 0 || x >= counts[c]!) return;
        key = key * counts[c]! + x;
      }
      for (let j = bins.start[key]!; j < bins.start[key + 1]!; j++) cand.push(a + bins.items[j]!);
    });
    cand.sort((p, q) => p - q);
    for (const s of cand) if (s !== d && edgeVector(pos, s, d, [], undefined, dim, v) < r2) (src.push(s), dst.push(d));
    checkEdgeCount(src.length, r);
  }
}

function forEachOffset(dim: number, f: (o: readonly number[]) => void): void {
  const o = new Array<number>(dim).fill(-1);
  for (;;) {
    f(o);
    let c = dim - 1;
    while (c >= 0 && o[c] === 1) o[c--] = -1;
    if (c < 0) return;
    o[c]!++;
  }
}

/** Counting sort of n items into `total` bins: bin k holds items[start[k] .. start[k + 1]). */
function binPoints(n: number, total: number, binOf: (i: number) => number): { start: Int32Array; items: Int32Array } {
  const key = new Int32Array(n);
  const start = new Int32Array(total + 1);
  for (let i = 0; i < n; i++) {
    key[i] = binOf(i);
    start[key[i]! + 1]!++;
  }
  for (let k = 0; k < total; k++) start[k + 1]! += start[k]!;
  const fill = start.slice(0, total);
  const items = new Int32Array(n);
  for (let i = 0; i < n; i++) items[fill[key[i]!]!++] = i;
  return { start, items };
}

// ---- periodic cells ----

/** Inverse of a 2x2 or 3x3 row-major matrix; throws on a degenerate cell. */
function inverse(m: Float64Array, dim: number, g: number): { inv: Float64Array; det: number } {
  const det = determinant(m, dim);
  const scale = Math.max(...Array.from(m, Math.abs)) ** dim;
  if (!(Math.abs(det) > 1e-12 * scale) || !Number.isFinite(det)) {
    throw new CellError(`the cell of graph ${g} is degenerate (determinant ${det}): its lattice vectors (rows) must span the space`);
  }
  const inv = new Float64Array(dim * dim);
  if (dim === 2) {
    inv[0] = m[3]! / det;
    inv[1] = -m[1]! / det;
    inv[2] = -m[2]! / det;
    inv[3] = m[0]! / det;
  } else {
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        // inv[j][i] = cofactor(i, j) / det
        const r0 = (i + 1) % 3, r1 = (i + 2) % 3, c0 = (j + 1) % 3, c1 = (j + 2) % 3;
        inv[j * 3 + i] = (m[r0 * 3 + c0]! * m[r1 * 3 + c1]! - m[r0 * 3 + c1]! * m[r1 * 3 + c0]!) / det;
      }
    }
  }
  return { inv, det };
}

/** det of a 2x2 or 3x3 row-major matrix (a cell's signed volume). */
export function determinant(m: ArrayLike<number>, dim: number): number {
  if (dim === 2) return m[0]! * m[3]! - m[1]! * m[2]!;
  return m[0]! * (m[4]! * m[8]! - m[5]! * m[7]!) - m[1]! * (m[3]! * m[8]! - m[5]! * m[6]!) + m[2]! * (m[3]! * m[7]! - m[4]! * m[6]!);
}

/**
 * How many lattice steps along each direction a distance r can span: r / h_k, h_k the distance
 * between the lattice planes spanned by the other vectors (1 / |row k of the inverse's transpose|).
 */
function imageReach(cell: Float64Array, dim: number, r: number, g: number): number[] {
  const { inv } = inverse(cell, dim, g);
  return Array.from({ length: dim }, (_, k) => {
    let s = 0;
    for (let c = 0; c < dim; c++) s += inv[c * dim + k]! ** 2; // column k of inv = reciprocal vector k
    return Math.ceil(r * Math.sqrt(s));
  });
}

function periodicGraph(pos: Float64Array, a: number, b: number, r: number, dim: number, cell: Float64Array, g: number, src: number[], dst: number[], shifts: number[]): void {
  const n = b - a;
  if (n === 0) return;
  const { inv } = inverse(cell, dim, g);
  const r2 = r * r;
  // Fractional coordinates f = p·inv, wrapped into [0, 1): p = (f - floor f)·cell + floor(f)·cell.
  const frac = new Float64Array(n * dim);
  const wrap = new Int32Array(n * dim);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < dim; k++) {
      let f = 0;
      for (let c = 0; c < dim; c++) f += pos[(a + i) * dim + c]! * inv[c * dim + k]!;
      const w = Math.floor(f);
      frac[i * dim + k] = f - w;
      wrap[i * dim + k] = w;
    }
  }
  // Per direction: the fractional reach of r (r·|reciprocal vector k|), and bins at least that wide.
  const reach = new Float64Array(dim);
  const counts = new Array<number>(dim);
  let total = 1;
  for (let k = 0; k < dim; k++) {
    let s = 0;
    for (let c = 0; c < dim; c++) s += inv[c * dim + k]! ** 2;
    reach[k] = r * Math.sqrt(s);
    counts[k] = Math.max(1, Math.min(Math.floor(1 / reach[k]!), Math.ceil(Math.pow(n, 1 / dim))));
    total *= counts[k]!;
  }
  // The bins each destination visits: the box of fractional half-widths `reach` around it. For
  // a cell that is very thin or skewed against r (a lattice vector almost in the plane of the
  // others) the box spans billions of images, and the search hung or ran out of memory before
  // the edge limit could stop it; refuse it up front, naming the graph.
  let visits = n;
  for (let k = 0; k < dim; k++) visits *= Math.floor(2 * reach[k]! * counts[k]!) + 2;
  if (!(visits <= MAX_SEARCH_VISITS)) {
    const heights = Array.from(reach, (x) => Number((r / x).toPrecision(3)));
    throw new CellError(
      `the cell of graph ${g} is too thin or skewed for r = ${r}: finding its neighbours would visit about ${visits.toExponential(1)} periodic images ` +
        `(its heights, the distances between opposite faces, are ${heights.join(', ')}; a search visits at most ${MAX_SEARCH_VISITS.toExponential(0)}): ` +
        'give a reduced cell (Niggli or LLL) of the same lattice, or a smaller radius',
    );
  }
  const binCoord = (i: number, k: number) => Math.min(counts[k]! - 1, Math.floor(frac[i * dim + k]! * counts[k]!));
  const bins = binPoints(n, total, (i) => {
    let key = 0;
    for (let k = 0; k < dim; k++) key = key * counts[k]! + binCoord(i, k);
    return key;
  });
  const v = new Float64Array(dim);
  const S = new Int32Array(dim);
  const lo = new Array<number>(dim);
  const hi = new Array<number>(dim);
  const u = new Array<number>(dim);
  // Candidates of one destination: (src, shift), sorted before they become edges.
  const cand: { s: number; S: number[] }[] = [];
  for (let di = 0; di < n; di++) {
    cand.length = 0;
    // Unwrapped bin indices whose points can be within r (a small margin against rounding).
    for (let k = 0; k < dim; k++) {
      const f = frac[di * dim + k]!;
      lo[k] = Math.floor((f - reach[k]! - 1e-9) * counts[k]!);
      hi[k] = Math.floor((f + reach[k]! + 1e-9) * counts[k]!);
      u[k] = lo[k]!;
    }
    for (;;) {
      let key = 0;
      for (let k = 0; k < dim; k++) {
        const m = counts[k]!;
        const wrapped = ((u[k]! % m) + m) % m;
        key = key * m + wrapped;
        // The image of the wrapped bin this unwrapped bin stands for, in lattice steps.
        S[k] = Math.floor(u[k]! / m);
      }
      for (let j = bins.start[key]!; j < bins.start[key + 1]!; j++) {
        const si = bins.items[j]!;
        // Against the positions as given: S' = S - wrap(src) + wrap(dst).
        const shift = Array.from(S, (x, k) => x - wrap[si * dim + k]! + wrap[di * dim + k]!);
        if (si === di && shift.every((x) => x === 0)) continue;
        if (edgeVector(pos, a + si, a + di, shift, cell, dim, v) < r2) cand.push({ s: a + si, S: shift });
      }
      let k = dim - 1;
      while (k >= 0 && u[k] === hi[k]) (u[k] = lo[k]!), k--;
      if (k < 0) break;
      u[k]!++;
    }
    cand.sort((p, q) => p.s - q.s || compareShifts(p.S, q.S));
    for (const c of cand) {
      src.push(c.s);
      dst.push(a + di);
      shifts.push(...c.S);
    }
    checkEdgeCount(src.length, r);
  }
}

function compareShifts(p: readonly number[], q: readonly number[]): number {
  for (let k = 0; k < p.length; k++) if (p[k] !== q[k]) return p[k]! - q[k]!;
  return 0;
}
