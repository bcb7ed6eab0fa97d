// WGSL for value arithmetic (the reference is targets/ref/ops/arithmetic.ts): one invocation
// per output component; a sum of two values of one type, or a value times the invariant
// scalar of its row.

import { f32 } from '../emit.js';
import { bind, type KernelDraft, rowPrologue, valueRef } from './draft.js';
import { type NodeOf, rowKernel, type RowShape } from './rowKernel.js';

/** y = c0 x + c1 b: the second input is bound as `b`, row-aligned with the first. */
export function addKernel(node: NodeOf<'add'>, shape: RowShape): KernelDraft {
  const [c0, c1] = node.attrs.coefficients;
  if (node.inputs.length !== 2 || c0 === undefined || c1 === undefined) throw new Error(`${node.id}: the wgsl target adds two values at a time`);
  const term = (c: number, v: string) => (c === 1 ? v : `${f32(c)} * ${v}`);
  const body = `${rowPrologue(shape.dimOut)}\ny[id] = ${term(c0, 'x[id]')} + ${term(c1, 'b[id]')};`;
  const k = rowKernel('add', node, shape, body, `${c0} * a + ${c1} * b`);
  return { ...k, bindings: [...k.bindings, bind('b', valueRef(node.inputs[1]!), 'read', 'rows', shape.dimOut)] };
}

/** y[r, t] = s[r] x[r, t]: the scalar is bound as `s` (one column), the value as `x`. */
export function scalarMulKernel(node: NodeOf<'scalar_mul'>, shape: RowShape): KernelDraft {
  const body = `${rowPrologue(shape.dimOut)}\ny[id] = s[r] * x[id];`;
  const k = rowKernel('scalar_mul', node, { ...shape, dimIn: shape.dimOut }, body, 's * x, s one invariant scalar per row', node.inputs[1]!);
  return { ...k, bindings: [...k.bindings, bind('s', valueRef(node.inputs[0]!), 'read', 'rows', 1)] };
}
