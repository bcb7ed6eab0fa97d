// The generated equivariance suite, run in the page: the same checks and controls the generated
// test files run (targets/suite/), without vitest. Seeds as in `eqvc test`: seed 0 on a single
// one-node graph first, then random batches; each symmetry's worst case is reported; every
// chosen mutant must be caught at one of seeds 1 to 4 (MUTANT_SEEDS).

import type { IRModule } from '../../ir/types.js';
import { initialParams } from '../../targets/io/params.js';
import type { Runner } from '../../targets/target.js';
import { EquivarianceSuite, type MutantResult } from '../../targets/suite/suite.js';
import { MUTANT_SEEDS, describeRejected } from '../../targets/suite/chooseMutants.js';
import type { SymmetryResult } from '../../targets/suite/symmetry.js';

export interface SuiteReport {
  readonly symmetries: readonly SymmetryResult[];
  readonly mutants: readonly MutantResult[];
  /** Candidates passed over (equivalent or too weak), one line each. */
  readonly skipped: readonly string[];
}

const CASES: readonly { seed: number; nodes?: number[] }[] = [{ seed: 0, nodes: [1] }, { seed: 1 }, { seed: 2 }];

function worst(rs: readonly SymmetryResult[]): SymmetryResult {
  return rs.reduce((a, b) => (b.error > a.error || !Number.isFinite(b.error) ? b : a));
}

export async function runSuite(module: IRModule, target: 'wgsl' | 'ref', runner: Runner, progress: (what: string) => void): Promise<SuiteReport> {
  const suite = EquivarianceSuite.withRunner(module, { target, params: initialParams(module, 0) }, runner);
  const group: SymmetryResult[] = [];
  const perm: SymmetryResult[] = [];
  const lattice: SymmetryResult[] = [];
  const agree: SymmetryResult[] = [];
  for (const c of CASES) {
    progress(`${suite.groupName}, seed ${c.seed}`);
    group.push(await suite.checkGroup(c.seed, c.nodes));
    if (suite.checksPermutations) perm.push(await suite.checkPermutation(c.seed, c.nodes));
    if (suite.checksLattice) lattice.push(await suite.checkLattice(c.seed, c.nodes));
    if (suite.checksAgreement) agree.push(await suite.checkAgreement(c.seed, c.nodes));
  }
  const symmetries = [group, perm, lattice, agree].filter((rs) => rs.length > 0).map(worst);
  progress('choosing the mutants on the reference');
  const choice = await suite.mutantChoice();
  const mutants: MutantResult[] = [];
  for (const m of choice.chosen) {
    progress(`mutant ${m.name}`);
    mutants.push(await suite.checkMutant(m, MUTANT_SEEDS));
  }
  return { symmetries, mutants, skipped: choice.rejected.map(describeRejected) };
}
