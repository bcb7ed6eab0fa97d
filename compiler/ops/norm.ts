// `norm(x)`: the Euclidean norm of every copy of every irrep, as invariant scalars (e3nn
// o3.Norm). `norm_act(x, act)`: each copy scaled by act(|x|)/|x| (e3nn NormActivation, with
// the raw function as e3nn applies it), which keeps every irrep's type.

import { Rep } from '../../stdlib/groups/rep.js';
import { scaledActivation } from '../../stdlib/nn/activations.js';
import type { OpDef } from './op.js';
import { fieldArg, type FieldValue } from './operands.js';

function blocksOf(x: FieldValue) {
  const slices = x.ty.rep.slices();
  return x.ty.rep.blocks.map((b, i) => ({ offset: slices[i]![0], mul: b.mul, dim: b.ir.dim }));
}

export const normOp: OpDef = {
  name: 'norm',
  summary: 'Euclidean norm of each copy of each irrep: one invariant scalar per copy (e3nn o3.Norm)',
  params: [{ name: 'x', kind: 'value', doc: 'input features' }],
  check(call) {
    const x = fieldArg(call, 'x', 'norm');
    if (!x) return undefined;
    const rep = new Rep(x.ty.rep.blocks.map((b) => ({ mul: b.mul, ir: call.group.scalar })));
    const node = call.node('norm', [x], { kind: 'field', domain: x.ty.domain, rep }, { blocks: blocksOf(x) });
    return call.result(node, { text: `norm(...) at line ${call.line(call.span)} is ${call.fmtTy(node.ty)}` });
  },
};

export const normActOp: OpDef = {
  name: 'norm_act',
  summary: 'norm activation: each copy x scaled by act(|x|) / |x| (e3nn NormActivation)',
  params: [
    { name: 'x', kind: 'value', doc: 'input features' },
    { name: 'act', kind: 'activation', doc: 'applied to each copy\'s norm' },
  ],
  check(call) {
    const x = fieldArg(call, 'x', 'norm_act');
    if (!x) return undefined;
    const attrs = { blocks: blocksOf(x), act: scaledActivation(call.activation('act'), false) };
    const node = call.node('norm_activation', [x], x.ty, attrs);
    return call.result(node, { text: `norm_act(...) at line ${call.line(call.span)} is ${call.fmtTy(node.ty)}`, ...(x.origin.atoms ? { atoms: x.origin.atoms } : {}) });
  },
};
