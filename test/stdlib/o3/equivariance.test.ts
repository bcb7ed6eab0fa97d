// The three bases agree with each other up to l = 16: harmonics rotate by the Wigner D matrices
// (and flip by parity under reflections), and the Clebsch-Gordan tables couple harmonics into
// harmonics. These are the identities a tensor-product network relies on.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sphericalHarmonics } from '../../../stdlib/groups/o3/sphericalHarmonics.js';
import { irrepD, irrepsD, randomRotation } from '../../../stdlib/groups/o3/rotations.js';
import { wigner3jSparse } from '../../../stdlib/groups/o3/wigner3j.js';
import { Irrep, Irreps } from '../../../stdlib/groups/o3/irreps.js';
import { createRng } from '../../../stdlib/math/random.js';
import { matmul } from '../../../stdlib/math/linalg.js';

const LMAX = 16;
const ALL = Array.from({ length: LMAX + 1 }, (_, l) => l);
const SH_IRREPS = Irreps.sphericalHarmonics(LMAX);

const coordinate = fc.double({ min: -4, max: 4, noNaN: true });
const vector = fc.tuple(coordinate, coordinate, coordinate).filter(([x, y, z]) => Math.hypot(x, y, z) > 1e-3);
const seed = fc.integer({ min: 0, max: 2 ** 31 - 1 });

/** max |a - b| / sqrt(2l+1) per degree: the error relative to |Y^l| = sqrt(2l+1) on the sphere. */
function worstPerDegree(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let l = 0; l <= LMAX; l++) {
    for (let i = l * l; i < (l + 1) * (l + 1); i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.sqrt(2 * l + 1));
  }
  return worst;
}

describe('harmonics and rotations', () => {
  it('D(R) Y(x) = Y(R x) for every l <= 16', () => {
    fc.assert(
      fc.property(vector, seed, (x, s) => {
        const R = randomRotation(createRng(s));
        const D = irrepsD(SH_IRREPS, R);
        const n = SH_IRREPS.dim;
        const rotated = sphericalHarmonics(ALL, [Array.from(matmul(R, x, 3, 3, 1))]);
        expect(worstPerDegree(matmul(D, sphericalHarmonics(ALL, [x]), n, n, 1), rotated)).toBeLessThan(1e-13);
      }),
      { numRuns: 60 },
    );
  });

  it('D(R) Y(x) = Y(R x) for improper R too, with Y^l of parity (-1)^l', () => {
    fc.assert(
      fc.property(vector, seed, (x, s) => {
        const R = Float64Array.from(randomRotation(createRng(s)), (v) => -v);
        const D = irrepsD(SH_IRREPS, R);
        const n = SH_IRREPS.dim;
        const reflected = sphericalHarmonics(ALL, [Array.from(matmul(R, x, 3, 3, 1))]);
        expect(worstPerDegree(matmul(D, sphericalHarmonics(ALL, [x]), n, n, 1), reflected)).toBeLessThan(1e-13);
        // With the wrong parity (all even), degree 1 would come out with the opposite sign.
        const wrong = irrepD(new Irrep(1, 1), R);
        const y1 = sphericalHarmonics(1, [x]);
        const r1 = sphericalHarmonics(1, [Array.from(matmul(R, x, 3, 3, 1))]);
        const w = matmul(wrong, y1, 3, 3, 1);
        expect(Math.max(...[0, 1, 2].map((i) => Math.abs(w[i]! + r1[i]!)))).toBeLessThan(1e-13);
      }),
      { numRuns: 30 },
    );
  });

  it('unnormalized harmonics rotate the same way', () => {
    const rng = createRng(21);
    for (let trial = 0; trial < 10; trial++) {
      const R = randomRotation(rng);
      const x = [rng.normal() * 2, rng.normal() * 2, rng.normal() * 2];
      const r = Math.hypot(...x);
      const D = irrepsD(SH_IRREPS, R);
      const n = SH_IRREPS.dim;
      const a = matmul(D, sphericalHarmonics(ALL, [x], { normalize: false }), n, n, 1);
      const b = sphericalHarmonics(ALL, [Array.from(matmul(R, x, 3, 3, 1))], { normalize: false });
      let worst = 0;
      for (let l = 0; l <= LMAX; l++) {
        for (let i = l * l; i < (l + 1) * (l + 1); i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / (Math.sqrt(2 * l + 1) * r ** l));
      }
      expect(worst).toBeLessThan(1e-13);
    }
  });
});

describe('harmonics and Clebsch-Gordan tables', () => {
  it('Y^(l+1)(x) = (2l+3)/sqrt(l+1) sum_jk C(l+1, l, 1)[i,j,k] Y^l_j(x) x_k on the unit sphere, l < 16', () => {
    fc.assert(
      fc.property(vector, (x) => {
        const r = Math.hypot(...x);
        const u = x.map((v) => v / r);
        for (let l = 0; l < LMAX; l++) {
          const yl = sphericalHarmonics(l, [u]);
          const next = sphericalHarmonics(l + 1, [u]);
          const { entries } = wigner3jSparse(l + 1, l, 1);
          const coupled = new Float64Array(2 * l + 3);
          for (let t = 0; t < entries.length; t += 4) coupled[entries[t]!] += entries[t + 3]! * yl[entries[t + 1]!]! * u[entries[t + 2]!]!;
          const c = (2 * l + 3) / Math.sqrt(l + 1);
          for (let i = 0; i < 2 * l + 3; i++) expect(Math.abs(next[i]! - c * coupled[i]!) / Math.sqrt(2 * l + 3)).toBeLessThan(1e-13);
        }
      }),
      { numRuns: 30 },
    );
  });

  it('the product of two harmonics projects onto harmonics: sum_ij C(l1,l2,l3)[i,j,k] Y^l1_i Y^l2_j is proportional to Y^l3 when l1+l2+l3 is even', () => {
    const rng = createRng(22);
    const xs = Array.from({ length: 4 }, () => [rng.normal(), rng.normal(), rng.normal()]);
    for (const [l1, l2, l3] of [
      [2, 3, 5],
      [4, 4, 2],
      [8, 7, 3],
      [16, 16, 16],
      [16, 10, 8],
      [9, 9, 0],
    ] as const) {
      const { entries } = wigner3jSparse(l1, l2, l3);
      // The ratio to Y^l3 must be one constant, the same for every component and every x.
      const ratios: number[] = [];
      for (const x of xs) {
        const y1 = sphericalHarmonics(l1, [x]);
        const y2 = sphericalHarmonics(l2, [x]);
        const y3 = sphericalHarmonics(l3, [x]);
        const coupled = new Float64Array(2 * l3 + 1);
        for (let t = 0; t < entries.length; t += 4) coupled[entries[t + 2]!] += entries[t + 3]! * y1[entries[t]!]! * y2[entries[t + 1]!]!;
        let num = 0;
        let den = 0;
        for (let k = 0; k <= 2 * l3; k++) {
          num += coupled[k]! * y3[k]!;
          den += y3[k]! * y3[k]!;
        }
        const ratio = num / den;
        for (let k = 0; k <= 2 * l3; k++) expect(Math.abs(coupled[k]! - ratio * y3[k]!)).toBeLessThan(1e-13);
        ratios.push(ratio);
      }
      expect(Math.abs(ratios[0]!)).toBeGreaterThan(1e-3);
      for (const r of ratios) expect(Math.abs(r - ratios[0]!)).toBeLessThan(1e-13);
    }
  });
});
