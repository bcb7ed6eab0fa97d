// Rotations of R^3 and their Wigner D matrices in e3nn's conventions (e3nn's o3._rotation and
// o3.wigner_D): Euler angles are Y-X-Y, R(a, b, c) = Ry(a) Rx(b) Ry(c), and
// D^l(a, b, c) = expm(a Jy) expm(b Jx) expm(c Jy) in the real basis of realBasis.ts, so that
// D^1(R) = R and D^l(R) Y^l(x) = Y^l(R x).
//
// Rotations about y are diagonal in the complex basis, hence exact 2x2 blocks (cos m a, sin m a)
// in the real one. A rotation about x is one about y conjugated by K = Rz(pi/2), which maps x
// to y: Rx(b) = K^T Ry(b) K, and K = Rx(pi/2) Ry(pi/2) Rx(-pi/2). So the only non-trivial
// matrix per l is D^l(Rx(pi/2)), computed once from the exact small-d at pi/2 (su2.ts); every
// D is then a product of orthogonal matrices, accurate to a few ulps times 2l+1.

import { det3, orthogonalityError } from '../../math/linalg.js';
import type { Rng } from '../../math/random.js';
import { Irrep, Irreps } from './irreps.js';
import { complexToRealBasis } from './realBasis.js';
import { smallDHalfPi } from './su2.js';

/** A 3x3 matrix, row-major (9 numbers), or as three rows. */
export type Matrix3Like = ArrayLike<number> | readonly ArrayLike<number>[];

function toMatrix3(r: Matrix3Like): Float64Array {
  if (r.length === 3 && typeof r[0] !== 'number') {
    const rows = r as readonly ArrayLike<number>[];
    const out = new Float64Array(9);
    rows.forEach((row, i) => {
      if (row.length !== 3) throw new RangeError(`a 3x3 matrix needs rows of 3 numbers; row ${i} has ${row.length}`);
      for (let j = 0; j < 3; j++) out[3 * i + j] = row[j]!;
    });
    return out;
  }
  if (r.length !== 9) throw new RangeError(`a 3x3 matrix needs 9 numbers, got ${r.length}`);
  return Float64Array.from(r as ArrayLike<number>);
}

function mul3(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  const out = new Float64Array(9);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) out[3 * i + j] = a[3 * i]! * b[j]! + a[3 * i + 1]! * b[3 + j]! + a[3 * i + 2]! * b[6 + j]!;
  }
  return out;
}

/** Rotation by `angle` about the x axis. */
export function matrixX(angle: number): Float64Array {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  return Float64Array.of(1, 0, 0, 0, c, -s, 0, s, c);
}

/** Rotation by `angle` about the y axis: [[c, 0, s], [0, 1, 0], [-s, 0, c]]. */
export function matrixY(angle: number): Float64Array {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  return Float64Array.of(c, 0, s, 0, 1, 0, -s, 0, c);
}

/** Rotation by `angle` about the z axis. */
export function matrixZ(angle: number): Float64Array {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  return Float64Array.of(c, -s, 0, s, c, 0, 0, 0, 1);
}

/** R(alpha, beta, gamma) = Ry(alpha) Rx(beta) Ry(gamma): gamma is applied first. */
export function anglesToMatrix(alpha: number, beta: number, gamma: number): Float64Array {
  return mul3(mul3(matrixY(alpha), matrixX(beta)), matrixY(gamma));
}

/**
 * (alpha, beta) with R(alpha, beta, 0) e_y = xyz / |xyz|: beta from the y axis, alpha about it.
 * e3nn's xyz_to_angles; beta is taken with atan2 rather than acos, which loses half the digits
 * near the poles. The zero vector gives e3nn's (0, pi/2).
 */
export function xyzToAngles(xyz: ArrayLike<number>): [number, number] {
  const x = xyz[0]!;
  const y = xyz[1]!;
  const z = xyz[2]!;
  if (x === 0 && y === 0 && z === 0) return [0, Math.PI / 2];
  return [Math.atan2(x, z), Math.atan2(Math.hypot(x, z), y)];
}

