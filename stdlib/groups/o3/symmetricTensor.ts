// A symmetric 3x3 tensor (a stress) as the irreps 1x0e + 1x2e, in the basis the rest of eqv
// uses for l = 2: e3nn's real spherical harmonics. Component k is the Frobenius product
// <B_k, T> with an orthonormal basis of symmetric matrices: B_0 = I/√3 and, for m = 0..4,
// B_{1+m} = C_m / |C_m| where x^T C_m x = Y2_m(x), the component-normalised degree-2 harmonic
// polynomial (Y2 = √15 xz, √15 xy, √5 (y² - (x² + z²)/2), √15 yz, √15/2 (z² - x²)). Because
// Y2(Rx) = D2(R) Y2(x), the components of R T R^T are D(R) times those of T: the result
// rotates as 1x0e + 1x2e. An antisymmetric part is orthogonal to every B_k, so the projection
// symmetrises. docs/language.md gives the same formulas and their inverse.

const S2 = Math.SQRT2;
const S3 = Math.sqrt(3);
const S6 = Math.sqrt(6);

/** The 6 basis matrices B_k (3x3 row-major, symmetric, orthonormal under the Frobenius product). */
export const SYMMETRIC_BASIS: readonly (readonly number[])[] = [
  [1 / S3, 0, 0, 0, 1 / S3, 0, 0, 0, 1 / S3],
  [0, 0, 1 / S2, 0, 0, 0, 1 / S2, 0, 0],
  [0, 1 / S2, 0, 1 / S2, 0, 0, 0, 0, 0],
  [-1 / S6, 0, 0, 0, 2 / S6, 0, 0, 0, -1 / S6],
  [0, 0, 0, 0, 0, 1 / S2, 0, 1 / S2, 0],
  [-1 / S2, 0, 0, 0, 0, 0, 0, 0, 1 / S2],
];

/** The components (1x0e + 1x2e) of a 3x3 matrix t (row-major): its symmetric part's, scaled by `scale`. */
export function symmetricComponents(t: ArrayLike<number>, scale = 1): Float64Array {
  const out = new Float64Array(6);
  for (let k = 0; k < 6; k++) {
    let s = 0;
    for (let i = 0; i < 9; i++) s += SYMMETRIC_BASIS[k]![i]! * t[i]!;
    out[k] = s * scale;
  }
  return out;
}

/** The symmetric 3x3 matrix (row-major) with components c: Σ_k c_k B_k. */
export function symmetricFromComponents(c: ArrayLike<number>): Float64Array {
  const t = new Float64Array(9);
  for (let k = 0; k < 6; k++) for (let i = 0; i < 9; i++) t[i]! += c[k]! * SYMMETRIC_BASIS[k]![i]!;
  return t;
}

/** |det| of a 3x3 matrix (row-major): the volume of the cell its rows span. */
export function cellVolume(c: ArrayLike<number>): number {
  const det =
    c[0]! * (c[4]! * c[8]! - c[5]! * c[7]!) - c[1]! * (c[3]! * c[8]! - c[5]! * c[6]!) + c[2]! * (c[3]! * c[7]! - c[4]! * c[6]!);
  return Math.abs(det);
}
