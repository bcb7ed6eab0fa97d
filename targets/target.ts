// What a target is: a renderer of IR modules into files (`eqvc build`), and, where the target
// can execute in this process, a runner (`eqvc run`, `eqvc test`, the generated suites). Each
// target folder exports one `Target`; targets/registry.ts lists them. Both halves load their
// heavy dependencies (ts-morph, tfjs, Dawn) on first use, so naming a target costs nothing.

import type { IRModule } from '../ir/types.js';
import type { RuntimeBatch } from './io/inputs.js';
import type { ParamStore } from './io/params.js';

export interface BuiltFile {
  /** Relative to the output folder. */
  readonly path: string;
  readonly contents: string | Uint8Array;
}

export interface BuildOptions {
  readonly seed: number;
  readonly tests: boolean;
}

export interface RunOptions {
  /** A target-specific backend (tfjs: cpu or wasm; wgsl: default, vulkan or opengl). */
  readonly backend?: string;
  /** The floating-point type, for targets that offer several (torch: float32 or float64). */
  readonly dtype?: string;
}

/** Executes a module on a batch; outputs by name, rows x dim, in float64. */
export type Runner = (module: IRModule, batch: RuntimeBatch, params: ParamStore, options: RunOptions) => Promise<Map<string, Float64Array>>;

export interface Target {
  readonly name: string;
  readonly description: string;
  render(module: IRModule, options: BuildOptions): Promise<BuiltFile[]>;
  /** Absent for targets that only write files (the IR as JSON). */
  readonly run?: Runner;
  /**
   * What the runner needs outside this process (torch: Python with PyTorch), when it does: such
   * targets run on request (`--target`), not in the default target lists of `eqvc test` and suites.
   */
  readonly external?: string;
  /**
   * Why this target cannot build or run a module (an op it does not implement, e.g. wgsl and
   * `grad`), or undefined. The suite generator skips such targets and prints the reason.
   */
  readonly refuses?: (module: IRModule) => string | undefined;
}
