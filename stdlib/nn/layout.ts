// Where the blocks of an IR representation sit in a flat feature row (for kernels and costs).

import type { IRRep } from '../../ir/types.js';

export interface BlockLayout {
  readonly offset: number;
  readonly mul: number;
  /** Dimension of one copy (the atom's). */
  readonly dim: number;
}

/**
 * Block offsets, multiplicities and atom dimensions of an IR rep. The copy dimension is taken
 * from the offsets (block size / mul), so it does not depend on whether a producer wrote
 * IRBlock.dim as the atom's or the block's dimension; empty blocks keep IRBlock.dim.
 */
export function blockLayout(rep: IRRep): BlockLayout[] {
  return rep.blocks.map((b, i) => {
    const end = i + 1 < rep.blocks.length ? rep.blocks[i + 1]!.offset : rep.dim;
    const size = end - b.offset;
    const dim = b.mul > 0 ? size / b.mul : b.dim;
    if (!Number.isInteger(dim) || dim < 0) throw new Error(`rep ${rep.text}: block ${i} spans ${size} components for multiplicity ${b.mul}`);
    return { offset: b.offset, mul: b.mul, dim };
  });
}
