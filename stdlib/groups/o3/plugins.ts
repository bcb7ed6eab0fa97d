// The rotation-group family as plugins of the Group interface: O(3) and E(3) in e3nn's
// notation (`16x0e + 8x1o`), SO(3) and SE(3) parity-free (`16x0 + 8x1`). All four share the
// same atoms (Irrep), Clebsch-Gordan tables and harmonics; they differ in notation, in
// whether reflections exist (sampling, parity rules) and in translations of points.

import type { RepExpr } from '../repExpr.js';
import { MAX_DEGREE } from '../../limits.js';
import type { AtomResult, Group, GroupElement, ProductRule, Tensor } from '../group.js';
import { Rep } from '../rep.js';
import type { Rng } from '../../math/random.js';
import { Irrep } from './irreps.js';
import { wigner3j } from './wigner3j.js';
import { irrepD, randomRotation } from './rotations.js';
import { sphericalHarmonicsAttrs } from './sphericalHarmonics.js';
import { det3 } from '../../math/linalg.js';

interface Flavour {
  readonly name: string;
  readonly reflections: boolean;
  readonly translations: boolean;
}

const EVEN_SCALAR = new Irrep(0, 1);
const ODD_SCALAR = new Irrep(0, -1);

function identity(n: number): Tensor {
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) data[i * n + i] = 1;
  return { shape: [n, n], data };
}

const productWords: Record<string, string> = {
  '1o,1o,1e': 'the cross product of two vectors',
  '1o,1o,0e': 'the dot product of two vectors',
  '1e,1o,1o': 'the product of a pseudovector and a vector',
  '1o,1e,1o': 'the product of a vector and a pseudovector',
  '1o,1e,0o': 'the dot product of a vector and a pseudovector',
  '1e,1o,0o': 'the dot product of a pseudovector and a vector',
};

const o3Products: ProductRule<Irrep> = {
  products: (a, b) => a.times(b),
  coupling: (a, b, c) => wigner3j(a.l, b.l, c.l),
  describeProduct: (a, b, c) => productWords[`${a},${b},${c}`],
  harmonicDegree: (a) => a.l,
  // A full tensor product keeps every degree up to l1 + l2; past MAX_DEGREE the tables explode.
  bound: (a, b) => (a.l + b.l > MAX_DEGREE ? { code: 'E1201', message: `degree ${a.l} ⊗ degree ${b.l} reaches degree ${a.l + b.l}, above the limit of ${MAX_DEGREE}` } : undefined),
};

function describe(ir: Irrep, reflections: boolean): string {
  if (!reflections) return ir.l === 0 ? 'scalar' : ir.l === 1 ? 'vector' : `degree-${ir.l} tensor`;
  if (ir.l === 0) return ir.p === 1 ? 'scalar' : 'pseudoscalar';
  if (ir.l === 1) return ir.p === -1 ? 'vector' : 'pseudovector';
  const natural = (ir.l % 2 === 0 ? 1 : -1) === ir.p;
  return `degree-${ir.l} tensor of ${natural ? 'natural' : 'unnatural'} parity`;
}

/** Degrees above MAX_DEGREE: Clebsch-Gordan tables grow as l^3 and take seconds past it. */
function tooHigh(text: string, l: number): AtomResult<Irrep> {
  return { ok: false, code: 'E1201', message: `\`${text}\` has degree ${l}, above the limit of ${MAX_DEGREE}`, help: `use degrees up to ${MAX_DEGREE}` };
}

function parseAtom(expr: RepExpr, reflections: boolean): AtomResult<Irrep> {
  if (expr.kind === 'irrep') {
    let ir: Irrep;
    try {
      ir = Irrep.parse(expr.text);
    } catch (e) {
      return { ok: false, message: `\`${expr.text}\` is not an irrep`, help: 'an irrep is a degree l followed by its parity: 0e, 1o, 2e' };
    }
    if (ir.l > MAX_DEGREE) return tooHigh(expr.text, ir.l);
    if (!reflections) {
      return {
        ok: false,
        message: `\`${expr.text}\` has a parity, but this group has no reflections`,
        help: `write \`${ir.l}\`: SO(3) and SE(3) representations are degrees only`,
      };
    }
    return { ok: true, atom: ir };
  }
  if (expr.kind === 'number') {
    const l = expr.value;
    if (!Number.isInteger(l) || l < 0) return { ok: false, message: `\`${expr.text}\` is not a degree: degrees are whole numbers 0, 1, 2, ...` };
    if (l > MAX_DEGREE) return tooHigh(expr.text, l);
    if (reflections) {
      const natural = l % 2 === 0 ? 'e' : 'o';
      return {
        ok: false,
        message: `\`${expr.text}\` has no parity, but this group has reflections`,
        help: `write \`${l}e\` or \`${l}o\` (\`${l}${natural}\` for a spherical harmonic; \`${l}y\` means that too)`,
      };
    }
    return { ok: true, atom: new Irrep(l, 1) };
  }
  return {
    ok: false,
    message: 'not an irrep',
    help: reflections ? 'irreps are written like 0e, 1o, 2e, with multiplicities like 16x0e' : 'irreps are written as degrees like 0, 1, 2, with multiplicities like 16x0',
  };
}

