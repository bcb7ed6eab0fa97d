// Names from the source are data, never syntax or object machinery: an output called
// `__proto__` used to vanish from the run JSON (assigning it set the object's prototype) and
// from the tfjs module's outputs, and an input called `batch` collided with the generated
// module's batch field. And weights must be finite: a NaN or infinite weight used to load and
// turn every output it reached into NaN (printed as null).

import { describe, expect, it } from 'vitest';
import { compileSource } from '../../../compiler/compile.js';
import type { IRModule } from '../../../ir/types.js';
import { batchFromGraphs } from '../../../targets/io/inputs.js';
import { formatRunOutput } from '../../../targets/io/outputs.js';
import { initialParams, loadParams, paramsToTensors } from '../../../targets/io/params.js';
import { getRunner } from '../../../targets/registry.js';

const SOURCE = `
model Names : S(n) {
  in  batch: node[1]
  in  constructor: node[1]
  out __proto__: graph[2]
  out toString: node[1]
  __proto__ = linear(pool(concat(batch, constructor), reduce = sum), 2)
  toString = relu(batch)
}
`;

function model(): IRModule {
  const result = compileSource(SOURCE, 'names.eqv');
  if (!result.ok) throw new Error(result.diagnostics.map((d) => d.message).join('\n'));
  return result.ir[0]!;
}

describe('names that are also JavaScript object machinery', () => {
  const module = model();
  const params = initialParams(module, 0);
  const batch = batchFromGraphs(module, [
    { batch: [[1], [2], [-3]], constructor: [[0.5], [-1], [2]] },
    { batch: [[4]], constructor: [[-2]] },
  ]);

  it('an output called __proto__ is written to the run JSON', async () => {
    const out = await getRunner('ref')!(module, batch, params, {});
    const json = JSON.parse(JSON.stringify(formatRunOutput(module, batch, out))) as { graphs: Record<string, unknown>[] };
    expect(Object.keys(json.graphs[0]!).sort()).toEqual(['__proto__', 'toString']);
    expect((json.graphs[1]!['__proto__'] as number[]).length).toBe(2);
  });

  it('inputs called batch and constructor and an output called __proto__ run on tfjs like on ref', async () => {
    const want = await getRunner('ref')!(module, batch, params, {});
    const got = await getRunner('tfjs')!(module, batch, params, { backend: 'cpu' });
    expect([...got.keys()].sort()).toEqual(['__proto__', 'toString']);
    for (const [name, v] of want) {
      const g = got.get(name)!;
      expect(g.length).toBe(v.length);
      for (let i = 0; i < v.length; i++) expect(Math.abs(g[i]! - v[i]!)).toBeLessThan(1e-5 * (1 + Math.abs(v[i]!)));
    }
  });
});

describe('weights must be finite', () => {
  const module = model();
  for (const bad of [NaN, Infinity, -Infinity]) {
    it(`a weights file with ${bad} is refused, naming the parameter`, () => {
      const tensors = paramsToTensors(module, initialParams(module, 0));
      const name = module.params[0]!.name;
      const t = tensors.get(name)!;
      const data = Float64Array.from(t.data);
      data[1] = bad;
      tensors.set(name, { shape: t.shape, data });
      const loaded = loadParams(module, tensors);
      expect(loaded.ok).toBe(false);
      expect(!loaded.ok && loaded.errors).toEqual([`${name}: element 1 is ${bad}; weights must be finite numbers`]);
    });
  }
});
