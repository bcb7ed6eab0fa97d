// e3nn's S2Activation and Facet's spherical-grid MLP in float64 (`sphere_activation`, docs/ir.md):
// per row, every copy's coefficients go to the grid by the (dimIn, G) harmonics matrix, the
// pointwise function applies (act per copy, or an MLP across the copies at each point), and the
// (G, dimOut) quadrature matrix projects each output copy back.

import type { SphereActivationAttrs } from '../../../ir/types.js';
import { applyScaled, applyScaledDerivative } from '../../../stdlib/nn/activations.js';
import { sphereActMatrices } from '../../../stdlib/nn/sphereActivation.js';
import { mlpBackward, mlpKernel } from './mlp.js';

export function sphereActivationKernel(attrs: SphereActivationAttrs, dimIn: number, x: Float64Array, rows: number, weights: readonly Float64Array[] = []): Float64Array {
  const { G, toGrid, fromGrid, dimOut: dout } = sphereActMatrices(attrs);
  const f = applyScaled(attrs.act);
  const { mul, mulOut } = attrs;
  const width = mulOut * dout;
  const out = new Float64Array(rows * width);
  // Grid values, point-major: F[g * mul + u].
  const F = new Float64Array(G * mul);
  for (let r = 0; r < rows; r++) {
    blocksToGrid(F, x, r * dimIn, attrs.lmaxIn, attrs.offsetsIn, mul, G, toGrid, G, 1);
    const H = attrs.mlp ? mlpKernel(attrs.mlp, weights, F, G) : F.map(f);
    for (let u = 0; u < mulOut; u++) {
      for (let l = 0; l <= attrs.lmaxOut; l++) {
        const d = 2 * l + 1;
        const o = r * width + attrs.offsetsOut[l]! + u * d;
        for (let m = 0; m < d; m++) {
          const k = l * l + m;
          let s = 0;
          for (let g = 0; g < G; g++) s += H[g * mulOut + u]! * fromGrid[g * dout + k]!;
          out[o + m] = s;
        }
      }
    }
  }
  return out;
}

/**
 * Reverse mode with respect to x (for `grad` through a sphere activation): per row, the output
 * gradient goes to the grid by the quadrature matrix's transpose, back through the pointwise
 * function (act' or the MLP's backward), and to the coefficients by the harmonics' transpose.
 */
export function sphereActivationBackward(attrs: SphereActivationAttrs, dimIn: number, x: Float64Array, gradOut: Float64Array, rows: number, weights: readonly Float64Array[] = []): Float64Array {
  const { G, toGrid, fromGrid, dimOut: dout } = sphereActMatrices(attrs);
  const df = applyScaledDerivative(attrs.act);
  const { mul, mulOut } = attrs;
  const width = mulOut * dout;
  const gx = new Float64Array(rows * dimIn);
  const F = new Float64Array(G * mul);
  const GH = new Float64Array(G * mulOut);
  for (let r = 0; r < rows; r++) {
    blocksToGrid(F, x, r * dimIn, attrs.lmaxIn, attrs.offsetsIn, mul, G, toGrid, G, 1);
    // The output gradient goes to the grid by the quadrature matrix's transpose: (dimOut, G) read from (G, dimOut).
    blocksToGrid(GH, gradOut, r * width, attrs.lmaxOut, attrs.offsetsOut, mulOut, G, fromGrid, 1, dout);
    const GF = attrs.mlp ? mlpBackward(attrs.mlp, weights, F, GH, G) : GH.map((v, i) => v * df(F[i]!));
    for (let u = 0; u < mul; u++) {
      for (let l = 0; l <= attrs.lmaxIn; l++) {
        const d = 2 * l + 1;
        const o = r * dimIn + attrs.offsetsIn[l]! + u * d;
        for (let m = 0; m < d; m++) {
          const k = l * l + m;
          let s = 0;
          for (let g = 0; g < G; g++) s += GF[g * mul + u]! * toGrid[k * G + g]!;
          gx[o + m] += s;
        }
      }
    }
  }
  return gx;
}

/**
 * One row's copies onto the grid, point-major: grid[g * mul + u] = sum_k v[u][k] matrix(k, g),
 * where copy u's coefficient k = l^2 + m sits at values[rowStart + offsets[l] + u (2l + 1) + m]
 * and matrix(k, g) = matrix[k * kStride + g * gStride]. Zero coefficients are skipped.
 */
function blocksToGrid(grid: Float64Array, values: Float64Array, rowStart: number, lmax: number, offsets: readonly number[], mul: number, G: number, matrix: Float64Array, kStride: number, gStride: number): void {
  grid.fill(0);
  for (let u = 0; u < mul; u++) {
    for (let l = 0; l <= lmax; l++) {
      const d = 2 * l + 1;
      const o = rowStart + offsets[l]! + u * d;
      for (let m = 0; m < d; m++) {
        const v = values[o + m]!;
        if (v === 0) continue;
        const k = l * l + m;
        for (let g = 0; g < G; g++) grid[g * mul + u] += v * matrix[k * kStride + g * gStride]!;
      }
    }
  }
}
