// The Clebsch-Gordan tables of O(3) in e3nn's real basis (e3nn's o3.wigner_3j): C[i, j, k] of
// shape (2l1+1, 2l2+1, 2l3+1), Frobenius norm 1, such that sum_ij C[i,j,k] x_i y_j transforms
// as l3 when x transforms as l1 and y as l2. Built as e3nn builds it,
//   C[a, b, c] = sum Q1[mu1, a] Q2[mu2, b] conj(Q3[mu3, c]) CG(mu1, mu2, mu3) / sqrt(2 l3 + 1),
// but with each complex coefficient exact (su2.ts) and the 1/sqrt2 factors of Q folded into it
// before rounding, so every entry is a sum of at most four float64s that are each within an ulp.

import type { Tensor } from '../group.js';
import { ClebschGordanTriple, sqrtOfRatio } from './su2.js';
import { powerOfMinusI } from './realBasis.js';

/** The non-zeros of a coupling table, as the IR carries them. */
export interface SparseCoupling {
  readonly shape: readonly [number, number, number];
  /** Flat [i, j, k, value, ...] for every |value| > 1e-15, sorted by (k, i, j). */
  readonly entries: readonly number[];
}

function checkTriple(l1: number, l2: number, l3: number): void {
  for (const l of [l1, l2, l3]) {
    if (!Number.isInteger(l) || l < 0) throw new RangeError(`wigner3j: degrees must be non-negative integers, got (${l1}, ${l2}, ${l3})`);
  }
  if (!(Math.abs(l1 - l2) <= l3 && l3 <= l1 + l2)) {
    throw new RangeError(`wigner3j: (${l1}, ${l2}, ${l3}) violates the triangle rule |l1 - l2| <= l3 <= l1 + l2`);
  }
}

// Q[mu, r] for mu = +-r, as the phase re + i im without its 1/sqrt2 or the global (-i)^l
// (see realBasis.ts); inlined here because the table loop below is the hot path.
function phaseRe(mu: number, r: number): number {
  if (r === 0) return 1;
  if (r > 0) return mu < 0 ? 1 : r % 2 === 0 ? 1 : -1;
  return 0;
}
function phaseIm(mu: number, r: number): number {
  if (r >= 0) return 0;
  return mu < 0 ? -1 : r % 2 === 0 ? 1 : -1;
}

// Scratch for the real and imaginary parts of one dense table, reused across triples: building
// every table up to l = 16 would otherwise allocate 160 MB.
let scratchRe = new Float64Array(0);
let scratchIm = new Float64Array(0);

function scratch(size: number): [Float64Array, Float64Array] {
  if (scratchRe.length < size) {
    scratchRe = new Float64Array(size);
    scratchIm = new Float64Array(size);
  }
  scratchRe.fill(0, 0, size);
  scratchIm.fill(0, 0, size);
  return [scratchRe, scratchIm];
}

/** Read the non-zeros of a dense (n1, n2, n3) table in (k, i, j) order. */
function nonZeros(l1: number, l2: number, l3: number, re: Float64Array, im: Float64Array): number[] {
  const n1 = 2 * l1 + 1;
  const n2 = 2 * l2 + 1;
  const n3 = 2 * l3 + 1;
  const entries: number[] = [];
  for (let k = 0; k < n3; k++) {
    for (let i = 0; i < n1; i++) {
      for (let j = 0; j < n2; j++) {
        const idx = (i * n2 + j) * n3 + k;
        if (Math.abs(im[idx]!) > 1e-12) throw new Error(`internal: wigner3j(${l1}, ${l2}, ${l3}) is not real (imaginary part ${im[idx]})`);
        const v = re[idx]!;
        if (Math.abs(v) > 1e-15) entries.push(i, j, k, v);
      }
    }
  }
  return entries;
}

