// Picks the controls of a suite: per kind, the first candidate mutant that the suite can observe.
// A mutant that computes the same function as the model (an equivalent mutant: a flipped
// Clebsch-Gordan component later squared away by a norm, a rewrite of a value no output uses)
// cannot be caught by any test, so requiring it to be caught fails correct models. Each
// candidate is run on the float64 reference, on the inputs the mutant checks draw (seeds 1 to 4):
// - if its outputs equal the model's there (to 1e-9 relative), it is equivalent;
// - if the check that must catch it does not exceed MARGIN times the float32 tolerance on the
//   reference, it is too weak to be caught reliably by float32 targets (or it is equivariant);
// either way it is reported and the next candidate of its kind is tried.

import type { IRModule } from '../../ir/types.js';
import type { Runner } from '../target.js';
import { refTarget } from '../ref/index.js';
import type { ParamStore } from '../io/params.js';
import { createRng } from '../../stdlib/math/random.js';
import { type Mutant, mutantCandidates } from './mutants.js';
import { type CheckOptions, type ModelRun, checkFor, modelGroup } from './symmetry.js';
import { sampleBatch } from './sampleInputs.js';

/** The seeds every mutant is checked at (the generated suites and `eqvc test --mutate` use the same). */
export const MUTANT_SEEDS: readonly number[] = [1, 2, 3, 4];
/** How far over the float32 tolerance a chosen mutant's error must be on the reference. */
export const MARGIN = 4;
/** Outputs closer than this (relative) to the model's are the model's: the mutant is equivalent. */
const SAME = 1e-9;

export interface RejectedMutant {
  readonly mutant: Mutant;
  readonly reason: 'equivalent' | 'too weak';
  /**
   * For `equivalent`: the largest relative change of the outputs; for `too weak`: the largest
   * ratio of the reference's check error to the float32 tolerance (a chosen mutant exceeds MARGIN).
   */
  readonly measured: number;
}

export interface MutantChoice {
  readonly chosen: Mutant[];
  readonly rejected: RejectedMutant[];
}

function relativeChange(a: Map<string, Float64Array>, b: Map<string, Float64Array>): number {
  let diff = 0;
  let scale = 1e-6;
  for (const [name, x] of a) {
    const y = b.get(name);
    if (!y || y.length !== x.length) return Infinity;
    for (let i = 0; i < x.length; i++) {
      const d = Math.abs(x[i]! - y[i]!);
      diff = Number.isNaN(d) ? Infinity : Math.max(diff, d);
      scale = Math.max(scale, Math.abs(x[i]!));
    }
  }
  return diff / scale;
}

/**
 * One observable mutant per kind, on the reference with these weights; what was passed over and why.
 * The reference runner is taken from its target, not the registry, so that a page (the playground)
 * can choose mutants without loading every target.
 */
export async function chooseMutants(module: IRModule, params: ParamStore): Promise<MutantChoice> {
  const ref: Runner = refTarget.run!;
  const bind = (m: IRModule): ModelRun => (batch) => ref(m, batch, params, {});
  const group = modelGroup(module);
  const run = bind(module);
  const chosen: Mutant[] = [];
  const rejected: RejectedMutant[] = [];
  for (const mutant of mutantCandidates(module, group)) {
    if (chosen.some((m) => m.name === mutant.name)) continue;
    if (mutant.module !== module) {
      const mutantRun = bind(mutant.module);
      let change = 0;
      for (const seed of MUTANT_SEEDS) {
        const batch = sampleBatch(module, createRng(seed));
        change = Math.max(change, relativeChange(await run(batch), await mutantRun(batch)));
        if (change > SAME) break;
      }
      if (change <= SAME) {
        rejected.push({ mutant, reason: 'equivalent', measured: change });
        continue;
      }
    }
    // The check as the float32 targets make it, on exact arithmetic, with a margin for their rounding.
    const options: CheckOptions = { floatType: 'float32', ...(mutant.flippedParity ? { expectFlippedParity: mutant.flippedParity } : {}) };
    const mutantRun = bind(mutant.module);
    let worst = 0;
    for (const seed of MUTANT_SEEDS) {
      const r = await checkFor(mutant.caughtBy)(mutant.module, mutantRun, seed, options);
      worst = Math.max(worst, r.error / r.tolerance);
      if (worst > MARGIN) break;
    }
    if (worst > MARGIN) chosen.push(mutant);
    else rejected.push({ mutant, reason: 'too weak', measured: worst });
  }
  return { chosen, rejected };
}

/** One line per rejected candidate, for reports. */
export function describeRejected(r: RejectedMutant): string {
  return r.reason === 'equivalent'
    ? `equivalent (outputs change by ${r.measured.toExponential(1)} relative on the reference): ${r.mutant.description}`
    : `too weak (its largest error on the reference is ${r.measured.toPrecision(2)} times the float32 tolerance, under ${MARGIN}): ${r.mutant.description}`;
}
