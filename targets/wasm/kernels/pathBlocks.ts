// What the tensor product's forward and VJP kernels both read per path: the three blocks the
// path couples (skipped when one has no copies), its coupling table's shape, and the table's
// non-zero entries with the path's normalization folded in (C' = C · factor); and the loads of
// a block's copy into registers. One walk, so the two kernels cannot disagree on a path.

import type { IRCouplingTable, TensorProductAttrs } from '../../../ir/types.js';
import type { BlockLayout } from '../../../stdlib/nn/layout.js';
import { type Columns, col, type Frame } from './frame.js';

export interface TensorProductShape {
  readonly in1: readonly BlockLayout[];
  readonly in2: readonly BlockLayout[];
  readonly out: readonly BlockLayout[];
}

export interface PathBlock {
  readonly path: TensorProductAttrs['paths'][number];
  readonly b1: BlockLayout;
  readonly b2: BlockLayout;
  readonly bo: BlockLayout;
  readonly d1: number;
  readonly d2: number;
  readonly d3: number;
  /** Non-zero entries (i, j, k, C[i, j, k] · factor). */
  readonly entries: readonly (readonly [number, number, number, number])[];
}

/** The paths with copies on all three sides, in the attributes' order. */
export function* pathBlocks(attrs: TensorProductAttrs, tables: Readonly<Record<string, IRCouplingTable>>, shape: TensorProductShape): Generator<PathBlock> {
  for (const path of attrs.paths) {
    const b1 = shape.in1[path.i1]!;
    const b2 = shape.in2[path.i2]!;
    const bo = shape.out[path.iOut]!;
    if (b1.mul === 0 || b2.mul === 0 || bo.mul === 0) continue;
    const table = tables[path.coupling];
    if (!table) throw new Error(`tensor product: coupling table ${path.coupling} is missing`);
    const [d1, d2, d3] = table.shape;
    const e = table.entries;
    const entries: [number, number, number, number][] = [];
    for (let q = 0; q < e.length; q += 4) entries.push([e[q]!, e[q + 1]!, e[q + 2]!, e[q + 3]! * path.factor]);
    yield { path, b1, b2, bo, d1, d2, d3, entries };
  }
}

/** The largest irrep dimension of any coupling table the paths use: registers per operand. */
export function maxBlockDim(attrs: TensorProductAttrs, tables: Readonly<Record<string, IRCouplingTable>>): number {
  let maxD = 1;
  for (const path of attrs.paths) {
    const t = tables[path.coupling];
    if (t) maxD = Math.max(maxD, ...t.shape);
  }
  return maxD;
}

/** Loads copy `copy` (a loop local, or null for copy 0) of a block of dimension d into regs. */
export function loadBlock(f: Frame, regs: readonly number[], v: Columns, block: BlockLayout, d: number, copy: number | null): void {
  for (let i = 0; i < d; i++) {
    f.address([[copy, d * v.colBytes]]);
    f.code.v128Load(col(v, block.offset + i)).localSet(regs[i]!);
  }
}
