// Tensor products of O(2) and SO(2) irreps up to frequency 6: every coupling tensor is real with
// Frobenius norm 1 and equivariant, C (D1 ⊗ D2) = D3 C at random elements (reflections
// included for O(2)); and the couplings of one product, channels included, together form an
// orthogonal change of basis of the whole a ⊗ b (so the selection rules miss nothing).
import { describe, expect, it } from 'vitest';
import { Frequency, frequencyCoupling, frequencyProducts, randomO2, frequencyMatrix } from '../../../stdlib/groups/o2/index.js';
import { createRng } from '../../../stdlib/math/random.js';
import { frobenius, kron, matmul, maxAbsDiff } from './helpers.js';

const KMAX = 6;
const o2Atoms = [new Frequency(0, 1), new Frequency(0, -1), ...Array.from({ length: KMAX }, (_, i) => new Frequency(i + 1))];
const so2Atoms = Array.from({ length: KMAX + 1 }, (_, k) => new Frequency(k, 1, false));

/** M (d3 x d1*d2): out_k = sum_ij C[i, j, k] x_i y_j as a matrix on vec(x ⊗ y). */
function asMap(a: Frequency, b: Frequency, c: Frequency, channel: number): Float64Array {
  const C = frequencyCoupling(a, b, c, channel).data;
  const [d1, d2, d3] = [a.dim, b.dim, c.dim];
  const M = new Float64Array(d3 * d1 * d2);
  for (let i = 0; i < d1; i++) for (let j = 0; j < d2; j++) for (let k = 0; k < d3; k++) M[k * d1 * d2 + i * d2 + j] = C[(i * d2 + j) * d3 + k]!;
  return M;
}

/** Every (c, channel) of a ⊗ b. */
function paths(a: Frequency, b: Frequency): { c: Frequency; channel: number }[] {
  const seen = new Map<string, number>();
  return frequencyProducts(a, b).map((c) => {
    const channel = seen.get(c.key) ?? 0;
    seen.set(c.key, channel + 1);
    return { c, channel };
  });
}

describe.each([
  ['O(2)', o2Atoms, true],
  ['SO(2)', so2Atoms, false],
] as const)('%s products up to k = 6', (_name, atoms, reflections) => {
  it('follow the selection rules |k1 - k2| and k1 + k2', () => {
    for (const a of atoms) for (const b of atoms) {
      const ks = frequencyProducts(a, b).map((c) => c.k);
      if (a.k === 0 || b.k === 0) expect(ks).toEqual([a.k + b.k]);
      else if (a.k === b.k) expect(ks).toEqual([0, 0, 2 * a.k]);
      else expect(ks).toEqual([Math.abs(a.k - b.k), a.k + b.k]);
      expect(frequencyProducts(a, b).reduce((s, c) => s + c.dim, 0)).toBe(a.dim * b.dim);
    }
  });

  it('have coupling tensors of Frobenius norm 1 that are equivariant', () => {
    const rng = createRng(21);
    const elements = Array.from({ length: 6 }, (_, t) => randomO2(rng, reflections ? t % 2 === 1 : false));
    let worst = 0;
    for (const a of atoms) for (const b of atoms) for (const { c, channel } of paths(a, b)) {
      expect(frobenius(frequencyCoupling(a, b, c, channel).data)).toBeCloseTo(1, 14);
      const M = asMap(a, b, c, channel);
      const n = a.dim * b.dim;
      for (const g of elements) {
        const D12 = kron(frequencyMatrix(a, g), a.dim, frequencyMatrix(b, g), b.dim);
        worst = Math.max(worst, maxAbsDiff(matmul(M, D12, c.dim, n, n), matmul(frequencyMatrix(c, g), M, c.dim, c.dim, n)));
      }
    }
    expect(worst).toBeLessThan(1e-12);
  });

  it('together form an orthogonal change of basis of a ⊗ b (channels orthogonal)', () => {
    let worst = 0;
    for (const a of atoms) for (const b of atoms) {
      const n = a.dim * b.dim;
      const rows: Float64Array[] = [];
      for (const { c, channel } of paths(a, b)) {
        // Rows of each map have norm 1/sqrt(dim c): rescale them to an orthonormal set.
        const M = asMap(a, b, c, channel);
        for (let k = 0; k < c.dim; k++) rows.push(M.subarray(k * n, (k + 1) * n).map((v) => v * Math.sqrt(c.dim)));
      }
      expect(rows.length).toBe(n);
      for (let p = 0; p < n; p++) for (let q = 0; q < n; q++) {
        let dot = 0;
        for (let t = 0; t < n; t++) dot += rows[p]![t]! * rows[q]![t]!;
        worst = Math.max(worst, Math.abs(dot - (p === q ? 1 : 0)));
      }
    }
    expect(worst).toBeLessThan(1e-14);
  });
});

describe('the products that name geometry', () => {
  it('O(2): 1 x 1 -> 0e is the dot product, -> 0o the 2D cross product', () => {
    const v = new Frequency(1);
    const [u, w] = [[0.3, -1.2], [2.0, 0.7]] as const;
    const apply = (c: Frequency) => {
      const C = frequencyCoupling(v, v, c).data;
      let s = 0;
      for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) s += C[i * 2 + j]! * u[i]! * w[j]!;
      return s;
    };
    expect(apply(new Frequency(0, 1))).toBeCloseTo((u[0] * w[0] + u[1] * w[1]) / Math.SQRT2, 14);
    expect(apply(new Frequency(0, -1))).toBeCloseTo((u[0] * w[1] - u[1] * w[0]) / Math.SQRT2, 14);
  });

  it('SO(2): the two trivial channels of 1 x 1 are the dot and the cross product; channel 2 does not exist', () => {
    const v = new Frequency(1, 1, false);
    const s = new Frequency(0, 1, false);
    expect(Array.from(frequencyCoupling(v, v, s, 0).data)).toEqual([Math.SQRT1_2, 0, 0, Math.SQRT1_2]);
    expect(Array.from(frequencyCoupling(v, v, s, 1).data)).toEqual([0, Math.SQRT1_2, -Math.SQRT1_2, 0]);
    expect(() => frequencyCoupling(v, v, s, 2)).toThrow(RangeError);
    expect(() => frequencyCoupling(v, v, new Frequency(1, 1, false))).toThrow(RangeError);
  });
});
