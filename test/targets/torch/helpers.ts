// Shared by the torch target's tests: whether this machine has a Python with PyTorch. Tests that
// need it are skipped, with the reason printed, only when none exists (CI installs python3-torch).

import { execFile } from 'node:child_process';
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

/** What one Python process did: its exit code (null when a signal ended it), the signal, whether its time limit killed it, its output and how long it ran. */
export interface PythonRun {
  code: number | null;
  signal: string | null;
  /** Ended at its time limit (torch's elastic agent turns the SIGTERM into exit code 1). */
  timedOut: boolean;
  stdout: string;
  stderr: string;
  seconds: number;
}

/**
 * Runs this machine's torch Python with `args` in `cwd`. Python's fault handler is on, so a crash
 * in native code prints the Python stack before the signal ends the process.
 */
export function runPython(args: string[], cwd: string, timeoutMs: number): Promise<PythonRun> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(
      torchPython.ok ? torchPython.python : 'python3',
      args,
      { cwd, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, PYTHONFAULTHANDLER: '1' } },
      (error, stdout, stderr) => {
        const e = error as (Error & { code?: number | string; signal?: string | null; killed?: boolean }) | null;
        const code = e ? (typeof e.code === 'number' ? e.code : null) : 0;
        resolve({ code, signal: e?.signal ?? null, timedOut: e?.killed === true, stdout, stderr, seconds: (Date.now() - started) / 1000 });
      },
    );
  });
}

/** A run's outcome in words, for an assertion's message: how it ended, how long it took, what it printed. */
export function describeRun(r: PythonRun): string {
  const ended = r.timedOut ? `killed at its time limit (exit code ${r.code}, signal ${r.signal})` : r.signal ? `killed by ${r.signal}` : `exit code ${r.code}`;
  return `${ended} after ${r.seconds.toFixed(1)} s\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;
}

/**
 * Launches `args` under torchrun with two processes. When the launch hangs past its time limit
 * or a signal ends it, it is launched once more and the first attempt is printed. Both were
 * seen in CI on Debian's torch 1.13 and never here in 21 launches: once after the last epoch,
 * once before the first line of output (the workers' rendezvous), each until the limit. Any
 * other exit code is never retried, so a failing train.py fails the test.
 */
export async function torchrunTwo(args: string[], cwd: string, timeoutMs: number): Promise<PythonRun> {
  const first = await runPython([...TORCHRUN_TWO, ...args], cwd, timeoutMs);
  if (first.signal === null && !first.timedOut) return first;
  console.warn(`torchrun was ${describeRun(first)}\nlaunching it once more`);
  return runPython([...TORCHRUN_TWO, ...args], cwd, timeoutMs);
}
