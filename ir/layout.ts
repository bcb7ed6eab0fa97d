// The one builder of the IR's flat block layouts. It takes plain block data, so ir/ needs no
// group: whoever knows the group (the compiler's lowering, the math library's tensor-product
// builder) turns its atoms into `{ mul, ir, dim, l?, p? }` and its notation into `text`.

import type { IRBlock, IRRep } from './types.js';

/** One block `mul x ir` before layout: the atom's text and dimension, and O(3)'s degree and parity. */
export interface BlockData {
  readonly mul: number;
  readonly ir: string;
  readonly dim: number;
  readonly l?: number;
  readonly p?: 1 | -1;
}

/**
 * The multiplicity-major layout of `blocks`: each block starts where the previous one ends
 * (mul * dim components). `text` is the rep as its group prints it; by default `mulxir` joined
 * by `+` (the empty rep prints as '').
 */
export function layoutBlocks(blocks: readonly BlockData[], text?: string): IRRep {
  const out: IRBlock[] = [];
  let offset = 0;
  for (const b of blocks) {
    if (!Number.isInteger(b.mul) || b.mul < 0) throw new RangeError(`block ${b.mul}x${b.ir}: multiplicity must be a non-negative integer`);
    if (!Number.isInteger(b.dim) || b.dim < 0) throw new RangeError(`block ${b.mul}x${b.ir}: dimension must be a non-negative integer`);
    out.push({ mul: b.mul, ir: b.ir, dim: b.dim, ...(b.l !== undefined ? { l: b.l } : {}), ...(b.p !== undefined ? { p: b.p } : {}), offset });
    offset += b.mul * b.dim;
  }
  return { text: text ?? blocks.map((b) => `${b.mul}x${b.ir}`).join('+'), dim: offset, blocks: out };
}
