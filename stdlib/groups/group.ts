// The one interface every symmetry group implements. The checker, the lowering to IR and the
// test generator talk to groups only through it, so adding a group is adding a plugin that
// fills this in (stdlib/groups/<family>/), then registering its name in registry.ts.
//
// Capabilities that only some groups have (tensor products with Clebsch-Gordan tables,
// harmonics, points in space) are optional members; an operation that needs one reports
// E0221 for a group without it.

import type { Atom, Rep } from './rep.js';
import type { CircularHarmonicsAttrs, SphericalHarmonicsAttrs } from '../../ir/types.js';
import type { RepExpr } from './repExpr.js';
import type { DiagnosticCode } from '../../diagnostics/codes.js';
import type { Rng } from '../math/random.js';
import type { Domain } from '../../ir/types.js';

/** A dense real tensor, row-major. */
export interface Tensor {
  readonly shape: readonly number[];
  readonly data: Float64Array;
}

/** What a group makes of one atom expression, or why it cannot. */
export type AtomResult<A extends Atom = Atom> =
  /** `mul`: the expression stands for that many copies of `atom` (S(n)'s channel count `16`). */
  | { readonly ok: true; readonly atom: A; readonly mul?: number }
  | { readonly ok: false; readonly message: string; readonly help?: string; readonly code?: DiagnosticCode };

export interface RepNotation<A extends Atom = Atom> {
  /**
   * The meaning of an atom expression in this group's notation: `1o` (an irrep) for O(3),
   * `2` (a number) for SO(3), `T(2,0)`, `V*`, `det^2` for GL+(n). Sums, multiplicities,
   * parentheses and names of constants are resolved by the checker before (repExpr.ts).
   */
  atom(expr: RepExpr): AtomResult<A>;
  /** Atoms that are written as bare names (`V`, `det` for GL+(n)); checked after the scope. */
  atomNames(): readonly string[];
  /** A rep in this notation, e.g. `16x0e+8x1o` or `16x0+8x1`. */
  format(rep: Rep<A>): string;
  formatAtom(atom: A): string;
  /** The atom printed as `text` by formatAtom (used to read IR layouts back), if any. */
  atomFromText(text: string): A | undefined;
}

/** How an invariant-looking atom behaves under the group's improper elements. */
export type ScalarKind = 'even' | 'odd';

/** Selection rules and coupling coefficients of the tensor product of two atoms. */
export interface ProductRule<A extends Atom = Atom> {
  /**
   * Atoms in the decomposition of a ⊗ b, in the group's canonical order. An atom is listed once
   * per copy: SO(2)'s k ⊗ k = 0 ⊕ 0 ⊕ 2k lists the trivial rep twice (O(3) lists each once).
   */
  products(a: A, b: A): readonly A[];
  /**
   * The coupling tensor C[i, j, k] of shape (a.dim, b.dim, c.dim), real, Frobenius norm 1, such
   * that sum_ij C[i,j,k] x_i y_j transforms as c. For O(3) this is wigner3j in e3nn's basis.
   * `channel` (default 0) picks the copy when c appears several times in products(a, b).
   */
  coupling(a: A, b: A, c: A, channel?: number): Tensor;
  /** Words for why `c` arises from a ⊗ b (used in diagnostics), e.g. "the cross product". */
  describeProduct?(a: A, b: A, c: A): string | undefined;
  /**
   * Why products(a, b) is empty when a bound of the group's, not the mathematics, empties it
   * (GL+(n): a rank above MAX_RANK), so the checker reports it instead of dropping the path.
   */
  bound?(a: A, b: A): { readonly code: DiagnosticCode; readonly message: string } | undefined;
  /**
   * The degree l when the atom's basis is e3nn's real spherical harmonics of degree l (O(3) and
   * SO(3)): what the Gaunt and sphere-grid products (`kind = gaunt | grid`) need. Absent: only CG.
   */
  harmonicDegree?(a: A): number | undefined;
  /**
   * With harmonicDegree: the atom's parity under inversion (O(3): p), or undefined where the
   * group has no reflections (SO(3)); and the atom of degree l and parity p (p ignored there).
   * What `sphere_act` needs to check its input's form and build its output.
   */
  harmonicParity?(a: A): 1 | -1 | undefined;
  harmonicAtom?(l: number, p: 1 | -1): A;
}