/** The point R(alpha, beta, 0) e_y on the unit sphere. */
export function anglesToXyz(alpha: number, beta: number): [number, number, number] {
  return [Math.sin(beta) * Math.sin(alpha), Math.cos(beta), Math.sin(beta) * Math.cos(alpha)];
}

function checkOrthogonal(r: Float64Array, what: string): number {
  const err = orthogonalityError(r, 3);
  if (!(err <= 1e-5)) throw new RangeError(`${what} needs an orthogonal 3x3 matrix; R R^T differs from I by ${err}`);
  return det3(r);
}

/** e3nn's matrix_to_angles: (alpha, beta, gamma) with R = R(alpha, beta, gamma), for a proper rotation. */
export function matrixToAngles(R: Matrix3Like): [number, number, number] {
  const r = toMatrix3(R);
  const det = checkOrthogonal(r, 'matrixToAngles');
  if (det < 0) throw new RangeError('matrixToAngles needs a proper rotation (det R = +1); got det R = -1');
  const [alpha, beta] = xyzToAngles([r[1]!, r[4]!, r[7]!]);
  // R(alpha, beta, 0)^T R is a rotation about y by gamma; read gamma from its first row.
  const rest = anglesToMatrix(alpha, beta, 0);
  const row0 = [0, 0, 0];
  for (let j = 0; j < 3; j++) row0[j] = rest[0]! * r[j]! + rest[3]! * r[3 + j]! + rest[6]! * r[6 + j]!;
  return [alpha, beta, Math.atan2(row0[2]!, row0[0]!)];
}

/** A Haar-random proper rotation: the matrix of a uniformly random unit quaternion. */
export function randomRotation(rng: Rng): Float64Array {
  let w = 0;
  let x = 0;
  let y = 0;
  let z = 0;
  let n = 0;
  while (n < 1e-6) {
    w = rng.normal();
    x = rng.normal();
    y = rng.normal();
    z = rng.normal();
    n = Math.sqrt(w * w + x * x + y * y + z * z);
  }
  w /= n;
  x /= n;
  y /= n;
  z /= n;
  return Float64Array.of(
    1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
    2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
    2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y),
  );
}

// ---------- Wigner D ----------

/** cos(r pi/2) and sin(r pi/2) exactly (Math.cos(pi/2) is 6e-17, not 0). */
function quarterTurn(r: number): [number, number] {
  switch (((r % 4) + 4) % 4) {
    case 0:
      return [1, 0];
    case 1:
      return [0, 1];
    case 2:
      return [-1, 0];
    default:
      return [0, -1];
  }
}

/** m <- Ry^l(angle) m in place, m of shape (2l+1) x cols: the exact 2x2 blocks per |m|. */
function rotateRowsY(l: number, m: Float64Array, cols: number, cosSin: (r: number) => [number, number]): void {
  for (let r = 1; r <= l; r++) {
    const [c, s] = cosSin(r);
    const up = (l + r) * cols;
    const down = (l - r) * cols;
    for (let j = 0; j < cols; j++) {
      const p = m[up + j]!;
      const q = m[down + j]!;
      m[up + j] = c * p - s * q;
      m[down + j] = s * p + c * q;
    }
  }
}

/** m <- m Ry^l(angle) in place, m of shape rows x (2l+1). */
function rotateColsY(l: number, m: Float64Array, rows: number, cosSin: (r: number) => [number, number]): void {
  const n = 2 * l + 1;
  for (let r = 1; r <= l; r++) {
    const [c, s] = cosSin(r);
    for (let i = 0; i < rows; i++) {
      const p = m[i * n + l + r]!;
      const q = m[i * n + l - r]!;
      m[i * n + l + r] = c * p + s * q;
      m[i * n + l - r] = -s * p + c * q;
    }
  }
}

const angle = (theta: number) => (r: number): [number, number] => [Math.cos(r * theta), Math.sin(r * theta)];

