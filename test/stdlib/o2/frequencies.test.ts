// O(2)/SO(2) irreps: notation, dimensions, order, and the matrices of every irrep, which must
// form a representation (D(g h) = D(g) D(h)) with the vector irrep equal to the element itself.
import { describe, expect, it } from 'vitest';
import { Frequency, compareFrequencies, frequencyMatrix, o2Angle, o2Matrix, parseFrequency, randomO2 } from '../../../stdlib/groups/o2/index.js';
import { E2, O2, SE2, SO2 } from '../../../stdlib/groups/o2/index.js';
import { createRng } from '../../../stdlib/math/random.js';
import { matmul, maxAbsDiff } from './helpers.js';

const O2_ATOMS = [new Frequency(0, 1), new Frequency(0, -1), ...[1, 2, 3, 4, 5, 6].map((k) => new Frequency(k))];

describe('frequencies', () => {
  it('are written 0e, 0o, 1, 2 in O(2) and 0, 1, 2 in SO(2), and read back', () => {
    expect(O2_ATOMS.map(String)).toEqual(['0e', '0o', '1', '2', '3', '4', '5', '6']);
    expect(new Frequency(0, 1, false).toString()).toBe('0');
    for (const f of O2_ATOMS) expect(parseFrequency(f.key, true)!.key).toBe(f.key);
    expect(parseFrequency('3', false)!.key).toBe('3');
    expect(parseFrequency('0', true)).toBeUndefined();
    expect(parseFrequency('1o', true)).toBeUndefined();
    expect(parseFrequency('0e', false)).toBeUndefined();
  });

  it('have dimension 1 at frequency 0 and 2 above', () => {
    expect(O2_ATOMS.map((f) => f.dim)).toEqual([1, 1, 2, 2, 2, 2, 2, 2]);
  });

  it('sort by frequency, the sign rep before the trivial one', () => {
    const sorted = [new Frequency(2), new Frequency(0, 1), new Frequency(1), new Frequency(0, -1)].sort(compareFrequencies);
    expect(sorted.map(String)).toEqual(['0o', '0e', '1', '2']);
  });

  it('reject negative frequencies and a sign on a 2-dimensional irrep', () => {
    expect(() => new Frequency(-1)).toThrow(RangeError);
    expect(() => new Frequency(2, -1)).toThrow(RangeError);
    expect(() => new Frequency(0, -1, false)).toThrow(RangeError);
  });
});

describe('O(2) elements and irrep matrices', () => {
  it('read (θ, reflection) back from the matrix', () => {
    for (const [theta, reflect] of [[0.3, false], [-2.5, true], [3.0, true]] as const) {
      const a = o2Angle(o2Matrix(theta, reflect));
      expect(a.reflect).toBe(reflect);
      expect(a.theta).toBeCloseTo(theta, 12);
    }
  });

  it('the vector irrep is the element itself, the sign rep its determinant', () => {
    const rng = createRng(3);
    for (let t = 0; t < 10; t++) {
      const g = randomO2(rng);
      expect(maxAbsDiff(frequencyMatrix(new Frequency(1), g), g)).toBeLessThan(1e-15);
      const det = g[0]! * g[3]! - g[1]! * g[2]!;
      expect(frequencyMatrix(new Frequency(0, -1), g)[0]).toBeCloseTo(det, 14);
    }
  });

  it('every irrep up to k = 6 is a homomorphism: D(g h) = D(g) D(h), orthogonal', () => {
    const rng = createRng(11);
    let worst = 0;
    for (let t = 0; t < 20; t++) {
      const g = randomO2(rng);
      const h = randomO2(rng);
      const gh = Array.from(matmul(g, h, 2, 2, 2));
      for (const f of O2_ATOMS) {
        const d = f.dim;
        const lhs = frequencyMatrix(f, gh);
        const rhs = matmul(frequencyMatrix(f, g), frequencyMatrix(f, h), d, d, d);
        worst = Math.max(worst, maxAbsDiff(lhs, rhs));
        const D = frequencyMatrix(f, g);
        const DtD = matmul(Array.from({ length: d * d }, (_, i) => D[(i % d) * d + Math.floor(i / d)]!), D, d, d, d);
        worst = Math.max(worst, maxAbsDiff(DtD, d === 1 ? [1] : [1, 0, 0, 1]));
      }
    }
    expect(worst).toBeLessThan(1e-12);
  });

  it('the plugins sample the components they promise', () => {
    const rng = createRng(5);
    const det = (r: readonly number[]) => r[0]! * r[3]! - r[1]! * r[2]!;
    expect(O2.components).toBe(2);
    expect(SO2.components).toBe(1);
    expect(det(O2.sample(rng, 1).rotation!)).toBeCloseTo(-1, 12);
    expect(det(O2.sample(rng, 0).rotation!)).toBeCloseTo(1, 12);
    for (let t = 0; t < 20; t++) expect(det(SE2.sample(rng).rotation!)).toBeCloseTo(1, 12);
    expect(E2.sample(rng).translation).toHaveLength(2);
    expect(O2.sample(rng).translation).toBeUndefined();
    expect(E2.space).toMatchObject({ dim: 2, translations: true });
    expect(E2.notation.formatAtom(E2.space!.vector)).toBe('1');
  });

  it('SO(2) has two equivariant maps k -> k (I and the 90° rotation), O(2) one', () => {
    const rng = createRng(8);
    const k2 = new Frequency(2, 1, false);
    const maps = SO2.equivariantMaps(k2, k2);
    expect(maps).toHaveLength(2);
    for (let t = 0; t < 5; t++) {
      const g = SO2.sample(rng);
      const D = SO2.atomMatrix(k2, g);
      for (const m of maps) expect(maxAbsDiff(matmul(m.data, D, 2, 2, 2), matmul(D, m.data, 2, 2, 2))).toBeLessThan(1e-14);
    }
    expect(O2.equivariantMaps(new Frequency(2), new Frequency(2))).toHaveLength(1);
    expect(O2.equivariantMaps(new Frequency(0, 1), new Frequency(0, -1))).toHaveLength(0);
    expect(O2.explainNoMap!(new Frequency(0, 1), new Frequency(0, -1))).toContain('reflections');
  });
});
