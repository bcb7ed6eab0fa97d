// The irreducible real representations of O(2) and SO(2), indexed by a frequency k >= 0.
//
// SO(2): k = 0 is the trivial rep (dim 1); k >= 1 is the rotation by k·θ acting on
// (cos kφ, sin kφ) (dim 2). O(2) adds a reflection: k = 0 splits into the trivial `0e` and the
// sign (determinant) rep `0o`; each k >= 1 stays one 2-dim irrep, the reflection F = diag(1, -1)
// acting on it as diag(1, -1) too (escnn's (j = 1, k) irreps). There is no parity choice for
// k >= 1: the two conceivable ones are isomorphic (conjugate by the 90° rotation), so O(2)'s
// notation writes them as bare frequencies `1`, `2`, and only the scalars carry a letter.

import type { Atom } from '../rep.js';

export class Frequency implements Atom {
  /** The frequency k >= 0. */
  readonly k: number;
  /** For k = 0 only: +1 the trivial rep, -1 the sign rep (O(2)'s `0o`). Always +1 for k >= 1. */
  readonly sign: 1 | -1;
  /** Whether this is an irrep of O(2) (printed `0e`, `0o`, `1`) or of SO(2) (printed `0`, `1`). */
  readonly reflections: boolean;

  constructor(k: number, sign: 1 | -1 = 1, reflections = true) {
    if (!Number.isInteger(k) || k < 0) throw new RangeError(`a frequency is a whole number >= 0, got ${k}`);
    if (k > 0 && sign !== 1) throw new RangeError(`the 2-dimensional irrep of frequency ${k} has no sign variant`);
    if (!reflections && sign !== 1) throw new RangeError('SO(2) has no sign rep');
    this.k = k;
    this.sign = sign;
    this.reflections = reflections;
  }

  /** The irrep of frequency k of the same group (O(2) or SO(2)) as this one. */
  withK(k: number, sign: 1 | -1 = 1): Frequency {
    return new Frequency(k, sign, this.reflections);
  }

  get dim(): number {
    return this.k === 0 ? 1 : 2;
  }

  get key(): string {
    return this.k === 0 && this.reflections ? (this.sign === 1 ? '0e' : '0o') : String(this.k);
  }

  /** O(2)'s spelling `0e`, `0o`, `1`, `2`, ...; SO(2)'s `0`, `1`, `2`, ... */
  toString(): string {
    return this.key;
  }

}

/** Reads `0e`, `0o`, `k` (O(2)) or `k` (SO(2)) back; undefined for anything else. */
export function parseFrequency(text: string, reflections: boolean): Frequency | undefined {
  if (reflections) {
    if (text === '0e') return new Frequency(0, 1);
    if (text === '0o') return new Frequency(0, -1);
    return /^[1-9]\d*$/.test(text) ? new Frequency(Number(text)) : undefined;
  }
  return /^\d+$/.test(text) ? new Frequency(Number(text), 1, false) : undefined;
}

/** The canonical order: by frequency, the sign rep before the trivial one (as e3nn's 0o < 0e). */
export function compareFrequencies(a: Frequency, b: Frequency): number {
  return a.k - b.k || a.sign - b.sign;
}
