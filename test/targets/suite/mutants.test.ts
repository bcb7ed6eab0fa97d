// The controls of a suite are mutants that change the model's output: correct models whose
// first candidate mutant computes the model's own function (an equivalent mutant) used to FAIL
// `--mutate`; the chooser now reports such candidates and replaces them, while real mutants are
// still caught.

import { describe, expect, it } from 'vitest';
import { compileSource } from '../../../compiler/compile.js';
import type { IRModule } from '../../../ir/types.js';
import { initialParams } from '../../../targets/io/params.js';
import { chooseMutants, MUTANT_SEEDS } from '../../../targets/suite/chooseMutants.js';
import { mutantsOf } from '../../../targets/suite/mutants.js';
import { createSuite } from '../../../targets/suite/fromRegistry.js';
import { modelGroup, type SymmetryResult } from '../../../targets/suite/symmetry.js';
import { worstResult } from '../../../cli/test.js';

function model(source: string): IRModule {
  const result = compileSource(source, 'model.eqv');
  if (!result.ok) throw new Error(result.diagnostics.map((d) => d.message).join('\n'));
  return result.ir[0]!;
}

// The norm of a vector that a single tensor-product path makes: flipping one component of that
// path is squared away (|v| does not see the sign of v_k).
const SQUARED_VECTOR = `
model Lengths : E(3) {
  in pos: node[pos]
  in x: node[2x0e]
  out y: graph[4x0e]
  let g = radius_graph(pos, r = 1.5)
  let sh = spherical_harmonics(g.vec, lmax = 1)
  let v = tp(sh, sh, out = 1x0e + 1x1e)
  y = linear(concat(pool(x, reduce = sum), pool(scatter(norm(v), g, reduce = sum), reduce = sum)), 4x0e)
}
`;

// A vector value computed and then never used by any output: the first vector-valued node only
// feeds a dead branch.
const UNUSED_OUTPUT = `
model Dead : E(3) {
  in pos: node[pos]
  in x: node[1x0e]
  out y: graph[2x0e]
  let g = radius_graph(pos, r = 1.5)
  let sh = spherical_harmonics(g.vec, lmax = 1)
  let unused = linear(scatter(sh, g, reduce = sum), 2x1o)
  let s = scatter(linear(sh, 4x0e), g, reduce = sum)
  y = linear(pool(concat(x, s), reduce = sum), 2x0e)
}
`;

// A flow recurrence whose only velocity is 0: removing the shift changes nothing.
const STILL_FLOW = `
model Still : Flow(T2, size = 3, vmax = 0) {
  in frames: grid2d[1]
  out y: graph[1xV]
  let h = flow_rnn(frames, hidden = 2, kernel = 3, act = tanh)
  y = linear(pool_time(pool_space(h, reduce = mean), reduce = last), 1xV)
}
`;

async function mutateRun(module: IRModule, target: string) {
  const params = initialParams(module, 0);
  const suite = await createSuite(module, { target, params, ...(target === 'tfjs' ? { backend: 'cpu' } : {}) });
  const choice = await suite.mutantChoice();
  const results = [];
  for (const m of choice.chosen) results.push(await suite.checkMutant(m, MUTANT_SEEDS));
  return { choice, results };
}

describe('mutants that cannot be observed are reported and replaced', () => {
  it('a sign flip squared away by a norm is equivalent; the model passes --mutate', async () => {
    const module = model(SQUARED_VECTOR);
    // The unchecked first candidate is the flip that a norm squares away.
    expect(mutantsOf(module, modelGroup(module)).map((m) => m.name)).toContain('cg-sign');
    const { choice, results } = await mutateRun(module, 'ref');
    const flips = choice.rejected.filter((r) => r.mutant.name === 'cg-sign');
    expect(flips.length).toBeGreaterThan(0);
    for (const r of flips) {
      expect(r.reason).toBe('equivalent');
      expect(r.measured).toBeLessThan(1e-9);
    }
    expect(choice.chosen.map((m) => m.name)).not.toContain('cg-sign');
    for (const r of results) expect(r.caught, r.mutant.description).toBe(true);
    expect(results.length).toBeGreaterThan(0);
  });

  it('a rewrite of a value no output uses is replaced by one that is used', async () => {
    const module = model(UNUSED_OUTPUT);
    const first = mutantsOf(module, modelGroup(module)).find((m) => m.name === 'vector-nonlinearity')!;
    const { choice, results } = await mutateRun(module, 'ref');
    expect(choice.rejected.some((r) => r.mutant.description === first.description && r.reason === 'equivalent')).toBe(true);
    for (const r of results) expect(r.caught, r.mutant.description).toBe(true);
    expect(choice.chosen.map((m) => m.name)).toContain('permutation');
  });

  it('a flow with velocity 0 only has no flow-shift control, and passes', async () => {
    const module = model(STILL_FLOW);
    const { choice, results } = await mutateRun(module, 'ref');
    expect(choice.chosen.map((m) => m.name)).not.toContain('flow-shift');
    for (const r of results) expect(r.caught, r.mutant.description).toBe(true);
  });

  it('real mutants are still chosen and caught on the examples (tetris on ref and tfjs)', async () => {
    const tetris = (await import('../../../compiler/compile.js')).compile('examples/tetris.eqv').ir[0]!;
    for (const target of ['ref', 'tfjs']) {
      const { choice, results } = await mutateRun(tetris, target);
      expect(choice.chosen.map((m) => m.name).sort()).toEqual(['cg-sign', 'parity', 'permutation', 'vector-nonlinearity']);
      for (const r of results) {
        expect(r.caught, `${target}: ${r.mutant.description}`).toBe(true);
        expect(r.result.error).toBeGreaterThan(r.result.tolerance);
      }
    }
  });
});

describe('a failing check reports its worst seed', () => {
  const result = (seed: number, error: number, tolerance = 1): SymmetryResult => ({ symmetry: 'E(3)', error, tolerance, passed: error <= tolerance, seed, nodes: [seed] });
  it('the largest failing error, not the last failure', () => {
    expect(worstResult([result(1, 0.5), result(2, 9), result(3, 2)]).seed).toBe(2);
  });
  it('a failure before a larger passing error (non-compact groups scale tolerances), NaN as the worst', () => {
    expect(worstResult([result(1, 5, 10), result(2, 2, 1), result(3, 0.1)]).seed).toBe(2);
    expect(worstResult([result(1, 3), result(2, NaN), result(3, 2)]).seed).toBe(2);
  });
});
