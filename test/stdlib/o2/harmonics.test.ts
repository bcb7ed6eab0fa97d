// Circular harmonics: equivariant (Y(g v) = D(g) Y(v) for rotations and reflections, every
// frequency up to 8), normalized as documented, homogeneous of degree k without normalization,
// and the zero vector maps to zero in every frequency above 0.
import { describe, expect, it } from 'vitest';
import { Frequency, circularHarmonics, frequencyMatrix, randomO2 } from '../../../stdlib/groups/o2/index.js';
import { createRng } from '../../../stdlib/math/random.js';
import { maxAbsDiff } from './helpers.js';

const KS = [0, 1, 2, 3, 4, 5, 6, 7, 8];
const atom = (k: number) => (k === 0 ? new Frequency(0, 1) : new Frequency(k));

function blockApply(g: readonly number[], y: Float64Array): Float64Array {
  const out = new Float64Array(y.length);
  let o = 0;
  for (const k of KS) {
    const D = frequencyMatrix(atom(k), g);
    const d = k === 0 ? 1 : 2;
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) out[o + i] += D[i * d + j]! * y[o + j]!;
    o += d;
  }
  return out;
}

describe('circular harmonics', () => {
  it('are equivariant under rotations and reflections up to k = 8', () => {
    const rng = createRng(17);
    let worst = 0;
    for (let t = 0; t < 40; t++) {
      const v = [rng.normal(), rng.normal()];
      const g = randomO2(rng, t % 2 === 1);
      const gv = Float64Array.of(g[0]! * v[0]! + g[1]! * v[1]!, g[2]! * v[0]! + g[3]! * v[1]!);
      for (const normalize of [true, false]) {
        const lhs = circularHarmonics(KS, gv, { normalize });
        const rhs = blockApply(g, circularHarmonics(KS, Float64Array.from(v), { normalize }));
        worst = Math.max(worst, maxAbsDiff(lhs, rhs) / Math.max(1, ...Array.from(rhs, Math.abs)));
      }
    }
    expect(worst).toBeLessThan(1e-12);
  });

  it('component: each frequency has squared norm equal to its dimension; norm: 1; integral: unit L2 norm on the circle', () => {
    const v = Float64Array.of(0.6, -0.8);
    const norms = (y: Float64Array) => {
      const out: number[] = [];
      let o = 0;
      for (const k of KS) {
        const d = k === 0 ? 1 : 2;
        let s = 0;
        for (let i = 0; i < d; i++) s += y[o + i]! ** 2;
        out.push(s);
        o += d;
      }
      return out;
    };
    norms(circularHarmonics(KS, v)).forEach((s, i) => expect(s).toBeCloseTo(KS[i] === 0 ? 1 : 2, 13));
    norms(circularHarmonics(KS, v, { normalization: 'norm' })).forEach((s) => expect(s).toBeCloseTo(1, 13));
    // ∫_0^{2π} (√2 cos kφ / √(2π))² dφ = 1, by the midpoint rule on 64 angles (exact for k < 32).
    const n = 64;
    const angles = Float64Array.from({ length: 2 * n }, (_, i) => (i % 2 === 0 ? Math.cos : Math.sin)(((Math.floor(i / 2) + 0.5) * 2 * Math.PI) / n));
    const y = circularHarmonics([0, 3], angles, { normalization: 'integral' });
    for (let c = 0; c < 3; c++) {
      let s = 0;
      for (let r = 0; r < n; r++) s += y[r * 3 + c]! ** 2;
      expect((s * 2 * Math.PI) / n).toBeCloseTo(1, 12);
    }
  });

  it('match cos kφ and sin kφ, and r^k without normalization', () => {
    const phi = 0.7;
    const r = 1.9;
    const v = Float64Array.of(r * Math.cos(phi), r * Math.sin(phi));
    const y = circularHarmonics([0, 3], v, { normalization: 'norm' });
    expect(Array.from(y)).toEqual([1, expect.closeTo(Math.cos(3 * phi), 13), expect.closeTo(Math.sin(3 * phi), 13)]);
    const raw = circularHarmonics([3], v, { normalize: false, normalization: 'norm' });
    expect(raw[0]).toBeCloseTo(r ** 3 * Math.cos(3 * phi), 12);
    expect(raw[1]).toBeCloseTo(r ** 3 * Math.sin(3 * phi), 12);
  });

  it('map the zero vector to zero above frequency 0', () => {
    expect(Array.from(circularHarmonics([0, 1, 2], new Float64Array(2)))).toEqual([1, 0, 0, 0, 0]);
  });
});
