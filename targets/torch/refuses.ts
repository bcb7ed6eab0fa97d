// What the torch target cannot render yet, said before anything is built or run.

import type { IRModule } from '../../ir/types.js';

/** Why a module with `grad` (forces) is refused, until the module computes them by autograd. */
export const torchGradRefusal = 'the torch target does not compute `grad` yet (forces); run the model with --target ref or tfjs';

/** The reason the torch target cannot render a module, or undefined. */
export function torchRefusal(module: IRModule): string | undefined {
  const g = module.nodes.find((n) => n.op === 'grad');
  return g ? `${torchGradRefusal} (${g.source.file}:${g.source.line})` : undefined;
}
