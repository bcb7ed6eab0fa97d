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
import { LOOP_ITERATION_BUDGET } from '../../../targets/wgsl/emit.js';
import { DEFAULT_STYLE } from '../../../targets/wgsl/plan.js';
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

describe('wgsl dense layers wider than the loop limit', () => {
  // llvmpipe leaves a loop after 65,535 iterations, loops in a row counted together: a linear over
  // 65,536 inputs (the largest value the checker allows) was 1.6e-3 off ref, and over two blocks
  // of 40,000 and 25,536 inputs 6.3e-3 off. The dense kernel now repeats its loop body
  // (emit.ts unrolledLoop) so that no invocation loops more than LOOP_ITERATION_BUDGET times.
  const WIDE_LINEAR = `
model WideLinear : O(3) {
  in  x: graph[40000x0e + 25536x0e]
  out y: graph[3x0e]
  y = linear(x, 3x0e)
}
`;
  const wide = () => model(WIDE_LINEAR);

  it('a linear over 65,536 inputs agrees with ref to 1e-5 relative, in both kernel styles', async () => {
    const module = wide();
    const params = initialParams(module, 0);
    const batch = randomBatch(module, 3, 3, () => 1, 1);
    const want = (await evaluate(module, batch, params)).get('y')!;
    for (const linear of ['blocked', 'naive'] as const) {
      const got = (await runWgsl(module, batch, params, { style: { ...DEFAULT_STYLE, linear } })).get('y')!;
      expect(relativeError(got, want), linear).toBeLessThan(1e-5);
    }
  }, 600_000);

  it('no loop of the wide kernel runs more than the budget, and narrow layers keep their plain loop', () => {
    for (const linear of ['blocked', 'naive'] as const) {
      const [kernel] = planModule(wide(), { ...DEFAULT_STYLE, linear }).kernels.filter((k) => k.name.endsWith('linear'));
      // Every loop: `for (var v = 0u; v < Nu + chunk.zero; v += Ku)` or `v++`, or a remainder loop from M.
      const loops = [...kernel!.code.matchAll(/for \(var \w+ = (\d+)u; \w+ < (\d+)u \+ chunk\.zero; \w+ (?:\+= (\d+)u|\+\+)\)/g)];
      expect(loops.length, linear).toBeGreaterThanOrEqual(2);
      const trips = loops.reduce((n, m) => n + Math.ceil((Number(m[2]) - Number(m[1])) / Number(m[3] ?? 1)), 0);
      expect(trips, linear).toBeLessThanOrEqual(LOOP_ITERATION_BUDGET);
      expect(kernel!.code).toContain('let u = u_base + 1u;');
    }
    const narrow = planModule(model(WIDE_LINEAR.replace('40000x0e + 25536x0e', '400x0e + 256x0e'))).kernels.find((k) => k.name.endsWith('linear'))!;
    expect(narrow.code).not.toContain('u_base');
    expect(narrow.code).toContain('for (var u = 0u; u < 400u + chunk.zero; u++) {');
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
