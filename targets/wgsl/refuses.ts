// What the wgsl target cannot compile: derivatives. WGSL has no autodiff, and a hand-written
// backward kernel for every op on the path from positions to an energy is not in this target
// yet, so a module with a `grad` node (forces) is refused up front with the op named.

import type { IRModule } from '../../ir/types.js';

export function wgslRefusal(module: IRModule): string | undefined {
  const framed = module.nodes.find((n) => n.op === 'frame_average');
  if (framed) {
    return `the wgsl target has no eigendecomposition for frame averaging's PCA frames: ${module.model} uses \`frame_average\` (op ${framed.id} at ${framed.source.file}:${framed.source.line}); run it with --target ref, tfjs or torch`;
  }
  const sphere = module.nodes.find((n) => n.op === 'sphere_activation');
  if (sphere) {
    return `the wgsl target has no sphere-grid kernel yet: ${module.model} uses \`sphere_act\` (op ${sphere.id} at ${sphere.source.file}:${sphere.source.line}), whose grid matrices would need table buffers; run it with --target ref, tfjs, torch or wasm`;
  }
  const grad = module.nodes.find((n) => n.op === 'grad' || n.op === 'stress');
  if (!grad) return undefined;
  const where = `${grad.source.file}:${grad.source.line}`;
  return `the wgsl target has no automatic differentiation: ${module.model} uses \`${grad.op}\` (op ${grad.id} at ${where}); run it with --target ref (float64) or --target tfjs (autograd)`;
}
