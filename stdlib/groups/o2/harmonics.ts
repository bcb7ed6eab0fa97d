// Circular harmonics: the 2D counterpart of spherical harmonics. For a vector v = (x, y) and
// z = x + i·y, the harmonic of frequency k is (Re z^k, Im z^k) (= r^k (cos kφ, sin kφ)), which
// transforms as the frequency-k irrep (rotations multiply z^k by e^{ikθ}, the reflection
// F = diag(1, -1) conjugates it); frequency 0 is the constant 1. Normalizations, as e3nn's:
//   component: each frequency has squared norm equal to its dimension on the unit circle
//              (1 for k = 0, √2·(cos kφ, sin kφ) for k >= 1);
//   norm:      squared norm 1 (1, and (cos kφ, sin kφ));
//   integral:  unit L2 norm over the circle of each component (component / √(2π)).

import type { CircularHarmonicsAttrs } from '../../../ir/types.js';

export type CircularNormalization = 'component' | 'norm' | 'integral';

export interface CircularHarmonicsOptions {
  /** Divide each vector by its length first (the zero vector stays zero); default true. */
  readonly normalize?: boolean;
  readonly normalization?: CircularNormalization;
}

/** The factor of frequency k under a normalization. */
export function circularScale(k: number, normalization: CircularNormalization): number {
  const component = k === 0 ? 1 : Math.SQRT2;
  if (normalization === 'component') return component;
  if (normalization === 'norm') return 1;
  return component / Math.sqrt(2 * Math.PI);
}

/** The IR attributes of circular harmonics of frequencies `ks`, with each one's factor (docs/ir.md, `circular_harmonics`). */
export function circularHarmonicsAttrs(ks: readonly number[], normalize: boolean, normalization: CircularNormalization): CircularHarmonicsAttrs {
  for (const k of ks) if (!Number.isInteger(k) || k < 0) throw new RangeError(`circular harmonics frequencies must be non-negative integers, got ${k}`);
  return { ks: [...ks], normalize, normalization, scales: ks.map((k) => circularScale(k, normalization)) };
}

/** vectors: (n, 2) row-major; returns (n, sum of dims) with frequencies in the order of `ks`, each [cos-part, sin-part]. */
export function circularHarmonics(ks: readonly number[], vectors: Float64Array, options: CircularHarmonicsOptions = {}): Float64Array {
  const normalize = options.normalize ?? true;
  const normalization = options.normalization ?? 'component';
  if (vectors.length % 2 !== 0) throw new RangeError(`circular harmonics take 2D vectors, got ${vectors.length} numbers`);
  const n = vectors.length / 2;
  const kmax = Math.max(0, ...ks);
  const width = ks.reduce((s, k) => s + (k === 0 ? 1 : 2), 0);
  const out = new Float64Array(n * width);
  const re = new Float64Array(kmax + 1);
  const im = new Float64Array(kmax + 1);
  for (let r = 0; r < n; r++) {
    let x = vectors[2 * r]!;
    let y = vectors[2 * r + 1]!;
    if (normalize) {
      // torch.nn.functional.normalize: divide by max(|v|, 1e-12)
      const inv = 1 / Math.max(Math.hypot(x, y), 1e-12);
      x *= inv;
      y *= inv;
    }
    re[0] = 1;
    im[0] = 0;
    for (let k = 1; k <= kmax; k++) {
      re[k] = re[k - 1]! * x - im[k - 1]! * y;
      im[k] = re[k - 1]! * y + im[k - 1]! * x;
    }
    let o = r * width;
    for (const k of ks) {
      const s = circularScale(k, normalization);
      out[o++] = s * re[k]!;
      if (k > 0) out[o++] = s * im[k]!;
    }
  }
  return out;
}

/**
 * Reverse mode of circularHarmonics: d(loss)/d(vectors), (n, 2), from d(loss)/d(out). With
 * z = x + iy, d z^k/dx = k z^(k-1) and d z^k/dy = i k z^(k-1); with `normalize` the result goes
 * through the projection u = v/|v|: dv = (du - u (u.du)) / |v|.
 */
export function circularHarmonicsBackward(ks: readonly number[], vectors: Float64Array, gradOut: Float64Array, options: CircularHarmonicsOptions = {}): Float64Array {
  const normalize = options.normalize ?? true;
  const normalization = options.normalization ?? 'component';
  const n = vectors.length / 2;
  const kmax = Math.max(0, ...ks);
  const width = ks.reduce((s, k) => s + (k === 0 ? 1 : 2), 0);
  const gradIn = new Float64Array(n * 2);
  const re = new Float64Array(kmax + 1);
  const im = new Float64Array(kmax + 1);
  for (let r = 0; r < n; r++) {
    let x = vectors[2 * r]!;
    let y = vectors[2 * r + 1]!;
    let inv = 1;
    if (normalize) {
      inv = 1 / Math.max(Math.hypot(x, y), 1e-12);
      x *= inv;
      y *= inv;
    }
    re[0] = 1;
    im[0] = 0;
    for (let k = 1; k <= kmax; k++) {
      re[k] = re[k - 1]! * x - im[k - 1]! * y;
      im[k] = re[k - 1]! * y + im[k - 1]! * x;
    }
    let gx = 0;
    let gy = 0;
    let o = r * width;
    for (const k of ks) {
      if (k === 0) {
        o++;
        continue;
      }
      const s = circularScale(k, normalization);
      const gRe = gradOut[o++]! * s;
      const gIm = gradOut[o++]! * s;
      gx += k * (gRe * re[k - 1]! + gIm * im[k - 1]!);
      gy += k * (-gRe * im[k - 1]! + gIm * re[k - 1]!);
    }
    if (normalize) {
      const dot = gx * x + gy * y;
      gradIn[2 * r] = (gx - x * dot) * inv;
      gradIn[2 * r + 1] = (gy - y * dot) * inv;
    } else {
      gradIn[2 * r] = gx;
      gradIn[2 * r + 1] = gy;
    }
  }
  return gradIn;
}
