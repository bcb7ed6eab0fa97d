// `eqvc test FILE [--target T...] [--mutate]`: runs the model's equivariance suite (the checks
// the generated `<Model>.equivariance.test.ts` makes) in this process and prints, per target
// and symmetry, the largest relative error measured and the tolerance; with --mutate, also
// whether each broken copy of the model is caught. Exit 1 if a check fails or a mutant escapes.

import { runnerNames } from '../../targets/runners.js';
import { initialParams } from '../../targets/runtime/params.js';
import { EquivarianceSuite } from '../../targets/tests/suite.js';
import type { SymmetryResult } from '../../targets/tests/symmetry.js';
import { compileModels } from './build.js';
import { type CliIO, EXIT_OK, EXIT_PROGRAM_ERRORS, UsageError } from './io.js';

export interface TestCliOptions {
  target?: string[];
  model?: string;
  mutate?: boolean;
  seeds: string;
}

function line(r: SymmetryResult): string {
  return `${r.passed ? 'ok  ' : 'FAIL'} ${r.symmetry.padEnd(16)} error ${r.error.toExponential(2)}  tolerance ${r.tolerance.toExponential(0)}${r.passed ? '' : `  (seed ${r.seed})`}`;
}

export async function runTest(file: string, options: TestCliOptions, io: CliIO): Promise<number> {
  const seeds = Number(options.seeds);
  if (!Number.isInteger(seeds) || seeds < 1) throw new UsageError(`--seeds must be a positive integer, got ${options.seeds}`);
  const targets = options.target && options.target.length > 0 ? options.target : runnerNames();
  for (const t of targets) if (!runnerNames().includes(t)) throw new UsageError(`unknown target ${t}; targets: ${runnerNames().join(', ')}`);
  const compiled = compileModels(file, options.model, io);
  if (!compiled) return EXIT_PROGRAM_ERRORS;
  let failed = false;
  for (const module of compiled.modules) {
    const params = initialParams(module, 0);
    for (const target of targets) {
      io.out(`${module.model} : ${module.group.name} on ${target}\n`);
      let suite: EquivarianceSuite;
      try {
        suite = await EquivarianceSuite.create(module, { target, params });
      } catch (e) {
        throw new UsageError(`cannot run target ${target}: ${(e as Error).message}`);
      }
      const worst = (rs: SymmetryResult[]) => rs.reduce((a, b) => (b.error > a.error || !b.passed ? b : a));
      const group: SymmetryResult[] = [];
      const perm: SymmetryResult[] = [];
      for (let seed = 1; seed <= seeds; seed++) {
        group.push(await suite.checkGroup(seed));
        if (suite.checksPermutations) perm.push(await suite.checkPermutation(seed));
      }
      for (const r of perm.length > 0 ? [worst(group), worst(perm)] : [worst(group)]) {
        io.out(`  ${line(r)}\n`);
        if (!r.passed) failed = true;
      }
      if (options.mutate) {
        for (const m of suite.mutants()) {
          const r = await suite.checkMutant(m, [1, 2, 3, 4]);
          io.out(`  ${r.caught ? 'ok  ' : 'FAIL'} mutant ${m.name.padEnd(20)} ${r.caught ? 'caught' : 'NOT caught'}: error ${r.result.error.toExponential(2)} (${m.description})\n`);
          if (!r.caught) failed = true;
        }
      }
    }
  }
  return failed ? EXIT_PROGRAM_ERRORS : EXIT_OK;
}
