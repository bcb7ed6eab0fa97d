// Layers wide enough that a kernel invocation would loop more than 65,535 times, after which
// Mesa's llvmpipe (Dawn's adapter without a GPU) silently leaves the loop: a pair -> pair
// perm_linear of 500 channels on sets of 6 nodes was 7% off the reference (sn_sets widened to
// 500 channels, 13%), fine at 400 or on sets of 5. The set means now come from their own
// kernel (kernels/permLinear.ts permStatsKernel). And values without components
// (`select(x, 0xV)`) have no kernel: a row kernel over 0 components divided by 0 and the WGSL
// did not compile.

import { describe, expect, it } from 'vitest';
import { compileSource } from '../../../compiler/compile.js';
import type { IRModule } from '../../../ir/types.js';
import { evaluate } from '../../../targets/ref/evaluate.js';
import { initialParams } from '../../../targets/io/params.js';
import { runWgsl } from '../../../targets/wgsl/runner.js';
import { planModule } from '../../../targets/wgsl/lower.js';
import { randomBatch, relativeError } from './helpers.js';

function model(source: string): IRModule {
  const result = compileSource(source, 'model.eqv');
  if (!result.ok) throw new Error(result.diagnostics.map((d) => d.message).join('\n'));
  return result.ir[0]!;
}

async function agreement(module: IRModule, nodes: number): Promise<Map<string, number>> {
  const params = initialParams(module, 0);
  const batch = randomBatch(module, 1, 2, () => nodes, 1);
  const want = await evaluate(module, batch, params);
  const got = await runWgsl(module, batch, params);
  return new Map([...want].map(([name, v]) => [name, relativeError(got.get(name)!, v)]));
}

const WIDE = (c: number) => `
model Wide : S(n) {
  in  x: node[1]
  out pairs: pair[${c}]
  out nodes: node[${c}]
  out spread: graph[1]
  let p = perm_linear(x, ${c}, domain = pair, bias = true)
  let q = perm_linear(p, ${c}, bias = true)
  pairs = q
  nodes = perm_linear(q, ${c}, domain = node)
  spread = linear(pool(q, reduce = mean), 1)
}
`;

describe('wgsl on wide layers', () => {
  // Sets of 6 are the smallest that went wrong. 250,000-weight layers on llvmpipe take tens of
  // seconds on a loaded machine: the timeout is for hangs, not a measure of speed.
  it('a 500-channel pair -> pair perm_linear on sets of 6 agrees with ref to 1e-5 relative', async () => {
    const module = model(WIDE(500));
    for (const n of [6]) {
      for (const [name, error] of await agreement(module, n)) expect(error, `${name}, sets of ${n}`).toBeLessThan(1e-5);
    }
  }, 600_000);

  it('set means are computed once per node, not inside the layer (which loops maps x channels)', () => {
    const plan = planModule(model(WIDE(500)));
    const layer = plan.kernels.filter((k) => k.name.endsWith('perm_linear'));
    // node -> pair (the node mean), pair -> pair and pair -> node (row, column, trace and set means)
    expect(plan.kernels.filter((k) => k.name.endsWith('perm_stats')).length).toBe(3);
    // No loop over the set inside the layer kernels: their only loops run over input channels.
    for (const k of layer) expect(k.code).not.toMatch(/m < n/);
  });
});

describe('wgsl values without components', () => {
  const SELECT_NONE = `
model Sel : GL+(3) {
  in  x: graph[2xV + 2xT(0,0)]
  out y: graph[2xV]
  out none: graph[0xV]
  let e = select(x, 0xV)
  none = e
  y = linear(concat(select(x, 2xV), e), 2xV)
}
`;
  it('select(x, 0xV) compiles, writes an empty output, and agrees with ref', async () => {
    const module = model(SELECT_NONE);
    for (const k of planModule(module).kernels) expect(k.code).not.toContain('/ 0u');
    const errors = await agreement(module, 1);
    expect(errors.get('none')).toBe(0);
    expect(errors.get('y')).toBeLessThan(1e-5);
  });
});
