// The Python that runs the e3nn comparison rows (bench/e3nn/): $EQV_E3NN_PYTHON (default
// /usr/bin/python3, where Debian's PyTorch is), with $EQV_E3NN_PYTHONPATH on its path when set
// (e3nn installed outside site-packages). The wasm and training suites both ask here.

import { spawnSync } from 'node:child_process';

export type E3nnPython = { readonly python: string; readonly env: NodeJS.ProcessEnv } | { readonly why: string };

export function findE3nnPython(): E3nnPython {
  const python = process.env.EQV_E3NN_PYTHON ?? '/usr/bin/python3';
  const env = { ...process.env, ...(process.env.EQV_E3NN_PYTHONPATH ? { PYTHONPATH: process.env.EQV_E3NN_PYTHONPATH } : {}) };
  const probe = spawnSync(python, ['-c', 'import e3nn, torch'], { env, encoding: 'utf8' });
  if (probe.status !== 0) return { why: `e3nn is not importable by ${python} (set EQV_E3NN_PYTHONPATH)` };
  return { python, env };
}
