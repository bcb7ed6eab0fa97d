// How a group element and a permutation of nodes act on a model's inputs and outputs, read
// from the IR's types: points move by the element's rotation and translation, features by the
// block-diagonal matrix of their representation (the plugin's repMatrix), rows as the plugin's
// domain rule moves them (flows), node rows by the permutation. The generated equivariance
// tests transform inputs with these and compare outputs.

import type { IRModule, IRRep, IRType } from '../../ir/types.js';
import { type Group, type GroupElement, repMatrix } from '../../stdlib/groups/group.js';
import { type Atom, Rep } from '../../stdlib/groups/rep.js';
import type { RuntimeBatch } from '../io/inputs.js';
import { pairLayout } from '../io/pairs.js';
import { concatEdges } from '../io/edges.js';
import type { NeighbourGraph } from '../io/neighbours.js';
import { groupOf } from '../../stdlib/groups/registry.js';

/** The plugin of a module's group, looked up from the IR's structured group. */
export function modelGroup(module: Pick<IRModule, 'group'>): Group<Atom> {
  const group = groupOf(module.group);
  if (!group) throw new Error(`unknown group ${module.group.name}`);
  return group;
}

/** An IR layout read back as the group's rep (its atoms from their printed form). */
export function repOfLayout(group: Group<Atom>, rep: IRRep): Rep<Atom> {
  return new Rep(
    rep.blocks.map((b) => {
      const atom = group.notation.atomFromText(b.ir);
      if (!atom) throw new Error(`${group.name} cannot read the irrep ${b.ir}`);
      return { mul: b.mul, ir: atom };
    }),
  );
}

/**
 * The matrix of a whole representation at g (rep.dim x rep.dim, row-major). `flipParityOf`:
 * block read with the opposite parity, i.e. also multiplied by the element's orientation.
 */
export function irRepMatrix(group: Group<Atom>, rep: IRRep, g: GroupElement, flipParityOf?: number): Float64Array {
  const m = repMatrix(group, repOfLayout(group, rep), g);
  const block = flipParityOf === undefined ? undefined : rep.blocks[flipParityOf];
  const sign = group.orientation?.(g) ?? 1;
  if (block && sign === -1) for (let r = block.offset; r < block.offset + block.mul * block.dim; r++) for (let c = 0; c < rep.dim; c++) m[r * rep.dim + c] = -m[r * rep.dim + c]!;
  return m;
}

/** Apply a (dim x dim) matrix to every row of a row-major (rows, dim) array. */
export function applyToRows(m: Float64Array, data: Float64Array, dim: number): Float64Array {
  const out = new Float64Array(data.length);
  const rows = data.length / dim;
  for (let r = 0; r < rows; r++) {
    const o = r * dim;
    for (let i = 0; i < dim; i++) {
      let s = 0;
      const mi = i * dim;
      for (let j = 0; j < dim; j++) {
        const w = m[mi + j]!;
        if (w !== 0) s += w * data[o + j]!;
      }
      out[o + i] = s;
    }
  }
  return out;
}

/** Points p -> R p + t. */
export function transformPoints(g: GroupElement, data: Float64Array, dim: number): Float64Array {
  const R = g.rotation;
  const t = g.translation;
  if (!R) return Float64Array.from(data);
  const out = new Float64Array(data.length);
  for (let r = 0; r < data.length / dim; r++) {
    for (let i = 0; i < dim; i++) {
      let s = t ? t[i]! : 0;
      for (let j = 0; j < dim; j++) s += R[i * dim + j]! * data[r * dim + j]!;
      out[r * dim + i] = s;
    }
  }
  return out;
}

/** Every input of the batch acted on by g. */
export function transformInputs(module: IRModule, group: Group<Atom>, g: GroupElement, batch: RuntimeBatch): RuntimeBatch {
  const values = new Map<string, Float64Array>();
  for (const input of module.inputs) {
    // Given edges (graph inputs) join the same nodes after a rotation or translation (batch.edges stay).
    if (input.type.kind === 'graph') continue;
    const data = batch.values.get(input.name)!;
    values.set(input.name, transformValue(group, g, input.type, data, undefined, batch));
  }
  return { ...batch, values };
}

/** `batch` locates the sequences of grid2d values, whose frames a flow moves by v·t + s. */
export function transformValue(group: Group<Atom>, g: GroupElement, type: IRType, data: Float64Array, flipParityOf?: number, batch?: RuntimeBatch): Float64Array {
  if (type.kind === 'points') return transformPoints(g, data, type.dim);
  // A cell's lattice vectors (rows) rotate with the points; translations do not move them.
  if (type.kind === 'cell') return g.rotation ? transformPoints({ ...g, translation: undefined }, data, type.dim) : Float64Array.from(data);
  if (type.kind !== 'field') return Float64Array.from(data);
  const channels = applyToRows(irRepMatrix(group, type.rep, g, flipParityOf), data, type.rep.dim);
  const moveRows = group.domain?.rows.includes(type.domain) ? group.domain.moveRows : undefined;
  if (!moveRows) return channels;
  if (!batch) throw new Error(`moving ${type.domain} rows needs the batch (where each graph starts)`);
  return moveRows(type.domain, g, channels, type.rep.dim, batch.graphPtr);
}

