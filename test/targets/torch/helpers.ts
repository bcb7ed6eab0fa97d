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

/**
 * `python -m torch.distributed.run` with two processes on this machine. The rendezvous store
 * takes a free port (`localhost:0`), not `--standalone`'s fixed 29400, so that several runs
 * (test files in parallel, other checkouts' tests) do not meet in one store. Debian's torch
 * 1.13 on Python 3.11 cannot parse torchrun's default --redirects/--tee ("0": Python 3.11 no
 * longer iterates the zero flag Std.NONE); a mapping for an absent local rank means "none" on
 * every version.
 */
export const TORCHRUN_TWO = ['-m', 'torch.distributed.run', '--rdzv_backend=c10d', '--rdzv_endpoint=localhost:0', '--nnodes=1', '--nproc_per_node=2', '--redirects', '9:1', '--tee', '9:1'];
