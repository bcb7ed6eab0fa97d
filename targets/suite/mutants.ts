// Deliberately broken variants of a model, the controls that prove an equivariance suite can
// fail: each must be caught. They are IR rewrites, so they run on every target:
// - cg-sign: one component of one Clebsch-Gordan path has its sign flipped;
// - vector-nonlinearity: a pointwise silu applied to a block of vectors (or higher irreps);
// - parity: an output declared with the opposite parity of what the model computes (a
//   pseudovector called a vector), for groups with reflections;
// - permutation: node features scaled by weights that depend on the node's index.
// - flow-shift: a flow_rnn whose hidden state is not shifted by its velocity (a plain conv RNN).
// - basis-map: one basis map of a linear (GL+(n), SL(n)) gets an extra entry, so it is no
//   longer in the null space of the Lie-algebra constraints.
// - periodic-shift: periodic edge vectors without their shift·cell term (pos[src] - pos[dst]
//   only): still rotation-, translation- and permutation-equivariant, so only the lattice
//   translation check can catch it.

import type { IRModule, IRNode, ValueId } from '../../ir/types.js';
import type { Group } from '../../stdlib/groups/group.js';
import type { Atom } from '../../stdlib/groups/rep.js';

export interface Mutant {
  readonly name: 'cg-sign' | 'vector-nonlinearity' | 'parity' | 'permutation' | 'flow-shift' | 'basis-map' | 'periodic-shift';
  readonly description: string;
  readonly module: IRModule;
  /** Which check must catch it. */
  readonly caughtBy: 'group' | 'permutation' | 'lattice';
  /** For `parity`: the output block whose parity the test expects flipped. */
  readonly flippedParity?: { readonly output: string; readonly block: number };
}

/** Insert `node` right after the node `after`, and make every later use of `after` use it. */
function insertAfter(module: IRModule, after: ValueId, node: IRNode): IRModule {
  const nodes: IRNode[] = [];
  let inserted = false;
  for (const n of module.nodes) {
    if (inserted) nodes.push({ ...n, inputs: n.inputs.map((i) => (i === after ? node.id : i)) } as IRNode);
    else nodes.push(n);
    if (n.id === after) {
      nodes.push(node);
      inserted = true;
    }
  }
  const outputs = module.outputs.map((o) => (o.value === after ? { ...o, value: node.id } : o));
  return { ...module, nodes, outputs };
}

function used(module: IRModule, id: ValueId): boolean {
  return module.nodes.some((n) => n.inputs.includes(id)) || module.outputs.some((o) => o.value === id);
}

/** How many candidates of one kind are tried before the kind is given up (each costs reference runs). */
export const MAX_CANDIDATES = 12;

function cgSign(module: IRModule): Mutant[] {
  const out: Mutant[] = [];
  for (const node of module.nodes) {
    if (node.op !== 'tensor_product' || node.type.kind !== 'field') continue;
    const rep = node.type.rep;
    for (const [index, path] of node.attrs.paths.entries()) {
      const table = module.tables[path.coupling];
      const dim = rep.blocks[path.iOut]!.dim;
      if (dim <= 1 || !table || table.entries.length === 0) continue;
      // One candidate per output component: flipping one may be squared away downstream (a
      // norm of this vector), flipping another need not be.
      for (let k = 0; k < dim && out.length < MAX_CANDIDATES; k++) {
        if (!table.entries.some((v, i) => i % 4 === 2 && v === k)) continue;
        const entries = table.entries.map((v, i) => (i % 4 === 3 && table.entries[i - 1] === k ? -v : v));
        const key = `${path.coupling}#mutant${k}`;
        const paths = node.attrs.paths.map((p, i) => (i === index ? { ...p, coupling: key } : p));
        // A grid product is the Gaunt tables' product computed on a sphere grid: its mutant runs
        // the (flipped) tables, the same function but for the flipped sign.
        const { grid: _grid, ...attrs } = node.attrs;
        const mutated = { ...node, attrs: { ...(attrs.kind === 'grid' ? { ...attrs, kind: 'gaunt' as const } : node.attrs), paths } } as IRNode;
        out.push({
          name: 'cg-sign',
          description: `output component ${k} of path ${index} of ${node.id} (${node.source.text || node.op}, line ${node.source.line}) has its Clebsch-Gordan sign flipped`,
          module: { ...module, nodes: module.nodes.map((n) => (n.id === node.id ? mutated : n)), tables: { ...module.tables, [key]: { shape: table.shape, entries } } },
          caughtBy: 'group',
        });
      }
    }
  }
  return out;
}

