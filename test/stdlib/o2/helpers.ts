// Small dense helpers for the O(2) tests: matrix products, Kronecker products, norms.

export function matmul(a: ArrayLike<number>, b: ArrayLike<number>, n: number, k: number, m: number): Float64Array {
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) {
    let s = 0;
    for (let t = 0; t < k; t++) s += a[i * k + t]! * b[t * m + j]!;
    out[i * m + j] = s;
  }
  return out;
}

export function kron(a: ArrayLike<number>, da: number, b: ArrayLike<number>, db: number): Float64Array {
  const n = da * db;
  const out = new Float64Array(n * n);
  for (let i = 0; i < da; i++) for (let j = 0; j < da; j++) for (let k = 0; k < db; k++) for (let l = 0; l < db; l++) {
    out[(i * db + k) * n + (j * db + l)] = a[i * da + j]! * b[k * db + l]!;
  }
  return out;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

export function frobenius(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! ** 2;
  return Math.sqrt(s);
}
