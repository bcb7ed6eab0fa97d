// Per-copy Euclidean norms (e3nn o3.Norm) and the norm activation (e3nn nn.NormActivation with
// normalize = True).

import type { NormActivationAttrs, NormAttrs } from '../../../ir/types.js';
import { applyScaled, applyScaledDerivative } from '../../../stdlib/nn/activations.js';

/** Σ x[base + k]² over one copy of `dim` components. */
function squaredNorm(x: Float64Array, base: number, dim: number): number {
  let s = 0;
  for (let k = 0; k < dim; k++) s += x[base + k]! * x[base + k]!;
  return s;
}

/** One output scalar per copy, blocks in order: sqrt(relu(sum of squares)) as e3nn's Norm. */
export function normKernel(attrs: NormAttrs, dimIn: number, x: Float64Array, n: number): Float64Array {
  const dimOut = attrs.blocks.reduce((s, b) => s + b.mul, 0);
  const out = new Float64Array(n * dimOut);
  for (let z = 0; z < n; z++) {
    let o = z * dimOut;
    for (const b of attrs.blocks) {
      for (let u = 0; u < b.mul; u++) {
        const base = z * dimIn + b.offset + u * b.dim;
        const s = squaredNorm(x, base, b.dim);
        out[o++] = Math.sqrt(Math.max(s, 0));
      }
    }
  }
  return out;
}

/**
 * e3nn NormActivation(normalize=True): the squared norm is clamped up to epsilon^2 = 1e-16
 * (epsilon's default 1e-8), n = sqrt of it, and each copy becomes x * act(n) / n with the raw
 * act. A zero copy therefore stays exactly zero (0 * act(1e-8)/1e-8), never NaN.
 */
export function normActivationKernel(attrs: NormActivationAttrs, dim: number, x: Float64Array, n: number): Float64Array {
  const f = applyScaled(attrs.act);
  const eps2 = 1e-16;
  const out = new Float64Array(n * dim);
  for (let z = 0; z < n; z++) {
    for (const b of attrs.blocks) {
      for (let u = 0; u < b.mul; u++) {
        const base = z * dim + b.offset + u * b.dim;
        const s = squaredNorm(x, base, b.dim);
        const norm = Math.sqrt(s < eps2 ? eps2 : s);
        const scale = f(norm) / norm;
        for (let k = 0; k < b.dim; k++) out[base + k] = scale * x[base + k]!;
      }
    }
  }
  return out;
}

/** Reverse mode of normKernel: g · x / |x| per copy (0 for a zero copy, as torch's norm backward). */
export function normBackward(attrs: NormAttrs, dimIn: number, x: Float64Array, gradOut: Float64Array, n: number): Float64Array {
  const dimOut = attrs.blocks.reduce((s, b) => s + b.mul, 0);
  const gx = new Float64Array(n * dimIn);
  for (let z = 0; z < n; z++) {
    let o = z * dimOut;
    for (const b of attrs.blocks) {
      for (let u = 0; u < b.mul; u++) {
        const base = z * dimIn + b.offset + u * b.dim;
        const s = squaredNorm(x, base, b.dim);
        const norm = Math.sqrt(s);
        const go = gradOut[o++]!;
        if (norm > 0) for (let k = 0; k < b.dim; k++) gx[base + k] = (go * x[base + k]!) / norm;
      }
    }
  }
  return gx;
}

/**
 * Reverse mode of normActivationKernel: y = x φ(n)/n with n = sqrt(max(|x|², 1e-16)), so
 * gx = (φ(n)/n) g + x (x·g) (φ'(n) n − φ(n)) / n³ where |x|² >= 1e-16, and (φ(n)/n) g below
 * (n is the clamp there, a constant).
 */
export function normActivationBackward(attrs: NormActivationAttrs, dim: number, x: Float64Array, gradOut: Float64Array, n: number): Float64Array {
  const f = applyScaled(attrs.act);
  const df = applyScaledDerivative(attrs.act);
  const eps2 = 1e-16;
  const gx = new Float64Array(n * dim);
  for (let z = 0; z < n; z++) {
    for (const b of attrs.blocks) {
      for (let u = 0; u < b.mul; u++) {
        const base = z * dim + b.offset + u * b.dim;
        let s = 0;
        let dot = 0;
        for (let k = 0; k < b.dim; k++) {
          s += x[base + k]! * x[base + k]!;
          dot += x[base + k]! * gradOut[base + k]!;
        }
        const norm = Math.sqrt(s < eps2 ? eps2 : s);
        const fn = f(norm);
        const radial = s < eps2 ? 0 : (dot * (df(norm) * norm - fn)) / (norm * norm * norm);
        for (let k = 0; k < b.dim; k++) gx[base + k] = (fn / norm) * gradOut[base + k]! + x[base + k]! * radial;
      }
    }
  }
  return gx;
}
