// The models the WGSL tests run: every example that compiles (and that wgsl does not refuse), the all-ops fixture, and a conv
// whose output blocks are shared by several paths (the fused kernel's merged groups).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { compile, compileSource } from '../../../compiler/compile.js';
import type { IRModule } from '../../../ir/types.js';
import { wgslRefusal } from '../../../targets/wgsl/refuses.js';

export interface TestModel {
  readonly label: string;
  readonly module: IRModule;
  /** The example's run input, when it has one. */
  readonly inputFile?: string;
}

export function exampleModels(): TestModel[] {
  const dir = 'examples';
  const out: TestModel[] = [];
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.eqv')).sort()) {
    const file = path.join(dir, f);
    const result = compile(file);
    if (!result.ok) continue;
    const input = file.replace(/\.eqv$/, '.input.json');
    // Modules the wgsl target refuses (`grad`: forces) are not WGSL models; the refusal has its own tests.
    for (const module of result.ir) if (!wgslRefusal(module)) out.push({ label: `${file} ${module.model}`, module, ...(fs.existsSync(input) ? { inputFile: input } : {}) });
  }
  return out;
}

export function fixtureModels(): TestModel[] {
  const file = 'test/targets/wgsl/fixtures/ops.eqv';
  const result = compile(file);
  if (!result.ok) throw new Error(`${file} does not compile: ${result.diagnostics.map((d) => d.message).join('; ')}`);
  const shared = compileSource(
    `model SharedOut : E(3) {
  in  pos: node[pos]
  in  x:   node[3x0e + 3x1o + 2x2e]
  out y:   node[3x0e + 3x1o]
  let g = radius_graph(pos, r = 1.6)
  let sh = spherical_harmonics(g.vec, lmax = 2)
  y = scatter(tp(gather(x, g), sh, 3x0e + 3x1o, mode = uvu, weights = shared), g)
}
`,
    'shared-out.eqv',
  );
  if (!shared.ok) throw new Error(shared.diagnostics.map((d) => d.message).join('; '));
  return [...result.ir.map((module) => ({ label: `${file} ${module.model}`, module })), { label: 'shared-out.eqv SharedOut', module: shared.ir[0]! }];
}
