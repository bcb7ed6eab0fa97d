// e3nn's S2Activation in float64 (`sphere_activation`, docs/ir.md): per row and copy, the
// coefficients go to the grid by the (dimIn, G) harmonics matrix, act applies pointwise, and the
// (G, dimOut) quadrature matrix projects back.

import type { SphereActivationAttrs } from '../../../ir/types.js';
import { applyScaled } from '../../../stdlib/nn/activations.js';
import { sphereActMatrices } from '../../../stdlib/nn/sphereActivation.js';

export function sphereActivationKernel(attrs: SphereActivationAttrs, dimIn: number, x: Float64Array, rows: number): Float64Array {
  const { G, toGrid, fromGrid, dimIn: din, dimOut: dout } = sphereActMatrices(attrs);
  const f = applyScaled(attrs.act);
  const width = attrs.mul * dout;
  const out = new Float64Array(rows * width);
  const c = new Float64Array(din);
  const h = new Float64Array(G);
  for (let r = 0; r < rows; r++) {
    for (let u = 0; u < attrs.mul; u++) {
      for (let l = 0; l <= attrs.lmaxIn; l++) {
        const d = 2 * l + 1;
        const o = r * dimIn + attrs.offsetsIn[l]! + u * d;
        for (let m = 0; m < d; m++) c[l * l + m] = x[o + m]!;
      }
      h.fill(0);
      for (let k = 0; k < din; k++) {
        const ck = c[k]!;
        if (ck === 0) continue;
        for (let g = 0; g < G; g++) h[g] += ck * toGrid[k * G + g]!;
      }
      for (let g = 0; g < G; g++) h[g] = f(h[g]!);
      for (let l = 0; l <= attrs.lmaxOut; l++) {
        const d = 2 * l + 1;
        const o = r * width + attrs.offsetsOut[l]! + u * d;
        for (let m = 0; m < d; m++) {
          const k = l * l + m;
          let s = 0;
          for (let g = 0; g < G; g++) s += h[g]! * fromGrid[g * dout + k]!;
          out[o + m] = s;
        }
      }
    }
  }
  return out;
}
