// The equivariant maps of GL+(n) and SL(n) between tensor representations: the dimensions the
// invariant theory predicts (index permutations and traces; Levi-Civita where the degrees
// allow), and every basis map commuting with ρ at random group elements.
import { describe, expect, it } from 'vitest';
import { GLPlus, SL } from '../../../stdlib/groups/gl/plugins.js';
import { TensorAtom } from '../../../stdlib/groups/gl/tensorRep.js';
import { matmul } from '../../../stdlib/math/linalg.js';
import { createRng } from '../../../stdlib/math/random.js';
import type { Group } from '../../../stdlib/groups/group.js';
import { contractionMaps } from '../../../stdlib/groups/gl/contractions.js';
import { cleanRational } from './nullSpace.js';
import { constraintNullSpace } from './constraintSolver.js';
import { exactIndependent, leviCivitaCandidates } from '../../../stdlib/groups/gl/invariantMaps.js';

const t = (n: number, p: number, q: number, k = 0) => new TensorAtom(n, p, q, k);

/** max |ρ_out(g) W - W ρ_in(g)| / (‖ρ_out(g)‖_max ‖W‖_max), over a few elements. */
function equivarianceError(group: Group<TensorAtom>, from: TensorAtom, to: TensorAtom, W: Float64Array, seed: number): number {
  const rng = createRng(seed);
  let worst = 0;
  for (let s = 0; s < 3; s++) {
    const g = group.sample(rng);
    const rin = group.atomMatrix(from, g);
    const rout = group.atomMatrix(to, g);
    const left = matmul(rout, W, to.dim, to.dim, from.dim);
    const right = matmul(W, rin, to.dim, from.dim, from.dim);
    const scale = Math.max(...Array.from(left, Math.abs), ...Array.from(right, Math.abs), 1e-300);
    for (let i = 0; i < left.length; i++) worst = Math.max(worst, Math.abs(left[i]! - right[i]!) / scale);
  }
  return worst;
}

describe('basis dimensions', () => {
  const cases: [string, Group<TensorAtom>, TensorAtom, TensorAtom, number][] = [
    ['GL+(3) T(1,1) -> T(1,1): identity and trace·I', GLPlus[3]!, t(3, 1, 1), t(3, 1, 1), 2],
    ['GL+(3) T(2,0) -> T(2,0): identity and swap', GLPlus[3]!, t(3, 2, 0), t(3, 2, 0), 2],
    ['GL+(3) V -> V: the identity', GLPlus[3]!, t(3, 1, 0), t(3, 1, 0), 1],
    ['GL+(3) V -> T(2,0): none', GLPlus[3]!, t(3, 1, 0), t(3, 2, 0), 0],
    ['GL+(3) V -> V*: none', GLPlus[3]!, t(3, 1, 0), t(3, 0, 1), 0],
    ['GL+(3) T(1,1) -> T(0,0): the trace', GLPlus[3]!, t(3, 1, 1), t(3, 0, 0), 1],
    ['GL+(3) T(0,0) -> T(1,1): the identity matrix', GLPlus[3]!, t(3, 0, 0), t(3, 1, 1), 1],
    ['GL+(3) T(2,1) -> V: two traces', GLPlus[3]!, t(3, 2, 1), t(3, 1, 0), 2],
    ['GL+(4) T(2,1) -> T(2,1): 3! permutations', GLPlus[4]!, t(4, 2, 1), t(4, 2, 1), 6],
    ['GL+(2) T(2,1) -> T(2,1): 3! permutations with one relation', GLPlus[2]!, t(2, 2, 1), t(2, 2, 1), 5],
    ['GL+(3) T(3,0) -> T(3,0): 3! permutations', GLPlus[3]!, t(3, 3, 0), t(3, 3, 0), 6],
    ['GL+(2) T(3,0) -> T(3,0): antisymmetrizer vanishes', GLPlus[2]!, t(2, 3, 0), t(2, 3, 0), 5],
    ['GL+(2) T(2,0) -> det: ε', GLPlus[2]!, t(2, 2, 0), t(2, 0, 0, 1), 1],
    ['GL+(2) T(2,0) -> T(0,0): none (det scales)', GLPlus[2]!, t(2, 2, 0), t(2, 0, 0), 0],
    ['GL+(3) T(3,0) -> det: ε', GLPlus[3]!, t(3, 3, 0), t(3, 0, 0, 1), 1],
    ['GL+(3) V*det -> T(2,0): ε', GLPlus[3]!, t(3, 0, 1, 1), t(3, 2, 0), 1],
    ['SL(2) T(2,0) -> T(0,0): ε', SL[2]!, t(2, 2, 0), t(2, 0, 0), 1],
    ['SL(2) V -> V*: ε', SL[2]!, t(2, 1, 0), t(2, 0, 1), 1],
    ['SL(3) V* -> T(2,0): ε', SL[3]!, t(3, 0, 1), t(3, 2, 0), 1],
    ['SL(3) V -> T(2,0): none', SL[3]!, t(3, 1, 0), t(3, 2, 0), 0],
    ['SL(4) T(1,1) -> T(1,1): as GL', SL[4]!, t(4, 1, 1), t(4, 1, 1), 2],
  ];
  for (const [name, group, from, to, count] of cases) {
    it(name, () => {
      const maps = group.equivariantMaps(from, to);
      expect(maps.length).toBe(count);
      maps.forEach((m, i) => {
        expect(m.shape).toEqual([to.dim, from.dim]);
        expect(equivarianceError(group, from, to, m.data, 100 + i), `map ${i}`).toBeLessThan(1e-10);
      });
    });
  }

  it('the maps of V -> V are exactly the identity (a plain linear path)', () => {
    expect(Array.from(GLPlus[3]!.equivariantMaps(t(3, 1, 0), t(3, 1, 0))[0]!.data)).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  });

  it('the trace map is the trace, with integer entries', () => {
    expect(Array.from(GLPlus[3]!.equivariantMaps(t(3, 1, 1), t(3, 0, 0))[0]!.data)).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  });

  it('are cached: the same arrays on a second call', () => {
    const a = GLPlus[4]!.equivariantMaps(t(4, 2, 1), t(4, 1, 0));
    expect(GLPlus[4]!.equivariantMaps(t(4, 2, 1), t(4, 1, 0))).toBe(a);
  });
});

