// The lattice-translation row of periodic suites: an atom moved by lattice vectors of its cell
// changes no output. The periodic-shift mutant (edge vectors without their shift·cell term) is
// still rotation-, translation- and permutation-equivariant, so the group and permutation rows
// pass it; only the lattice row catches it, which is why the row exists.

import { describe, expect, it } from 'vitest';
import { compile } from '../../../compiler/compile.js';
import { initialParams } from '../../../targets/io/params.js';
import { createSuite } from '../../../targets/suite/fromRegistry.js';
import { hasLattice } from '../../../targets/suite/symmetry.js';

describe('lattice translations in the suite', () => {
  const module = compile('examples/periodic.eqv').ir[0]!;
  const nonPeriodic = compile('examples/nequip_forces.eqv').ir[0]!;

  it('applies to models with positions and a cell only', () => {
    expect(hasLattice(module)).toBe(true);
    expect(hasLattice(nonPeriodic)).toBe(false);
  });

  it('passes the model, and catches the periodic-shift mutant that the group and permutation rows pass', async () => {
    const suite = await createSuite(module, { target: 'ref', params: initialParams(module, 0) });
    for (const seed of [1, 2]) expect((await suite.checkLattice(seed)).passed, `seed ${seed}`).toBe(true);
    const mutant = await suite.mutant('periodic-shift');
    expect(mutant.caughtBy).toBe('lattice');
    const mutantSuite = await createSuite(mutant.module, { target: 'ref', params: initialParams(module, 0) });
    for (const seed of [1, 2]) {
      expect((await mutantSuite.checkGroup(seed)).passed, `group, seed ${seed}`).toBe(true);
      expect((await mutantSuite.checkPermutation(seed)).passed, `permutation, seed ${seed}`).toBe(true);
    }
    const caught = await suite.checkMutant(mutant, [1, 2, 3, 4]);
    expect(caught.caught).toBe(true);
    expect(caught.result.symmetry).toBe('lattice vectors');
    expect(caught.result.error).toBeGreaterThan(100 * caught.result.tolerance);
  });
});
