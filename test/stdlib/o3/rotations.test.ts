import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  anglesToMatrix,
  anglesToXyz,
  irrepD,
  irrepsD,
  matrixToAngles,
  matrixX,
  matrixY,
  matrixZ,
  randomRotation,
  wignerD,
  xyzToAngles,
} from '../../../stdlib/groups/o3/rotations.js';
import { Irrep, Irreps } from '../../../stdlib/groups/o3/irreps.js';
import { createRng } from '../../../stdlib/math/random.js';
import { det3, identity, matmul, orthogonalityError } from '../../../stdlib/math/linalg.js';
import { fixture, flatten, worstError } from './fixture.js';

const rot = fixture.rotations;
const LMAX = 16;

const neg = (m: ArrayLike<number>) => Float64Array.from(m, (v) => -v);

describe('rotations against e3nn', () => {
  for (const c of rot.cases) {
    const { alpha, beta, gamma } = c;
    it(`angles (${alpha}, ${beta}, ${gamma})`, () => {
      expect(worstError(anglesToMatrix(alpha, beta, gamma), flatten(c.angles_to_matrix))).toBeLessThan(1e-12);
      expect(worstError(matrixX(alpha), flatten(c.matrix_x_alpha))).toBeLessThan(1e-12);
      expect(worstError(matrixY(alpha), flatten(c.matrix_y_alpha))).toBeLessThan(1e-12);
      expect(worstError(matrixZ(alpha), flatten(c.matrix_z_alpha))).toBeLessThan(1e-12);
      for (const [l, D] of Object.entries(c.D)) {
        expect(worstError(wignerD(Number(l), alpha, beta, gamma), flatten(D))).toBeLessThan(1e-12);
      }
      // D_k1 = p^1 D: the parity applied once, which is also what an improper matrix gives.
      const R = anglesToMatrix(alpha, beta, gamma);
      for (const [name, D] of Object.entries(c.D_k1)) {
        const ir = Irrep.parse(name);
        const expected = flatten(D);
        expect(worstError(Float64Array.from(wignerD(ir.l, alpha, beta, gamma), (v) => ir.p * v), expected)).toBeLessThan(1e-12);
        expect(worstError(irrepD(ir, neg(R)), expected)).toBeLessThan(1e-12);
      }
    });
  }

  it('D_from_matrix, matrix_to_angles and xyz_to_angles', () => {
    const m = rot.D_from_matrix;
    expect(worstError(matrixToAngles(m.R), m.matrix_to_angles_R)).toBeLessThan(1e-12);
    expect(worstError(irrepsD(m.irreps, m.R), flatten(m.D_R))).toBeLessThan(1e-12);
    expect(worstError(irrepsD(Irreps.parse(m.irreps), m.minus_R), flatten(m.D_minus_R))).toBeLessThan(1e-12);
    expect(worstError(xyzToAngles(rot.xyz_to_angles_example.xyz), rot.xyz_to_angles_example.alpha_beta)).toBeLessThan(1e-12);
  });

  it('D^1 is the rotation matrix itself', () => {
    expect(rot.l1_D_equals_R).toBe(true);
    const rng = createRng(11);
    for (let trial = 0; trial < 20; trial++) {
      const R = randomRotation(rng);
      expect(worstError(irrepD(Irrep.parse('1o'), R), R)).toBeLessThan(1e-14);
      expect(worstError(wignerD(1, ...matrixToAngles(R)), R)).toBeLessThan(1e-14);
    }
  });
});

describe('angles and matrices', () => {
  const angle = fc.double({ min: -10, max: 10, noNaN: true });

  it('matrixToAngles inverts anglesToMatrix (as rotations)', () => {
    fc.assert(
      fc.property(angle, angle, angle, (a, b, c) => {
        const R = anglesToMatrix(a, b, c);
        expect(worstError(anglesToMatrix(...matrixToAngles(R)), R)).toBeLessThan(1e-13);
      }),
    );
  });

  it('recovers the angles in their canonical ranges', () => {
    const [a, b, c] = matrixToAngles(anglesToMatrix(0.3, 1.1, -2.0));
    expect([a, b, c].map((v) => v.toFixed(12))).toEqual(['0.300000000000', '1.100000000000', '-2.000000000000']);
  });

  it('is accurate at and near the poles (beta = 0, pi, 1e-9)', () => {
    for (const [a, b, c] of [
      [0.4, 0, -1.3],
      [0.4, Math.PI, 2.2],
      [1.0, 1e-9, 0.5],
      [-2.5, Math.PI - 1e-9, 0.5],
    ]) {
      const R = anglesToMatrix(a!, b!, c!);
      const angles = matrixToAngles(R);
      expect(worstError(anglesToMatrix(...angles), R)).toBeLessThan(1e-15);
      for (const l of [2, 16]) expect(worstError(wignerD(l, ...angles), wignerD(l, a!, b!, c!))).toBeLessThan(1e-13);
    }
  });

  it('xyzToAngles and anglesToXyz are inverse; R(alpha, beta, 0) e_y = x / |x|', () => {
    fc.assert(
      fc.property(fc.double({ min: -5, max: 5, noNaN: true }), fc.double({ min: -5, max: 5, noNaN: true }), fc.double({ min: -5, max: 5, noNaN: true }), (x, y, z) => {
        const r = Math.hypot(x, y, z);
        fc.pre(r > 1e-6);
        const [alpha, beta] = xyzToAngles([x, y, z]);
        expect(worstError(anglesToXyz(alpha, beta), [x / r, y / r, z / r])).toBeLessThan(1e-14);
        const R = anglesToMatrix(alpha, beta, 0);
        expect(worstError([R[1]!, R[4]!, R[7]!], [x / r, y / r, z / r])).toBeLessThan(1e-14);
      }),
    );
    expect(xyzToAngles([0, 0, 0])).toEqual([0, Math.PI / 2]);
  });

  it('rejects non-orthogonal and improper matrices where a rotation is needed', () => {
    expect(() => matrixToAngles([1, 0, 0, 0, 1, 0, 0, 0, 2])).toThrow(RangeError);
    expect(() => matrixToAngles(neg(identity(3)))).toThrow('proper rotation');
    expect(() => irrepD(Irrep.parse('1o'), [1, 2, 3])).toThrow(RangeError);
    expect(() => wignerD(-1, 0, 0, 0)).toThrow(RangeError);
  });

  it('randomRotation gives proper rotations, uniformly spread', () => {
    const rng = createRng(12);
    const mean = new Float64Array(9);
    const n = 4000;
    for (let t = 0; t < n; t++) {
      const R = randomRotation(rng);
      expect(orthogonalityError(R, 3)).toBeLessThan(1e-14);
      expect(det3(R)).toBeCloseTo(1, 14);
      R.forEach((v, i) => (mean[i] += v / n));
    }
    // Under Haar measure every entry has mean 0 and variance 1/3: 4000 draws put the mean
    // within 4 standard errors (4 * sqrt(1/3 / 4000) = 0.037).
    for (const v of mean) expect(Math.abs(v)).toBeLessThan(0.037);
  });
});

