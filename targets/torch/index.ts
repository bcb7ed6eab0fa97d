// The torch target: `eqvc build --target torch` writes `<Model>.py`, a PyTorch module generated
// from the IR (render.ts), with `eqv_safetensors.py` (weights) and `train.py` (single-process
// or torchrun/DDP training); `eqvc run --target torch` runs the module with the machine's
// Python (runner.ts).

import type { IRModule } from '../../ir/types.js';
import type { Target } from '../target.js';

export const torchTarget: Target = {
  name: 'torch',
  description: 'a PyTorch module (TorchScript-compatible; CPU and CUDA, float32 and float64) with a loader and a torchrun/DDP train.py',
  external: 'Python 3 with PyTorch >= 1.13',
  render: async (module) => (await import('./files.js')).renderTorchFiles(module),
  run: async (module, batch, params, options) => (await import('./runner.js')).runTorch(module, batch, params, options),
  refuses: torchRefusal,
};

/**
 * Periodic cells and graph inputs are not rendered in Python yet: the module's all-pairs
 * _radius_graph has no images or shifts, so a periodic model would run with the wrong edges.
 */
export function torchRefusal(module: IRModule): string | undefined {
  const stress = module.nodes.find((n) => n.op === 'stress');
  if (stress) return `the torch target does not render \`stress\` (the strain derivative) yet: ${module.model} uses it (op ${stress.id} at ${stress.source.file}:${stress.source.line}); run it with --target ref (float64) or --target tfjs (autograd)`;
  const input = module.inputs.find((i) => i.type.kind === 'cell' || i.type.kind === 'graph');
  if (!input) return undefined;
  const what = input.type.kind === 'cell' ? `a periodic cell (input ${input.name}: graph[cell])` : `a graph input (${input.name}: graph)`;
  return `the torch target does not render ${what} yet: ${module.model} needs periodic neighbour search or given edges in Python; run it with --target ref, tfjs or wgsl`;
}