/** A permutation of the nodes within each graph: perm[i] is where node i goes. */
export function randomNodePermutation(batch: RuntimeBatch, next: (n: number) => number): Int32Array {
  const perm = new Int32Array(batch.numNodes);
  for (let gi = 0; gi < batch.numGraphs; gi++) {
    const start = batch.graphPtr[gi]!;
    const end = batch.graphPtr[gi + 1]!;
    const idx = Array.from({ length: end - start }, (_, k) => start + k);
    for (let k = idx.length - 1; k > 0; k--) {
      const j = next(k + 1);
      [idx[k], idx[j]] = [idx[j]!, idx[k]!];
    }
    for (let k = 0; k < idx.length; k++) perm[start + k] = idx[k]!;
  }
  return perm;
}

/** Node rows moved by the permutation (row i goes to perm[i]); other domains unchanged. */
export function permuteRows(data: Float64Array, dim: number, perm: Int32Array): Float64Array {
  const out = new Float64Array(data.length);
  for (let i = 0; i < perm.length; i++) out.set(data.subarray(i * dim, (i + 1) * dim), perm[i]! * dim);
  return out;
}

/**
 * Pair rows moved by a node permutation: the pair (i, j) goes to (perm[i], perm[j]), both
 * indices at once (S(n) acts on a 2-tensor by conjugation).
 */
export function permutePairRows(data: Float64Array, dim: number, perm: Int32Array, graphPtr: Int32Array): Float64Array {
  const pairs = pairLayout(graphPtr);
  const local = (node: number, g: number) => node - graphPtr[g]!;
  const out = new Float64Array(data.length);
  for (let r = 0; r < pairs.numPairs; r++) {
    const g = pairs.pairGraph[r]!;
    const n = graphPtr[g + 1]! - graphPtr[g]!;
    const to = pairs.pairPtr[g]! + local(perm[pairs.pairRow[r]!]!, g) * n + local(perm[pairs.pairCol[r]!]!, g);
    out.set(data.subarray(r * dim, (r + 1) * dim), to * dim);
  }
  return out;
}

/** A value of any type moved by a permutation of the nodes (graph rows and graphs stay). */
export function permuteValue(type: IRType, data: Float64Array, perm: Int32Array, graphPtr: Int32Array): Float64Array {
  if (type.kind === 'points' || (type.kind === 'field' && type.domain === 'node')) return permuteRows(data, rowDim(type), perm);
  if (type.kind === 'field' && type.domain === 'pair') return permutePairRows(data, rowDim(type), perm, graphPtr);
  return data;
}

export function permuteInputs(module: IRModule, batch: RuntimeBatch, perm: Int32Array): RuntimeBatch {
  const values = new Map<string, Float64Array>();
  for (const input of module.inputs) if (input.type.kind !== 'graph') values.set(input.name, permuteValue(input.type, batch.values.get(input.name)!, perm, batch.graphPtr));
  const edges = batch.edges && new Map([...batch.edges].map(([name, graph]) => [name, permuteEdges(graph, perm, batch.numNodes)] as const));
  return { ...batch, values, ...(edges ? { edges } : {}) };
}

/**
 * Given edges after every node i moved by the lattice steps moves[i] (dim integers): the edge
 * vector pos[src] + S·cell - pos[dst] stays when S becomes S - moves[src] + moves[dst]; sorted again.
 */
export function latticeShiftEdges(graph: NeighbourGraph, moves: Int32Array, dim: number, numNodes: number): NeighbourGraph {
  if (!graph.shifts) return graph;
  const shifts = Array.from(graph.src, (s, e) => Array.from({ length: dim }, (_, k) => graph.shifts![e * dim + k]! - moves[s * dim + k]! + moves[graph.dst[e]! * dim + k]!));
  return concatEdges([{ src: Array.from(graph.src), dst: Array.from(graph.dst), shifts }], Int32Array.of(0, numNodes));
}

/** Given edges moved with their nodes (edge s -> d becomes perm[s] -> perm[d], shift kept), sorted again by (dst, src, shift). */
export function permuteEdges(graph: NeighbourGraph, perm: Int32Array, numNodes: number): NeighbourGraph {
  const dim = graph.shifts && graph.src.length > 0 ? graph.shifts.length / graph.src.length : 0;
  const moved = {
    src: Array.from(graph.src, (s) => perm[s]!),
    dst: Array.from(graph.dst, (d) => perm[d]!),
    ...(graph.shifts ? { shifts: Array.from(graph.src, (_, e) => Array.from(graph.shifts!.subarray(e * dim, (e + 1) * dim))) } : {}),
  };
  return concatEdges([moved], Int32Array.of(0, numNodes));
}

export function rowDim(type: IRType): number {
  return type.kind === 'field' ? type.rep.dim : type.kind === 'points' ? type.dim : type.kind === 'cell' ? type.dim * type.dim : 0;
}
