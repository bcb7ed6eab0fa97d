// e3nn nn.FullyConnectedNet forward in float64.

import type { MlpAttrs } from '../../../ir/types.js';
import { applyScaled } from '../../../stdlib/nn/activations.js';
import { mlpWeightShapes } from '../../../stdlib/nn/mlp.js';

/**
 * e3nn _Layer.forward for n rows of x (row-major, n x sizes[0]): each layer scales its weight
 * first, w = W / sqrt(h_in) (var_in = var_out = 1, so the last layer's
 * sqrt(h_in * var_in / var_out) is the same number), then x @ w, then the normalized act on
 * every layer but the last (where e3nn multiplies by var_out^0.5 = 1).
 */
export function mlpKernel(attrs: MlpAttrs, weights: readonly Float64Array[], x: Float64Array, n: number): Float64Array {
  const shapes = mlpWeightShapes(attrs);
  if (weights.length !== shapes.length) throw new RangeError(`MLP has ${shapes.length} layers, got ${weights.length} weights`);
  const act = applyScaled(attrs.act);
  let h = x;
  shapes.forEach(([hIn, hOut], layer) => {
    const W = weights[layer]!;
    if (W.length !== hIn * hOut) throw new RangeError(`MLP layer ${layer} needs ${hIn * hOut} weights, got ${W.length}`);
    const s = Math.sqrt(hIn);
    const w = W.map((v) => v / s);
    const next = new Float64Array(n * hOut);
    const last = layer === shapes.length - 1;
    for (let r = 0; r < n; r++) {
      for (let j = 0; j < hOut; j++) {
        let sum = 0;
        for (let i = 0; i < hIn; i++) sum += h[r * hIn + i]! * w[i * hOut + j]!;
        next[r * hOut + j] = last ? sum : act(sum);
      }
    }
    h = next;
  });
  return h;
}
