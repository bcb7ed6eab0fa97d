import { describe, expect, it } from 'vitest';
import { wigner3j, wigner3jSparse } from '../../../stdlib/groups/o3/wigner3j.js';
import { matrixToAngles, randomRotation, wignerD } from '../../../stdlib/groups/o3/rotations.js';
import { createRng } from '../../../stdlib/math/random.js';
import { matmul } from '../../../stdlib/math/linalg.js';
import { fixture, flatten, worstError } from './fixture.js';

const LMAX = 16;

function* triples(lmax: number): Generator<[number, number, number]> {
  for (let l1 = 0; l1 <= lmax; l1++) {
    for (let l2 = 0; l2 <= lmax; l2++) {
      for (let l3 = Math.abs(l1 - l2); l3 <= Math.min(lmax, l1 + l2); l3++) yield [l1, l2, l3];
    }
  }
}

/** out_k = sum_ij C[i,j,k] x_i y_j, from the sparse entries. */
function couple(entries: readonly number[], n3: number, x: ArrayLike<number>, y: ArrayLike<number>): Float64Array {
  const out = new Float64Array(n3);
  for (let t = 0; t < entries.length; t += 4) out[entries[t + 2]!] += entries[t + 3]! * x[entries[t]!]! * y[entries[t + 1]!]!;
  return out;
}

describe('wigner3j against e3nn', () => {
  for (const e of fixture.wigner_3j.entries) {
    it(`C(${e.l1}, ${e.l2}, ${e.l3})`, () => {
      const C = wigner3j(e.l1, e.l2, e.l3);
      expect(C.shape).toEqual(e.shape);
      expect(worstError(C.data, flatten(e.data))).toBeLessThan(1e-12);
      expect(Math.hypot(...C.data)).toBeCloseTo(e.frobenius_norm, 14);
    });
  }
});

describe('wigner3j closed forms', () => {
  it('C(1,1,0) = I/sqrt3 and C(1,1,1) = eps/sqrt6', () => {
    const c110 = wigner3j(1, 1, 0).data;
    const c111 = wigner3j(1, 1, 1).data;
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        expect(c110[i * 3 + j]).toBeCloseTo(i === j ? 1 / Math.sqrt(3) : 0, 15);
        for (let k = 0; k < 3; k++) {
          const eps = (i - j) * (j - k) * (k - i) / 2; // Levi-Civita for indices 0..2
          expect(c111[(i * 3 + j) * 3 + k]).toBeCloseTo(eps / Math.sqrt(6), 15);
        }
      }
    }
  });

  it('C(0,l,l), C(l,0,l) and C(l,l,0) are I/sqrt(2l+1) for every l <= 16', () => {
    for (let l = 0; l <= LMAX; l++) {
      const n = 2 * l + 1;
      for (const [a, b, c] of [
        [0, l, l],
        [l, 0, l],
        [l, l, 0],
      ] as const) {
        const data = wigner3j(a, b, c).data;
        const expected = new Float64Array(n * n);
        for (let i = 0; i < n; i++) expected[i * n + i] = 1 / Math.sqrt(n);
        expect(worstError(data, expected)).toBeLessThan(1e-15);
      }
    }
  });

  it('rejects triples outside the triangle rule and bad degrees', () => {
    expect(() => wigner3j(1, 1, 3)).toThrow(RangeError);
    expect(() => wigner3j(5, 1, 3)).toThrow('violates the triangle rule');
    expect(() => wigner3j(-1, 1, 1)).toThrow(RangeError);
    expect(() => wigner3j(1.5, 1, 1)).toThrow(RangeError);
    expect(() => wigner3jSparse(0, 0, 1)).toThrow(RangeError);
  });

  it('returns a fresh dense copy each call', () => {
    const a = wigner3j(2, 2, 2);
    a.data[0] = 42;
    expect(wigner3j(2, 2, 2).data[0]).not.toBe(42);
  });
});

describe('wigner3jSparse', () => {
  it('lists every entry above 1e-15, sorted by (k, i, j), and nothing else', () => {
    for (const [l1, l2, l3] of [
      [1, 1, 1],
      [2, 3, 4],
      [7, 5, 3],
      [16, 16, 16],
      [16, 9, 8],
    ] as const) {
      const { shape, entries } = wigner3jSparse(l1, l2, l3);
      const dense = wigner3j(l1, l2, l3).data;
      expect(shape).toEqual([2 * l1 + 1, 2 * l2 + 1, 2 * l3 + 1]);
      const [, n2, n3] = shape;
      const rebuilt = new Float64Array(dense.length);
      let last = -1;
      for (let t = 0; t < entries.length; t += 4) {
        const [i, j, k, v] = [entries[t]!, entries[t + 1]!, entries[t + 2]!, entries[t + 3]!];
        const order = (k * shape[0] + i) * n2 + j;
        expect(order).toBeGreaterThan(last);
        last = order;
        expect(Math.abs(v)).toBeGreaterThan(1e-15);
        rebuilt[(i * n2 + j) * n3 + k] = v;
      }
      for (let t = 0; t < dense.length; t++) if (Math.abs(dense[t]!) <= 1e-15) dense[t] = 0;
      expect(rebuilt).toEqual(dense);
      expect(Object.isFrozen(entries)).toBe(true);
    }
  });

  it('is sparse: at most 8 real entries per complex coefficient', () => {
    // (16, 16, 16): |m1 + m2| <= 16 leaves 817 complex pairs, 8 real entries each at most.
    expect(wigner3jSparse(16, 16, 16).entries.length / 4).toBeLessThanOrEqual(8 * 817);
    expect(wigner3jSparse(16, 16, 16).entries.length / 4).toBeGreaterThan(817);
  });
});

