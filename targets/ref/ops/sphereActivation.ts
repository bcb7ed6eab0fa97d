// e3nn's S2Activation and Facet's spherical-grid MLP in float64 (`sphere_activation`, docs/ir.md):
// per row, every copy's coefficients go to the grid by the (dimIn, G) harmonics matrix, the
// pointwise function applies (act per copy, or an MLP across the copies at each point), and the
// (G, dimOut) quadrature matrix projects each output copy back.

import type { SphereActivationAttrs } from '../../../ir/types.js';
import { applyScaled, applyScaledDerivative } from '../../../stdlib/nn/activations.js';
import { sphereActMatrices } from '../../../stdlib/nn/sphereActivation.js';
import { mlpBackward, mlpKernel } from './mlp.js';

export function sphereActivationKernel(attrs: SphereActivationAttrs, dimIn: number, x: Float64Array, rows: number, weights: readonly Float64Array[] = []): Float64Array {
  const { G, toGrid, fromGrid, dimIn: din, dimOut: dout } = sphereActMatrices(attrs);
  const f = applyScaled(attrs.act);
  const { mul, mulOut } = attrs;
  const width = mulOut * dout;
  const out = new Float64Array(rows * width);
  const c = new Float64Array(din);
  // Grid values, point-major: F[g * mul + u].
  const F = new Float64Array(G * mul);
  for (let r = 0; r < rows; r++) {
    F.fill(0);
    for (let u = 0; u < mul; u++) {
      for (let l = 0; l <= attrs.lmaxIn; l++) {
        const d = 2 * l + 1;
        const o = r * dimIn + attrs.offsetsIn[l]! + u * d;
        for (let m = 0; m < d; m++) c[l * l + m] = x[o + m]!;
      }
      for (let k = 0; k < din; k++) {
        const ck = c[k]!;
        if (ck === 0) continue;
        for (let g = 0; g < G; g++) F[g * mul + u] += ck * toGrid[k * G + g]!;
      }
    }
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
  const { G, toGrid, fromGrid, dimIn: din, dimOut: dout } = sphereActMatrices(attrs);
  const df = applyScaledDerivative(attrs.act);
  const { mul, mulOut } = attrs;
  const width = mulOut * dout;
  const gx = new Float64Array(rows * dimIn);
  const F = new Float64Array(G * mul);
  const GH = new Float64Array(G * mulOut);
  for (let r = 0; r < rows; r++) {
    F.fill(0);
    for (let u = 0; u < mul; u++) {
      for (let l = 0; l <= attrs.lmaxIn; l++) {
        const d = 2 * l + 1;
        const o = r * dimIn + attrs.offsetsIn[l]! + u * d;
        for (let m = 0; m < d; m++) {
          const c = x[o + m]!;
          if (c === 0) continue;
          const k = l * l + m;
          for (let g = 0; g < G; g++) F[g * mul + u] += c * toGrid[k * G + g]!;
        }
      }
    }
    GH.fill(0);
    for (let u = 0; u < mulOut; u++) {
      for (let l = 0; l <= attrs.lmaxOut; l++) {
        const d = 2 * l + 1;
        const o = r * width + attrs.offsetsOut[l]! + u * d;
        for (let m = 0; m < d; m++) {
          const go = gradOut[o + m]!;
          if (go === 0) continue;
          const k = l * l + m;
          for (let g = 0; g < G; g++) GH[g * mulOut + u] += go * fromGrid[g * dout + k]!;
        }
      }
    }
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
