// The tensor product of a NequIP-style convolution (every path uvu, the second input one copy
// per block: the edge harmonics) scheduled copy-major: per group of 4 rows each path's
// harmonics are contracted with its CG table once, then for each channel u the u-th copy of each
// first-input block is loaded once and every path from it couples it, each output block summed
// in registers over those paths. The per-path schedule of tensorProduct.ts reloads x1 for each
// path, spends two multiplies and an add per CG entry and channel, and does a load-add-store of
// the output per path.
//
// An earlier schedule held the whole second input (up to lmax 2's 9 harmonics) and every output
// block of copy u in registers, coupling per CG entry; it spilled with lmax 3's 16 harmonics,
// and this one measured faster on W1 too (conv kernel 16.5 -> 10 ms, one thread, load 5.5).
//
// The first input may be gathered in place: row e reads node index[e]'s row of the node
// columns lane by lane (v128.load32_lane), so a convolution's gathered edge features are never
// written out (the separate gather kernel wrote and this kernel re-read 4 bytes per edge and
// component).

import type { IRCouplingTable, TensorProductAttrs } from '../../../ir/types.js';
import type { FunctionDef } from '../encoder/module.js';
import { type Columns, col, Frame } from './frame.js';
import { pathBlocks, type PathBlock, type TensorProductShape } from './pathBlocks.js';

/** The first input: edge columns, or node columns read through an i32 index (one per row, at byte indexPtr). */
export type ConvolutionInput =
  | { readonly kind: 'columns'; readonly cols: Columns }
  | {
      readonly kind: 'gathered';
      readonly cols: Columns;
      readonly indexPtr: number;
    };

export interface ConvolutionBuffers {
  readonly x1: ConvolutionInput;
  readonly x2: Columns;
  /** Every column is stored (no need to zero it). */
  readonly out: Columns;
  readonly weights?: { readonly kind: 'rows'; readonly cols: Columns } | { readonly kind: 'shared'; readonly ptr: number };
}

/**
 * The copy count m every path shares when the copy-major schedule applies (all paths uvu, the
 * second input's blocks one copy, the first input's and output's blocks m copies), else
 * undefined.
 */
export function convolutionCopies(attrs: TensorProductAttrs, tables: Readonly<Record<string, IRCouplingTable>>, shape: TensorProductShape): number | undefined {
  let m: number | undefined;
  for (const b of pathBlocks(attrs, tables, shape)) {
    if (b.path.mode !== 'uvu' || b.b2.mul !== 1 || b.bo.mul !== b.b1.mul) return undefined;
    if (m !== undefined && b.b1.mul !== m) return undefined;
    m = b.b1.mul;
  }
  return m;
}

export function convolutionKernel(attrs: TensorProductAttrs, tables: Readonly<Record<string, IRCouplingTable>>, shape: TensorProductShape, buf: ConvolutionBuffers): FunctionDef {
  const m = convolutionCopies(attrs, tables, shape);
  if (m === undefined) throw new Error('convolution kernel: the paths are not all uvu over one-copy second inputs with a common copy count');
  return groupedConvolution([...pathBlocks(attrs, tables, shape)], shape, buf, m);
}

/**
 * The copy-major schedule. Per group of 4 rows, each path's harmonics are first contracted with its CG
 * table, P[i, k] = Σ_j C'[i, j, k] x2[j] (a local per non-zero (i, k); V8 keeps most on the
 * stack, in L1), shared by every channel u. Then per channel u, the first input's blocks one at
 * a time (copy u loaded once, through the index when gathered), and for each output block the
 * paths from that x1 block to it summed in d3 registers, T[k] = Σ_i P[i, k] x1[i] times the
 * path's weight: one multiply-add per (i, k) where the per-path kernel spends two multiplies
 * and an add per CG entry; then the output block is stored (its first x1 block) or added to
 * (the others).
 */