export type HarmonicsNode =
  | { readonly op: 'spherical_harmonics'; readonly attrs: SphericalHarmonicsAttrs }
  | { readonly op: 'circular_harmonics'; readonly attrs: CircularHarmonicsAttrs };

/** Harmonic embeddings of vectors: spherical harmonics for O(3), circular ones for O(2). */
export interface HarmonicsRule<A extends Atom = Atom> {
  /** The rep of harmonics of degrees `ls` of an input vector whose atom is `input`. */
  rep(ls: readonly number[], input: A): { ok: true; rep: Rep<A> } | { ok: false; message: string };
  /**
   * The IR op computing them, with its tables: `spherical_harmonics` (O(3)'s, e3nn's
   * convention) or `circular_harmonics` (the 2D groups'). `ls` as given to `rep`.
   */
  node(ls: readonly number[], normalize: boolean, normalization: 'component' | 'norm' | 'integral'): HarmonicsNode;
}

/** Points in space, for `node[pos]` and radius graphs. */
export interface SpaceRule<A extends Atom = Atom> {
  readonly dim: number;
  readonly translations: boolean;
  /** The atom of a difference of two points (1o for O(3)/E(3), 1 for SO(3)/SE(3)). */
  readonly vector: A;
}

/** S(n) as a factor: the permutation acts on the domain (`node`, `pair`), not on the channels. */
/**
 * Flows on a torus grid (stdlib/groups/flow): `grid2d` values are sequences of size x size
 * frames whose cells move by v·t + s; `V` channels are lifted over `velocities` (vx, vy).
 */
export interface FlowRule {
  readonly size: number;
  readonly velocities: readonly (readonly [number, number])[];
}

/**
 * Groups that move the rows of values, not only their channels: S(n) reorders the nodes of each
 * set (and both indices of `pair` rows); flows move the cells of `grid2d` frames. The checker,
 * the suite generator and the plugin's own tests ask this, never the group's name.
 */
export interface DomainRule<A extends Atom = Atom> {
  /** The row kinds the group adds to node, edge and graph: `pair` for S(n), `grid2d` and `seq` for flows. */
  readonly rows: readonly Domain[];
  /** Units (nodes of a set, frames of a sequence) every graph must have: S(5)'s 5. */
  readonly fixedUnits?: number;
  /** Units of one test graph when the caller does not say (flows: 2 to 4 frames). */
  sampleUnits?(rng: Rng): number;
  /** Rows of a graph of `units` units in its node-like domain (flows: frames x size^2 cells); `units` if absent. */
  rowsPerGraph?(units: number): number;
  /**
   * The element's action on the rows of a value of `domain` whose graphs start at `graphPtr`
   * (flows: frame t of each sequence moves by v·t + s); the data unchanged where it moves none.
   * Permutations of nodes are not here: every model is tested against them (suite/symmetry.ts).
   */
  moveRows?(domain: Domain, g: GroupElement, data: Float64Array, dim: number, graphPtr: Int32Array): Float64Array;
  /** Atoms whose components the group only permutes, so a pointwise function commutes with it (flows' lifted `V`). */
  pointwise?(atom: A): boolean;
}

export interface PermutationRule {
  /** `S(5)`: every set has exactly 5 nodes (checked at run time); undefined for `S(n)`, any size. */
  readonly setSize?: number;
}

/** A sampled group element; JSON-serializable so failing tests can print it for replay. */
export interface GroupElement {
  readonly group: string;
  /** Matrix of the action on points (dim x dim, row-major), when the group acts on space. */
  readonly rotation?: readonly number[];
  readonly translation?: readonly number[];
  readonly [key: string]: unknown;
}

