// SPHNet's learned path gates (sparse tensor products): path p's output is
// multiplied by gate[p] * mask[p]. A path's output is linear in its weights, so the gate is folded
// into those weights and every target runs the ungated kernel on the folded vector. The same fold
// is what `eqvc prune` writes into a pruned model's weights file, which is why pruned and gated
// outputs agree to rounding.

import type { TPPath } from '../../ir/types.js';

/** The weight vector with path p's weights times gate[p] * mask[p] (mask absent: all ones). */
export function foldPathGates(paths: readonly Pick<TPPath, 'weightOffset' | 'weightShape'>[], weights: ArrayLike<number>, gate: ArrayLike<number>, mask?: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(weights);
  paths.forEach((p, k) => {
    const g = gate[k]! * (mask ? mask[k]! : 1);
    const n = p.weightShape.reduce((a, b) => a * b, 1);
    for (let i = p.weightOffset; i < p.weightOffset + n; i++) out[i]! *= g;
  });
  return out;
}

/** For each weight entry, the index of the path that owns it (targets that gather gates per entry). */
export function weightPathIndex(paths: readonly TPPath[], weightNumel: number): Int32Array {
  const out = new Int32Array(weightNumel).fill(-1);
  paths.forEach((p, k) => {
    const n = p.weightShape.reduce((a, b) => a * b, 1);
    out.fill(k, p.weightOffset, p.weightOffset + n);
  });
  return out;
}

/**
 * The paths a mask keeps, and the weights of a pruned tensor product: the kept paths' folded
 * weights, in path order (their offsets close up, as the checker lays out `paths = [...]`).
 */
export function prunePaths(paths: readonly TPPath[], weights: ArrayLike<number>, gate: ArrayLike<number>, mask: ArrayLike<number>): { kept: number[]; weights: Float64Array } {
  const folded = foldPathGates(paths, weights, gate, mask);
  const kept: number[] = [];
  const parts: number[] = [];
  paths.forEach((p, k) => {
    if (mask[k] === 0 || gate[k] === 0) return;
    kept.push(k);
    const n = p.weightShape.reduce((a, b) => a * b, 1);
    for (let i = p.weightOffset; i < p.weightOffset + n; i++) parts.push(folded[i]!);
  });
  return { kept, weights: Float64Array.from(parts) };
}
