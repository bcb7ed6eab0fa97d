// GL+(n) (invertible real n x n matrices with det > 0) and SL(n) (det = 1), n = 2..4, as
// plugins of the Group interface. Atoms are the tensor representations T(p,q) ⊗ det^k
// (tensorRep.ts); linear maps between them are found as the null space of the Lie-algebra
// constraints (equivariantMaps.ts); the tensor product of two atoms is one atom, coupled by
// the identity (a reordering of indices). The groups are not compact, so the generated tests
// measure errors relative to ‖ρ(g)‖, as EMLP does.

import type { Group, GroupElement, ProductRule, Tensor } from '../group.js';
import type { Rep } from '../rep.js';
import type { Rng } from '../../math/random.js';
import { type GLKind, tensorMaps } from './equivariantMaps.js';
import { inverse, randomGLPlus, spectralNorm, tensorMatrix, determinant } from './matrices.js';
import { MAX_RANK, type NotationContext, parseTensorAtom, tensorAtomFromText } from './notation.js';
import { TensorAtom, flatIndex, formatTensorAtom, multiIndex } from './tensorRep.js';

/**
 * The coupling of a ⊗ b into c = T(pa+pb, qa+qb): x_I y_J lands on the component whose upper
 * indices are (upper of I, upper of J) and lower ones (lower of I, lower of J). A permutation
 * tensor, scaled to Frobenius norm 1 as the interface asks.
 */
function identityCoupling(a: TensorAtom, b: TensorAtom, c: TensorAtom): Tensor {
  const data = new Float64Array(a.dim * b.dim * c.dim);
  const value = 1 / Math.sqrt(a.dim * b.dim);
  for (let i = 0; i < a.dim; i++) {
    const ia = multiIndex(a.n, a.rank, i);
    for (let j = 0; j < b.dim; j++) {
      const jb = multiIndex(b.n, b.rank, j);
      const idx = [...ia.slice(0, a.p), ...jb.slice(0, b.p), ...ia.slice(a.p), ...jb.slice(b.p)];
      data[(i * b.dim + j) * c.dim + flatIndex(c.n, idx)] = value;
    }
  }
  return { shape: [a.dim, b.dim, c.dim], data };
}

function describe(a: TensorAtom, kind: GLKind): string {
  const twist = a.k === 0 ? '' : ` of weight ${a.k} (times det(g)^${a.k})`;
  if (a.rank === 0) return a.k === 0 ? 'invariant scalar' : `scalar density${twist}`;
  const base = a.p === 1 && a.q === 0 ? 'vector' : a.p === 0 && a.q === 1 ? 'covector' : `(${a.p},${a.q})-tensor`;
  return kind === 'SL' || a.k === 0 ? base : `${base} density${twist}`;
}

function explain(kind: GLKind, from: TensorAtom, to: TensorAtom): string {
  const f = formatTensorAtom;
  if (kind === 'GL+' && from.degree !== to.degree) {
    const twisted = from.k !== 0 || to.k !== 0;
    return (
      `the degrees differ (${f(from)} has ${twisted ? 'p - q + n k' : 'p - q'} = ${from.degree}, ${f(to)} has ${to.degree}): ` +
      `under scaling g = c·I, T(p,q)${twisted ? '⊗det^k scales as c^(p-q+nk)' : ' scales as c^(p-q)'}, and a linear map cannot change the power of c`
    );
  }
  if (kind === 'SL' && (to.degree - from.degree) % from.n !== 0) {
    return `p - q differs by ${to.degree - from.degree} (${f(from)}: ${from.degree}, ${f(to)}: ${to.degree}), not a multiple of n = ${from.n}: in SL(${from.n}) only the Levi-Civita tensor (n indices) bridges such a gap`;
  }
  return `no linear combination of index permutations, traces${kind === 'SL' ? ' and Levi-Civita contractions' : ''} maps ${f(from)} to ${f(to)} equivariantly`;
}

