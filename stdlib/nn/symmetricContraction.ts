// MACE's product basis (Batatia et al. 2022, eq. 10): for each channel c of node features
// x_c (one copy of each input atom, stacked: x_c = (x_c^(a))_a of dimension D), the symmetric
// polynomials of degree nu = 1..correlation in x_c that transform as an output atom L, written
// through generalized Clebsch-Gordan coefficients: every coupling tree
//   nu = 1: a = L;  nu = 2: a ⊗ b -> L;  nu = 3: (a ⊗ b -> c) ⊗ d -> L
// gives a tensor U[M, i1, .., inu] from the group's coupling tables. Because x_c^{⊗nu} is
// symmetric, only the symmetric part of U matters: trees whose symmetrized tensor vanishes
// (1o ⊗ 1o -> 1e), or is a combination of earlier trees' (the same polynomial reached twice),
// are dropped, so every kept path has its own, independent polynomial (MACE keeps them all,
// with redundant weights). What is stored is the polynomial itself: one coefficient per
// monomial x_i1 ... x_inu with i1 <= ... <= inu (the symmetric tensor summed over the
// permutations of its indices), exact float64 from the coupling tables, at compile time.

import type { Group } from '../groups/group.js';
import type { Atom } from '../groups/rep.js';

export const MAX_CORRELATION = 3;

/** One kept coupling tree: input atoms (block indices), intermediate atom (nu = 3), copy channels. */
export interface ContractionPath {
  readonly nu: number;
  /** Input block index of each factor, in tree order. */
  readonly blocks: readonly number[];
  /** nu = 3: the intermediate atom of a ⊗ b, as the group prints it. */
  readonly mid?: string;
  /** Copy indices when an atom occurs several times in a product (SO(2)); 0 otherwise. */
  readonly channels: readonly number[];
}

export interface ContractionOutput {
  /** The output atom (as printed), its dimension. */
  readonly ir: string;
  readonly dim: number;
  readonly paths: readonly ContractionPath[];
  /**
   * Per degree nu (index nu - 1): flat [M, i1, .., inu, k, value, ...], k the path's index in
   * `paths`, indices i into the stacked one-copy input (0 <= i < D), i1 <= .. <= inu.
   */
  readonly monomials: readonly (readonly number[])[];
}

interface RawPath {
  path: ContractionPath;
  /** Dense U over (M, i1, .., inu), D^nu * dimL entries. */
  tensor: Float64Array;
}

/**
 * The product basis of input atoms `atoms` (one copy each) into output atom `out`, up to degree
 * `correlation`. Deterministic order: by degree, then the trees in input order.
 */
