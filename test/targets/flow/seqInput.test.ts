// A flow model with a seq input (one row per frame) used together with the grid: tfjs (cpu,
// wasm) and wgsl agree with the float64 reference on sequences of different lengths in one
// batch, the seq input changes the result, and the model is flow-equivariant (a seq row of
// plain channels does not move with the flow). Also a model whose only input is a seq.
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../../compiler/compile.js';
import type { IRModule } from '../../../ir/types.js';
import { evaluate } from '../../../targets/ref/evaluate.js';
import { batchFromGraphs } from '../../../targets/io/inputs.js';
import { formatRunOutput } from '../../../targets/io/outputs.js';
import { initialParams } from '../../../targets/io/params.js';
import { getRunner } from '../../../targets/registry.js';
import { checkGroupAction } from '../../../targets/suite/symmetry.js';
import { createRng } from '../../../stdlib/math/random.js';
import { planModule } from '../../../targets/wgsl/lower.js';
import { sliceBatch } from '../../../targets/wgsl/host/model.js';

const SOURCE = `model SeqCtrl : Flow(T2, size = 3) {
  in frames: grid2d[1]
  in ctrl: seq[2]
  out y: graph[2]
  out steps: seq[4]

  let h = flow_rnn(conv2d(frames, out = 2, kernel = 3, act = tanh), hidden = 2)
  let s = concat(pool_velocity(pool_space(h, reduce = mean), reduce = max), ctrl)
  steps = s
  y = linear(pool_time(linear(s, 4), reduce = last), 2)
}

model CtrlOnly : Flow(T2, size = 2) {
  in ctrl: seq[2]
  out y: graph[2]
  y = pool_time(linear(ctrl, 2), reduce = sum)
}
`;

const [withGrid, ctrlOnly] = ((): readonly IRModule[] => {
  const out = compileSource(SOURCE, 'seq_ctrl.eqv');
  expect(out.diagnostics).toEqual([]);
  return out.ir;
})() as readonly [IRModule, IRModule];

/** Sequences of 3, 1 and 4 frames, N(0, 1); `ctrlScale` scales the seq input. */
function batch(module: IRModule, ctrlScale = 1) {
  const rng = createRng(11);
  const cells = module.group.flow!.size ** 2;
  return batchFromGraphs(
    module,
    [3, 1, 4].map((t) => ({
      ...(module.inputs.some((i) => i.name === 'frames') ? { frames: Array.from({ length: t * cells }, () => [rng.normal()]) } : {}),
      ctrl: Array.from({ length: t }, () => [ctrlScale * rng.normal(), ctrlScale * rng.normal()]),
    })),
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

describe.each([
  ['tfjs', 'cpu'],
  ['tfjs', 'wasm'],
  ['wgsl', undefined],
])('a seq input on %s %s', (target, backend) => {
  it('agrees with the reference within 1e-5, one row per frame in and out', async () => {
    const run = getRunner(target)!;
    for (const [label, module] of [['SeqCtrl', withGrid], ['CtrlOnly', ctrlOnly]] as const) {
      const params = initialParams(module, 3);
      const b = batch(module);
      const expected = evaluate(module, b, params);
      const got = await run(module, b, params, backend ? { backend } : {});
      for (const [name, values] of expected) expect(relativeError(got.get(name)!, values), `${label} ${name}`).toBeLessThan(1e-5);
    }
    const b = batch(withGrid);
    const json = formatRunOutput(withGrid, b, await run(withGrid, b, initialParams(withGrid, 3), backend ? { backend } : {})) as { graphs: Record<string, number[][]>[] };
    expect(json.graphs.map((g) => g.steps!.length)).toEqual([3, 1, 4]);
    // The seq input passes through concat: its rows are the last two channels of each frame.
    const ctrl = b.values.get('ctrl')!;
    expect(Math.abs(json.graphs[2]!.steps![3]![3]! - ctrl[(4 + 3) * 2 + 1]!)).toBeLessThan(1e-6);
  });

  it('is flow-equivariant in float32', async () => {
    const run = getRunner(target)!;
    const params = initialParams(withGrid, 3);
    const r = await checkGroupAction(withGrid, (b) => run(withGrid, b, params, backend ? { backend } : {}), 1, { floatType: 'float32', nodes: [3, 2] });
    expect(r.error).toBeLessThan(r.tolerance);
  });
});

it('the seq input changes the reference output', () => {
  const params = initialParams(withGrid, 3);
  const a = evaluate(withGrid, batch(withGrid), params).get('y')!;
  const b = evaluate(withGrid, batch(withGrid, 2), params).get('y')!;
  expect(relativeError(b, a)).toBeGreaterThan(1e-3);
});

it('a wgsl run split by graphs takes each part\'s frames of the seq input', () => {
  const b = batch(withGrid);
  const part = sliceBatch(planModule(withGrid), b, 1, 3);
  // Graphs 1 and 2 hold frames 3..7 of the batch (3, 1 and 4 frames per graph).
  expect(Array.from(part.values.get('ctrl')!)).toEqual(Array.from(b.values.get('ctrl')!.subarray(3 * 2, 8 * 2)));
  expect(part.values.get('frames')!.length).toBe(5 * 9);
});
