// The null space of a sparse linear system with small integer coefficients, as a basis of
// clean vectors. Rows arrive one at a time and are reduced against the pivots found so far
// (sparse Gaussian elimination, largest pivot first); at the end the pivot rows are reduced
// against each other so every basis vector is 1 at one free unknown, 0 at the others, and
// minus the pivot rows' entries elsewhere. The Lie-algebra constraints of GL+(n) and SL(n)
// have integer coefficients, so these entries are rationals with small denominators;
// `cleanRational` snaps the float64 results back onto them.

export type SparseRow = Map<number, number>;

const EPS = 1e-10;

/** The nearest p/q with q <= maxDen when within 1e-9 of x; x itself otherwise. */
export function cleanRational(x: number, maxDen = 1000): number {
  if (Math.abs(x - Math.round(x)) < 1e-9) return Math.round(x) + 0;
  // Continued fraction convergents of x.
  let h0 = 0, h1 = 1, k0 = 1, k1 = 0;
  let r = x;
  for (let step = 0; step < 40; step++) {
    const a = Math.floor(r);
    const h2 = a * h1 + h0;
    const k2 = a * k1 + k0;
    if (k2 > maxDen) break;
    if (Math.abs(x - h2 / k2) < 1e-9) return h2 / k2;
    [h0, h1, k0, k1] = [h1, h2, k1, k2];
    const frac = r - a;
    if (frac < 1e-15) break;
    r = 1 / frac;
  }
  return x;
}

export class SparseEliminator {
  /** Pivot column -> its row, scaled so the pivot entry is 1. */
  private readonly pivots = new Map<number, SparseRow>();
  private readonly order: number[] = [];

  constructor(readonly unknowns: number) {}

  get rank(): number {
    return this.order.length;
  }

  /** Adds the equation sum_j row[j] x_j = 0. */
  add(input: SparseRow): void {
    const row = new Map(input);
    // Eliminate every pivot column present; later pivots never bring back earlier ones.
    for (;;) {
      let col = -1;
      for (const [c, v] of row) {
        if (Math.abs(v) < EPS) row.delete(c);
        else if (this.pivots.has(c)) {
          col = c;
          break;
        }
      }
      if (col < 0) break;
      const f = row.get(col)!;
      for (const [c, v] of this.pivots.get(col)!) {
        const nv = (row.get(c) ?? 0) - f * v;
        if (Math.abs(nv) < EPS) row.delete(c);
        else row.set(c, nv);
      }
    }
    if (row.size === 0) return;
    let pivot = -1;
    let best = 0;
    for (const [c, v] of row) {
      if (Math.abs(v) > best + EPS || (Math.abs(v) > best - EPS && c < pivot)) {
        best = Math.abs(v);
        pivot = c;
      }
    }
    const scale = row.get(pivot)!;
    for (const [c, v] of row) row.set(c, v / scale);
    this.pivots.set(pivot, row);
    this.order.push(pivot);
  }

  /** A basis of the solutions, one dense vector per free unknown, in increasing order of it. */
  nullSpace(): Float64Array[] {
    // Back-substitution: rows created later hold no earlier pivot, so reduce from the last.
    for (let t = this.order.length - 1; t >= 0; t--) {
      const row = this.pivots.get(this.order[t]!)!;
      for (let s = t + 1; s < this.order.length; s++) {
        const pc = this.order[s]!;
        const f = row.get(pc);
        if (f === undefined) continue;
        for (const [c, v] of this.pivots.get(pc)!) {
          const nv = (row.get(c) ?? 0) - f * v;
          if (Math.abs(nv) < EPS) row.delete(c);
          else row.set(c, nv);
        }
      }
    }
    const basis: Float64Array[] = [];
    for (let free = 0; free < this.unknowns; free++) {
      if (this.pivots.has(free)) continue;
      const v = new Float64Array(this.unknowns);
      v[free] = 1;
      for (const [pc, row] of this.pivots) {
        const f = row.get(free);
        if (f !== undefined) v[pc] = cleanRational(-f);
      }
      basis.push(v);
    }
    return basis;
  }
}
