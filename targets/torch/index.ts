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

/**
 * The module strains one positions input and one cell (render.ts): stresses of the same model
 * over different positions or cells would need a strain each, which it does not write.
 */
export function torchRefusal(module: IRModule): string | undefined {
  const stresses = module.nodes.filter((n) => n.op === 'stress');
  const first = stresses[0];
  const other = stresses.find((n) => n.inputs[1] !== first?.inputs[1] || n.inputs[2] !== first?.inputs[2]);
  if (first && other) return `the torch target strains one positions input and one cell: ${module.model}'s \`stress\` ops ${first.id} (${first.source.file}:${first.source.line}) and ${other.id} (${other.source.file}:${other.source.line}) differentiate different ones; run it with --target ref (float64) or --target tfjs (autograd)`;
  return undefined;
}
