// The targets `eqvc run`, `eqvc test` and the generated suites can execute in this process, by
// name. The float64 reference evaluator is always there; targets with heavy dependencies are
// loaded on first use (`lazyRunners`), or register themselves.

import type { IRModule } from '../compiler/ir.js';
import type { RuntimeBatch } from './runtime/inputs.js';
import type { ParamStore } from './runtime/params.js';
import { evaluate } from './ref/evaluate.js';

export interface RunOptions {
  /** A target-specific backend (tfjs: cpu or wasm). */
  readonly backend?: string;
}

export type Runner = (module: IRModule, batch: RuntimeBatch, params: ParamStore, options: RunOptions) => Promise<Map<string, Float64Array>>;

const runners = new Map<string, Runner>([
  ['ref', async (module, batch, params) => evaluate(module, batch, params)],
  // Loaded on first use: tfjs and the code generator are not needed by the other commands.
  ['tfjs', async (module, batch, params, options) => (await import('./tfjs/runner.js')).runTfjs(module, batch, params, options)],
  // WebGPU kernels through Dawn (the webgpu package); --backend picks Dawn's backend: default, vulkan or opengl.
  ['wgsl', async (module, batch, params, options) => (await import('./wgsl/runner.js')).runWgsl(module, batch, params, (await import('./wgsl/runner.js')).wgslRunOptions(options.backend))],
]);

export function registerRunner(name: string, runner: Runner): void {
  runners.set(name, runner);
}

/** Targets imported only when first asked for, so `eqvc check` never loads tfjs or Dawn. */
const lazyRunners = new Map<string, () => Promise<Runner>>();

export function registerLazyRunner(name: string, load: () => Promise<Runner>): void {
  lazyRunners.set(name, load);
}

export function getRunner(name: string): Runner | undefined {
  return runners.get(name);
}

/** A runner by name, importing its target if needed; undefined for an unknown name. */
export async function loadRunner(name: string): Promise<Runner | undefined> {
  const ready = runners.get(name);
  if (ready) return ready;
  const load = lazyRunners.get(name);
  if (!load) return undefined;
  const runner = await load();
  runners.set(name, runner);
  return runner;
}

export function runnerNames(): string[] {
  return [...new Set([...runners.keys(), ...lazyRunners.keys()])];
}
