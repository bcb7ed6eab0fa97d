// The 2D rotation-group family as plugins of the Group interface: O(2) and E(2) written with
// signed scalars and bare frequencies (`16x0e + 4x0o + 8x1 + 4x2`), SO(2) and SE(2) with bare
// frequencies only (`16x0 + 8x1 + 4x2`). They share the atoms (Frequency), coupling tensors and
// circular harmonics; they differ in notation, in whether reflections exist (sampling, the sign
// rep, SO(2)'s two trivial channels of k ⊗ k) and in translations of points.

import type { RepExpr } from '../repExpr.js';
import { MAX_DEGREE } from '../../limits.js';
import type { AtomResult, Group, GroupElement, Tensor } from '../group.js';
import { Rep } from '../rep.js';
import type { Rng } from '../../math/random.js';
import { Frequency, compareFrequencies, parseFrequency } from './irreps.js';
import { frequencyProductRule } from './coupling.js';
import { frequencyMatrix, randomO2 } from './rotations.js';
import { circularHarmonicsAttrs } from './harmonics.js';

interface Flavour {
  readonly name: string;
  readonly reflections: boolean;
  readonly translations: boolean;
}

function matrix(n: number, entries: readonly number[]): Tensor {
  return { shape: [n, n], data: Float64Array.from(entries) };
}

/**
 * Equivariant maps between two irreps. O(2)'s irreps are of real type: only multiples of the
 * identity. SO(2)'s 2-dim irreps are of complex type: the 90° rotation J commutes with every
 * rotation, so the maps k -> k are a·I + b·J, two basis maps.
 */
function equivariantMaps(from: Frequency, to: Frequency): Tensor[] {
  if (from.key !== to.key) return [];
  if (from.k === 0) return [matrix(1, [1])];
  const identity = matrix(2, [1, 0, 0, 1]);
  return from.reflections ? [identity] : [identity, matrix(2, [0, -1, 1, 0])];
}

function describe(f: Frequency): string {
  if (f.k === 0) return f.sign === 1 ? 'scalar' : 'pseudoscalar';
  return f.k === 1 ? 'vector (frequency 1)' : `frequency-${f.k} rep`;
}

function wholeNumber(expr: RepExpr): { value: number; text: string } | undefined {
  return expr.kind === 'number' ? { value: expr.value, text: expr.text } : undefined;
}

function parseAtom(expr: RepExpr, flavour: Flavour): AtomResult<Frequency> {
  const { reflections, name } = flavour;
  if (expr.kind === 'irrep') {
    const m = /^(\d+)([a-z])$/.exec(expr.text);
    const k = m ? Number(m[1]) : NaN;
    if (!reflections) {
      return {
        ok: false,
        code: 'E0601',
        message: `\`${expr.text}\` has a parity letter, but this group has no reflections`,
        help: Number.isInteger(k) ? `write \`${k}\`: ${name} representations are frequencies 0, 1, 2, ...` : `${name} representations are frequencies 0, 1, 2, ...`,
      };
    }
    if (k === 0 && (m![2] === 'e' || m![2] === 'o')) return { ok: true, atom: new Frequency(0, m![2] === 'e' ? 1 : -1) };
    if (Number.isInteger(k) && k > 0) {
      return {
        ok: false,
        code: 'E0602',
        message: `\`${expr.text}\` has a parity letter, but the frequency-${k} irrep has no parity`,
        help: `write \`${k}\`: a reflection acts on every 2-dimensional irrep alike (as diag(1, -1)), so only the scalars \`0e\` and \`0o\` carry a letter`,
      };
    }
    return { ok: false, code: 'E0602', message: `\`${expr.text}\` is not an irrep of this group`, help: `${name}'s irreps are \`0e\` (scalar), \`0o\` (pseudoscalar) and frequencies \`1\`, \`2\`, ...` };
  }
  const num = wholeNumber(expr);
  if (num) {
    if (!Number.isInteger(num.value) || num.value < 0) {
      return {
        ok: false,
        code: 'E0603',
        message: `\`${num.text}\` is not a frequency: frequencies are whole numbers 0, 1, 2, ...`,
        help: Number.isInteger(num.value)
          ? `write \`${-num.value}\`: frequency ${num.text} is the same irrep as ${-num.value} (the two are conjugate by a reflection of the basis)`
          : 'round it to a whole number',
      };
    }
    if (num.value > MAX_DEGREE) return { ok: false, code: 'E1201', message: `\`${num.text}\` has frequency ${num.value}, above the limit of ${MAX_DEGREE}`, help: `use frequencies up to ${MAX_DEGREE}` };
    if (reflections && num.value === 0) {
      return {
        ok: false,
        code: 'E0604',
        message: '`0` is ambiguous here: a reflection may keep a scalar or flip its sign',
        help: 'write `0e` for an invariant scalar or `0o` for a pseudoscalar (one that changes sign under reflections)',
      };
    }
    return { ok: true, atom: new Frequency(num.value, 1, reflections) };
  }
  return {
    ok: false,
    message: 'not an irrep',
    help: reflections ? `${name}'s irreps are written 0e, 0o, 1, 2, ..., with multiplicities like 16x0e + 8x1` : `${name}'s irreps are frequencies 0, 1, 2, ..., with multiplicities like 16x0 + 8x1`,
  };
}

