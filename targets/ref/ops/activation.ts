// Pointwise activations on scalar blocks (e3nn nn.Activation): act(x) * scale, block by block.

import type { ActivationAttrs } from '../../../ir/types.js';
import { applyScaled, applyScaledDerivative } from '../../../stdlib/nn/activations.js';
import type { BlockLayout } from '../../../stdlib/nn/layout.js';

export function activationKernel(attrs: ActivationAttrs, layout: readonly BlockLayout[], dim: number, x: Float64Array, n: number): Float64Array {
  if (attrs.blocks.length !== layout.length) throw new Error(`activation: ${attrs.blocks.length} activations for ${layout.length} blocks`);
  const out = new Float64Array(n * dim);
  layout.forEach((b, i) => {
    const f = applyScaled(attrs.blocks[i]!);
    const size = b.mul * b.dim;
    for (let z = 0; z < n; z++) {
      const o = z * dim + b.offset;
      for (let c = 0; c < size; c++) out[o + c] = f(x[o + c]!);
    }
  });
  return out;
}

/** Reverse mode: g · act'(x) · scale on every scalar block. */
export function activationBackward(attrs: ActivationAttrs, layout: readonly BlockLayout[], dim: number, x: Float64Array, gradOut: Float64Array, n: number): Float64Array {
  const g = new Float64Array(n * dim);
  layout.forEach((b, i) => {
    const df = applyScaledDerivative(attrs.blocks[i]!);
    const size = b.mul * b.dim;
    for (let z = 0; z < n; z++) {
      const o = z * dim + b.offset;
      for (let c = 0; c < size; c++) g[o + c] = gradOut[o + c]! * df(x[o + c]!);
    }
  });
  return g;
}
