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

import type { IRModule, IRNode, ValueId } from '../../ir/types.js';
import type { Group } from '../../stdlib/groups/group.js';
import type { Atom } from '../../stdlib/groups/rep.js';

export interface Mutant {
  readonly name: 'cg-sign' | 'vector-nonlinearity' | 'parity' | 'permutation' | 'flow-shift' | 'basis-map';
  readonly description: string;
  readonly module: IRModule;
  /** Which check must catch it. */
  readonly caughtBy: 'group' | 'permutation';
  /** For `parity`: the output block whose parity the test expects flipped. */
  readonly flippedParity?: { readonly output: string; readonly block: number };
}

/** Insert `node` right after the node `after`, and make every later use of `after` use it. */
function insertAfter(module: IRModule, after: ValueId, node: IRNode): IRModule {
  const nodes: IRNode[] = [];
  let inserted = false;
  for (const n of module.nodes) {
    if (inserted) nodes.push({ ...n, inputs: n.inputs.map((i) => (i === after ? node.id : i)) });
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

function cgSign(module: IRModule): Mutant | undefined {
  for (const node of module.nodes) {
    if (node.op !== 'tensor_product' || node.type.kind !== 'field') continue;
    const rep = node.type.rep;
    const index = node.attrs.paths.findIndex((p) => rep.blocks[p.iOut]!.dim > 1 && (module.tables[p.coupling]?.entries.length ?? 0) > 0);
    if (index < 0) continue;
    const path = node.attrs.paths[index]!;
    const table = module.tables[path.coupling]!;
    const entries = table.entries.map((v, i) => (i % 4 === 3 && table.entries[i - 1] === 0 ? -v : v));
    const key = `${path.coupling}#mutant`;
    const paths = node.attrs.paths.map((p, i) => (i === index ? { ...p, coupling: key } : p));
    const mutated = { ...node, attrs: { ...node.attrs, paths } };
    return {
      name: 'cg-sign',
      description: `the first output component of path ${index} of ${node.id} (${node.source.text || node.op}, line ${node.source.line}) has its Clebsch-Gordan sign flipped`,
      module: { ...module, nodes: module.nodes.map((n) => (n.id === node.id ? mutated : n)), tables: { ...module.tables, [key]: { shape: table.shape, entries } } },
      caughtBy: 'group',
    };
  }
  return undefined;
}

function vectorNonlinearity(module: IRModule, group: Group<Atom>): Mutant | undefined {
  for (const node of module.nodes) {
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
    return {
      name: 'vector-nonlinearity',
      description: `silu applied to every component of ${rep.text} after ${node.id} (${node.source.text || node.op}, line ${node.source.line})`,
      module: insertAfter(module, node.id, act),
      caughtBy: 'group',
    };
  }
  return undefined;
}

function parity(module: IRModule, group: Group<Atom>): Mutant | undefined {
  // Only a group with orientation-reversing elements tells a parity from its opposite.
  if (!group.orientation) return undefined;
  const out = module.outputs.find((o) => o.type.kind === 'field' && o.type.rep.blocks.length > 0);
  if (!out || out.type.kind !== 'field') return undefined;
  return {
    name: 'parity',
    description: `output ${out.name} treated as having the opposite parity in its first block (${out.type.rep.blocks[0]!.ir})`,
    module,
    caughtBy: 'group',
    flippedParity: { output: out.name, block: 0 },
  };
}

function permutation(module: IRModule): Mutant | undefined {
  for (const node of module.nodes) {
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
    return {
      name: 'permutation',
      description: `${node.type.domain} features after ${node.id} (${node.source.text || node.op}, line ${node.source.line}) scaled by 1 + 0.5 * (${node.type.domain} index)`,
      module: insertAfter(module, node.id, scale),
      caughtBy: 'permutation',
    };
  }
  return undefined;
}

/**
 * flow-shift: a flow-equivariant recurrence whose hidden state is no longer shifted by its
 * velocity each step (a plain convolutional RNN, equivariant to static shifts only).
 */
function flowShift(module: IRModule): Mutant | undefined {
  const node = module.nodes.find((n) => n.op === 'flow_rnn' && used(module, n.id));
  if (!node || node.op !== 'flow_rnn') return undefined;
  const mutated = { ...node, attrs: { ...node.attrs, velocities: node.attrs.velocities.map(() => [0, 0] as const) } };
  return {
    name: 'flow-shift',
    description: `the recurrence of ${node.id} (${node.source.text || node.op}, line ${node.source.line}) without the shift by each channel's velocity (a plain convolutional RNN)`,
    module: { ...module, nodes: module.nodes.map((n) => (n.id === node.id ? mutated : n)) },
    caughtBy: 'group',
  };
}

/** basis-map: entry (0, 1) of the first basis map of the first linear path with basis maps set to 1. */
function basisMap(module: IRModule): Mutant | undefined {
  for (const node of module.nodes) {
    if (node.op !== 'linear' || !used(module, node.id)) continue;
    const index = node.attrs.paths.findIndex((p) => p.basis && p.basis[0]!.length > 1);
    if (index < 0) continue;
    const path = node.attrs.paths[index]!;
    const broken = path.basis!.map((m, b) => (b === 0 ? m.map((v, i) => (i === 1 ? v + 1 : v)) : m));
    const paths = node.attrs.paths.map((p, i) => (i === index ? { ...p, basis: broken } : p));
    const mutated = { ...node, attrs: { ...node.attrs, paths } };
    return {
      name: 'basis-map',
      description: `basis map 0 of path ${index} of ${node.id} (${node.source.text || node.op}, line ${node.source.line}) has entry (0, 1) raised by 1`,
      module: { ...module, nodes: module.nodes.map((n) => (n.id === node.id ? mutated : n)) },
      caughtBy: 'group',
    };
  }
  return undefined;
}

/** Every mutant that applies to this model. */
export function mutantsOf(module: IRModule, group: Group<Atom>): Mutant[] {
  return [cgSign(module), vectorNonlinearity(module, group), parity(module, group), permutation(module), flowShift(module), basisMap(module)].filter((m): m is Mutant => m !== undefined);
}