function vectorNonlinearity(module: IRModule, group: Group<Atom>): Mutant[] {
  const out: Mutant[] = [];
  for (const node of module.nodes) {
    if (out.length >= MAX_CANDIDATES) break;
    // Atoms whose components the group only permutes (flows' velocity-lifted `V`) commute with
    // a pointwise function, so the mutant needs another atom (GL+(n)'s `V`, a vector, is one).
    const pointwise = (ir: string) => {
      const atom = group.notation.atomFromText(ir);
      return atom !== undefined && (group.domain?.pointwise?.(atom) ?? false);
    };
    if (node.type.kind !== 'field' || !node.type.rep.blocks.some((b) => b.dim > 1 && !pointwise(b.ir)) || !used(module, node.id)) continue;
    const rep = node.type.rep;
    const act: IRNode = {
      id: `${node.id}.mutant`,
      op: 'activation',
      inputs: [node.id],
      type: node.type,
      attrs: { blocks: rep.blocks.map(() => ({ act: 'silu' as const, scale: 1.6791767923989418 })) },
      params: [],
      source: node.source,
      flops: 0,
    };
    out.push({
      name: 'vector-nonlinearity',
      description: `silu applied to every component of ${rep.text} after ${node.id} (${node.source.text || node.op}, line ${node.source.line})`,
      module: insertAfter(module, node.id, act),
      caughtBy: 'group',
    });
  }
  return out;
}

function parity(module: IRModule, group: Group<Atom>): Mutant[] {
  // Only a group with orientation-reversing elements tells a parity from its opposite.
  if (!group.orientation) return [];
  const out: Mutant[] = [];
  // Every block of every output: a block the model leaves zero (or that no input reaches)
  // looks the same with either parity.
  for (const o of module.outputs) {
    if (o.type.kind !== 'field') continue;
    for (const [block, b] of o.type.rep.blocks.entries()) {
      if (out.length >= MAX_CANDIDATES) return out;
      out.push({
        name: 'parity',
        description: `output ${o.name} treated as having the opposite parity in its block ${block} (${b.ir})`,
        module,
        caughtBy: 'group',
        flippedParity: { output: o.name, block },
      });
    }
  }
  return out;
}

function permutation(module: IRModule): Mutant[] {
  const out: Mutant[] = [];
  for (const node of module.nodes) {
    if (out.length >= MAX_CANDIDATES) break;
    // Node rows, or (S(n)) pair rows: either way the scale depends on where a row sits.
    if (node.op === 'input' || node.type.kind !== 'field' || (node.type.domain !== 'node' && node.type.domain !== 'pair') || !used(module, node.id)) continue;
    const scale: IRNode = {
      id: `${node.id}.mutant`,
      op: 'scale',
      inputs: [node.id],
      type: node.type,
      attrs: { factor: 1, rowRamp: 0.5 },
      params: [],
      source: node.source,
      flops: 0,
    };
    out.push({
      name: 'permutation',
      description: `${node.type.domain} features after ${node.id} (${node.source.text || node.op}, line ${node.source.line}) scaled by 1 + 0.5 * (${node.type.domain} index)`,
      module: insertAfter(module, node.id, scale),
      caughtBy: 'permutation',
    });
  }
  return out;
}

/**
 * flow-shift: a flow-equivariant recurrence whose hidden state is no longer shifted by its
 * velocity each step (a plain convolutional RNN, equivariant to static shifts only). A
 * recurrence whose velocities are all 0 is its own mutant, so it is no candidate.
 */