describe('explanations', () => {
  it('name the scaling degree', () => {
    expect(GLPlus[3]!.explainNoMap!(t(3, 1, 0), t(3, 2, 0))).toContain('(V has p - q = 1, T(2,0) has 2)');
    expect(GLPlus[2]!.explainNoMap!(t(2, 2, 0), t(2, 0, 0, 2))).toContain('⊗det^k scales as c^(p-q+nk)');
    expect(SL[3]!.explainNoMap!(t(3, 1, 0), t(3, 2, 0))).toContain('not a multiple of n = 3');
  });
});

describe('every pair of atoms up to rank 3', () => {
  const sweep = (group: Group<TensorAtom>, n: number, ks: number[]) => {
    const atoms: TensorAtom[] = [];
    for (let p = 0; p <= 3; p++) for (let q = 0; p + q <= 3; q++) for (const k of ks) atoms.push(t(n, p, q, k));
    let maps = 0;
    for (const a of atoms) {
      for (const b of atoms) {
        const found = group.equivariantMaps(a, b);
        maps += found.length;
        found.forEach((m, i) => expect(equivarianceError(group, a, b, m.data, i), `${a} -> ${b} map ${i}`).toBeLessThan(1e-10));
        // GL+(n) with equal det powers: the solver's dimension is that of the span of the index contractions.
        // (The solver's own dimension, not the chosen basis: the contractions are preferred when they span.)
        if (group.name.startsWith('GL+') && a.k === b.k) expect(constraintNullSpace('GL+', a, b).length, `${a} -> ${b}`).toBe(exactIndependent(contractionMaps(a, b)).length);
      }
    }
    return maps;
  };
  it('GL+(2), det powers -1..1: equivariant, with the dimensions invariant theory gives', () => {
    expect(sweep(GLPlus[2]!, 2, [-1, 0, 1])).toBeGreaterThan(100);
  });
  it('SL(3): equivariant, Levi-Civita maps included', () => {
    expect(sweep(SL[3]!, 3, [0])).toBeGreaterThan(30);
    expect(SL[3]!.equivariantMaps(t(3, 3, 0), t(3, 0, 0)).length).toBe(1);
  });
});

/** max |ρ_out(g) W x - W ρ_in(g) x| / max(|ρ_out W x|, |W ρ_in x|) at random g and x (rank 4: 256 x 256 maps). */
function actionError(group: Group<TensorAtom>, from: TensorAtom, to: TensorAtom, W: Float64Array, seed: number): number {
  const rng = createRng(seed);
  let worst = 0;
  for (let s = 0; s < 2; s++) {
    const g = group.sample(rng);
    const x = Float64Array.from({ length: from.dim }, () => rng.normal());
    const left = matmul(group.atomMatrix(to, g), matmul(W, x, to.dim, from.dim, 1), to.dim, to.dim, 1);
    const right = matmul(W, matmul(group.atomMatrix(from, g), x, from.dim, from.dim, 1), to.dim, from.dim, 1);
    const scale = Math.max(...Array.from(left, Math.abs), ...Array.from(right, Math.abs), 1e-300);
    for (let i = 0; i < left.length; i++) worst = Math.max(worst, Math.abs(left[i]! - right[i]!) / scale);
  }
  return worst;
}