function makeGroup(flavour: Flavour): Group<Frequency> {
  const { reflections } = flavour;
  const scalar = new Frequency(0, 1, reflections);
  const vector = new Frequency(1, 1, reflections);
  const formatAtom = (f: Frequency) => f.key;
  return {
    name: flavour.name,
    notation: {
      atom: (expr) => parseAtom(expr, flavour),
      atomNames: () => [],
      formatAtom,
      atomFromText: (text) => parseFrequency(text, reflections),
      format: (rep: Rep<Frequency>) => rep.blocks.map((b) => `${b.mul}x${formatAtom(b.ir)}`).join('+'),
    },
    scalar,
    scalarKind: (f) => (f.k !== 0 ? undefined : f.sign === 1 ? 'even' : 'odd'),
    scalarOfKind: (kind) => (kind === 'even' ? scalar : reflections ? new Frequency(0, -1) : undefined),
    compareAtoms: compareFrequencies,
    describeAtom: describe,
    equivariantMaps,
    invariantNorm: true,
    explainNoMap: (from, to) =>
      from.k !== to.k
        ? `a linear map cannot change the frequency (${formatAtom(from)} has frequency ${from.k}, ${formatAtom(to)} has frequency ${to.k})`
        : `a linear map cannot turn a ${describe(from)} into a ${describe(to)}: they differ under reflections`,
    products: frequencyProductRule(reflections),
    harmonics: {
      node: (ks, normalize, normalization) => ({ op: 'circular_harmonics', attrs: circularHarmonicsAttrs(ks, normalize, normalization) }),
      rep: (ks, input) => {
        if (input.k !== 1) return { ok: false, message: `circular harmonics take a vector (1x1), not ${formatAtom(input)}` };
        return { ok: true, rep: new Rep(ks.map((k) => ({ mul: 1, ir: new Frequency(k, 1, reflections) }))) };
      },
    },
    space: { dim: 2, translations: flavour.translations, vector },
    components: reflections ? 2 : 1,
    sample: (rng: Rng, component?: number): GroupElement => {
      const reflect = reflections && (component === undefined ? rng.uniform() < 0.5 : component % 2 === 1);
      const rotation = randomO2(rng, reflect);
      const translation = flavour.translations ? [rng.normal() * 2, rng.normal() * 2] : undefined;
      return { group: flavour.name, rotation, ...(translation ? { translation } : {}) };
    },
    atomMatrix: (f, g) => frequencyMatrix(f, g.rotation as readonly number[]),
    ...(reflections ? { orientation: (g: GroupElement) => { const r = g.rotation as readonly number[]; return (r[0]! * r[3]! - r[1]! * r[2]! < 0 ? -1 : 1) as 1 | -1; } } : {}),
  };
}

export const O2 = makeGroup({ name: 'O(2)', reflections: true, translations: false });
export const SO2 = makeGroup({ name: 'SO(2)', reflections: false, translations: false });
export const E2 = makeGroup({ name: 'E(2)', reflections: true, translations: true });
export const SE2 = makeGroup({ name: 'SE(2)', reflections: false, translations: true });
