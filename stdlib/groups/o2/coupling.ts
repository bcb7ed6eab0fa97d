// Tensor products of O(2) and SO(2) irreps: selection rules and exact coupling tensors.
//
// Write a frequency-k irrep as the complex number z = x + i·y; a rotation by θ multiplies it by
// e^{ikθ} and the reflection F conjugates it. Then z1·z2 has frequency k1 + k2 and z1·conj(z2)
// frequency k1 - k2 (conj(z1)·z2 when k2 > k1); both commute with conjugation, so the same
// real and imaginary parts couple in O(2) and SO(2). For k1 = k2 the product z1·conj(z2) is
// invariant under rotations: its real part (the dot product) is the trivial rep, its imaginary
// part (the 2D cross product u1·v2 - u2·v1) changes sign under F, so it is O(2)'s `0o` and, in
// SO(2), a second copy of the trivial rep. SO(2)'s k ⊗ k = 0 ⊕ 0 ⊕ 2k therefore lists the
// trivial rep twice, and `coupling(a, b, c, channel)` tells the copies apart (channel 0: dot,
// channel 1: cross). Every tensor is real with Frobenius norm 1.

import { MAX_DEGREE } from '../../limits.js';
import type { ProductRule, Tensor } from '../group.js';
import { Frequency } from './irreps.js';

const H = Math.SQRT1_2;

function tensor(d1: number, d2: number, d3: number, entries: readonly (readonly [number, number, number, number])[]): Tensor {
  const data = new Float64Array(d1 * d2 * d3);
  for (const [i, j, k, v] of entries) data[(i * d2 + j) * d3 + k] = v;
  return { shape: [d1, d2, d3], data };
}

/** The atoms of a ⊗ b in canonical order; SO(2) lists the trivial rep twice for k ⊗ k, k >= 1. */
export function frequencyProducts(a: Frequency, b: Frequency): Frequency[] {
  if (a.k === 0 && b.k === 0) return [a.withK(0, (a.sign * b.sign) as 1 | -1)];
  if (a.k === 0) return [b];
  if (b.k === 0) return [a];
  const sum = a.withK(a.k + b.k);
  if (a.k !== b.k) return [a.withK(Math.abs(a.k - b.k)), sum];
  return a.reflections ? [a.withK(0, -1), a.withK(0, 1), sum] : [a.withK(0), a.withK(0), sum];
}

/**
 * C[i, j, k] for a ⊗ b -> c. In O(2) `channel` is always 0; in SO(2) channel 1 of k ⊗ k -> 0 is
 * the cross product (what O(2) calls 0o). Throws when c is not in a ⊗ b.
 */
export function frequencyCoupling(a: Frequency, b: Frequency, c: Frequency, channel = 0): Tensor {
  const found = frequencyProducts(a, b).filter((x) => x.key === c.key).length;
  if (channel < 0 || channel >= found) throw new RangeError(`${c} is not (channel ${channel}) in ${a} x ${b}`);
  const [d1, d2, d3] = [a.dim, b.dim, c.dim];
  if (a.k === 0 && b.k === 0) return tensor(1, 1, 1, [[0, 0, 0, 1]]);
  if (a.k === 0) {
    // A scalar times a 2-vector; the sign rep turns it by 90° (J = [[0, -1], [1, 0]] anticommutes with F).
    if (a.sign === 1) return tensor(1, 2, 2, [[0, 0, 0, H], [0, 1, 1, H]]);
    return tensor(1, 2, 2, [[0, 1, 0, -H], [0, 0, 1, H]]);
  }
  if (b.k === 0) {
    if (b.sign === 1) return tensor(2, 1, 2, [[0, 0, 0, H], [1, 0, 1, H]]);
    return tensor(2, 1, 2, [[1, 0, 0, -H], [0, 0, 1, H]]);
  }
  if (c.k === a.k + b.k) {
    // z1 z2 = (u1 v1 - u2 v2) + i (u1 v2 + u2 v1)
    return tensor(d1, d2, d3, [[0, 0, 0, 0.5], [1, 1, 0, -0.5], [0, 1, 1, 0.5], [1, 0, 1, 0.5]]);
  }
  if (c.k === 0) {
    const cross = c.reflections ? c.sign === -1 : channel === 1;
    // dot: (u1 v1 + u2 v2) / sqrt 2; cross: (u1 v2 - u2 v1) / sqrt 2
    return cross ? tensor(2, 2, 1, [[0, 1, 0, H], [1, 0, 0, -H]]) : tensor(2, 2, 1, [[0, 0, 0, H], [1, 1, 0, H]]);
  }
  if (a.k > b.k) {
    // z1 conj(z2) = (u1 v1 + u2 v2) + i (u2 v1 - u1 v2)
    return tensor(2, 2, 2, [[0, 0, 0, 0.5], [1, 1, 0, 0.5], [1, 0, 1, 0.5], [0, 1, 1, -0.5]]);
  }
  // conj(z1) z2 = (u1 v1 + u2 v2) + i (u1 v2 - u2 v1)
  return tensor(2, 2, 2, [[0, 0, 0, 0.5], [1, 1, 0, 0.5], [0, 1, 1, 0.5], [1, 0, 1, -0.5]]);
}

const words: Record<string, string> = {
  '1,1,0e': 'the dot product of two vectors',
  '1,1,0o': 'the 2D cross product of two vectors (a pseudoscalar)',
  '0o,1,1': 'a pseudoscalar times a vector, turned by 90°',
  '1,0o,1': 'a vector times a pseudoscalar, turned by 90°',
};

export function frequencyProductRule(reflections: boolean): ProductRule<Frequency> {
  return {
    products: (a, b) => frequencyProducts(a, b),
    coupling: (a, b, c, channel = 0) => frequencyCoupling(a, b, c, channel),
    bound: (a, b) => (a.k + b.k > MAX_DEGREE ? { code: 'E1201', message: `frequency ${a.k} ⊗ frequency ${b.k} reaches frequency ${a.k + b.k}, above the limit of ${MAX_DEGREE}` } : undefined),
    describeProduct: (a, b, c) => (reflections ? words[`${a},${b},${c}`] : a.k === 1 && b.k === 1 && c.k === 0 ? 'the dot and the 2D cross product of two vectors' : undefined),
  };
}