describe('rank 4: δ-pairings and Levi-Civita contractions, exact', () => {
  // Counts from Schur-Weyl duality: T(2,2) -> T(2,2) is the group algebra of S_4 (4! maps) less
  // the partitions with more than n rows: (1,1,1,1) for n = 3 (23), all but (4), (3,1), (2,2) for
  // n = 2 (1 + 9 + 4 = 14). V^⊗4 -> V⊗det in GL+(3): the multiplicity of (2,1,1), 3. Invariants
  // of V^⊗4 in SL(2): Catalan(2) = 2; of V^⊗8 ⊗ det^-2 in GL+(4): (2,2,2,2), Catalan(4) = 14.
  const cases: [string, Group<TensorAtom>, TensorAtom, TensorAtom, number][] = [
    ['GL+(4) T(2,2) -> T(2,2): 4! permutations', GLPlus[4]!, t(4, 2, 2), t(4, 2, 2), 24],
    ['GL+(3) T(2,2) -> T(2,2): 4! less the antisymmetrizer', GLPlus[3]!, t(3, 2, 2), t(3, 2, 2), 23],
    ['GL+(2) T(2,2) -> T(2,2): 14', GLPlus[2]!, t(2, 2, 2), t(2, 2, 2), 14],
    ['GL+(4) T(3,1) -> T(3,1): 4! permutations', GLPlus[4]!, t(4, 3, 1), t(4, 3, 1), 24],
    ['SL(3) T(2,2) -> T(2,2): as GL+(3)', SL[3]!, t(3, 2, 2), t(3, 2, 2), 23],
    ['GL+(4) T(2,2) -> T(0,0): the two double traces', GLPlus[4]!, t(4, 2, 2), t(4, 0, 0), 2],
    ['GL+(3) T(4,0) -> V*det: ε on three indices', GLPlus[3]!, t(3, 4, 0), t(3, 1, 0, 1), 3],
    ['GL+(2) T(4,0) -> det^2: two ε', GLPlus[2]!, t(2, 4, 0), t(2, 0, 0, 2), 2],
    ['SL(2) T(4,0) -> T(0,0): two ε', SL[2]!, t(2, 4, 0), t(2, 0, 0), 2],
    ['SL(4) T(4,0) -> T(0,0): one ε', SL[4]!, t(4, 4, 0), t(4, 0, 0), 1],
    ['GL+(4) T(0,4)*det^2 -> T(4,0): two ε on eight indices', GLPlus[4]!, t(4, 0, 4, 2), t(4, 4, 0), 14],
  ];
  for (const [name, group, from, to, count] of cases) {
    it(name, () => {
      const maps = group.equivariantMaps(from, to);
      expect(maps.length).toBe(count);
      expect(exactIndependent(maps.map((m) => m.data as Float64Array)).length).toBe(count);
      maps.forEach((m, i) => expect(actionError(group, from, to, m.data as Float64Array, 200 + i), `map ${i}`).toBeLessThan(1e-10));
    });
  }

  it('the float64 solver loses rank-4 solutions, which is why rank 4 does not use it', () => {
    expect(constraintNullSpace('GL+', t(3, 2, 2), t(3, 2, 2)).length).toBeLessThan(23);
  });

  it('up to rank 3 the δ/ε candidates span exactly what the solver finds', () => {
    const pairs: [Group<TensorAtom>, 'GL+' | 'SL', number, number[]][] = [[GLPlus[2]!, 'GL+', 2, [-1, 0, 1]], [GLPlus[3]!, 'GL+', 3, [-1, 0, 1]], [SL[2]!, 'SL', 2, [0]], [SL[3]!, 'SL', 3, [0]]];
    let leviCivita = 0;
    for (const [, kind, n, ks] of pairs) {
      const atoms: TensorAtom[] = [];
      for (let p = 0; p <= 3; p++) for (let q = 0; p + q <= 3; q++) for (const k of ks) atoms.push(t(n, p, q, k));
      for (const a of atoms) {
        for (const b of atoms) {
          if (a.p + b.q === a.q + b.p) continue; // pairings, checked in the sweep above
          const solver = constraintNullSpace(kind, a, b).length;
          leviCivita += solver;
          expect(exactIndependent(leviCivitaCandidates(a, b, kind === 'SL')).length, `${kind}(${n}) ${a} -> ${b}`).toBe(solver);
        }
      }
    }
    expect(leviCivita).toBeGreaterThan(50);
  });

  it('products stop at rank 4 and the notation at rank 4', () => {
    expect(GLPlus[4]!.products!.products(t(4, 2, 0), t(4, 0, 2))).toEqual([t(4, 2, 2)]);
    expect(GLPlus[4]!.products!.products(t(4, 2, 1), t(4, 0, 2))).toEqual([]);
  });
});

describe('rational cleanup', () => {
  it('snaps values within 1e-9 of a small fraction, leaves others', () => {
    expect(cleanRational(1 / 3 + 1e-12)).toBe(1 / 3);
    expect(cleanRational(-2.5 + 1e-11)).toBe(-2.5);
    expect(cleanRational(Math.SQRT2)).toBe(Math.SQRT2);
  });
});
