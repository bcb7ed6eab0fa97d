// Inputs named like the torch runner's own tensors: the batch's node offsets travel to Python
// beside the inputs, and were keyed `graph_ptr`, so an input called `graph_ptr` replaced them
// (the module failed in repeat_interleave). They are keyed `.graph_ptr` now, which no input name
// can be. Both ways of running (the one-shot jobs and the `eqvc run` worker) agree with ref.

import { describe, expect, it } from 'vitest';
import { compileSource } from '../../../compiler/compile.js';
import { batchFromGraphs } from '../../../targets/io/inputs.js';
import { initialParams } from '../../../targets/io/params.js';
import { getRunner } from '../../../targets/registry.js';
import { runTorchJobs } from '../../../targets/torch/runner.js';
import { torchPython, torchSuiteTitle } from './helpers.js';

const SOURCE = `model Names : E(3) {
  in pos: node[pos]
  in graph_ptr: node[2x0e]
  out y: graph[2x0e]
  let g = radius_graph(pos, r = 1.5)
  y = pool(linear(graph_ptr, 2x0e) + scatter(gather(graph_ptr, g), g), reduce = sum)
}
`;

describe.skipIf(!torchPython.ok)(torchSuiteTitle('torch with an input named graph_ptr'), () => {
  const module = compileSource(SOURCE, 'names.eqv').ir[0]!;
  const params = initialParams(module, 1);
  const batch = batchFromGraphs(module, [
    { pos: [[0, 0, 0], [1, 0, 0], [0, 1, 0]], graph_ptr: [[1, 2], [3, 4], [5, 6]] },
    { pos: [[0, 0, 0]], graph_ptr: [[-1, 0.5]] },
  ]);

  const expectClose = (got: Float64Array, want: Float64Array) => {
    expect(got.length).toBe(want.length);
    for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThan(1e-5 * Math.max(1, Math.abs(want[i]!)));
  };

  it('runTorchJobs and the run worker agree with ref', async () => {
    const want = (await getRunner('ref')!(module, batch, params, {})).get('y')!;
    const [job] = await runTorchJobs([{ module, batch, params }], { dtype: 'float64' });
    expectClose(job!.outputs.get('y')!, want);
    expectClose((await getRunner('torch')!(module, batch, params, {})).get('y')!, want);
  }, 120_000);

  it('an input named __proto__ reaches the module (it vanished from the batch file)', async () => {
    const m = compileSource(SOURCE.replaceAll('graph_ptr', '__proto__'), 'proto.eqv').ir[0]!;
    const p = initialParams(m, 1);
    // JSON.parse makes `__proto__` an own key, as a run input file does (a literal would set the prototype).
    const b = batchFromGraphs(m, [JSON.parse('{"pos": [[0, 0, 0], [1, 0, 0]], "__proto__": [[1, 2], [3, 4]]}') as Record<string, number[][]>]);
    const want = (await getRunner('ref')!(m, b, p, {})).get('y')!;
    expectClose((await getRunner('torch')!(m, b, p, {})).get('y')!, want);
  }, 120_000);

  it('a binding named __h (Python mangled self.__h to self._Names__h) runs; a dunder binding is refused by name', async () => {
    const text = 'model Names : E(3) {\n  in pos: node[pos]\n  in x: node[2x0e]\n  out y: graph[2x0e]\n  let __h = linear(x, 2x0e)\n  y = pool(__h, reduce = sum)\n}\n';
    const m = compileSource(text, 'mangled.eqv').ir[0]!;
    const p = initialParams(m, 2);
    const b = batchFromGraphs(m, [{ pos: [[0, 0, 0], [1, 0, 0]], x: [[1, 2], [3, 4]] }]);
    const want = (await getRunner('ref')!(m, b, p, {})).get('y')!;
    expectClose((await getRunner('torch')!(m, b, p, {})).get('y')!, want);
    const dunder = compileSource(text.replaceAll('__h', '__init__'), 'dunder.eqv').ir[0]!;
    await expect(getRunner('torch')!(dunder, b, initialParams(dunder, 2), {})).rejects.toThrow("torch: parameter __init__.weight: the segment '__init__' cannot be a torch.nn.Module attribute name");
  }, 120_000);
});
