// Group elements of GL+(n) and SL(n) for the generated tests, and the matrices of tensor
// representations at them. Elements are drawn as g = Q1 · diag(e^s) · Q2 with Q1, Q2 random
// rotations and s ~ U(-1/2, 1/2) (s centred for SL(n)): det g = e^(sum s) > 0, and the
// condition number stays below e, so errors relative to ‖ρ(g)‖ remain meaningful in float32.

import type { Rng } from '../../math/random.js';
import { matmul, transpose } from '../../math/linalg.js';
import type { TensorAtom } from './tensorRep.js';

/** A random rotation in SO(n): Gram-Schmidt of a Gaussian matrix, last row flipped if det < 0. */
export function randomRotationN(rng: Rng, n: number): Float64Array {
  const q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (;;) {
      const v = Array.from({ length: n }, () => rng.normal());
      for (let j = 0; j < i; j++) {
        let d = 0;
        for (let t = 0; t < n; t++) d += v[t]! * q[j * n + t]!;
        for (let t = 0; t < n; t++) v[t]! -= d * q[j * n + t]!;
      }
      const norm = Math.hypot(...v);
      if (norm < 1e-6) continue;
      for (let t = 0; t < n; t++) q[i * n + t] = v[t]! / norm;
      break;
    }
  }
  if (determinant(q, n) < 0) for (let t = 0; t < n; t++) q[(n - 1) * n + t] = -q[(n - 1) * n + t]!;
  return q;
}

/** g = Q1 diag(e^s) Q2; with `unimodular`, sum s = 0 so det g = 1. */
export function randomGLPlus(rng: Rng, n: number, unimodular: boolean): Float64Array {
  const q1 = randomRotationN(rng, n);
  const q2 = randomRotationN(rng, n);
  const s = Array.from({ length: n }, () => rng.uniform() - 0.5);
  if (unimodular) {
    const mean = s.reduce((a, b) => a + b, 0) / n;
    for (let i = 0; i < n; i++) s[i]! -= mean;
  }
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d[i * n + j] = q1[i * n + j]! * Math.exp(s[j]!);
  return matmul(d, q2, n, n, n);
}

/** Determinant by Gaussian elimination with partial pivoting. */
export function determinant(m: ArrayLike<number>, n: number): number {
  const a = Float64Array.from(m);
  let det = 1;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r * n + c]!) > Math.abs(a[p * n + c]!)) p = r;
    if (a[p * n + c] === 0) return 0;
    if (p !== c) {
      for (let t = 0; t < n; t++) [a[p * n + t], a[c * n + t]] = [a[c * n + t]!, a[p * n + t]!];
      det = -det;
    }
    det *= a[c * n + c]!;
    for (let r = c + 1; r < n; r++) {
      const f = a[r * n + c]! / a[c * n + c]!;
      for (let t = c; t < n; t++) a[r * n + t]! -= f * a[c * n + t]!;
    }
  }
  return det;
}

/** The inverse by Gauss-Jordan elimination. */
export function inverse(m: ArrayLike<number>, n: number): Float64Array {
  const a = Float64Array.from(m);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r * n + c]!) > Math.abs(a[p * n + c]!)) p = r;
    for (let t = 0; t < n; t++) {
      [a[p * n + t], a[c * n + t]] = [a[c * n + t]!, a[p * n + t]!];
      [inv[p * n + t], inv[c * n + t]] = [inv[c * n + t]!, inv[p * n + t]!];
    }
    const d = a[c * n + c]!;
    for (let t = 0; t < n; t++) {
      a[c * n + t]! /= d;
      inv[c * n + t]! /= d;
    }
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = a[r * n + c]!;
      if (f === 0) continue;
      for (let t = 0; t < n; t++) {
        a[r * n + t]! -= f * a[c * n + t]!;
        inv[r * n + t]! -= f * inv[c * n + t]!;
      }
    }
  }
  return inv;
}

/** Kronecker product of a (n x n) and b (m x m). */
function kron(a: Float64Array, n: number, b: Float64Array, m: number): Float64Array {
  const d = n * m;
  const out = new Float64Array(d * d);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const aij = a[i * n + j]!;
      if (aij === 0) continue;
      for (let k = 0; k < m; k++) for (let l = 0; l < m; l++) out[(i * m + k) * d + (j * m + l)] = aij * b[k * m + l]!;
    }
  return out;
}

/** ρ(g) = g^{⊗p} ⊗ (g^{-T})^{⊗q} · det(g)^k, in the flattening of tensorRep.ts. */
export function tensorMatrix(atom: TensorAtom, g: ArrayLike<number>): Float64Array {
  const { n, p, q, k } = atom;
  const gm = Float64Array.from(g);
  const dual = transpose(inverse(gm, n), n, n);
  let out: Float64Array = Float64Array.of(k === 0 ? 1 : Math.pow(determinant(gm, n), k));
  let size = 1;
  for (let s = 0; s < p + q; s++) {
    out = kron(out, size, s < p ? gm : dual, n);
    size *= n;
  }
  return out;
}

/** The largest singular value of a (n x n), by power iteration on aᵀa. */
export function spectralNorm(a: ArrayLike<number>, n: number): number {
  const ata = matmul(transpose(a, n, n), a, n, n, n);
  let v = Array.from({ length: n }, (_, i) => 1 + i / n);
  let lambda = 0;
  for (let it = 0; it < 200; it++) {
    const w = Array.from({ length: n }, (_, i) => v.reduce((s, x, j) => s + ata[i * n + j]! * x, 0));
    const norm = Math.hypot(...w);
    if (norm === 0) return 0;
    v = w.map((x) => x / norm);
    if (Math.abs(norm - lambda) < 1e-14 * norm) break;
    lambda = norm;
  }
  return Math.sqrt(lambda);
}
