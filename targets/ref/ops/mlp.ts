// e3nn nn.FullyConnectedNet forward in float64.

import type { MlpAttrs } from '../../../ir/types.js';
import { applyScaled, applyScaledDerivative } from '../../../stdlib/nn/activations.js';
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

/** Reverse mode with respect to the input rows: the forward again keeping pre-activations, then back through each layer. */
export function mlpBackward(attrs: MlpAttrs, weights: readonly Float64Array[], x: Float64Array, gradOut: Float64Array, n: number): Float64Array {
  const shapes = mlpWeightShapes(attrs);
  const dact = applyScaledDerivative(attrs.act);
  const act = applyScaled(attrs.act);
  const scaled = shapes.map(([hIn], layer) => weights[layer]!.map((v) => v / Math.sqrt(hIn)));
  const pre: Float64Array[] = [];
  let h = x;
  shapes.forEach(([hIn, hOut], layer) => {
    const w = scaled[layer]!;
    const z = new Float64Array(n * hOut);
    for (let r = 0; r < n; r++)
      for (let j = 0; j < hOut; j++) {
        let s = 0;
        for (let i = 0; i < hIn; i++) s += h[r * hIn + i]! * w[i * hOut + j]!;
        z[r * hOut + j] = s;
      }
    pre.push(z);
    h = layer === shapes.length - 1 ? z : z.map(act);
  });
  let g = gradOut;
  for (let layer = shapes.length - 1; layer >= 0; layer--) {
    const [hIn, hOut] = shapes[layer]!;
    const w = scaled[layer]!;
    const z = pre[layer]!;
    const gz = layer === shapes.length - 1 ? g : g.map((v, k) => v * dact(z[k]!));
    const gi = new Float64Array(n * hIn);
    for (let r = 0; r < n; r++)
      for (let i = 0; i < hIn; i++) {
        let s = 0;
        for (let j = 0; j < hOut; j++) s += gz[r * hOut + j]! * w[i * hOut + j]!;
        gi[r * hIn + i] = s;
      }
    g = gi;
  }
  return g;
}