/** The non-zeros for l1 <= l2, from the exact complex coefficients. */
function computeCanonical(l1: number, l2: number, l3: number): number[] {
  const n2 = 2 * l2 + 1;
  const n3 = 2 * l3 + 1;
  const cg = new ClebschGordanTriple(l1, l2, l3);
  // CG(-m1, -m2) = (-1)^(l1+l2-l3) CG(m1, m2): compute half, mirror the rest bit for bit so
  // that the real-basis sums cancel exactly where they should.
  const mirror = (l1 + l2 - l3) % 2 === 0 ? 1 : -1;
  const values = new Float64Array((2 * l1 + 1) * n2);
  for (let m1 = 0; m1 <= l1; m1++) {
    for (let m2 = m1 === 0 ? 0 : -l2; m2 <= l2; m2++) {
      if (Math.abs(m1 + m2) > l3) continue;
      const { sign, num, den } = cg.squared(m1, m2);
      if (sign === 0) continue;
      // One factor 1/sqrt2 of Q per non-zero m among (m1, m2, m3).
      const halvings = (m1 !== 0 ? 1 : 0) + (m2 !== 0 ? 1 : 0) + (m1 + m2 !== 0 ? 1 : 0);
      const v = sign * sqrtOfRatio(num, den << BigInt(halvings));
      values[(m1 + l1) * n2 + (m2 + l2)] = v;
      values[(-m1 + l1) * n2 + (-m2 + l2)] = mirror * v;
    }
  }

  const [gRe, gIm] = powerOfMinusI(l1 + l2 - l3);
  const [re, im] = scratch((2 * l1 + 1) * n2 * n3);
  for (let m1 = -l1; m1 <= l1; m1++) {
    for (let m2 = -l2; m2 <= l2; m2++) {
      const v = values[(m1 + l1) * n2 + (m2 + l2)]!;
      if (v === 0) continue;
      const m3 = m1 + m2;
      // The real indices that see (m1, m2, m3): r = +-m for each.
      for (let ta = 0; ta < (m1 === 0 ? 1 : 2); ta++) {
        const a = ta === 0 ? m1 : -m1;
        const p1r = phaseRe(m1, a);
        const p1i = phaseIm(m1, a);
        for (let tb = 0; tb < (m2 === 0 ? 1 : 2); tb++) {
          const b = tb === 0 ? m2 : -m2;
          const p2r = phaseRe(m2, b);
          const p2i = phaseIm(m2, b);
          const p12r = p1r * p2r - p1i * p2i;
          const p12i = p1r * p2i + p1i * p2r;
          for (let tc = 0; tc < (m3 === 0 ? 1 : 2); tc++) {
            const c = tc === 0 ? m3 : -m3;
            const p3r = phaseRe(m3, c);
            const p3i = phaseIm(m3, c);
            // p12 * conj(p3) * global phase
            const qr = p12r * p3r + p12i * p3i;
            const qi = p12i * p3r - p12r * p3i;
            const idx = ((a + l1) * n2 + (b + l2)) * n3 + (c + l3);
            re[idx] += (qr * gRe - qi * gIm) * v;
            im[idx] += (qr * gIm + qi * gRe) * v;
          }
        }
      }
    }
  }
  return nonZeros(l1, l2, l3, re, im);
}

const tables = new Map<string, SparseCoupling>();

function freeze(l1: number, l2: number, l3: number, entries: number[]): SparseCoupling {
  const shape = Object.freeze([2 * l1 + 1, 2 * l2 + 1, 2 * l3 + 1] as [number, number, number]);
  return Object.freeze({ shape, entries: Object.freeze(entries) });
}

function table(l1: number, l2: number, l3: number): SparseCoupling {
  const key = `${l1},${l2},${l3}`;
  let result = tables.get(key);
  if (result) return result;
  if (l1 <= l2) {
    result = freeze(l1, l2, l3, computeCanonical(l1, l2, l3));
  } else {
    // Swapping the two inputs transposes the table and multiplies it by (-1)^(l1+l2-l3), as
    // for the complex coefficients: Q1 and Q2 just trade places.
    const swapped = table(l2, l1, l3).entries;
    const sign = (l1 + l2 - l3) % 2 === 0 ? 1 : -1;
    const n1 = 2 * l1 + 1;
    const n2 = 2 * l2 + 1;
    const n3 = 2 * l3 + 1;
    const [re, im] = scratch(n1 * n2 * n3);
    for (let t = 0; t < swapped.length; t += 4) {
      re[(swapped[t + 1]! * n2 + swapped[t]!) * n3 + swapped[t + 2]!] = sign * swapped[t + 3]!;
    }
    result = freeze(l1, l2, l3, nonZeros(l1, l2, l3, re, im));
  }
  tables.set(key, result);
  return result;
}

/**
 * e3nn's wigner_3j(l1, l2, l3): the real coupling tensor, Frobenius norm 1. Computed once per
 * triple (the non-zeros are cached); each call returns a fresh dense copy. Throws a RangeError
 * for triples outside the triangle rule.
 */
export function wigner3j(l1: number, l2: number, l3: number): Tensor {
  checkTriple(l1, l2, l3);
  const { shape, entries } = table(l1, l2, l3);
  const [n1, n2, n3] = shape;
  const data = new Float64Array(n1 * n2 * n3);
  for (let t = 0; t < entries.length; t += 4) data[(entries[t]! * n2 + entries[t + 1]!) * n3 + entries[t + 2]!] = entries[t + 3]!;
  return { shape: [n1, n2, n3], data };
}

/** The non-zeros of wigner3j(l1, l2, l3), sorted by (k, i, j); cached and frozen. */
export function wigner3jSparse(l1: number, l2: number, l3: number): SparseCoupling {
  checkTriple(l1, l2, l3);
  return table(l1, l2, l3);
}
