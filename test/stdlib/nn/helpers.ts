// Shared by the nn and reference-evaluator tests: random features and the action of a
// block-diagonal representation matrix on rows.

import type { Rng } from '../../../stdlib/math/random.js';

export function randomRows(rng: Rng, n: number, dim: number): Float64Array {
  const x = new Float64Array(n * dim);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  return x;
}

/** y[z] = D x[z] for every row, D (dim x dim) row-major. */
export function applyToRows(D: Float64Array, x: Float64Array, dim: number): Float64Array {
  const n = x.length / dim;
  const y = new Float64Array(x.length);
  for (let z = 0; z < n; z++)
    for (let i = 0; i < dim; i++) {
      let s = 0;
      for (let j = 0; j < dim; j++) s += D[i * dim + j]! * x[z * dim + j]!;
      y[z * dim + i] = s;
    }
  return y;
}

export function maxAbs(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]!));
  return m;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d;
  }
  return m;
}

/** The improper rotation -R. */
export function negate(R: Float64Array): Float64Array {
  return R.map((v) => -v);
}