export interface Group<A extends Atom = Atom> {
  /** Canonical name as printed: `E(3)`, `SO(3)`. */
  readonly name: string;
  readonly notation: RepNotation<A>;
  /** The trivial representation (0e for O(3)). */
  readonly scalar: A;
  /** 'even' for invariant scalars, 'odd' for pseudoscalars (0o), undefined for non-scalars. */
  scalarKind(atom: A): ScalarKind | undefined;
  /** The scalar atom of a given kind, when the group has it (0o for O(3)). */
  scalarOfKind(kind: ScalarKind): A | undefined;
  /** The group's canonical order of atoms (e3nn's sort for O(3): by l, odd before even). */
  compareAtoms(a: A, b: A): number;
  /** A few words on what an atom is ("vector", "pseudovector", "rank-2 tensor"). */
  describeAtom(atom: A): string;
  /**
   * A basis of the equivariant linear maps from atom `from` to atom `to`, each a
   * (to.dim x from.dim) row-major matrix; empty when none exists. For irreps of a compact group
   * this is [identity] for equal atoms and [] otherwise (Schur).
   */
  equivariantMaps(from: A, to: A): readonly Tensor[];
  /** Why no linear map exists from `from` to `to`, when equivariantMaps is empty. */
  explainNoMap?(from: A, to: A): string;
  readonly products?: ProductRule<A>;
  readonly harmonics?: HarmonicsRule<A>;
  readonly space?: SpaceRule<A>;
  /** Permutations of the nodes of each set (S(n) and products with it): `pair` values exist. */
  readonly permutation?: PermutationRule;
  /** Flows (time-parameterised translations of grid sequences): `grid2d` and `seq` values exist. */
  readonly flow?: FlowRule;
  /** Groups that act on the rows of values (S(n), flows): their row kinds, layout, sampling and action. */
  readonly domain?: DomainRule<A>;

  // ---- for the generated equivariance tests ----
  /**
   * A random element (Haar measure where the group is compact). With `component`, one from
   * that connected component (0: the identity's; for O(3), 1: the reflections), so tests can
   * cover every component.
   */
  sample(rng: Rng, component?: number): GroupElement;
  /** What `sample` draws, in a few words for generated test names; `rotations` if absent. */
  readonly elements?: string;
  /** Number of connected components the tests should cover (2 for O(3) and E(3)); 1 if absent. */
  readonly components?: number;
  /** The matrix of one atom at g, (atom.dim x atom.dim) row-major. */
  atomMatrix(atom: A, g: GroupElement): Float64Array;
  /**
   * The sign of det(g) on points: -1 for an element that reverses orientation (a reflection),
   * 1 otherwise; absent means always 1. A pseudoscalar changes sign by it, so the suite's parity
   * mutant (an output read with the opposite parity) is measured with it.
   */
  orientation?(g: GroupElement): 1 | -1;
  /** The tolerance scale: 1 for compact groups, ‖ρ(g)‖ for non-compact ones. */
  toleranceScale?(rep: Rep<A>, g: GroupElement): number;
  /**
   * True when linear maps exist between different atoms (GL+(n): V -> T(2,1)); false or absent
   * for compact groups, whose atoms are irreps and whose maps follow Schur's lemma.
   */
  readonly mapsBetweenAtoms?: boolean;
  /**
   * Whether the Euclidean norm of every copy of every atom is invariant (`norm`, `norm_act`).
   * True for compact groups, whose atoms are written in orthogonal bases (O(3), O(2)) or are
   * permuted (S(n), flows); false for GL+(n) and SL(n), which stretch vectors.
   */
  readonly invariantNorm: boolean;
}

/**
 * Build the block-diagonal matrix of a whole rep at g, (rep.dim x rep.dim) row-major: the one
 * rep-matrix function (the suite reads IR layouts into a Rep and calls it).
 */
export function repMatrix<A extends Atom>(group: Group<A>, rep: Rep<A>, g: GroupElement): Float64Array {
  const n = rep.dim;
  const out = new Float64Array(n * n);
  let offset = 0;
  for (const { mul, ir } of rep.blocks) {
    const m = group.atomMatrix(ir, g);
    const d = ir.dim;
    for (let u = 0; u < mul; u++) {
      const o = offset + u * d;
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) out[(o + i) * n + (o + j)] = m[i * d + j]!;
    }
    offset += mul * d;
  }
  return out;
}
