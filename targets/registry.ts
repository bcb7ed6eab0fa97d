// The targets by name: the one list `eqvc build`, `eqvc run`, `eqvc test` and the generated
// suites consult. Adding a target adds its folder and one line here.

import { irTarget } from './ir/index.js';
import { refTarget } from './ref/index.js';
import type { Runner, Target } from './target.js';
import { tfjsTarget } from './tfjs/index.js';
import { torchTarget } from './torch/index.js';
import { wasmTarget } from './wasm/index.js';
import { wgslTarget } from './wgsl/index.js';

const targets: readonly Target[] = [irTarget, refTarget, tfjsTarget, wgslTarget, wasmTarget, torchTarget];

export function getTarget(name: string): Target | undefined {
  return targets.find((t) => t.name === name);
}

/** Targets `eqvc build` can write. */
export function targetNames(): string[] {
  return targets.map((t) => t.name);
}

/** Targets that execute in this process, in the order suites run them. */
export function runnerNames(): string[] {
  return targets.filter((t) => t.run && !t.external).map((t) => t.name);
}

/** Targets that execute in another runtime (torch: the machine's Python): run and tested only on request. */
export function externalRunnerNames(): string[] {
  return targets.filter((t) => t.run && t.external).map((t) => t.name);
}

/** The runner of a target, or undefined when there is no such target or it cannot execute. */
export function getRunner(name: string): Runner | undefined {
  return getTarget(name)?.run;
}