function flowShift(module: IRModule): Mutant[] {
  const out: Mutant[] = [];
  for (const node of module.nodes) {
    if (node.op !== 'flow_rnn' || !used(module, node.id) || out.length >= MAX_CANDIDATES) continue;
    if (node.attrs.velocities.every((v) => v.every((c) => c === 0))) continue;
    const mutated = { ...node, attrs: { ...node.attrs, velocities: node.attrs.velocities.map(() => [0, 0] as const) } } as IRNode;
    out.push({
      name: 'flow-shift',
      description: `the recurrence of ${node.id} (${node.source.text || node.op}, line ${node.source.line}) without the shift by each channel's velocity (a plain convolutional RNN)`,
      module: { ...module, nodes: module.nodes.map((n) => (n.id === node.id ? mutated : n)) },
      caughtBy: 'group',
    });
  }
  return out;
}

/** basis-map: entry (0, 1) of the first basis map of a linear path with basis maps raised by 1. */
function basisMap(module: IRModule): Mutant[] {
  const out: Mutant[] = [];
  for (const node of module.nodes) {
    if (node.op !== 'linear' || !used(module, node.id)) continue;
    for (const [index, path] of node.attrs.paths.entries()) {
      if (!path.basis || path.basis[0]!.length <= 1 || out.length >= MAX_CANDIDATES) continue;
      const broken = path.basis.map((m, b) => (b === 0 ? m.map((v, i) => (i === 1 ? v + 1 : v)) : m));
      const paths = node.attrs.paths.map((p, i) => (i === index ? { ...p, basis: broken } : p));
      const mutated = { ...node, attrs: { ...node.attrs, paths } } as IRNode;
      out.push({
        name: 'basis-map',
        description: `basis map 0 of path ${index} of ${node.id} (${node.source.text || node.op}, line ${node.source.line}) has entry (0, 1) raised by 1`,
        module: { ...module, nodes: module.nodes.map((n) => (n.id === node.id ? mutated : n)) },
        caughtBy: 'group',
      });
    }
  }
  return out;
}

/**
 * periodic-shift: the first used periodic edge-vector node computed without its cell (its
 * shifts ignored), whether the edges come from `radius_graph` or are given in the input
 * (`in bonds: graph` with lattice shifts): the lattice row moves atoms by lattice vectors and
 * the given shifts with them, so a model that drops the shifts is caught either way.
 */
function periodicShift(module: IRModule): Mutant[] {
  for (const node of module.nodes) {
    if (node.op !== 'edge_vectors' || node.inputs.length < 3 || !used(module, node.id)) continue;
    const mutated = { ...node, inputs: node.inputs.slice(0, 2) } as IRNode;
    return [
      {
        name: 'periodic-shift',
        description: `the edge vectors ${node.id} (${node.source.text || node.op}, line ${node.source.line}) without the lattice shift of periodic edges (pos[src] - pos[dst] only)`,
        module: { ...module, nodes: module.nodes.map((n) => (n.id === node.id ? mutated : n)) },
        caughtBy: 'lattice',
      },
    ];
  }
  return [];
}

/**
 * Every candidate mutant of this model, kind by kind in a fixed order, the likeliest first.
 * Not every candidate is observable (see chooseMutants.ts, which picks one per kind).
 */
export function mutantCandidates(module: IRModule, group: Group<Atom>): Mutant[] {
  return [...cgSign(module), ...vectorNonlinearity(module, group), ...parity(module, group), ...permutation(module), ...flowShift(module), ...basisMap(module), ...periodicShift(module)];
}

/** The first candidate of each kind, unchecked (chooseMutants.ts checks them). */
export function mutantsOf(module: IRModule, group: Group<Atom>): Mutant[] {
  const seen = new Set<string>();
  return mutantCandidates(module, group).filter((m) => !seen.has(m.name) && (seen.add(m.name), true));
}