describe('wigner3j properties for every triple up to l = 16', () => {
  it('builds every table up to l = 16 in seconds (before the other property tests reuse them)', () => {
    const start = performance.now();
    let count = 0;
    for (const [l1, l2, l3] of triples(LMAX)) {
      wigner3jSparse(l1, l2, l3);
      count++;
    }
    expect(count).toBe(2465);
    expect(performance.now() - start).toBeLessThan(10_000);
  });

  it('orthogonality: sum_ij C[i,j,k] C[i,j,k2] = delta / (2 l3 + 1)', () => {
    let worst = 0;
    for (const [l1, l2, l3] of triples(LMAX)) {
      const { shape, entries } = wigner3jSparse(l1, l2, l3);
      const n3 = shape[2];
      // Bucket the entries by (i, j); each bucket adds its outer product to the Gram matrix.
      const buckets = new Map<number, number[]>();
      for (let t = 0; t < entries.length; t += 4) {
        const key = entries[t]! * shape[1] + entries[t + 1]!;
        let b = buckets.get(key);
        if (!b) buckets.set(key, (b = []));
        b.push(entries[t + 2]!, entries[t + 3]!);
      }
      const gram = new Float64Array(n3 * n3);
      for (const b of buckets.values()) {
        for (let p = 0; p < b.length; p += 2) for (let q = 0; q < b.length; q += 2) gram[b[p]! * n3 + b[q]!] += b[p + 1]! * b[q + 1]!;
      }
      for (let k = 0; k < n3; k++) for (let k2 = 0; k2 < n3; k2++) worst = Math.max(worst, Math.abs(gram[k * n3 + k2]! * n3 - (k === k2 ? 1 : 0)));
    }
    expect(worst).toBeLessThan(1e-14);
  });

  it('equivariance: C(D1 x, D2 y) = D3 C(x, y) on random rotations and vectors', () => {
    const rng = createRng(20240601);
    let worst = 0;
    for (let trial = 0; trial < 3; trial++) {
      const angles = matrixToAngles(randomRotation(rng));
      const D = Array.from({ length: LMAX + 1 }, (_, l) => wignerD(l, ...angles));
      for (const [l1, l2, l3] of triples(LMAX)) {
        const [n1, n2, n3] = [2 * l1 + 1, 2 * l2 + 1, 2 * l3 + 1];
        const x = Float64Array.from({ length: n1 }, () => rng.normal());
        const y = Float64Array.from({ length: n2 }, () => rng.normal());
        const { entries } = wigner3jSparse(l1, l2, l3);
        const lhs = couple(entries, n3, matmul(D[l1]!, x, n1, n1, 1), matmul(D[l2]!, y, n2, n2, 1));
        const rhs = matmul(D[l3]!, couple(entries, n3, x, y), n3, n3, 1);
        const scale = Math.hypot(...x) * Math.hypot(...y);
        for (let k = 0; k < n3; k++) worst = Math.max(worst, Math.abs(lhs[k]! - rhs[k]!) / scale);
      }
    }
    expect(worst).toBeLessThan(1e-13);
  });

  it('is the full 3-tensor: the contraction with the full product D1 x D2 matches D3 (l = 16, 15, 14)', () => {
    const rng = createRng(7);
    const angles = matrixToAngles(randomRotation(rng));
    const [l1, l2, l3] = [16, 15, 14];
    const [n1, n2, n3] = [33, 31, 29];
    const C = wigner3j(l1, l2, l3).data;
    const D1 = wignerD(l1, ...angles);
    const D2 = wignerD(l2, ...angles);
    const D3 = wignerD(l3, ...angles);
    // (D1 (x) D2) C, one index at a time, against C D3.
    const t1 = matmul(D1, C, n1, n1, n2 * n3);
    const t2 = new Float64Array(n1 * n2 * n3);
    for (let a = 0; a < n1; a++) t2.set(matmul(D2, t1.subarray(a * n2 * n3, (a + 1) * n2 * n3), n2, n2, n3), a * n2 * n3);
    expect(worstError(t2, matmul(C, D3, n1 * n2, n3, n3))).toBeLessThan(1e-14);
  });
});
