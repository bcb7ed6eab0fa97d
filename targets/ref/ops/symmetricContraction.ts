// MACE's symmetric contraction in float64 (docs/ir.md `symmetric_contraction`): per node and
// channel, the product-basis polynomials from the IR's monomial tables, weighted per species
// (the one-hot species row times the weight), and the reverse mode for forces.

import type { SymmetricContractionAttrs } from '../../../ir/types.js';

/** Channel c of row r as its one-copy stacked vector x_c (length D). */
function channelVector(attrs: SymmetricContractionAttrs, x: Float64Array, dimIn: number, r: number, c: number, out: Float64Array): void {
  for (const b of attrs.in) for (let m = 0; m < b.dim; m++) out[b.stack + m] = x[r * dimIn + b.offset + c * b.dim + m]!;
}

/** w[k, c] of row r: Σ_s z[r, s] W[s, k, c]. */
function rowWeights(attrs: SymmetricContractionAttrs, z: Float64Array, weight: Float64Array, r: number): Float64Array {
  const { species: K, weightNumel: P, mul } = attrs;
  const w = new Float64Array(P * mul);
  for (let s = 0; s < K; s++) {
    const zs = z[r * K + s]!;
    if (zs === 0) continue;
    for (let i = 0; i < P * mul; i++) w[i]! += zs * weight[s * P * mul + i]!;
  }
  return w;
}

function stackedDim(attrs: SymmetricContractionAttrs): number {
  return attrs.in.reduce((s, b) => s + b.dim, 0);
}

export function symmetricContractionKernel(attrs: SymmetricContractionAttrs, x: Float64Array, dimIn: number, z: Float64Array, weight: Float64Array, rows: number, dimOut: number): Float64Array {
  const y = new Float64Array(rows * dimOut);
  const xc = new Float64Array(stackedDim(attrs));
  const { mul } = attrs;
  for (let r = 0; r < rows; r++) {
    const w = rowWeights(attrs, z, weight, r);
    for (let c = 0; c < mul; c++) {
      channelVector(attrs, x, dimIn, r, c, xc);
      for (const o of attrs.outputs) {
        o.monomials.forEach((flat, n) => {
          const nu = n + 1;
          const stride = nu + 3;
          for (let e = 0; e < flat.length; e += stride) {
            let prod = flat[e + nu + 2]!;
            for (let q = 1; q <= nu; q++) prod *= xc[flat[e + q]!]!;
            const k = flat[e + nu + 1]!;
            y[r * dimOut + o.offset + c * o.dim + flat[e]!]! += o.factor * w[(o.weightOffset + k) * mul + c]! * prod;
          }
        });
      }
    }
  }
  return y;
}

/** d(loss)/dx from d(loss)/dy (the species are not differentiated: they are integers). */
export function symmetricContractionBackward(attrs: SymmetricContractionAttrs, x: Float64Array, dimIn: number, z: Float64Array, weight: Float64Array, rows: number, dimOut: number, gy: Float64Array): Float64Array {
  const gx = new Float64Array(rows * dimIn);
  const D = stackedDim(attrs);
  const xc = new Float64Array(D);
  const gc = new Float64Array(D);
  const { mul } = attrs;
  for (let r = 0; r < rows; r++) {
    const w = rowWeights(attrs, z, weight, r);
    for (let c = 0; c < mul; c++) {
      channelVector(attrs, x, dimIn, r, c, xc);
      gc.fill(0);
      for (const o of attrs.outputs) {
        o.monomials.forEach((flat, n) => {
          const nu = n + 1;
          const stride = nu + 3;
          for (let e = 0; e < flat.length; e += stride) {
            const k = flat[e + nu + 1]!;
            const coef = gy[r * dimOut + o.offset + c * o.dim + flat[e]!]! * o.factor * w[(o.weightOffset + k) * mul + c]! * flat[e + nu + 2]!;
            if (coef === 0) continue;
            // Product rule: each factor in turn, the others held.
            for (let q = 1; q <= nu; q++) {
              let rest = coef;
              for (let p = 1; p <= nu; p++) if (p !== q) rest *= xc[flat[e + p]!]!;
              gc[flat[e + q]!]! += rest;
            }
          }
        });
      }
      for (const b of attrs.in) for (let m = 0; m < b.dim; m++) gx[r * dimIn + b.offset + c * b.dim + m]! += gc[b.stack + m]!;
    }
  }
  return gx;
}
