// `eqvc test FILE [--target T...] [--mutate]`: runs the model's equivariance suite (the checks
// the generated `<Model>.equivariance.test.ts` makes) in this process and prints, per target
// and symmetry, the largest relative error measured and the tolerance (a failure: the seed and
// graph sizes, and the command that replays it with --seed and --nodes); with --mutate, also
// whether each broken copy of the model is caught, and at which seed. Exit 1 if a check fails or a mutant escapes.

import { externalRunnerNames, getTarget, runnerNames } from '../targets/registry.js';
import { initialParams } from '../targets/io/params.js';
import type { EquivarianceSuite } from '../targets/suite/suite.js';
import { createSuite } from '../targets/suite/fromRegistry.js';
import { describeRejected } from '../targets/suite/chooseMutants.js';
import type { SymmetryResult } from '../targets/suite/symmetry.js';
import { compileModels } from './models.js';
import { type CliIO, EXIT_OK, EXIT_PROGRAM_ERRORS, UsageError } from './io.js';

export interface TestCliOptions {
  target?: string[];
  model?: string;
  mutate?: boolean;
  seeds: string;
  /** Replay one check: this seed only (what a failure prints). */
  seed?: string;
  /** With --seed: the nodes of each graph of the batch, comma-separated. */
  nodes?: string;
}

/** One check to run: a seed and, optionally, the batch's graph sizes. */
interface Case {
  readonly seed: number;
  readonly nodes?: readonly number[];
}

function replay(file: string, model: string | undefined, target: string, r: SymmetryResult): string {
  return `eqvc test ${file}${model ? ` --model ${model}` : ''} --target ${target} --seed ${r.seed} --nodes ${r.nodes.join(',')}`;
}

function line(r: SymmetryResult, replayCommand: string): string {
  const verdict = `${r.passed ? 'ok  ' : 'FAIL'} ${r.symmetry.padEnd(16)} error ${r.error.toExponential(2)}  tolerance ${r.tolerance.toExponential(1)}`;
  return r.passed ? verdict : `${verdict}  at seed ${r.seed}, nodes [${r.nodes.join(', ')}]; replay: ${replayCommand}`;
}

/**
 * The case a report shows: a failing one before any passing one, and among those the largest
 * error (NaN counts as the largest), so a failure names its worst seed, not its last.
 */
export function worstResult(rs: readonly SymmetryResult[]): SymmetryResult {
  const key = (r: SymmetryResult) => (Number.isNaN(r.error) ? Infinity : r.error);
  return rs.reduce((a, b) => (a.passed !== b.passed ? (b.passed ? a : b) : key(b) > key(a) ? b : a));
}

function parseCases(options: TestCliOptions): Case[] {
  const seeds = Number(options.seeds);
  if (!Number.isInteger(seeds) || seeds < 1) throw new UsageError(`--seeds must be a positive integer, got ${options.seeds}`);
  const nodes = options.nodes?.split(',').map((n) => Number(n.trim()));
  if (nodes && nodes.some((n) => !Number.isInteger(n) || n < 1)) throw new UsageError(`--nodes must list positive integers (nodes per graph), got ${options.nodes}`);
  if (options.seed !== undefined) {
    const seed = Number(options.seed);
    if (!Number.isInteger(seed) || seed < 0) throw new UsageError(`--seed must be a non-negative integer, got ${options.seed}`);
    return [{ seed, ...(nodes ? { nodes } : {}) }];
  }
  if (nodes) throw new UsageError('--nodes replays one check: give --seed too');
  // Seed 0 with one single-node graph (no edges anywhere) first, then random batches.
  return [{ seed: 0, nodes: [1] }, ...Array.from({ length: seeds }, (_, i) => ({ seed: i + 1 }))];
}

export async function runTest(file: string, options: TestCliOptions, io: CliIO): Promise<number> {
  const cases = parseCases(options);
  const targets = options.target && options.target.length > 0 ? options.target : runnerNames();
  const known = [...runnerNames(), ...externalRunnerNames()];
  for (const t of targets) if (!known.includes(t)) throw new UsageError(`unknown target ${t}; targets: ${known.join(', ')}`);
  const compiled = compileModels(file, options.model, io);
  if (!compiled) return EXIT_PROGRAM_ERRORS;
  let failed = false;
  for (const module of compiled.modules) {
    const params = initialParams(module, 0);
    for (const target of targets) {
      io.out(`${module.model} : ${module.group.name} on ${target}\n`);
      // A target that cannot run the module (wgsl and `grad`): skipped with the reason when it
      // came from the default list, an error when asked for by name.
      const refusal = getTarget(target)?.refuses?.(module);
      if (refusal) {
        if (options.target && options.target.length > 0) throw new UsageError(`cannot run target ${target}: ${refusal}`);
        io.out(`  skipped: ${refusal}\n`);
        continue;
      }
      let suite: EquivarianceSuite;
      try {
        suite = await createSuite(module, { target, params });
      } catch (e) {
        throw new UsageError(`cannot run target ${target}: ${(e as Error).message}`);
      }
      const worst = worstResult;
      const group: SymmetryResult[] = [];
      const perm: SymmetryResult[] = [];
      const lattice: SymmetryResult[] = [];
      const agree: SymmetryResult[] = [];
      for (const c of cases) {
        group.push(await suite.checkGroup(c.seed, c.nodes));
        if (suite.checksPermutations) perm.push(await suite.checkPermutation(c.seed, c.nodes));
        if (suite.checksLattice) lattice.push(await suite.checkLattice(c.seed, c.nodes));
        if (suite.checksAgreement) agree.push(await suite.checkAgreement(c.seed, c.nodes));
      }
      for (const r of [group, perm, lattice, agree].filter((rs) => rs.length > 0).map(worst)) {
        io.out(`  ${line(r, replay(file, compiled.modules.length > 1 ? module.model : undefined, target, r))}\n`);
        if (!r.passed) failed = true;
      }
      if (options.mutate) {
        const choice = await suite.mutantChoice();
        // Candidates that compute the model's own function cannot be caught: reported, replaced.
        for (const r of choice.rejected) io.out(`  skip mutant ${r.mutant.name.padEnd(20)} ${describeRejected(r)}\n`);
        for (const m of choice.chosen) {
          const r = await suite.checkMutant(m, [1, 2, 3, 4]);
          const where = `seed ${r.result.seed}, nodes [${r.result.nodes.join(', ')}]`;
          const verdict = r.caught
            ? `caught by ${r.result.symmetry}: error ${r.result.error.toExponential(2)} > tolerance ${r.result.tolerance.toExponential(1)} at ${where}`
            : `NOT caught by ${r.result.symmetry}: largest error ${r.result.error.toExponential(2)} (at ${where}) within tolerance ${r.result.tolerance.toExponential(1)}`;
          io.out(`  ${r.caught ? 'ok  ' : 'FAIL'} mutant ${m.name.padEnd(20)} ${verdict}\n         ${m.description}\n`);
          if (!r.caught) failed = true;
        }
      }
    }
  }
  return failed ? EXIT_PROGRAM_ERRORS : EXIT_OK;
}
