// Shared by the torch target's tests: whether this machine has a Python with PyTorch. Tests that
// need it are skipped, with the reason printed, only when none exists (CI installs python3-torch).

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
