// Which attention head each component of a value row belongs to (docs/ir.md `attention`): copy
// u of a block of multiplicity mul belongs to head floor(u / (mul / heads)), so each head owns
// an equal share of every irrep's copies, as Equiformer splits channels between heads. Whole
// copies share one weight, which keeps the weighted sum equivariant.

import type { AttentionAttrs } from '../../ir/types.js';

/** head[c] for every component c of a row of dimension `dim` (components outside the blocks: head 0). */
export function attentionHeadOfComponent(attrs: AttentionAttrs, dim: number): Int32Array {
  const head = new Int32Array(dim);
  for (const b of attrs.blocks) {
    const perHead = b.mul / attrs.heads;
    for (let u = 0; u < b.mul; u++) head.fill(Math.floor(u / perHead), b.offset + u * b.dim, b.offset + (u + 1) * b.dim);
  }
  return head;
}
