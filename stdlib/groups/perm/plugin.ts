// The symmetric group S(n) as a plugin of the Group interface. A permutation acts on the
// domain of a value (it reorders the nodes of a set, and both indices of a `pair` value), never
// on its channels: a feature `node[16]` is 16 channels, each a copy of the trivial
// representation. So the notation is a channel count, every atom is the one invariant channel,
// and the group element the tests draw acts as the identity on features; the permutation of
// rows is applied by the generated tests' permutation check (targets/suite/symmetry.ts).

import type { RepExpr } from '../repExpr.js';
import type { AtomResult, DomainRule, Group, GroupElement, Tensor } from '../group.js';
import type { Atom, Rep } from '../rep.js';

/** One channel: the trivial representation, the only atom of S(n). */
export const CHANNEL: Atom = Object.freeze({ key: 'channel', dim: 1, toString: () => '1' });

const IDENTITY_1: Tensor = { shape: [1, 1], data: Float64Array.of(1) };

function parseChannels(expr: RepExpr): AtomResult {
  if (expr.kind === 'number') {
    if (!Number.isInteger(expr.value) || expr.value < 1) {
      return { ok: false, message: `\`${expr.text}\` is not a channel count`, help: 'S(n) features are written as a whole number of channels, e.g. `node[16]`' };
    }
    return { ok: true, atom: CHANNEL, mul: expr.value };
  }
  const text = expr.kind === 'irrep' ? `\`${expr.text}\` is an irrep, but S(n) features are channel counts` : 'not a channel count';
  return {
    ok: false,
    message: text,
    help: 'permutations act on the nodes (the domain), not on the channels: write the number of channels, `node[16]`, or use a product group such as `E(3) x S(n)` for irreps',
  };
}

/** S(n)'s rows: `pair` values exist; S(5) fixes the nodes of every set. Shared with products `G x S(n)`. */
export function permutationDomain(setSize?: number): DomainRule {
  return { rows: ['pair'], ...(setSize !== undefined ? { fixedUnits: setSize } : {}) };
}

/** `setSize`: the n of `S(5)` (every set has exactly n nodes); undefined for `S(n)`. */
export function symmetricGroup(setSize?: number): Group {
  const name = setSize === undefined ? 'S(n)' : `S(${setSize})`;
  return {
    name,
    notation: {
      atom: parseChannels,
      atomNames: () => [],
      // A rep is all channels: print their number.
      format: (rep: Rep) => String(rep.dim),
      formatAtom: () => '1',
      atomFromText: (text) => (text === '1' ? CHANNEL : undefined),
    },
    scalar: CHANNEL,
    scalarKind: () => 'even',
    scalarOfKind: (kind) => (kind === 'even' ? CHANNEL : undefined),
    compareAtoms: () => 0,
    describeAtom: () => 'channel',
    equivariantMaps: () => [IDENTITY_1],
    invariantNorm: true,
    permutation: setSize === undefined ? {} : { setSize },
    domain: permutationDomain(setSize),
    // The element's action on channels is the identity; the permutation itself is drawn per
    // batch by the permutation check, which knows the set sizes.
    sample: (): GroupElement => ({ group: name }),
    elements: 'the identity on channels; permutations act on the nodes',
    atomMatrix: () => Float64Array.of(1),
  };
}
