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
  refuses: (module) => torchRefusal(module),
  render: async (module) => (await import('./files.js')).renderTorchFiles(module),
  run: async (module, batch, params, options) => (await import('./runner.js')).runTorch(module, batch, params, options),
};

/** `stress` needs the strain derivative inside the module, which the Python renderer does not write yet. */
export function torchRefusal(module: IRModule): string | undefined {
  const stress = module.nodes.find((n) => n.op === 'stress');
  if (stress) return `the torch target does not render \`stress\` (the strain derivative) yet: ${module.model} uses it (op ${stress.id} at ${stress.source.file}:${stress.source.line}); run it with --target ref (float64) or --target tfjs (autograd)`;
  return undefined;
}
