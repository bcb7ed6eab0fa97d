// Group elements, representation matrices, couplings and notation of GL+(n) and SL(n).
import { describe, expect, it } from 'vitest';
import { GLPlus, SL } from '../../../stdlib/groups/gl/plugins.js';
import { determinant } from '../../../stdlib/groups/gl/matrices.js';
import { TensorAtom } from '../../../stdlib/groups/gl/tensorRep.js';
import { Rep } from '../../../stdlib/groups/rep.js';
import { matmul } from '../../../stdlib/math/linalg.js';
import { createRng } from '../../../stdlib/math/random.js';

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]!)));

describe('samplers', () => {
  for (const n of [2, 3, 4]) {
    it(`GL+(${n}) has det > 0 and moderate condition; SL(${n}) det = 1`, () => {
      const rng = createRng(n);
      for (let s = 0; s < 20; s++) {
        const g = GLPlus[n]!.sample(rng).matrix as number[];
        const d = determinant(g, n);
        expect(d).toBeGreaterThan(Math.exp(-0.5 * n) - 1e-12);
        expect(d).toBeLessThan(Math.exp(0.5 * n) + 1e-12);
        expect(determinant(SL[n]!.sample(rng).matrix as number[], n)).toBeCloseTo(1, 12);
      }
    });
  }
});

describe('representation matrices', () => {
  const group = GLPlus[3]!;
  const atoms = [new TensorAtom(3, 1, 0), new TensorAtom(3, 0, 1), new TensorAtom(3, 1, 1), new TensorAtom(3, 2, 1, -1), new TensorAtom(3, 0, 0, 2)];
  it('are homomorphisms: ρ(g h) = ρ(g) ρ(h)', () => {
    const rng = createRng(5);
    const g = group.sample(rng);
    const h = group.sample(rng);
    const gh = { group: group.name, matrix: Array.from(matmul(g.matrix as number[], h.matrix as number[], 3, 3, 3)) };
    for (const a of atoms) {
      const product = matmul(group.atomMatrix(a, g), group.atomMatrix(a, h), a.dim, a.dim, a.dim);
      expect(maxDiff(group.atomMatrix(a, gh), product), a.toString()).toBeLessThan(1e-12);
    }
  });

  it('V* is the dual: w(v) is invariant', () => {
    const g = group.sample(createRng(9));
    const v = [0.3, -1.2, 0.5];
    const w = [1.1, 0.4, -0.7];
    const gv = matmul(group.atomMatrix(atoms[0]!, g), v, 3, 3, 1);
    const gw = matmul(group.atomMatrix(atoms[1]!, g), w, 3, 3, 1);
    expect(gv[0]! * gw[0]! + gv[1]! * gw[1]! + gv[2]! * gw[2]!).toBeCloseTo(v[0]! * w[0]! + v[1]! * w[1]! + v[2]! * w[2]!, 12);
  });

  it('toleranceScale is ‖ρ(g)‖₂ of the largest block, at least 1', () => {
    const g = group.sample(createRng(3));
    const m = g.matrix as number[];
    // ‖g‖₂ from the Gram matrix's largest eigenvalue by power iteration, independently.
    const gram = matmul(Array.from({ length: 9 }, (_, i) => m[(i % 3) * 3 + Math.floor(i / 3)]!), m, 3, 3, 3);
    let v = [1, 0.5, 0.25];
    for (let i = 0; i < 500; i++) {
      const w = Array.from(matmul(gram, v, 3, 3, 1));
      const norm = Math.hypot(...w);
      v = w.map((x) => x / norm);
    }
    const norm = Math.sqrt(Math.hypot(...matmul(gram, v, 3, 3, 1)));
    expect(group.toleranceScale!(new Rep([{ mul: 2, ir: new TensorAtom(3, 2, 0) }]), g)).toBeCloseTo(Math.max(1, norm * norm), 9);
    expect(group.toleranceScale!(new Rep([{ mul: 1, ir: new TensorAtom(3, 0, 0) }]), g)).toBe(1);
  });
});

describe('tensor products', () => {
  it('T(1,1) ⊗ V = T(2,1), with a coupling of norm 1 that commutes with ρ', () => {
    const group = GLPlus[2]!;
    const a = new TensorAtom(2, 1, 1);
    const b = new TensorAtom(2, 1, 0);
    const [c] = group.products!.products(a, b);
    expect(c!.key).toBe('2,1,0');
    const C = group.products!.coupling(a, b, c!);
    expect(Math.hypot(...C.data)).toBeCloseTo(1, 12);
    // sum_ij C[i,j,k] (ρ_a x)_i (ρ_b y)_j = ρ_c (sum_ij C[i,j,k] x_i y_j).
    const g = group.sample(createRng(1));
    const x = [0.2, -0.4, 1.0, 0.7];
    const y = [0.5, -1.1];
    const couple = (x: ArrayLike<number>, y: ArrayLike<number>) => Array.from({ length: c!.dim }, (_, k) => {
      let s = 0;
      for (let i = 0; i < a.dim; i++) for (let j = 0; j < b.dim; j++) s += C.data[(i * b.dim + j) * c!.dim + k]! * x[i]! * y[j]!;
      return s;
    });
    const lhs = couple(matmul(group.atomMatrix(a, g), x, 4, 4, 1), matmul(group.atomMatrix(b, g), y, 2, 2, 1));
    const rhs = matmul(group.atomMatrix(c!, g), couple(x, y), 8, 8, 1);
    expect(maxDiff(lhs, rhs)).toBeLessThan(1e-12);
  });

  it('stop at rank 4', () => {
    expect(GLPlus[3]!.products!.products(new TensorAtom(3, 2, 0), new TensorAtom(3, 1, 1))).toEqual([new TensorAtom(3, 3, 1)]);
    expect(GLPlus[3]!.products!.products(new TensorAtom(3, 2, 1), new TensorAtom(3, 1, 1))).toEqual([]);
  });
});

describe('notation', () => {
  it('prints atoms and reads them back', () => {
    const group = GLPlus[3]!;
    const atoms = [new TensorAtom(3, 1, 0), new TensorAtom(3, 0, 1), new TensorAtom(3, 2, 1), new TensorAtom(3, 0, 0), new TensorAtom(3, 0, 0, 1), new TensorAtom(3, 0, 0, -2), new TensorAtom(3, 1, 0, 2), new TensorAtom(3, 0, 1, 1)];
    expect(atoms.map((a) => group.notation.formatAtom(a))).toEqual(['V', 'V*', 'T(2,1)', 'T(0,0)', 'det', 'det^-2', 'T(1,0)*det^2', 'T(0,1)*det']);
    for (const a of atoms) expect(group.notation.atomFromText(group.notation.formatAtom(a))?.key).toBe(a.key);
    expect(SL[3]!.notation.atomFromText('det')).toBeUndefined();
    expect(group.notation.format(new Rep([{ mul: 2, ir: atoms[6]! }, { mul: 3, ir: atoms[0]! }]))).toBe('2x(T(1,0)*det^2)+3xV');
  });

  it('scalars: only T(0,0) is invariant', () => {
    expect(GLPlus[2]!.scalarKind(new TensorAtom(2, 0, 0))).toBe('even');
    expect(GLPlus[2]!.scalarKind(new TensorAtom(2, 0, 0, 1))).toBeUndefined();
    expect(GLPlus[2]!.scalarKind(new TensorAtom(2, 1, 0))).toBeUndefined();
  });
});
