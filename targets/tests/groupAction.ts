// How a group element and a permutation of nodes act on a model's inputs and outputs, read
// from the IR's types: points move by the element's rotation and translation, features by the
// block-diagonal matrix of their representation, node rows by the permutation. The generated
// equivariance tests transform inputs with these and compare outputs.

import type { IRModule, IRRep, IRType } from '../../compiler/ir.js';
import type { Group, GroupElement } from '../../stdlib/groups/group.js';
import type { Atom } from '../../stdlib/groups/rep.js';
import type { RuntimeBatch } from '../runtime/inputs.js';

/** The matrix of a whole representation at g (rep.dim x rep.dim, row-major). */
export function irRepMatrix(group: Group<Atom>, rep: IRRep, g: GroupElement, flipParityOf?: number): Float64Array {
  const n = rep.dim;
  const out = new Float64Array(n * n);
  rep.blocks.forEach((b, index) => {
    const atom = group.notation.atomFromText(b.ir);
    if (!atom) throw new Error(`${group.name} cannot read the irrep ${b.ir}`);
    let m = group.atomMatrix(atom, g);
    if (index === flipParityOf) m = m.map((v) => v * improperSign(g));
    for (let u = 0; u < b.mul; u++) {
      const o = b.offset + u * b.dim;
      for (let i = 0; i < b.dim; i++) for (let j = 0; j < b.dim; j++) out[(o + i) * n + (o + j)] = m[i * b.dim + j]!;
    }
  });
  return out;
}

/** -1 for an element that reverses orientation (a reflection), else 1. */
export function improperSign(g: GroupElement): number {
  const r = g.rotation;
  if (!r || r.length !== 9) return 1;
  const det = r[0]! * (r[4]! * r[8]! - r[5]! * r[7]!) - r[1]! * (r[3]! * r[8]! - r[5]! * r[6]!) + r[2]! * (r[3]! * r[7]! - r[4]! * r[6]!);
  return det < 0 ? -1 : 1;
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
    const data = batch.values.get(input.name)!;
    values.set(input.name, transformValue(group, g, input.type, data));
  }
  return { ...batch, values };
}

export function transformValue(group: Group<Atom>, g: GroupElement, type: IRType, data: Float64Array, flipParityOf?: number): Float64Array {
  if (type.kind === 'points') return transformPoints(g, data, type.dim);
  if (type.kind === 'field') return applyToRows(irRepMatrix(group, type.rep, g, flipParityOf), data, type.rep.dim);
  return Float64Array.from(data);
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

export function permuteInputs(module: IRModule, batch: RuntimeBatch, perm: Int32Array): RuntimeBatch {
  const values = new Map<string, Float64Array>();
  for (const input of module.inputs) {
    const data = batch.values.get(input.name)!;
    const nodeDomain = input.type.kind === 'points' || (input.type.kind === 'field' && input.type.domain === 'node');
    values.set(input.name, nodeDomain ? permuteRows(data, rowDim(input.type), perm) : data);
  }
  return { ...batch, values };
}

export function rowDim(type: IRType): number {
  return type.kind === 'field' ? type.rep.dim : type.kind === 'points' ? type.dim : 0;
}