describe('Wigner D up to l = 16', () => {
  it('is orthogonal and a homomorphism: D(R1 R2) = D(R1) D(R2)', () => {
    const rng = createRng(13);
    let worstHom = 0;
    let worstOrth = 0;
    for (let trial = 0; trial < 10; trial++) {
      const R1 = randomRotation(rng);
      const R2 = randomRotation(rng);
      const R12 = matmul(R1, R2, 3, 3, 3);
      for (let l = 0; l <= LMAX; l++) {
        const n = 2 * l + 1;
        const D1 = irrepD(new Irrep(l, 1), R1);
        const D2 = irrepD(new Irrep(l, 1), R2);
        worstHom = Math.max(worstHom, worstError(matmul(D1, D2, n, n, n), irrepD(new Irrep(l, 1), R12)));
        worstOrth = Math.max(worstOrth, orthogonalityError(D1, n));
      }
    }
    expect(worstHom).toBeLessThan(1e-13);
    expect(worstOrth).toBeLessThan(1e-13);
  });

  it('D(identity) = I and D(R^T) = D(R)^T', () => {
    const rng = createRng(14);
    const R = randomRotation(rng);
    const Rt = Float64Array.from({ length: 9 }, (_, k) => R[(k % 3) * 3 + Math.floor(k / 3)]!);
    for (let l = 0; l <= LMAX; l++) {
      const n = 2 * l + 1;
      expect(worstError(wignerD(l, 0, 0, 0), identity(n))).toBeLessThan(1e-15);
      const D = irrepD(new Irrep(l, 1), R);
      const Dt = Float64Array.from({ length: n * n }, (_, k) => D[(k % n) * n + Math.floor(k / n)]!);
      expect(worstError(irrepD(new Irrep(l, 1), Rt), Dt)).toBeLessThan(1e-13);
    }
  });

  it('is the product of the Euler factors: D(a, b, c) = D(a, 0, 0) D(0, b, 0) D(0, 0, c)', () => {
    const [a, b, c] = [0.7, -2.1, 2.9];
    for (const l of [3, 9, 16]) {
      const n = 2 * l + 1;
      const product = matmul(matmul(wignerD(l, a, 0, 0), wignerD(l, 0, b, 0), n, n, n), wignerD(l, 0, 0, c), n, n, n);
      expect(worstError(wignerD(l, a, b, c), product)).toBeLessThan(1e-13);
    }
  });

  it('irrepsD of an improper matrix: even irreps see -R as R, odd irreps get -1', () => {
    const rng = createRng(15);
    const irreps = Irreps.parse('2x0e + 0o + 1o + 1e + 2x16e + 16o');
    for (let trial = 0; trial < 3; trial++) {
      const R = randomRotation(rng);
      const proper = irrepsD(irreps, R);
      const improper = irrepsD(irreps, neg(R));
      const n = irreps.dim;
      // Row by row, the improper matrix is the proper one times the row's parity, bit for bit.
      const rowParity = irreps.blocks.flatMap(({ mul, ir }) => Array<number>(mul * ir.dim).fill(ir.p));
      let mismatches = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (improper[i * n + j] !== rowParity[i]! * proper[i * n + j]!) mismatches++;
      expect(mismatches).toBe(0);
      // Parity alone: -I acts as p on every irrep.
      const parity = irrepsD(irreps, neg(identity(3)));
      const expected = new Float64Array(n * n);
      let o = 0;
      for (const { mul, ir } of irreps.blocks) for (let k = 0; k < mul * ir.dim; k++, o++) expected[o * n + o] = ir.p;
      expect(worstError(parity, expected)).toBeLessThan(1e-13);
    }
  });

  it('irrepsD is block diagonal with one block per copy, multiplicity-major', () => {
    const R = anglesToMatrix(0.3, 0.9, -1.4);
    const irreps = Irreps.parse('2x1o + 1x2e');
    const full = irrepsD(irreps, R);
    const D1 = wignerD(1, 0.3, 0.9, -1.4);
    const D2 = wignerD(2, 0.3, 0.9, -1.4);
    const expected = new Float64Array(11 * 11);
    const place = (d: Float64Array, k: number, at: number) => {
      for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) expected[(at + i) * 11 + at + j] = d[i * k + j]!;
    };
    place(D1, 3, 0);
    place(D1, 3, 3);
    place(D2, 5, 6);
    expect(worstError(full, expected)).toBeLessThan(1e-14);
  });
});
