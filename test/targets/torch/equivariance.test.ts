// `eqvc test --target torch`: every example's generated equivariance suite on the torch target
// (float32, through the registry's runner and its long-lived Python worker): the group,
// permutation and (periodic models) lattice checks pass within the float32 tolerance, and every
// mutant is caught.

import { describe, expect, it } from 'vitest';
import { initialParams } from '../../../targets/io/params.js';
import { createSuite } from '../../../targets/suite/fromRegistry.js';
import { exampleModules } from '../tfjs/helpers.js';
import { torchPython, torchSuiteTitle } from './helpers.js';

const examples = exampleModules();

describe.skipIf(!torchPython.ok)(torchSuiteTitle('the equivariance suites pass on torch, mutants caught'), () => {
  for (const { module } of examples) {
    it(`${module.model} (${module.group.name})`, async () => {
      const suite = await createSuite(module, { target: 'torch', params: initialParams(module, 0) });
      expect(suite.floatType).toBe('float32');
      for (const [seed, nodes] of [[0, [1]], [1, undefined], [2, undefined]] as const) {
        const g = await suite.checkGroup(seed, nodes);
        expect(g.error, `${g.symmetry} at seed ${seed}`).toBeLessThanOrEqual(g.tolerance);
        if (suite.checksPermutations) {
          const p = await suite.checkPermutation(seed, nodes);
          expect(p.error, `${p.symmetry} at seed ${seed}`).toBeLessThanOrEqual(p.tolerance);
        }
        if (suite.checksLattice) {
          const l = await suite.checkLattice(seed, nodes);
          expect(l.error, `${l.symmetry} at seed ${seed}`).toBeLessThanOrEqual(l.tolerance);
        }
      }
      const mutants = await suite.mutants();
      expect(mutants.length).toBeGreaterThan(0);
      for (const m of mutants) {
        const r = await suite.checkMutant(m, [1, 2, 3, 4]);
        expect(r.caught, `mutant ${m.name}: largest error ${r.result.error}, tolerance ${r.result.tolerance}`).toBe(true);
      }
    }, 600_000);
  }
});
