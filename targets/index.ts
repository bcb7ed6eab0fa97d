// The targets `eqvc build` can write, by name. Each renders IR modules into files; none of
// them looks at the source program.

import type { IRModule } from '../compiler/ir.js';
import { renderIrJson } from './ir/renderIr.js';
import { tfjsTarget } from './tfjs/index.js';
import { wgslTarget } from './wgsl/render.js';

export interface BuiltFile {
  /** Relative to the output folder. */
  readonly path: string;
  readonly contents: string | Uint8Array;
}

export interface BuildOptions {
  readonly seed: number;
  readonly tests: boolean;
}

export interface TargetRenderer {
  readonly name: string;
  readonly description: string;
  render(module: IRModule, options: BuildOptions): BuiltFile[];
}

export const irTarget: TargetRenderer = {
  name: 'ir',
  description: 'the typed IR as JSON (docs/ir.md)',
  render: (module) => [{ path: `${module.model}.ir.json`, contents: renderIrJson(module) }],
};

const targets = new Map<string, TargetRenderer>([
  [irTarget.name, irTarget],
  [tfjsTarget.name, tfjsTarget],
  [wgslTarget.name, wgslTarget],
]);

export function registerTarget(t: TargetRenderer): void {
  targets.set(t.name, t);
}

export function getTarget(name: string): TargetRenderer | undefined {
  return targets.get(name);
}

export function targetNames(): string[] {
  return [...targets.keys()];
}
