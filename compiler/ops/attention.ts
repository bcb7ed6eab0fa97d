// `attention(logits, values, g)`: equivariant graph attention (SE(3)-Transformer, Equiformer).
// Each edge carries `heads` invariant logits (from `tp(q, k, Hx0e)`, the equivariant dot
// product of a query and a key, or an `mlp` of invariants) and a value (usually a tensor
// product of the sender's features with the edge's harmonics). Per receiver and head, the
// logits of its incoming edges go through a softmax, and the receiver's row is the sum of the
// values weighted by their head's softmax weight. The weights are invariant and multiply
// whole copies, so the result has the values' representation; a receiver without incoming
// edges gets zeros. Heads split the copies of every value block equally.

import { diagnostic } from '../../diagnostics/diagnostic.js';
import type { OpDef } from './op.js';
import { fieldArg, graphArg, nonInvariantBlocks } from './operands.js';

export const attentionOp: OpDef = {
  name: 'attention',
  summary: 'graph attention: softmax of invariant edge logits over each receiver\'s incoming edges (per head), weighted sum of edge values',
  params: [
    { name: 'logits', kind: 'value', doc: 'invariant scalars per edge, one per head (edge[Hx0e])' },
    { name: 'values', kind: 'value', doc: 'edge values (messages); each block\'s copies split equally between the heads' },
    { name: 'g', kind: 'value', doc: 'the graph' },
  ],
  check(call) {
    const logits = fieldArg(call, 'logits', 'attention', ['edge']);
    const values = fieldArg(call, 'values', 'attention', ['edge']);
    const g = graphArg(call, 'g', 'attention');
    if (!logits || !values || !g) return undefined;
    const bad = nonInvariantBlocks(call, logits.ty.rep);
    if (bad.length > 0) {
      call.report(
        diagnostic('E1401', call.argSpan('logits'), `attention logits must be invariant scalars, found ${bad.join(' + ')} in ${call.fmtTy(logits.ty)}`, {
          notes: [logits.origin.text, 'a softmax compares numbers: a logit that changes under the group makes the weights, and so the result, depend on the frame'],
          help: `make one invariant per head, e.g. \`tp(q, k, 2x${call.group.notation.formatAtom(call.group.scalar)})\` (the equivariant dot product of a query and a key) or an \`mlp\` of invariants`,
        }),
      );
      return undefined;
    }
    const heads = logits.ty.rep.dim;
    if (heads === 0) {
      call.report(diagnostic('E1401', call.argSpan('logits'), 'attention needs at least one logit per edge (one per head)', { notes: [logits.origin.text] }));
      return undefined;
    }
    const uneven = values.ty.rep.blocks.filter((b) => b.mul % heads !== 0);
    if (uneven.length > 0) {
      call.report(
        diagnostic('E1402', call.argSpan('values'), `${heads} heads cannot split ${uneven.map((b) => `${b.mul}x${call.group.notation.formatAtom(b.ir)}`).join(' + ')} of the values equally`, {
          notes: [`the logits give ${heads} heads (one per scalar of ${call.fmtTy(logits.ty)})`, values.origin.text, 'each head weights an equal share of the copies of every irrep of the values'],
          help: `give every block of the values a multiplicity divisible by ${heads}, or use ${heads === 1 ? 'one logit' : 'fewer logits'}`,
        }),
      );
      return undefined;
    }
    const slices = values.ty.rep.slices();
    const blocks = values.ty.rep.blocks.map((b, i) => ({ offset: slices[i]![0], mul: b.mul, dim: b.ir.dim }));
    const node = call.node('attention', [logits, values, g], { kind: 'field', domain: 'node', rep: values.ty.rep }, { heads, blocks });
    return call.result(node, { text: `attention(...) at line ${call.line(call.span)} is ${call.fmtTy(node.ty)} with ${heads} head${heads === 1 ? '' : 's'}`, ...(values.origin.atoms ? { atoms: values.origin.atoms } : {}) });
  },
};
