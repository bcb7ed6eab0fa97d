// Fully connected networks on invariant scalars: e3nn nn.FullyConnectedNet (e3nn/nn/_fc.py,
// 0.5.6) with variance_in = variance_out = 1 and out_act = False.

import type { ActivationName, MlpAttrs } from '../../ir/types.js';
import { scaledActivation } from './activations.js';

/** hs = [in, ...hidden, out]; the activation is normalize2mom'ed as FullyConnectedNet does. */
export function buildMlp(sizes: readonly number[], act: ActivationName): MlpAttrs {
  if (sizes.length < 2) throw new RangeError(`an MLP needs at least an input and an output size, got [${sizes.join(', ')}]`);
  for (const h of sizes) if (!Number.isInteger(h) || h < 1) throw new RangeError(`MLP sizes must be positive integers, got [${sizes.join(', ')}]`);
  return { sizes: [...sizes], act: scaledActivation(act) };
}

/** Weight i has shape (sizes[i], sizes[i + 1]), e3nn's `layer{i}.weight`. */
export function mlpWeightShapes(attrs: MlpAttrs): [number, number][] {
  const shapes: [number, number][] = [];
  for (let i = 0; i + 1 < attrs.sizes.length; i++) shapes.push([attrs.sizes[i]!, attrs.sizes[i + 1]!]);
  return shapes;
}
