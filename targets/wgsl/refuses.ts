// What the wgsl target cannot compile: derivatives. WGSL has no autodiff, and a hand-written
// backward kernel for every op on the path from positions to an energy is not in this target
// yet, so a module with a `grad` node (forces) is refused up front with the op named.

import type { IRModule } from '../../ir/types.js';

export function wgslRefusal(module: IRModule): string | undefined {
  const grad = module.nodes.find((n) => n.op === 'grad' || n.op === 'stress');
  if (!grad) return undefined;
  const where = `${grad.source.file}:${grad.source.line}`;
  return `the wgsl target has no automatic differentiation: ${module.model} uses \`${grad.op}\` (op ${grad.id} at ${where}); run it with --target ref (float64) or --target tfjs (autograd)`;
}
