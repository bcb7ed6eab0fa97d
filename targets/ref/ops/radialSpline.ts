// Radial splines (Facet): y = B(len) W, B the cubic B-spline basis of stdlib/nn/spline.ts.

import type { RadialSplineAttrs } from '../../../ir/types.js';
import { splineBasis, splineBasisDerivative } from '../../../stdlib/nn/spline.js';

/** lengths: (rows, 1); weight: (number, out) flat; returns (rows, out). */
export function radialSplineKernel(attrs: RadialSplineAttrs, weight: Float64Array, lengths: Float64Array): Float64Array {
  const n = attrs.number;
  const out = weight.length / n;
  const basis = splineBasis(lengths, attrs);
  const y = new Float64Array(lengths.length * out);
  for (let e = 0; e < lengths.length; e++) {
    for (let k = 0; k < n; k++) {
      const b = basis[e * n + k]!;
      if (b === 0) continue;
      for (let o = 0; o < out; o++) y[e * out + o]! += b * weight[k * out + o]!;
    }
  }
  return y;
}

/** Reverse mode: d(loss)/d(lengths), (rows, 1), from d(loss)/d(y), (rows, out). */
export function radialSplineBackward(attrs: RadialSplineAttrs, weight: Float64Array, lengths: Float64Array, gradOut: Float64Array): Float64Array {
  const n = attrs.number;
  const out = weight.length / n;
  const d = splineBasisDerivative(lengths, attrs);
  const g = new Float64Array(lengths.length);
  for (let e = 0; e < lengths.length; e++) {
    let s = 0;
    for (let k = 0; k < n; k++) {
      const dk = d[e * n + k]!;
      if (dk === 0) continue;
      for (let o = 0; o < out; o++) s += dk * weight[k * out + o]! * gradOut[e * out + o]!;
    }
    g[e] = s;
  }
  return g;
}
