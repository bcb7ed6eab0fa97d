// The targets `eqvc run` can execute in this process, by name. The float64 reference
// evaluator is always there; the tfjs and wgsl targets register themselves.

import type { IRModule } from '../compiler/ir.js';
import type { RuntimeBatch } from './runtime/inputs.js';
import type { ParamStore } from './runtime/params.js';
import { evaluate } from './ref/evaluate.js';

export interface RunOptions {
  /** A target-specific backend (tfjs: cpu or wasm). */
  readonly backend?: string;
}

export type Runner = (module: IRModule, batch: RuntimeBatch, params: ParamStore, options: RunOptions) => Promise<Map<string, Float64Array>>;

const runners = new Map<string, Runner>([['ref', async (module, batch, params) => evaluate(module, batch, params)]]);

export function registerRunner(name: string, runner: Runner): void {
  runners.set(name, runner);
}

export function getRunner(name: string): Runner | undefined {
  return runners.get(name);
}

export function runnerNames(): string[] {
  return [...runners.keys()];
}