/** ‖ρ(g)‖₂ of T(p,q)⊗det^k: ‖g‖^p ‖g⁻¹‖^q det(g)^k (norms of Kronecker products multiply). */
function atomNorm(a: TensorAtom, g: Float64Array): number {
  const n = a.n;
  return spectralNorm(g, n) ** a.p * spectralNorm(inverse(g, n), n) ** a.q * determinant(g, n) ** a.k;
}

function compareAtoms(a: TensorAtom, b: TensorAtom): number {
  // Rank first (scalars first, the invariant one before densities), then more V's first.
  return a.rank - b.rank || b.p - a.p || Math.abs(a.k) - Math.abs(b.k) || a.k - b.k;
}

function makeGroup(kind: GLKind, n: number): Group<TensorAtom> {
  const name = `${kind}(${n})`;
  const ctx: NotationContext = { n, groupName: name, hasDet: kind === 'GL+' };
  const scalar = new TensorAtom(n, 0, 0);
  const matrixOf = (g: GroupElement): Float64Array => {
    const m = g['matrix'];
    if (!Array.isArray(m) || m.length !== n * n) throw new Error(`${name}: the element has no ${n}x${n} matrix`);
    return Float64Array.from(m as number[]);
  };
  const products: ProductRule<TensorAtom> = {
    products: (a, b) => (a.rank + b.rank <= MAX_RANK ? [a.times(b)] : []),
    coupling: (a, b, c) => identityCoupling(a, b, c),
    bound: (a, b) =>
      a.rank + b.rank > MAX_RANK
        ? { code: 'E0702', message: `${formatTensorAtom(a)} ⊗ ${formatTensorAtom(b)} has rank ${a.rank + b.rank}, above the supported limit of ${MAX_RANK} (p + q <= ${MAX_RANK})` }
        : undefined,
    describeProduct: (a, b, c) => (a.rank > 0 && b.rank > 0 ? `the outer product ${formatTensorAtom(a)} ⊗ ${formatTensorAtom(b)} = ${formatTensorAtom(c)}` : undefined),
  };
  return {
    name,
    notation: {
      atom: (expr) => parseTensorAtom(expr, ctx),
      atomNames: () => ['V', 'det'],
      formatAtom: formatTensorAtom,
      atomFromText: (text) => tensorAtomFromText(text, ctx),
      format: (rep: Rep<TensorAtom>) =>
        rep.blocks.map((b) => {
          const t = formatTensorAtom(b.ir);
          return `${b.mul}x${t.includes('*det') ? `(${t})` : t}`;
        }).join('+'),
    },
    scalar,
    scalarKind: (a) => (a.isInvariantScalar ? 'even' : undefined),
    scalarOfKind: (k) => (k === 'even' ? scalar : undefined),
    compareAtoms,
    describeAtom: (a) => describe(a, kind),
    equivariantMaps: (from, to) => tensorMaps(kind, from, to),
    explainNoMap: (from, to) => explain(kind, from, to),
    products,
    components: 1,
    elements: kind === 'SL' ? 'matrices with det = 1' : 'matrices with det > 0',
    sample: (rng: Rng): GroupElement => ({ group: name, matrix: Array.from(randomGLPlus(rng, n, kind === 'SL')) }),
    atomMatrix: (a, g) => tensorMatrix(a, matrixOf(g)),
    mapsBetweenAtoms: true,
    // g stretches V: |g v| != |v| (the norm is invariant only under orthogonal g).
    invariantNorm: false,
    toleranceScale: (rep, g) => {
      const m = matrixOf(g);
      return rep.blocks.reduce((s, b) => Math.max(s, atomNorm(b.ir, m)), 1);
    },
  };
}

const DIMENSIONS = [2, 3, 4] as const;

export const GLPlus: Readonly<Record<number, Group<TensorAtom>>> = Object.fromEntries(DIMENSIONS.map((n) => [n, makeGroup('GL+', n)]));
export const SL: Readonly<Record<number, Group<TensorAtom>>> = Object.fromEntries(DIMENSIONS.map((n) => [n, makeGroup('SL', n)]));
