// Radial bases of edge lengths (e3nn soft_one_hot_linspace).

import type { RadialBasisAttrs } from '../../../ir/types.js';
import { softOneHotLinspace, softOneHotLinspaceDerivative } from '../../../stdlib/nn/radial.js';

/** lengths: (n, 1); returns (n, attrs.number). */
export function radialBasisKernel(attrs: RadialBasisAttrs, lengths: Float64Array): Float64Array {
  return softOneHotLinspace(lengths, attrs);
}

/** Reverse mode: d(loss)/d(lengths), (n, 1), from d(loss)/d(basis), (n, number). */
export function radialBasisBackward(attrs: RadialBasisAttrs, lengths: Float64Array, gradOut: Float64Array): Float64Array {
  const d = softOneHotLinspaceDerivative(lengths, attrs);
  const k = attrs.number;
  const out = new Float64Array(lengths.length);
  for (let e = 0; e < lengths.length; e++) {
    let s = 0;
    for (let i = 0; i < k; i++) s += gradOut[e * k + i]! * d[e * k + i]!;
    out[e] = s;
  }
  return out;
}
