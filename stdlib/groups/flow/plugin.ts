// Flows of 2D translations on a torus grid as a plugin of the Group interface ("Flow
// Equivariant Recurrent Neural Networks", Keller 2025). `Flow(T2, size = N)` is the group of
// flows ψ_t(v): x -> x + v t with integer velocities v modulo N, together with static shifts s;
// it acts on the domain of a value (the cells of every frame of a `grid2d` sequence move by
// v·t + s), and on the velocity axis of lifted features: a feature `16xV` is 16 channels, each
// lifted over the declared velocity set V, and moving the input with velocity w sends the
// channel at velocity v to v + w. So there are two atoms: one channel (written as a count,
// `grid2d[16]`), invariant, and the lifted channel `V`, |V|-dimensional, permuted by w.

import type { RepExpr } from '../repExpr.js';
import type { AtomResult, DomainRule, FlowRule, Group, GroupElement, Tensor } from '../group.js';
import type { Atom, Rep } from '../rep.js';
import type { Rng } from '../../math/random.js';
import { moveFrames, type Velocity, velocityShiftPermutation } from './velocities.js';

/** One unlifted channel: invariant under the flow's action on features. */
export const FLOW_CHANNEL: Atom = Object.freeze({ key: 'channel', dim: 1, toString: () => '1' });


export function liftedAtom(count: number): Atom {
  return Object.freeze({ key: 'V', dim: count, toString: () => 'V' });
}

function identity(n: number): Tensor {
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) data[i * n + i] = 1;
  return { shape: [n, n], data };
}

export interface FlowSpec {
  /** The generator: `T2`, translations of the plane. */
  readonly generator: 'T2';
  readonly size: number;
  readonly vmax?: number;
  readonly velocities: readonly Velocity[];
}

/** The printed name (IR readers see it; lookups use the IR's factors). */
export function flowName(spec: Pick<FlowSpec, 'size' | 'vmax'>): string {
  return `Flow(T2, size = ${spec.size}${spec.vmax === undefined ? '' : `, vmax = ${spec.vmax}`})`;
}

export function flowGroup(spec: FlowSpec): Group {
  const name = flowName(spec);
  const nv = spec.velocities.length;
  const V = liftedAtom(nv);
  const parse = (expr: RepExpr): AtomResult => {
    if (expr.kind === 'number') {
      if (!Number.isInteger(expr.value) || expr.value < 1) return { ok: false, message: `\`${expr.text}\` is not a channel count`, help: 'write a whole number of channels, `grid2d[16]`, or lifted channels, `grid2d[16xV]`' };
      return { ok: true, atom: FLOW_CHANNEL, mul: expr.value };
    }
    if (expr.kind === 'name' && expr.name === 'V') return { ok: true, atom: V };
    return { ok: false, message: 'flow features are channel counts (`16`) or channels lifted over the velocities (`16xV`)', help: 'write e.g. `grid2d[1]` for input frames and `grid2d[16xV]` for lifted hidden states' };
  };
  const flow: FlowRule = { size: spec.size, velocities: spec.velocities };
  const cells = spec.size * spec.size;
  const domain: DomainRule = {
    rows: ['grid2d', 'seq'],
    // A test sequence has 2 to 4 frames (few, so fast-check shrinks to short sequences).
    sampleUnits: (rng) => 2 + rng.int(3),
    rowsPerGraph: (frames) => frames * cells,
    moveRows: (rowDomain, g, data, dim, graphPtr) => {
      if (rowDomain !== 'grid2d') return data;
      // Frame f of the batch is frame f - (first frame of its sequence) in time.
      const timeOf = new Int32Array(graphPtr[graphPtr.length - 1]! / cells);
      for (let s = 0; s + 1 < graphPtr.length; s++) {
        const a = graphPtr[s]! / cells;
        for (let f = a; f < graphPtr[s + 1]! / cells; f++) timeOf[f] = f - a;
      }
      return moveFrames(data, spec.size, dim, (f) => timeOf[f]!, g.velocity as Velocity, g.shift as Velocity);
    },
    // The flow only permutes a lifted channel's velocities: a pointwise function commutes with that.
    pointwise: (atom) => atom.key === 'V',
  };
  return {
    name,
    notation: {
      atom: parse,
      atomNames: () => ['V'],
      format: (rep: Rep) => rep.blocks.map((b) => (b.ir.key === 'V' ? `${b.mul}xV` : String(b.mul))).join('+'),
      formatAtom: (a) => (a.key === 'V' ? 'V' : '1'),
      atomFromText: (text) => (text === 'V' ? V : text === '1' ? FLOW_CHANNEL : undefined),
    },
    scalar: FLOW_CHANNEL,
    scalarKind: (a) => (a.key === 'channel' ? 'even' : undefined),
    scalarOfKind: (kind) => (kind === 'even' ? FLOW_CHANNEL : undefined),
    compareAtoms: (a, b) => (a.key === b.key ? 0 : a.key === 'channel' ? -1 : 1),
    describeAtom: (a) => (a.key === 'V' ? `channel lifted over ${nv} velocities` : 'channel'),
    // Per-velocity maps share their weights (the identity on V); lifting a channel copies it to
    // every velocity, and summing over the velocities drops the lift: both commute with the
    // permutation of the velocity axis.
    equivariantMaps: (from, to) => {
      if (from.key === to.key) return [identity(from.dim)];
      if (from.key === 'channel') return [{ shape: [nv, 1], data: new Float64Array(nv).fill(1) }];
      return [{ shape: [1, nv], data: new Float64Array(nv).fill(1 / Math.sqrt(nv)) }];
    },
    explainNoMap: () => 'every pair of flow features has an equivariant map',
    invariantNorm: true,
    flow,
    domain,
    elements: 'flows with a declared velocity, and static shifts of the torus',
    sample: (rng: Rng): GroupElement => {
      const v = spec.velocities[rng.int(nv)]!;
      return { group: name, velocity: [v[0], v[1]], shift: [rng.int(spec.size), rng.int(spec.size)] };
    },
    atomMatrix: (atom, g) => {
      if (atom.key !== 'V') return Float64Array.of(1);
      const w = g.velocity as Velocity;
      const perm = velocityShiftPermutation(spec.velocities, w, spec.size);
      const m = new Float64Array(nv * nv);
      for (let i = 0; i < nv; i++) m[i * nv + perm[i]!] = 1;
      return m;
    },
  };
}
