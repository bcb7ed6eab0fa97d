// Every flow operation in every configuration (plain and lifted inputs of flow_rnn and conv2d,
// pool_velocity on grid2d, seq and graph values, every pool_time reduction) on tfjs (cpu, wasm)
// and wgsl against the float64 reference, on sequences of different lengths in one batch (the
// tfjs recurrence groups sequences by length and puts the frames back in order); and the
// flow-equivariance check with its flow-shift control on each target.
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../../compiler/compile.js';
import type { IRModule } from '../../../ir/types.js';
import { evaluate } from '../../../targets/ref/evaluate.js';
import { batchFromGraphs } from '../../../targets/io/inputs.js';
import { formatRunOutput } from '../../../targets/io/outputs.js';
import { initialParams } from '../../../targets/io/params.js';
import { getRunner } from '../../../targets/registry.js';
import { checkGroupAction, modelGroup } from '../../../targets/suite/symmetry.js';
import { mutantsOf } from '../../../targets/suite/mutants.js';
import { createRng } from '../../../stdlib/math/random.js';

const SOURCE = `model Layers : Flow(T2, size = 4) {
  in  frames: grid2d[2]
  out y: graph[3]
  out m: graph[2xV]
  out last: graph[2]
  out total: graph[2]
  out steps: seq[2]
  out cells: grid2d[2]

  let c  = conv2d(frames, out = 3, kernel = 3, bias = true, act = relu)
  let h  = flow_rnn(tanh(c), hidden = 2)
  let h2 = flow_rnn(h, hidden = 2, kernel = 1, act = silu)
  let c2 = conv2d(h2, out = 2, act = tanh)
  let s  = pool_space(pool_velocity(c2, reduce = mean), reduce = sum)
  y = linear(pool_time(s, reduce = mean), 3)
  m = pool_time(pool_space(c2, reduce = max), reduce = max)
  last = pool_velocity(pool_time(pool_space(h2), reduce = last), reduce = max)
  total = pool_time(pool_velocity(pool_space(h, reduce = mean), reduce = sum), reduce = sum)
  steps = pool_velocity(pool_space(h2), reduce = max)
  cells = pool_velocity(c2, reduce = sum)
}
`;

function model(): IRModule {
  const out = compileSource(SOURCE, 'layers.eqv');
  expect(out.diagnostics).toEqual([]);
  return out.ir[0]!;
}

/** Sequences of 3, 1 and 4 frames of 4x4 cells, N(0, 1). */
function batch(module: IRModule) {
  const rng = createRng(5);
  return batchFromGraphs(
    module,
    [3, 1, 4].map((t) => ({ frames: Array.from({ length: t * 16 }, () => [rng.normal(), rng.normal()]) })),
  );
}

function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let d = 0;
  let s = 0;
  for (let i = 0; i < b.length; i++) {
    d = Math.max(d, Math.abs(a[i]! - b[i]!));
    s = Math.max(s, Math.abs(b[i]!));
  }
  return d / s;
}

const module = model();
const params = initialParams(module, 4);

describe.each([
  ['tfjs', 'cpu'],
  ['tfjs', 'wasm'],
  ['wgsl', undefined],
])('flow operations on %s %s', (target, backend) => {
  it('agree with the reference within 1e-5', async () => {
    const run = getRunner(target)!;
    const b = batch(module);
    const expected = evaluate(module, b, params);
    const got = await run(module, b, params, backend ? { backend } : {});
    for (const [name, values] of expected) expect(relativeError(got.get(name)!, values), `${target} ${name}`).toBeLessThan(1e-5);
    // Per sequence: one row per frame of a seq output, one per cell of a grid2d output.
    const json = formatRunOutput(module, b, got) as { graphs: Record<string, number[][]>[] };
    expect(json.graphs.map((g) => g.steps!.length)).toEqual([3, 1, 4]);
    expect(json.graphs.map((g) => g.cells!.length)).toEqual([48, 16, 64]);
  });

  it('are flow-equivariant in float32, and the flow-shift control is caught', async () => {
    const run = getRunner(target)!;
    const options = { floatType: 'float32' as const, nodes: [3, 2] };
    for (const seed of [1, 2]) {
      const r = await checkGroupAction(module, (b) => run(module, b, params, backend ? { backend } : {}), seed, options);
      expect(r.error).toBeLessThan(r.tolerance);
    }
    const mutant = mutantsOf(module, modelGroup(module)).find((m) => m.name === 'flow-shift')!;
    const caught = await checkGroupAction(mutant.module, (b) => run(mutant.module, b, params, backend ? { backend } : {}), 1, options);
    expect(caught.error).toBeGreaterThan(100 * caught.tolerance);
  });
});