function makeGroup(flavour: Flavour): Group<Irrep> {
  const { reflections } = flavour;
  const formatAtom = (ir: Irrep) => (reflections ? ir.toString() : String(ir.l));
  return {
    name: flavour.name,
    notation: {
      atom: (expr) => parseAtom(expr, reflections),
      atomNames: () => [],
      formatAtom,
      atomFromText: (text) => {
        if (reflections) {
          try {
            return Irrep.parse(text);
          } catch {
            return undefined;
          }
        }
        return /^\d+$/.test(text) ? new Irrep(Number(text), 1) : undefined;
      },
      format: (rep: Rep<Irrep>) => rep.blocks.map((b) => `${b.mul}x${formatAtom(b.ir)}`).join('+'),
    },
    scalar: EVEN_SCALAR,
    scalarKind: (ir) => (ir.l !== 0 ? undefined : ir.p === 1 ? 'even' : 'odd'),
    scalarOfKind: (kind) => (kind === 'even' ? EVEN_SCALAR : reflections ? ODD_SCALAR : undefined),
    // e3nn's sort order: by degree, odd before even (0o < 0e < 1o < 1e).
    compareAtoms: (a, b) => a.l - b.l || a.p - b.p,
    describeAtom: (ir) => describe(ir, reflections),
    equivariantMaps: (from, to) => (from.key === to.key ? [identity(from.dim)] : []),
    invariantNorm: true,
    explainNoMap: (from, to) =>
      from.l !== to.l
        ? `a linear map cannot change the degree l (${formatAtom(from)} has l = ${from.l}, ${formatAtom(to)} has l = ${to.l})`
        : `a linear map cannot change parity (${formatAtom(from)} is ${describe(from, reflections)}, ${formatAtom(to)} is ${describe(to, reflections)})`,
    products: { ...o3Products, harmonicParity: (a) => (reflections ? a.p : undefined), harmonicAtom: (l, p) => new Irrep(l, reflections ? p : 1) },
    harmonics: {
      node: (ls, normalize, normalization) => ({ op: 'spherical_harmonics', attrs: sphericalHarmonicsAttrs(ls, normalize, normalization) }),
      rep: (ls, input) => {
        if (input.l !== 1) return { ok: false, message: `spherical harmonics take a vector (${reflections ? '1x1o' : '1x1'}), not ${formatAtom(input)}` };
        const blocks = ls.map((l) => ({ mul: 1, ir: new Irrep(l, input.p === -1 ? (l % 2 === 0 ? 1 : -1) : 1) }));
        return { ok: true, rep: new Rep(blocks) };
      },
    },
    space: { dim: 3, translations: flavour.translations, vector: reflections ? new Irrep(1, -1) : new Irrep(1, 1) },
    components: reflections ? 2 : 1,
    sample: (rng: Rng, component?: number): GroupElement => {
      const R = randomRotation(rng);
      const improper = component === undefined ? rng.uniform() < 0.5 : component % 2 === 1;
      const sign = reflections && improper ? -1 : 1;
      const rotation = Array.from(R as ArrayLike<number>, (v) => v * sign);
      const translation = flavour.translations ? [rng.normal() * 2, rng.normal() * 2, rng.normal() * 2] : undefined;
      return { group: flavour.name, rotation, ...(translation ? { translation } : {}) };
    },
    atomMatrix: (ir, g) => irrepD(ir, g.rotation as readonly number[]),
    ...(reflections ? { orientation: (g: GroupElement) => (det3(g.rotation as readonly number[]) < 0 ? -1 : 1) as 1 | -1 } : {}),
  };
}

export const O3 = makeGroup({ name: 'O(3)', reflections: true, translations: false });
export const SO3 = makeGroup({ name: 'SO(3)', reflections: false, translations: false });
export const E3 = makeGroup({ name: 'E(3)', reflections: true, translations: true });
export const SE3 = makeGroup({ name: 'SE(3)', reflections: false, translations: true });