export function productBasis<A extends Atom>(group: Group<A>, atoms: readonly A[], out: A, correlation: number): ContractionOutput {
  const products = group.products;
  if (!products) throw new Error(`${group.name} has no tensor products`);
  const offsets: number[] = [];
  let D = 0;
  for (const a of atoms) {
    offsets.push(D);
    D += a.dim;
  }
  const L = out.dim;
  const copies = (a: A, b: A, c: A): number => products.products(a, b).filter((x) => x.key === c.key).length;
  const raw: RawPath[] = [];
  for (let nu = 1; nu <= correlation; nu++) {
    const size = L * D ** nu;
    if (nu === 1) {
      atoms.forEach((a, ia) => {
        if (a.key !== out.key) return;
        const t = new Float64Array(size);
        for (let m = 0; m < L; m++) t[m * D + offsets[ia]! + m] = 1;
        raw.push({ path: { nu, blocks: [ia], channels: [] }, tensor: t });
      });
    } else if (nu === 2) {
      atoms.forEach((a, ia) =>
        atoms.forEach((b, ib) => {
          for (let ch = 0; ch < copies(a, b, out); ch++) {
            const C = products.coupling(a, b, out, ch).data;
            const t = new Float64Array(size);
            for (let i = 0; i < a.dim; i++)
              for (let j = 0; j < b.dim; j++)
                for (let m = 0; m < L; m++) t[(m * D + offsets[ia]! + i) * D + offsets[ib]! + j] = C[(i * b.dim + j) * L + m]!;
            raw.push({ path: { nu, blocks: [ia, ib], channels: [ch] }, tensor: t });
          }
        }),
      );
    } else {
      atoms.forEach((a, ia) =>
        atoms.forEach((b, ib) => {
          const mids: A[] = [];
          for (const c of products.products(a, b)) if (!mids.some((m) => m.key === c.key)) mids.push(c);
          for (const c of mids)
            for (let ch1 = 0; ch1 < copies(a, b, c); ch1++) {
              const C1 = products.coupling(a, b, c, ch1).data;
              atoms.forEach((d, id) => {
                for (let ch2 = 0; ch2 < copies(c, d, out); ch2++) {
                  const C2 = products.coupling(c, d, out, ch2).data;
                  const t = new Float64Array(size);
                  for (let i = 0; i < a.dim; i++)
                    for (let j = 0; j < b.dim; j++)
                      for (let k = 0; k < d.dim; k++)
                        for (let m = 0; m < L; m++) {
                          let s = 0;
                          for (let q = 0; q < c.dim; q++) s += C1[(i * b.dim + j) * c.dim + q]! * C2[(q * d.dim + k) * L + m]!;
                          t[((m * D + offsets[ia]! + i) * D + offsets[ib]! + j) * D + offsets[id]! + k] = s;
                        }
                  raw.push({ path: { nu, blocks: [ia, ib, id], mid: group.notation.formatAtom(c), channels: [ch1, ch2] }, tensor: t });
                }
              });
            }
        }),
      );
    }
  }

  // Symmetrize over the input indices, keep the paths independent of those kept before.
  const kept: RawPath[] = [];
  const orthonormal: Float64Array[][] = [[], [], []];
  for (const r of raw) {
    const sym = symmetrize(r.tensor, L, D, r.path.nu);
    const residual = Float64Array.from(sym);
    for (const q of orthonormal[r.path.nu - 1]!) {
      const dot = inner(residual, q);
      for (let i = 0; i < residual.length; i++) residual[i]! -= dot * q[i]!;
    }
    const norm = Math.sqrt(inner(residual, residual));
    if (norm <= 1e-9 * Math.max(1, Math.sqrt(inner(sym, sym))) || norm < 1e-12) continue;
    orthonormal[r.path.nu - 1]!.push(residual.map((v) => v / norm));
    kept.push({ path: r.path, tensor: sym });
  }

  const monomials: number[][] = [];
  for (let nu = 1; nu <= correlation; nu++) {
    const flat: number[] = [];
    kept.forEach((r, k) => {
      if (r.path.nu !== nu) return;
      const idx = new Array<number>(nu).fill(0);
      for (let m = 0; m < L; m++) {
        // Sorted index tuples i1 <= .. <= inu; the coefficient sums the symmetric tensor over the tuple's permutations.
        const visit = (depth: number, start: number): void => {
          if (depth === nu) {
            const perms = permutationCount(idx);
            let flatIndex = m;
            for (const i of idx) flatIndex = flatIndex * D + i;
            const v = r.tensor[flatIndex]! * perms;
            if (Math.abs(v) > 1e-14) flat.push(m, ...idx, k, v);
            return;
          }
          for (let i = start; i < D; i++) {
            idx[depth] = i;
            visit(depth + 1, i);
          }
        };
        visit(0, 0);
      }
    });
    monomials.push(flat);
  }
  return { ir: group.notation.formatAtom(out), dim: L, paths: kept.map((r) => r.path), monomials };
}

function inner(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** The number of distinct orderings of a multiset of indices. */
function permutationCount(idx: readonly number[]): number {
  const fact = (n: number): number => (n <= 1 ? 1 : n * fact(n - 1));
  const counts = new Map<number, number>();
  for (const i of idx) counts.set(i, (counts.get(i) ?? 0) + 1);
  let p = fact(idx.length);
  for (const c of counts.values()) p /= fact(c);
  return p;
}

/** The average of U[M, i_1..i_nu] over the permutations of the input indices. */
function symmetrize(t: Float64Array, L: number, D: number, nu: number): Float64Array {
  if (nu === 1) return t;
  const out = new Float64Array(t.length);
  const block = D ** nu;
  const perms = nu === 2 ? [[0, 1], [1, 0]] : [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
  for (let m = 0; m < L; m++)
    for (let f = 0; f < block; f++) {
      const v = t[m * block + f]!;
      if (v === 0) continue;
      const idx: number[] = [];
      let rest = f;
      for (let q = nu - 1; q >= 0; q--) {
        idx[q] = rest % D;
        rest = Math.floor(rest / D);
      }
      for (const p of perms) {
        let g = 0;
        for (let q = 0; q < nu; q++) g = g * D + idx[p[q]!]!;
        out[m * block + g]! += v / perms.length;
      }
    }
  return out;
}
