// Equivariant layer norm in float64 (docs/ir.md `layer_norm`): per row and block, invariant
// scalars centred on their mean over the copies, the block divided by its root mean square,
// each copy scaled by its weight and, when centred, shifted by its bias.

import type { LayerNormAttrs } from '../../../ir/types.js';

/** A block's mean (0 when not centred) and 1/sqrt(mean of squared deviations + eps). */
function blockStatistics(x: Float64Array, start: number, size: number, centre: boolean, eps: number): { mean: number; inv: number } {
  let mean = 0;
  if (centre) {
    for (let k = 0; k < size; k++) mean += x[start + k]!;
    mean /= size;
  }
  let square = 0;
  for (let k = 0; k < size; k++) square += (x[start + k]! - mean) ** 2;
  return { mean, inv: 1 / Math.sqrt(square / size + eps) };
}

export function layerNormKernel(attrs: LayerNormAttrs, x: Float64Array, dim: number, rows: number, weight: Float64Array, bias: Float64Array | undefined): Float64Array {
  const y = new Float64Array(x.length);
  for (let r = 0; r < rows; r++) {
    for (const b of attrs.blocks) {
      const start = r * dim + b.offset;
      const { mean, inv } = blockStatistics(x, start, b.mul * b.dim, b.centre, attrs.eps);
      for (let u = 0; u < b.mul; u++) {
        const w = weight[b.weightOffset + u]!;
        const shift = b.centre && bias ? bias[b.biasOffset! + u]! : 0;
        for (let c = 0; c < b.dim; c++) {
          const k = start + u * b.dim + c;
          y[k] = (x[k]! - mean) * inv * w + shift;
        }
      }
    }
  }
  return y;
}

/**
 * Reverse mode with respect to the input. Per row and block of S = mul·dim components, with
 * c = x − μ (μ = 0 for blocks that are not centred), inv = (Σc²/S + eps)^(−1/2) and
 * h_k = g_k · weight of k's copy: dL/dc_k = inv·h_k − inv³/S · c_k · Σ_j h_j c_j, and for a
 * centred block dL/dx = dL/dc − mean(dL/dc).
 */
export function layerNormBackward(attrs: LayerNormAttrs, x: Float64Array, dim: number, rows: number, weight: Float64Array, gradOut: Float64Array): Float64Array {
  const gx = new Float64Array(x.length);
  for (let r = 0; r < rows; r++) {
    for (const b of attrs.blocks) {
      const start = r * dim + b.offset;
      const size = b.mul * b.dim;
      const { mean, inv } = blockStatistics(x, start, size, b.centre, attrs.eps);
      let dot = 0;
      for (let k = 0; k < size; k++) dot += gradOut[start + k]! * weight[b.weightOffset + Math.floor(k / b.dim)]! * (x[start + k]! - mean);
      let sum = 0;
      for (let k = 0; k < size; k++) {
        const c = x[start + k]! - mean;
        const h = gradOut[start + k]! * weight[b.weightOffset + Math.floor(k / b.dim)]!;
        const d = inv * h - ((inv * inv * inv) / size) * c * dot;
        gx[start + k] = d;
        sum += d;
      }
      if (b.centre) for (let k = 0; k < size; k++) gx[start + k]! -= sum / size;
    }
  }
  return gx;
}
