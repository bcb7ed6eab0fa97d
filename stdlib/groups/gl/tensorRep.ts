// The atoms of GL+(n) and SL(n): tensor representations T(p,q) ⊗ det^k, p copies of the
// defining representation V and q of its dual V*, twisted by the k-th power of the
// determinant. They are reducible (T(2,0) holds the symmetric and antisymmetric tensors), so
// linear maps between them have several basis maps; see equivariantMaps.ts.
//
// Flattening: a component of T(p,q) is indexed by (i_1..i_p, j_1..j_q), upper (V) indices
// first, row-major, each index in 0..n-1. The coupling of a tensor product and the matrices
// ρ(g) = g^{⊗p} ⊗ (g^{-T})^{⊗q} · det(g)^k follow this order.

import type { Atom } from '../rep.js';

export class TensorAtom implements Atom {
  readonly key: string;
  readonly dim: number;

  constructor(
    /** The dimension of V. */
    readonly n: number,
    /** Copies of V (upper indices). */
    readonly p: number,
    /** Copies of V* (lower indices). */
    readonly q: number,
    /** Power of the determinant. */
    readonly k: number = 0,
  ) {
    this.key = `${p},${q},${k}`;
    this.dim = n ** (p + q);
  }

  get rank(): number {
    return this.p + this.q;
  }

  /** The degree under scaling: g = c·I acts as c^(p - q + n k). */
  get degree(): number {
    return this.p - this.q + this.n * this.k;
  }

  get isInvariantScalar(): boolean {
    return this.p === 0 && this.q === 0 && this.k === 0;
  }

  dual(): TensorAtom {
    return new TensorAtom(this.n, this.q, this.p, -this.k);
  }

  /** The tensor product T(p,q)det^k ⊗ T(r,s)det^l = T(p+r, q+s) det^(k+l). */
  times(other: TensorAtom): TensorAtom {
    return new TensorAtom(this.n, this.p + other.p, this.q + other.q, this.k + other.k);
  }

  toString(): string {
    return formatTensorAtom(this);
  }
}

/** `V`, `V*`, `T(2,1)`, `det^2`, `T(1,0)*det^-1`: the atom as the notation writes it. */
export function formatTensorAtom(a: TensorAtom): string {
  const twist = a.k === 1 ? 'det' : `det^${a.k}`;
  if (a.p === 0 && a.q === 0) return a.k === 0 ? 'T(0,0)' : twist;
  // `V*det` would read as V times det, so twisted tensors always use the T(p,q) form.
  if (a.k !== 0) return `T(${a.p},${a.q})*${twist}`;
  return a.p === 1 && a.q === 0 ? 'V' : a.p === 0 && a.q === 1 ? 'V*' : `T(${a.p},${a.q})`;
}

/** The multi-index (upper then lower, each in 0..n-1) of flat component `flat`. */
export function multiIndex(n: number, rank: number, flat: number): number[] {
  const idx = new Array<number>(rank);
  for (let s = rank - 1; s >= 0; s--) {
    idx[s] = flat % n;
    flat = Math.floor(flat / n);
  }
  return idx;
}

export function flatIndex(n: number, idx: readonly number[]): number {
  let f = 0;
  for (const i of idx) f = f * n + i;
  return f;
}

/**
 * The weight of a basis tensor under the diagonal generators E_aa: (number of upper indices
 * equal to a) - (number of lower ones) + k, for a = 0..n-1.
 */
export function weightOf(a: TensorAtom, flat: number): number[] {
  const idx = multiIndex(a.n, a.rank, flat);
  const w = new Array<number>(a.n).fill(a.k);
  idx.forEach((i, s) => (w[i]! += s < a.p ? 1 : -1));
  return w;
}

/**
 * The action of the off-diagonal generator E_ab (a ≠ b) of gl(n) on T(p,q) ⊗ det^k, as sparse
 * entries [row, col, value] of dρ(E_ab): on an upper slot it sends e_b to e_a, on a lower slot
 * (as -E_ab^T) it sends e*_a to -e*_b; the determinant contributes k·tr(E_ab) = 0.
 */
export function offDiagonalAction(atom: TensorAtom, a: number, b: number): [number, number, number][] {
  const out: [number, number, number][] = [];
  const { n, p, rank } = atom;
  for (let col = 0; col < atom.dim; col++) {
    const idx = multiIndex(n, rank, col);
    for (let s = 0; s < rank; s++) {
      const upper = s < p;
      if (idx[s] !== (upper ? b : a)) continue;
      const moved = idx.slice();
      moved[s] = upper ? a : b;
      out.push([flatIndex(n, moved), col, upper ? 1 : -1]);
    }
  }
  return out;
}