/** D^l(Rz(pi/2)) = D(Rx(pi/2)) D(Ry(pi/2)) D(Rx(pi/2))^T, per l. */
const quarterTurnZ = new Map<number, Float64Array>();

function zQuarter(l: number): Float64Array {
  let k = quarterTurnZ.get(l);
  if (k) return k;
  const n = 2 * l + 1;
  const xh = complexToRealBasis(l, smallDHalfPi(l));
  const t = xh.slice();
  rotateColsY(l, t, n, quarterTurn); // Xh Ry(pi/2)
  k = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < n; p++) s += t[i * n + p]! * xh[j * n + p]!;
      k[i * n + j] = s;
    }
  }
  quarterTurnZ.set(l, k);
  return k;
}

/**
 * e3nn's wigner_D(l, alpha, beta, gamma): the (2l+1) x (2l+1) real orthogonal matrix, row-major,
 * of R(alpha, beta, gamma) on degree l.
 */
export function wignerD(l: number, alpha: number, beta: number, gamma: number): Float64Array {
  if (!Number.isInteger(l) || l < 0) throw new RangeError(`wignerD: l must be a non-negative integer, got ${l}`);
  const n = 2 * l + 1;
  const k = zQuarter(l);
  // D = Ry(a) K^T Ry(b) K Ry(c): right = Ry(b) K Ry(c), then D = Ry(a) (K^T right).
  const right = k.slice();
  rotateColsY(l, right, n, angle(gamma));
  rotateRowsY(l, right, n, angle(beta));
  const d = new Float64Array(n * n);
  for (let p = 0; p < n; p++) {
    for (let i = 0; i < n; i++) {
      const kpi = k[p * n + i]!;
      if (kpi === 0) continue;
      for (let j = 0; j < n; j++) d[i * n + j] += kpi * right[p * n + j]!;
    }
  }
  rotateRowsY(l, d, n, angle(alpha));
  return d;
}

/** Rotation angles and parity of an orthogonal matrix: d = det R, angles of d R. */
function decompose(R: Matrix3Like): { angles: [number, number, number]; det: 1 | -1 } {
  const r = toMatrix3(R);
  const det = checkOrthogonal(r, 'the D matrix of an irrep') < 0 ? -1 : 1;
  if (det < 0) for (let i = 0; i < 9; i++) r[i] = -r[i]!;
  return { angles: matrixToAngles(r), det };
}

/**
 * The matrix of an irrep at an orthogonal 3x3 matrix R (e3nn's Irrep.D_from_matrix): with
 * d = det R, D^l of the rotation d R, times d for odd irreps.
 */
export function irrepD(ir: Irrep, R: Matrix3Like): Float64Array {
  const { angles, det } = decompose(R);
  const d = wignerD(ir.l, ...angles);
  if (det < 0 && ir.p === -1) for (let i = 0; i < d.length; i++) d[i] = -d[i]!;
  return d;
}

/**
 * The block-diagonal matrix of irreps at R (e3nn's Irreps.D_from_matrix): one block per copy,
 * multiplicity-major, (dim x dim) row-major.
 */
export function irrepsD(irreps: Irreps | string, R: Matrix3Like): Float64Array {
  const rep = typeof irreps === 'string' ? Irreps.parse(irreps) : irreps;
  const { angles, det } = decompose(R);
  const n = rep.dim;
  const out = new Float64Array(n * n);
  const perDegree = new Map<number, Float64Array>();
  let offset = 0;
  for (const { mul, ir } of rep.blocks) {
    let d = perDegree.get(ir.l);
    if (!d) {
      d = wignerD(ir.l, ...angles);
      perDegree.set(ir.l, d);
    }
    const sign = det < 0 && ir.p === -1 ? -1 : 1;
    const k = ir.dim;
    for (let u = 0; u < mul; u++) {
      for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) out[(offset + i) * n + offset + j] = sign * d[i * k + j]!;
      offset += k;
    }
  }
  return out;
}