function groupedConvolution(blocks: readonly PathBlock[], shape: TensorProductShape, buf: ConvolutionBuffers, m: number): FunctionDef {
  const f = new Frame();
  const c = f.code;
  const maxD1 = Math.max(1, ...blocks.map((b) => b.d1));
  const maxD3 = Math.max(1, ...blocks.map((b) => b.d3));
  const X1 = f.many('v128', maxD1);
  const O = f.many('v128', maxD3);
  const S = f.local('v128');
  const gathered = buf.x1.kind === 'gathered' ? buf.x1 : undefined;
  const node4 = gathered ? f.many('i32', 4) : [];
  const lane4 = gathered ? f.many('i32', 4) : [];
  const x1 = buf.x1.cols;
  const loadX1 = (b: PathBlock, u: number | null) => {
    if (gathered) {
      for (let l = 0; l < 4; l++) {
        f.address([[u, b.d1 * x1.colBytes]], false);
        c.localGet(node4[l]!).op('i32.add').localSet(lane4[l]!);
      }
      for (let i = 0; i < b.d1; i++) {
        const at = col(x1, b.b1.offset + i);
        c.localGet(lane4[3]!).localGet(lane4[2]!).localGet(lane4[1]!).localGet(lane4[0]!);
        c.v128Load32Splat(at).v128Load32Lane(at, 1).v128Load32Lane(at, 2).v128Load32Lane(at, 3).localSet(X1[i]!);
      }
    } else {
      for (let i = 0; i < b.d1; i++) {
        f.address([[u, b.d1 * x1.colBytes]]);
        c.v128Load(col(x1, b.b1.offset + i)).localSet(X1[i]!);
      }
    }
  };
  // (x1 block, output block) -> its paths, both in first-seen order of the sorted blocks.
  const byIn = new Map<number, Map<number, PathBlock[]>>();
  for (const b of [...blocks].sort((p, q) => p.path.i1 - q.path.i1 || p.path.iOut - q.path.iOut)) {
    const outs = byIn.get(b.path.i1) ?? new Map<number, PathBlock[]>();
    byIn.set(b.path.i1, outs);
    outs.set(b.path.iOut, [...(outs.get(b.path.iOut) ?? []), b]);
  }
  // Per path, P[i, k] = Σ_j C'[i, j, k] x2[j] (one local per non-zero (i, k)), computed once per
  // row group and shared by the m copies: then T[k] = Σ_i P[i, k] x1[i] costs one multiply-add per
  // (i, k) instead of two multiplies and an add per CG entry.
  const P = new Map<PathBlock, Map<number, number>>();
  for (const b of blocks) {
    const regs = new Map<number, number>();
    for (const [i, , k] of b.entries) if (!regs.has(i * b.d3 + k)) regs.set(i * b.d3 + k, f.local('v128'));
    P.set(b, regs);
  }
  f.rowGroups(() => {
    if (gathered) for (let l = 0; l < 4; l++) c.localGet(f.p).i32Load(gathered.indexPtr + 4 * l).i32(2).op('i32.shl').localSet(node4[l]!);
    for (const b of blocks) {
      for (const [key, reg] of P.get(b)!) {
        const terms = b.entries.filter(([i, , k]) => i * b.d3 + k === key);
        terms.forEach(([, j, , coef], n) => {
          c.localGet(f.p).v128Load(col(buf.x2, b.b2.offset + j)).f32x4Const(coef).simd('f32x4.mul');
          if (n > 0) c.simd('f32x4.add');
        });
        c.localSet(reg);
      }
    }
    f.counted(m, (u) => {
      // Output components stored so far in this copy: the first x1 block to reach one stores it.
      const stored = new Set<string>();
      for (const outs of byIn.values()) {
        loadX1([...outs.values()][0]![0]!, u);
        for (const [iOut, paths] of outs) {
          const bo = paths[0]!.bo;
          const d3 = paths[0]!.d3;
          // Components set in registers so far (the first path to reach one sets, the rest add).
          const set = new Set<number>();
          for (const blk of paths) {
            const { path } = blk;
            if (path.hasWeight) {
              const wb = buf.weights;
              if (!wb) throw new Error('convolution kernel: weights are missing');
              if (wb.kind === 'rows') {
                f.address([[u, wb.cols.colBytes]]);
                c.v128Load(col(wb.cols, path.weightOffset));
              } else {
                f.address([[u, 4]], false);
                c.v128Load32Splat(wb.ptr + 4 * path.weightOffset);
              }
              c.localSet(S);
            }
            const pk = P.get(blk)!;
            for (let k = 0; k < d3; k++) {
              const terms = [...pk.entries()].filter(([key]) => key % d3 === k);
              if (terms.length === 0) continue;
              terms.forEach(([key, reg], n) => {
                c.localGet(X1[Math.floor(key / d3)]!).localGet(reg).simd('f32x4.mul');
                if (n > 0) c.simd('f32x4.add');
              });
              if (path.hasWeight) c.localGet(S).simd('f32x4.mul');
              if (set.has(k)) c.localGet(O[k]!).simd('f32x4.add');
              c.localSet(O[k]!);
              set.add(k);
            }
          }
          for (const k of set) {
            const key = `${iOut}:${k}`;
            f.address([[u, d3 * buf.out.colBytes]]);
            if (stored.has(key)) {
              f.address([[u, d3 * buf.out.colBytes]]);
              c.v128Load(col(buf.out, bo.offset + k)).localGet(O[k]!).simd('f32x4.add');
            } else c.localGet(O[k]!);
            c.v128Store(col(buf.out, bo.offset + k));
            stored.add(key);
          }
        }
      }
      // Components of reached output blocks that no path reaches are zero.
      const reached = new Map(blocks.map((b) => [b.path.iOut, b] as const));
      for (const [iOut, b] of reached) {
        for (let k = 0; k < b.d3; k++) {
          if (stored.has(`${iOut}:${k}`)) continue;
          f.address([[u, b.d3 * buf.out.colBytes]]);
          c.f32x4Const(0).v128Store(col(buf.out, b.bo.offset + k));
        }
      }
    });
    // Output blocks no path reaches are zero.
    const reached = new Set(blocks.map((b) => b.path.iOut));
    shape.out.forEach((bo, i) => {
      if (reached.has(i)) return;
      for (let k = 0; k < bo.mul * bo.dim; k++) c.localGet(f.p).f32x4Const(0).v128Store(col(buf.out, bo.offset + k));
    });
  });
  return f.finish('convolution');
}
