// WGSL for channel bookkeeping (the reference is targets/ref/ops/features.ts): scaling,
// channel selection and one part of a concatenation per kernel.

import { f32, u32 } from '../emit.js';
import { bind, type KernelDraft, paramRef, rangeChain, rowPrologue } from './draft.js';
import { type NodeOf, rowKernel, type RowShape } from './rowKernel.js';

export function scaleKernel(node: NodeOf<'scale'>, shape: RowShape): KernelDraft {
  const ramp = node.attrs.rowRamp ?? 0;
  if (ramp !== 0) {
    // The generated tests' permutation mutant: row r of the batch (chunk.first + r, the global
    // row, so chunking does not change it) also times (1 + rowRamp * r).
    const body = `${rowPrologue(shape.dimOut)}\ny[id] = x[id] * ${f32(node.attrs.factor)} * (1.0 + ${f32(ramp)} * f32(chunk.first + r));`;
    return rowKernel('scale', node, shape, body, `x * ${node.attrs.factor} * (1 + ${ramp} * row)`);
  }
  if (node.params[0]) {
    // A data statistic (avg_neighbors = data): times its one-number parameter.
    const body = `${rowPrologue(shape.dimOut)}\ny[id] = x[id] * ${f32(node.attrs.factor)} * w[0];`;
    const draft = rowKernel('scale', node, shape, body, `x * ${node.attrs.factor} * avg_neighbors statistic`);
    return { ...draft, bindings: [...draft.bindings, bind('w', paramRef(node.params[0]), 'read', 'whole', 1)] };
  }
  const body = `${rowPrologue(shape.dimOut)}\ny[id] = x[id] * ${f32(node.attrs.factor)};`;
  return rowKernel('scale', node, shape, body, `x * ${node.attrs.factor}`);
}

export function selectKernel(node: NodeOf<'select'>, shape: RowShape): KernelDraft {
  let o = 0;
  const ranges = node.attrs.ranges.map(([a, b]) => {
    const r = { start: o, end: o + (b - a), code: `y[id] = x[r * ${u32(shape.dimIn)} + ${u32(a)} + (t - ${u32(o)})];` };
    o += b - a;
    return r;
  });
  const body = `${rowPrologue(shape.dimOut)}\n${rangeChain(ranges)}`;
  return rowKernel('select', node, shape, body, `select ${node.attrs.ranges.map(([a, b]) => `[${a}, ${b})`).join(' ')}`);
}

/** One part of a concatenation: columns [offset, offset + width) of the output, from input `part`. */
export function concatPartKernel(node: NodeOf<'concat'>, part: number, offset: number, width: number, shape: RowShape): KernelDraft {
  const D = shape.dimOut;
  const body = `${rowPrologue(width)}\ny[r * ${u32(D)} + ${u32(offset)} + t] = x[id];`;
  const k = rowKernel('concat', node, { ...shape, dimIn: width }, body, `concat part ${part}: columns [${offset}, ${offset + width})`, node.inputs[part]!);
  return { ...k, threadsPerGroup: Math.max(width, 1) };
}
