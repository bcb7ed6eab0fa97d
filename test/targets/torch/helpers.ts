// Shared by the torch target's tests: whether this machine has a Python with PyTorch. Tests that
// need it are skipped, with the reason printed, only when none exists (CI installs python3-torch).

import type { IRModule } from '../../../ir/types.js';
import { findTorchPython } from '../../../targets/torch/runner.js';

export const torchPython: { ok: true; python: string; version: string } | { ok: false; reason: string } = await findTorchPython().then(
  (p) => ({ ok: true as const, ...p }),
  (e: Error) => ({ ok: false as const, reason: e.message }),
);

if (!torchPython.ok) console.warn(`torch target tests skipped: ${torchPython.reason}`);

/** The title of a suite, saying why it is skipped when it is. */
export function torchSuiteTitle(title: string): string {
  return torchPython.ok ? title : `${title} (skipped: ${torchPython.reason})`;
}

/**
 * The examples as the torch target can run them: torch does not render `stress` (it refuses
 * such modules, targets/torch/index.ts), so outputs computed by a `stress` node are left out
 * and every other output of the example is still checked on torch.
 */
export function torchExamples(examples: readonly { file: string; module: IRModule }[]): { file: string; module: IRModule }[] {
  return examples.map(({ file, module }) => {
    const stress = new Set(module.nodes.filter((n) => n.op === 'stress').map((n) => n.id));
    if (stress.size === 0) return { file, module };
    return { file, module: { ...module, nodes: module.nodes.filter((n) => !stress.has(n.id)), outputs: module.outputs.filter((o) => !stress.has(o.value)) } };
  });
}
