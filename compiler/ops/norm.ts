// `norm(x)`: the Euclidean norm of every copy of every irrep, as invariant scalars (e3nn
// o3.Norm). `norm_act(x, act)`: each copy scaled by act(|x|)/|x| (e3nn NormActivation, with
// the raw function as e3nn applies it), which keeps every irrep's type.

import { diagnostic } from '../../diagnostics/diagnostic.js';
import { Rep } from '../../stdlib/groups/rep.js';
import { scaledActivation } from '../../stdlib/nn/activations.js';
import type { OpCall, OpDef } from './op.js';
import { fieldArg, type FieldValue } from './operands.js';

/**
 * The Euclidean norm is invariant only where the group acts by orthogonal matrices; GL+(n)
 * stretches vectors, so `norm(v)` there would be a learned function of something that is not
 * an invariant. Asked of the group, not of its name.
 */
function refuseWithoutInvariantNorm(call: OpCall, op: string): boolean {
  if (call.group.invariantNorm) return false;
  call.report(
    diagnostic('E0221', call.calleeSpan, `\`${op}\` is not available for ${call.group.name}: the Euclidean norm of a copy is not invariant there`, {
      notes: [`${call.group.name} contains matrices that are not orthogonal (the shear [[1, 1], [0, 1]] changes the length of a vector), so |ρ(g) x| differs from |x|`],
      help: 'build invariants from the group\'s own pairings instead: `linear(tp(v, w, out = ...), 1xT(0,0))` contracts vectors with covectors',
    }),
  );
  return true;
}

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
    if (!x || refuseWithoutInvariantNorm(call, 'norm')) return undefined;
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
    if (!x || refuseWithoutInvariantNorm(call, 'norm_act')) return undefined;
    const attrs = { blocks: blocksOf(x), act: scaledActivation(call.activation('act'), false) };
    const node = call.node('norm_activation', [x], x.ty, attrs);
    return call.result(node, { text: `norm_act(...) at line ${call.line(call.span)} is ${call.fmtTy(node.ty)}`, ...(x.origin.atoms ? { atoms: x.origin.atoms } : {}) });
  },
};
