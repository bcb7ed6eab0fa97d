// A suite that passes on a wrong target is a suite defect: a kernel that is wrong in an
// equivariant way (the wgsl perm_linear dropping one basis map on wide layers was 2% to 10% off)
// passes every equivariance check. The agreement check compares the target with the float64
// reference on the same sampled inputs, to the float32 tolerance, and catches a 2% error.

import { describe, expect, it } from 'vitest';
import { compile } from '../../../compiler/compile.js';
import { initialParams } from '../../../targets/io/params.js';
import { getRunner } from '../../../targets/registry.js';
import { checkAgreement, checkGroupAction, checkPermutation, type ModelRun } from '../../../targets/suite/symmetry.js';
import { createSuite } from '../../../targets/suite/fromRegistry.js';

describe('the suite compares targets with the reference', () => {
  const module = compile('examples/sn_sets.eqv').ir[0]!;
  const params = initialParams(module, 0);
  const ref: ModelRun = (batch) => getRunner('ref')!(module, batch, params, {});
  // Wrong by 2%, and still exactly permutation-equivariant.
  const wrong: ModelRun = async (batch) => new Map([...(await ref(batch))].map(([k, v]) => [k, v.map((x) => 1.02 * x)]));
  const options = { floatType: 'float32' as const };

  it('a target 2% off passes the symmetry checks and fails agreement', async () => {
    for (const seed of [1, 2, 3]) {
      expect((await checkPermutation(module, wrong, seed, options)).passed).toBe(true);
      expect((await checkGroupAction(module, wrong, seed, options)).passed).toBe(true);
      const r = await checkAgreement(module, wrong, ref, seed, options);
      expect(r.passed).toBe(false);
      expect(r.error).toBeGreaterThan(0.019);
    }
  });

  it('tfjs agrees with ref on sn_sets within the float32 tolerance', async () => {
    const suite = await createSuite(module, { target: 'tfjs', params, backend: 'cpu' });
    expect(suite.checksAgreement).toBe(true);
    for (const seed of [0, 1, 2]) {
      const r = await suite.checkAgreement(seed, seed === 0 ? [1] : undefined);
      expect(r.error).toBeLessThanOrEqual(r.tolerance);
    }
  });
});
