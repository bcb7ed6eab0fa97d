// `layer_norm(x, eps = 1e-5)`: an equivariant layer normalization of each row (as Equiformer's
// equivariant LayerNorm): per block of copies of one irrep, invariant scalars are centred on
// their mean over the copies; every block is divided by the root mean square of its
// components (the mean over copies of each copy's squared norm over its dimension), which is
// invariant; then each copy is scaled by a learned weight, and invariant scalars get a learned
// bias. Centring and biases touch only the trivial representation, so the map is equivariant.

import type { OpDef } from './op.js';
import { fieldArg } from './operands.js';
import { diagnostic } from '../../diagnostics/diagnostic.js';

export const layerNormOp: OpDef = {
  name: 'layer_norm',
  summary: 'equivariant layer norm: per irrep block, centre invariant scalars, divide by the RMS of the block, learned scale per copy and bias on invariant scalars',
  params: [
    { name: 'x', kind: 'value', doc: 'input features' },
    { name: 'eps', kind: 'number', default: { kind: 'number', value: 1e-5 }, doc: 'added to the mean square before the root (> 0)' },
  ],
  check(call) {
    const x = fieldArg(call, 'x', 'layer_norm');
    const eps = call.number('eps');
    if (!(eps > 0)) {
      call.report(diagnostic('E0307', call.argSpan('eps'), `eps must be positive, found ${eps}`));
      return undefined;
    }
    if (!x) return undefined;
    const { blocks, weightOffset, biasOffset } = normBlocks(x.ty.rep, call.group.scalar.key);
    const params = [{ suffix: 'weight', shape: [weightOffset], init: 'ones' as const, role: 'weight' as const }, ...(biasOffset > 0 ? [{ suffix: 'bias', shape: [biasOffset], init: 'zeros' as const, role: 'bias' as const }] : [])];
    const node = call.node('layer_norm', [x], x.ty, { blocks, eps, weightNumel: weightOffset, biasNumel: biasOffset }, params);
    return call.result(node, { text: `layer_norm(...) at line ${call.line(call.span)} is ${call.fmtTy(node.ty)}`, ...(x.origin.atoms ? { atoms: x.origin.atoms } : {}) });
  },
};

/**
 * The per-copy layout of a normalization (layer norm, batch norm): each block's rows, its first
 * weight (one per copy), and for the group's scalars, which e3nn centres, its first bias.
 */
export function normBlocks(rep: { slices(): readonly (readonly [number, number])[]; readonly blocks: readonly { readonly mul: number; readonly ir: { readonly key: string; readonly dim: number } }[] }, scalarKey: string) {
  const slices = rep.slices();
  let weightOffset = 0;
  let biasOffset = 0;
  const blocks = rep.blocks.map((b, i) => {
    const centre = b.ir.key === scalarKey;
    const block = { offset: slices[i]![0], mul: b.mul, dim: b.ir.dim, centre, weightOffset, ...(centre ? { biasOffset } : {}) };
    weightOffset += b.mul;
    if (centre) biasOffset += b.mul;
    return block;
  });
  return { blocks, weightOffset, biasOffset };
}
