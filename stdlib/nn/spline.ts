// Radial splines (Facet, Lee et al. 2023): a learned function of the edge length as a cubic
// B-spline, y[e, o] = Σ_k B_k(len_e) C[k, o], in place of an MLP of a radial basis. The basis is
// the uniform cubic B-spline on knots t_j = (j - 3) h, j = 0 .. n + 3, h = r / (n - 3): basis k
// lives on [t_k, t_(k+4)), so on [0, r] exactly four are non-zero and they sum to 1 (partition
// of unity), and every basis is C² on the whole line (zero outside its support, so beyond
// r + 3h). A spline is one matrix product of a sparse basis, cheaper than an MLP and smooth
// enough for forces.

import type { RadialSplineAttrs } from '../../ir/types.js';

/** The knot spacing of n cubic B-splines covering [0, r] (n >= 4). */
export function splineSpacing(n: number, r: number): number {
  return r / (n - 3);
}

/** The cardinal cubic B-spline on [0, 4) (zero elsewhere). */
export function cubicBSpline(u: number): number {
  if (!(u > 0) || !(u < 4)) return 0;
  if (u < 1) return (u * u * u) / 6;
  if (u < 2) return (((-3 * u + 12) * u - 12) * u + 4) / 6;
  if (u < 3) return (((3 * u - 24) * u + 60) * u - 44) / 6;
  const v = 4 - u;
  return (v * v * v) / 6;
}

/** Its derivative d/du. */
export function cubicBSplineDerivative(u: number): number {
  if (!(u > 0) || !(u < 4)) return 0;
  if (u < 1) return (u * u) / 2;
  if (u < 2) return ((-3 * u + 8) * u - 4) / 2;
  if (u < 3) return ((3 * u - 16) * u + 20) / 2;
  const v = 4 - u;
  return -(v * v) / 2;
}

/** The argument of the cardinal spline for basis k at length x: u = x / h - k + 3. */
export function splineArgument(x: number, k: number, spacing: number): number {
  return x / spacing - k + 3;
}

/** Basis values, (rows, number), of lengths (rows, 1). */
export function splineBasis(lengths: Float64Array, attrs: RadialSplineAttrs): Float64Array {
  const n = attrs.number;
  const out = new Float64Array(lengths.length * n);
  for (let e = 0; e < lengths.length; e++) for (let k = 0; k < n; k++) out[e * n + k] = cubicBSpline(splineArgument(lengths[e]!, k, attrs.spacing));
  return out;
}

/** d(basis)/d(length), (rows, number). */
export function splineBasisDerivative(lengths: Float64Array, attrs: RadialSplineAttrs): Float64Array {
  const n = attrs.number;
  const out = new Float64Array(lengths.length * n);
  for (let e = 0; e < lengths.length; e++) for (let k = 0; k < n; k++) out[e * n + k] = cubicBSplineDerivative(splineArgument(lengths[e]!, k, attrs.spacing)) / attrs.spacing;
  return out;
}
