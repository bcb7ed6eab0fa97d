import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sphericalHarmonics, sphericalHarmonicsInto, sphericalHarmonicsIrreps } from '../../../stdlib/groups/o3/sphericalHarmonics.js';
import { Irreps, IrrepsError } from '../../../stdlib/groups/o3/irreps.js';
import { createRng } from '../../../stdlib/math/random.js';
import { fixture, flatten, worstError } from './fixture.js';

const sh = fixture.spherical_harmonics;
const LMAX = 16;

describe('spherical harmonics against e3nn', () => {
  for (const c of sh.cases) {
    const options = { normalize: c.normalize, normalization: c.normalization };
    it(`${c.vectors}, normalize=${c.normalize}, ${c.normalization}`, () => {
      const vectors = sh[c.vectors];
      for (const [l, expected] of Object.entries(c.per_l)) {
        expect(worstError(sphericalHarmonics(Number(l), vectors, options), flatten(expected))).toBeLessThan(1e-12);
      }
      expect(worstError(sphericalHarmonics([0, 1, 2, 3, 4], vectors, options), flatten(c.lmax4_concat))).toBeLessThan(1e-12);
      expect(worstError(sphericalHarmonics('1x0e+1x1o+1x2e+1x3o+1x4e', vectors, options), flatten(c.lmax4_concat))).toBeLessThan(1e-12);
    });
  }

  it('maps the zero vector to [1, 0, ...] (component), never NaN', () => {
    const expected = flatten(sh.zero_vector_normalize_true_component);
    expect(Array.from(sphericalHarmonics([0, 1, 2, 3, 4], [[0, 0, 0]]))).toEqual(expected);
    const integral = sphericalHarmonics([0, 1, 2], [[0, 0, 0]], { normalization: 'integral' });
    expect(integral[0]).toBeCloseTo(1 / Math.sqrt(4 * Math.PI), 15);
    expect(Array.from(integral.subarray(1)).every((v) => v === 0)).toBe(true);
    expect(sphericalHarmonics(0, [[0, 0, 0]], { normalization: 'norm' })[0]).toBe(1);
    expect(Array.from(sphericalHarmonics(16, [[0, 0, 0]])).every((v) => v === 0)).toBe(true);
    expect(Array.from(sphericalHarmonics([0, 3], [[0, 0, 0]], { normalize: false }))).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('has the documented l = 1 and l = 2 forms (y is the polar axis)', () => {
    const [x, y, z] = [0.48, 0.6, 0.64];
    const got = sphericalHarmonics([1, 2], [[x, y, z]]);
    const s3 = Math.sqrt(3);
    const s15 = Math.sqrt(15);
    const expected = [s3 * x, s3 * y, s3 * z, s15 * x * z, s15 * x * y, Math.sqrt(5) * (y * y - (x * x + z * z) / 2), s15 * y * z, (s15 / 2) * (z * z - x * x)];
    expect(worstError(got, expected)).toBeLessThan(1e-15);
  });
});

// ---------- an exact reference at rational points of the sphere ----------

/** p / q with BigInt, reduced. */
class Fraction {
  constructor(
    readonly p: bigint,
    readonly q: bigint,
  ) {}
  static of(p: bigint, q: bigint = 1n): Fraction {
    const g = gcd(p < 0n ? -p : p, q);
    return g > 1n ? new Fraction(p / g, q / g) : new Fraction(p, q);
  }
  add(o: Fraction): Fraction {
    return Fraction.of(this.p * o.q + o.p * this.q, this.q * o.q);
  }
  mul(o: Fraction): Fraction {
    return Fraction.of(this.p * o.p, this.q * o.q);
  }
}

function gcd(a: bigint, b: bigint): bigint {
  while (b) [a, b] = [b, a % b];
  return a === 0n ? 1n : a;
}

function fact(n: number): bigint {
  let f = 1n;
  for (let i = 2; i <= n; i++) f *= BigInt(i);
  return f;
}

/** sign(b) sqrt(a b^2) for rationals a > 0 and b, rounded once to float64. */
function signedSqrt(a: Fraction, b: Fraction): number {
  if (b.p === 0n) return 0;
  const num = a.p * b.p * b.p;
  const den = a.q * b.q * b.q;
  const shift = 200n;
  const q = (num << shift) / den; // 200 extra bits: the floor is far below an ulp
  return (b.p < 0n ? -1 : 1) * Math.sqrt(Number(q) / 2 ** 200);
}

/**
 * Component-normalized Y_lm at (x, y, z) = (px, py, pz) / q on the unit sphere, exactly: the
 * textbook real harmonic at (X, Y, Z) = (z, x, y) with d^m/dZ^m P_l(Z) from its explicit sum.
 */
function exactHarmonic(l: number, m: number, [px, py, pz]: [number, number, number], q: number): number {
  const am = Math.abs(m);
  const Z = Fraction.of(BigInt(py), BigInt(q));
  let legendre = Fraction.of(0n);
  for (let k = 0; 2 * k <= l - am; k++) {
    const c = Fraction.of((k % 2 === 0 ? 1n : -1n) * fact(2 * l - 2 * k), (1n << BigInt(l)) * fact(k) * fact(l - k) * fact(l - 2 * k - am));
    let zp = Fraction.of(1n);
    for (let e = 0; e < l - 2 * k - am; e++) zp = zp.mul(Z);
    legendre = legendre.add(c.mul(zp));
  }
  // (X + iY)^|m| = (pz + i px)^|m| / q^|m|
  let re = 1n;
  let im = 0n;
  for (let e = 0; e < am; e++) [re, im] = [re * BigInt(pz) - im * BigInt(px), re * BigInt(px) + im * BigInt(pz)];
  const qm = BigInt(q) ** BigInt(am);
  const trig = m >= 0 ? Fraction.of(re, qm) : Fraction.of(im, qm);
  const norm = m === 0 ? Fraction.of(BigInt(2 * l + 1)) : Fraction.of(2n * BigInt(2 * l + 1) * fact(l - am), fact(l + am));
  return signedSqrt(norm, legendre.mul(trig));
}

describe('spherical harmonics up to l = 16', () => {
  // Points (px, py, pz) / q with px^2 + py^2 + pz^2 = q^2, with their sign flips and permutations.
  const primitive: [number, number, number, number][] = [
    [2, 3, 6, 7],
    [1, 4, 8, 9],
    [2, 6, 9, 11],
    [12, 15, 16, 25],
    [0, 3, 4, 5],
    [0, 0, 1, 1],
  ];
  const points: { p: [number, number, number]; q: number }[] = [];
  for (const [a, b, c, q] of primitive) {
    for (const [x, y, z] of [
      [a, b, c],
      [c, a, b],
      [b, c, a],
      [-b, a, -c],
    ] as [number, number, number][]) {
      points.push({ p: [x, y, z], q });
    }
  }

  it('equal the exact values at rational points to 1e-13 for every l <= 16', () => {
    let worst = 0;
    for (const { p, q } of points) {
      const got = sphericalHarmonics(LMAX, [p.map((v) => v / q)]);
      const exact = Array.from({ length: 2 * LMAX + 1 }, (_, i) => exactHarmonic(LMAX, i - LMAX, p, q));
      worst = Math.max(worst, worstError(got, exact));
      for (const l of [5, 11, 15]) {
        const exactL = Array.from({ length: 2 * l + 1 }, (_, i) => exactHarmonic(l, i - l, p, q));
        worst = Math.max(worst, worstError(sphericalHarmonics(l, [p.map((v) => v / q)]), exactL));
      }
    }
    expect(worst).toBeLessThan(1e-13);
  });

  it('are orthonormal on the sphere: (1/4pi) int Y_lm Y_l2m2 = delta (Gauss-Legendre x trapezoid quadrature)', () => {
    // 18 Gauss-Legendre nodes in y integrate polynomials of degree 35 exactly, 34 equispaced
    // azimuths integrate trigonometric polynomials of degree 33: enough for products up to l = 16.
    const nodes = gaussLegendre(18);
    const nPhi = 34;
    const dim = (LMAX + 1) ** 2;
    const vectors: number[] = [];
    const weights: number[] = [];
    for (const { x: y, w } of nodes) {
      const rho = Math.sqrt(1 - y * y);
      for (let k = 0; k < nPhi; k++) {
        const phi = (2 * Math.PI * k) / nPhi;
        vectors.push(rho * Math.sin(phi), y, rho * Math.cos(phi));
        weights.push((w * 2 * Math.PI) / nPhi / (4 * Math.PI));
      }
    }
    const Y = sphericalHarmonicsInto(LMAX, Float64Array.from(vectors));
    let worst = 0;
    for (let a = 0; a < dim; a++) {
      for (let b = a; b < dim; b++) {
        let s = 0;
        for (let v = 0; v < weights.length; v++) s += weights[v]! * Y[v * dim + a]! * Y[v * dim + b]!;
        worst = Math.max(worst, Math.abs(s - (a === b ? 1 : 0)));
      }
    }
    expect(worst).toBeLessThan(1e-13);
  });

  it('component normalization: sum_m Y_lm^2 = 2l + 1 on the sphere', () => {
    const rng = createRng(3);
    const xyz = Float64Array.from({ length: 3 * 50 }, () => rng.normal());
    const Y = sphericalHarmonicsInto(LMAX, xyz);
    const dim = (LMAX + 1) ** 2;
    for (let v = 0; v < 50; v++) {
      for (let l = 0; l <= LMAX; l++) {
        let s = 0;
        for (let i = l * l; i < (l + 1) * (l + 1); i++) s += Y[v * dim + i]! ** 2;
        expect(Math.abs(s / (2 * l + 1) - 1)).toBeLessThan(1e-13);
      }
    }
  });

  it('normalize = false is a homogeneous polynomial of degree l', () => {
    fc.assert(
      fc.property(
        fc.tuple(fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: -3, max: 3, noNaN: true })),
        fc.double({ min: 0.2, max: 2.5, noNaN: true }),
        fc.integer({ min: 0, max: LMAX }),
        ([x, y, z], t, l) => {
          const r = Math.hypot(x, y, z);
          fc.pre(r > 1e-3);
          const raw = sphericalHarmonics(l, [[t * x, t * y, t * z]], { normalize: false });
          const unit = sphericalHarmonics(l, [[x, y, z]]);
          const expected = Array.from(unit, (v) => v * (t * r) ** l);
          const scale = Math.sqrt(2 * l + 1) * (t * r) ** l;
          let worst = 0;
          raw.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - expected[i]!) / scale)));
          expect(worst).toBeLessThan(1e-13);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('has parity (-1)^l: Y(-x) = (-1)^l Y(x)', () => {
    const rng = createRng(4);
    for (let trial = 0; trial < 20; trial++) {
      const x = [rng.normal(), rng.normal(), rng.normal()];
      const a = sphericalHarmonicsInto(LMAX, Float64Array.from(x));
      const b = sphericalHarmonicsInto(LMAX, Float64Array.from(x, (v) => -v));
      for (let l = 0; l <= LMAX; l++) {
        for (let i = l * l; i < (l + 1) * (l + 1); i++) expect(b[i]).toBe(l % 2 === 0 ? a[i] : -a[i]!);
      }
    }
  });

  it('norm and integral normalizations rescale component', () => {
    const rng = createRng(5);
    const xyz = Float64Array.from({ length: 30 }, () => rng.normal());
    const comp = sphericalHarmonicsInto(LMAX, xyz);
    const norm = sphericalHarmonicsInto(LMAX, xyz, undefined, true, 'norm');
    const integral = sphericalHarmonicsInto(LMAX, xyz, undefined, true, 'integral');
    const dim = (LMAX + 1) ** 2;
    for (let i = 0; i < comp.length; i++) {
      const l = Math.floor(Math.sqrt(i % dim));
      expect(norm[i]).toBeCloseTo(comp[i]! / Math.sqrt(2 * l + 1), 14);
      expect(integral[i]).toBeCloseTo(comp[i]! / Math.sqrt(4 * Math.PI), 14);
    }
  });
});

describe('spherical harmonics API', () => {
  it('accepts flat Float64Array, flat number[] and rows, and writes into a given buffer', () => {
    const rows = [
      [0.3, -1.2, 2],
      [1, 0, 0],
    ];
    const a = sphericalHarmonics([0, 1, 2], rows);
    expect(sphericalHarmonics([0, 1, 2], rows.flat())).toEqual(a);
    expect(sphericalHarmonics(2, Float64Array.from(rows.flat()))).toEqual(Float64Array.from([...a.subarray(4, 9), ...a.subarray(13, 18)]));
    const out = new Float64Array(2 * 9 + 5).fill(7);
    const ret = sphericalHarmonicsInto(2, Float64Array.from(rows.flat()), out);
    expect(ret).toBe(out);
    expect(out.subarray(0, 18)).toEqual(a);
    expect(out[18]).toBe(7);
  });

  it('concatenates degrees in the order asked, repeats included', () => {
    const x = [[0.1, 0.7, -0.4]];
    const parts = [2, 0, 2].map((l) => Array.from(sphericalHarmonics(l, x)));
    expect(Array.from(sphericalHarmonics([2, 0, 2], x))).toEqual(parts.flat());
    expect(Array.from(sphericalHarmonics(Irreps.parse('2x2e+0e'), x))).toEqual([...parts[0]!, ...parts[2]!, ...parts[1]!]);
  });

  it("checks an irreps request's parities like e3nn", () => {
    expect(sphericalHarmonics('1x1e + 1x2e', [[0, 0, 1]]).length).toBe(8); // a pseudovector input
    expect(() => sphericalHarmonics('1x1o + 1x1e', [[0, 0, 1]])).toThrow(IrrepsError);
    expect(() => sphericalHarmonics('1x2o', [[0, 0, 1]])).toThrow(
      'irreps_out `1x2o` passed to SphericalHarmonics asked for an output of l = 2 with parity p = -1, which is inconsistent with the input parity -1 — the output parity should have been p = 1',
    );
    expect(sphericalHarmonicsIrreps([0, 1, 2, 3]).toString()).toBe(fixture.irreps_algebra.spherical_harmonics_irreps_lmax3);
  });

  it('rejects malformed input', () => {
    expect(() => sphericalHarmonics(1, [[1, 2]])).toThrow(RangeError);
    expect(() => sphericalHarmonics(1, new Float64Array(4))).toThrow(RangeError);
    expect(() => sphericalHarmonics(-1, [[1, 2, 3]])).toThrow(RangeError);
    expect(() => sphericalHarmonicsInto(2, new Float64Array(3), new Float64Array(8))).toThrow(RangeError);
    // @ts-expect-error: not a normalization
    expect(() => sphericalHarmonics(1, [[1, 2, 3]], { normalization: 'unit' })).toThrow(RangeError);
  });
});

/** Gauss-Legendre nodes and weights on [-1, 1] by Newton's method on P_n. */
function gaussLegendre(n: number): { x: number; w: number }[] {
  const out: { x: number; w: number }[] = [];
  for (let i = 1; i <= n; i++) {
    let x = Math.cos((Math.PI * (i - 0.25)) / (n + 0.5));
    let dp = 0;
    for (let iter = 0; iter < 100; iter++) {
      let p0 = 1;
      let p1 = x;
      for (let k = 2; k <= n; k++) [p0, p1] = [p1, ((2 * k - 1) * x * p1 - (k - 1) * p0) / k];
      dp = (n * (x * p1 - p0)) / (x * x - 1);
      const dx = p1 / dp;
      x -= dx;
      if (Math.abs(dx) < 1e-16) break;
    }
    out.push({ x, w: 2 / ((1 - x * x) * dp * dp) });
  }
  return out;
}
