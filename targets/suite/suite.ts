// The equivariance suite of one model on one target: the symmetry checks and the controls
// (mutants that must be caught). Generated test files and `eqvc test` both run this, through
// createSuite (fromRegistry.ts), which finds the target's runner; the playground gives its own
// runner (WebGPU in the page) to withRunner, so this file does not load every target.

import type { IRModule } from '../../ir/types.js';
import type { Runner } from '../target.js';
import { refTarget } from '../ref/index.js';
import type { ParamStore } from '../io/params.js';
import { type CheckOptions, type FloatType, type ModelRun, type SymmetryResult, checkAgreement, checkFor, checkGroupAction, checkLatticeTranslation, checkPermutation, hasLattice, hasNodes } from './symmetry.js';
import type { Mutant } from './mutants.js';
import { type MutantChoice, chooseMutants, describeRejected } from './chooseMutants.js';

export interface SuiteOptions {
  readonly target: string;
  readonly params: ParamStore;
  /** tfjs backend and the like. */
  readonly backend?: string;
}

/** float64 for the reference evaluator, float32 for the others. */
export function floatTypeOf(target: string): FloatType {
  return target === 'ref' ? 'float64' : 'float32';
}

function bind(runner: Runner, module: IRModule, options: SuiteOptions): ModelRun {
  return (batch) => runner(module, batch, options.params, options.backend ? { backend: options.backend } : {});
}

export interface MutantResult {
  readonly mutant: Mutant;
  readonly caught: boolean;
  /** The check that caught it (or the largest error seen). */
  readonly result: SymmetryResult;
}

export class EquivarianceSuite {
  readonly floatType: FloatType;
  private readonly run: ModelRun;

  private constructor(
    readonly module: IRModule,
    readonly options: SuiteOptions,
    private readonly runner: Runner,
  ) {
    this.floatType = floatTypeOf(options.target);
    this.run = bind(runner, module, options);
  }

  /** The suite of `module` run by `runner` (the runner of `options.target`). */
  static withRunner(module: IRModule, options: SuiteOptions, runner: Runner): EquivarianceSuite {
    return new EquivarianceSuite(module, options, runner);
  }

  get groupName(): string {
    return this.module.group.name;
  }

  get checksPermutations(): boolean {
    return hasNodes(this.module);
  }

  private checkOptions(nodes?: readonly number[]): CheckOptions {
    return { floatType: this.floatType, ...(nodes ? { nodes } : {}) };
  }

  /** The group check at a seed; `nodes` (one size per graph) fixes the batch's shape. */
  checkGroup(seed: number, nodes?: readonly number[]): Promise<SymmetryResult> {
    return checkGroupAction(this.module, this.run, seed, this.checkOptions(nodes));
  }

  /** Whether this target computes what the reference computes (targets other than ref). */
  get checksAgreement(): boolean {
    return this.options.target !== 'ref';
  }

  /** The target's outputs against the float64 reference's, on the inputs of a seed. */
  checkAgreement(seed: number, nodes?: readonly number[]): Promise<SymmetryResult> {
    const ref: Runner = refTarget.run!;
    return checkAgreement(this.module, this.run, bind(ref, this.module, { target: 'ref', params: this.options.params }), seed, this.checkOptions(nodes));
  }

  checkPermutation(seed: number, nodes?: readonly number[]): Promise<SymmetryResult> {
    return checkPermutation(this.module, this.run, seed, this.checkOptions(nodes));
  }

  /** Whether atoms moved by lattice vectors are checked (models with positions and a cell, radius graph or given edges). */
  get checksLattice(): boolean {
    return hasLattice(this.module);
  }

  /** Every atom moved by random lattice vectors of its cell changes no output, at a seed. */
  checkLattice(seed: number, nodes?: readonly number[]): Promise<SymmetryResult> {
    return checkLatticeTranslation(this.module, this.run, seed, this.checkOptions(nodes));
  }

  private choice: Promise<MutantChoice> | undefined;

  /**
   * The controls: one observable mutant per kind (chooseMutants.ts), and the candidates passed
   * over as equivalent or too weak. Chosen on the reference with this suite's weights.
   */
  mutantChoice(): Promise<MutantChoice> {
    this.choice ??= chooseMutants(this.module, this.options.params);
    return this.choice;
  }

  async mutants(): Promise<Mutant[]> {
    return (await this.mutantChoice()).chosen;
  }

  async mutant(name: Mutant['name']): Promise<Mutant> {
    const choice = await this.mutantChoice();
    const m = choice.chosen.find((x) => x.name === name);
    if (m) return m;
    const passed = choice.rejected.filter((r) => r.mutant.name === name);
    throw new Error(`model ${this.module.model} has no observable ${name} mutant${passed.length > 0 ? `: ${passed.map(describeRejected).join('; ')}` : ''}`);
  }

  /** Whether the suite catches a mutant: some seed's check must fail. */
  async checkMutant(mutant: Mutant, seeds: readonly number[]): Promise<MutantResult> {
    const run = bind(this.runner, mutant.module, this.options);
    const options: CheckOptions = { floatType: this.floatType, ...(mutant.flippedParity ? { expectFlippedParity: mutant.flippedParity } : {}) };
    let worst: SymmetryResult | undefined;
    for (const seed of seeds) {
      const r = await checkFor(mutant.caughtBy)(mutant.module, run, seed, options);
      if (!worst || r.error > worst.error) worst = r;
      if (!r.passed) return { mutant, caught: true, result: r };
    }
    return { mutant, caught: false, result: worst! };
  }
}
