// Two atoms on one spot: the edge between them has the vector 0, whose length and direction have
// no derivative there. The reference takes the length's gradient as 0 and the normalized
// harmonics' as that of v / 1e-12 (torch's normalize); tfjs and the torch module took sqrt's
// gradient 1/(2 sqrt(0)) = inf times 0 and printed NaN forces (`null` in the run output). Both
// now take the root of 1 where the sum of squares is 0 and discard that branch.

import { describe, expect, it } from 'vitest';
import { compile } from '../../../compiler/compile.js';
import { batchFromGraphs } from '../../../targets/io/inputs.js';
import { initialParams } from '../../../targets/io/params.js';
import { getRunner } from '../../../targets/registry.js';
import { runTorchJobs } from '../../../targets/torch/runner.js';
import { torchPython } from '../torch/helpers.js';

const module = compile('examples/nequip_forces.eqv').ir[0]!;
const params = initialParams(module, 0);
const batch = batchFromGraphs(module, [
  {
    pos: [[0, 0, 0], [0, 0, 0], [0.5, 0, 0], [0.2, 0.3, 0.1]],
    species: [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]],
  },
]);

function expectAgrees(got: Float64Array, want: Float64Array): void {
  expect(Array.from(got).every(Number.isFinite)).toBe(true);
  let d = 0;
  let m = 0;
  for (let i = 0; i < want.length; i++) {
    d = Math.max(d, Math.abs(got[i]! - want[i]!));
    m = Math.max(m, Math.abs(want[i]!));
  }
  expect(m).toBeGreaterThan(0.1);
  expect(d / m).toBeLessThan(1e-5);
}

describe('forces with two atoms on one spot', () => {
  it('tfjs (cpu) gives the reference forces, not NaN', async () => {
    const want = (await getRunner('ref')!(module, batch, params, {})).get('forces')!;
    expect(Array.from(want).every(Number.isFinite)).toBe(true);
    const got = (await getRunner('tfjs')!(module, batch, params, { backend: 'cpu' })).get('forces')!;
    expectAgrees(got, want);
  });

  it.skipIf(!torchPython.ok)('the torch module gives the reference forces, not NaN', async () => {
    const want = (await getRunner('ref')!(module, batch, params, {})).get('forces')!;
    const [result] = await runTorchJobs([{ module, batch, params }], { dtype: 'float64' });
    expectAgrees(result!.outputs.get('forces')!, want);
  }, 120_000);
});
