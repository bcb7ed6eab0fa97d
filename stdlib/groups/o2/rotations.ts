// Elements of O(2) as 2x2 matrices g = rot(θ) · F^r (F = diag(1, -1), r ∈ {0, 1}) and the
// matrices of every irrep at g, in the bases the coupling tensors and circular harmonics use:
// frequency k acts on (cos kφ, sin kφ) by rot(kθ) · F^r; the sign rep by det g = (-1)^r.

import type { Rng } from '../../math/random.js';
import { Frequency } from './irreps.js';

/** rot(θ) · F^r, row-major 2x2. */
export function o2Matrix(theta: number, reflect: boolean): number[] {
  const c = Math.cos(theta);
  const s = Math.sin(theta);
  return reflect ? [c, s, s, -c] : [c, -s, s, c];
}

/** (θ, reflect) of an orthogonal 2x2 matrix: the first column is (cos θ, sin θ) in both cases. */
export function o2Angle(m: readonly number[]): { theta: number; reflect: boolean } {
  if (m.length !== 4) throw new RangeError(`an element of O(2) is a 2x2 matrix (4 numbers), got ${m.length}`);
  const det = m[0]! * m[3]! - m[1]! * m[2]!;
  return { theta: Math.atan2(m[2]!, m[0]!), reflect: det < 0 };
}

/** The irrep's matrix at g (dim x dim, row-major). */
export function frequencyMatrix(f: Frequency, m: readonly number[]): Float64Array {
  const { theta, reflect } = o2Angle(m);
  if (f.k === 0) return Float64Array.of(f.sign === -1 && reflect ? -1 : 1);
  return Float64Array.from(o2Matrix(f.k * theta, reflect));
}

/** A Haar-random element: θ uniform in [0, 2π); reflected with probability 1/2 unless `reflect` is given. */
export function randomO2(rng: Rng, reflect?: boolean): number[] {
  const theta = 2 * Math.PI * rng.uniform();
  return o2Matrix(theta, reflect ?? rng.uniform() < 0.5);
}
