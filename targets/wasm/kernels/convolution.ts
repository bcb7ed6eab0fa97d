// The tensor product of a NequIP-style convolution (every path uvu, the second input one copy
// per block: the edge harmonics) scheduled copy-major: per group of 4 rows the harmonics are
// loaded once, then for each channel u the u-th copy of every first-input block is loaded once,
// every path couples it, and each output component is summed in a register over the paths that
// reach it and stored once. The per-path schedule of tensorProduct.ts reloads x1 for each path
// and does a load-add-store of the output per path, over columns far larger than the caches.
//
// Second inputs wider than the registers (lmax 3's harmonics) take the grouped schedule
// (groupedConvolution below), which contracts the harmonics with the CG tables once per row group.
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
 * second input's blocks one copy and X2_BUDGET components at most, the first input's and
 * output's blocks m copies), else undefined.
 */
export function convolutionCopies(attrs: TensorProductAttrs, tables: Readonly<Record<string, IRCouplingTable>>, shape: TensorProductShape): number | undefined {
  let m: number | undefined;
  const x2 = new Map<number, number>();
  for (const b of pathBlocks(attrs, tables, shape)) {
    if (b.path.mode !== 'uvu' || b.b2.mul !== 1 || b.bo.mul !== b.b1.mul) return undefined;
    if (m !== undefined && b.b1.mul !== m) return undefined;
    m = b.b1.mul;
    if (!x2.has(b.path.i2)) x2.set(b.path.i2, b.d2);
  }
  return m;
}

/** Whether the second input's used components fit the registers (else the grouped schedule reads them from memory). */
function x2InRegisters(blocks: readonly PathBlock[]): boolean {
  const x2 = new Map<number, number>();
  for (const b of blocks) x2.set(b.path.i2, b.d2);
  return [...x2.values()].reduce((a, d) => a + d, 0) <= X2_BUDGET;
}

/**
 * The most second-input components held in registers (lmax 2's harmonics: 9). With lmax 3's 16
 * beside the x1 and output copies the registers spill (W1L measured slower than the per-path
 * kernel and a gather kernel), so wider second inputs take the grouped schedule
 * (groupedConvolution): the harmonics read from memory at each use (16 columns of the row
 * group, in L1), and one x1 block and one output block live at a time.
 */
const X2_BUDGET = 9;

export function convolutionKernel(attrs: TensorProductAttrs, tables: Readonly<Record<string, IRCouplingTable>>, shape: TensorProductShape, buf: ConvolutionBuffers): FunctionDef {
  const m = convolutionCopies(attrs, tables, shape);
  if (m === undefined) throw new Error('convolution kernel: the paths are not all uvu over one-copy second inputs with a common copy count');
  const blocks = [...pathBlocks(attrs, tables, shape)];
  if (!x2InRegisters(blocks)) return groupedConvolution(blocks, shape, buf, m);
  const f = new Frame();
  const c = f.code;
  // Registers: the used blocks of x2 (whole), of x1 (copy u) and of the output (copy u).
  const regs = (key: (b: PathBlock) => number, dim: (b: PathBlock) => number) => {
    const out = new Map<number, number[]>();
    for (const b of blocks) if (!out.has(key(b))) out.set(key(b), f.many('v128', dim(b)));
    return out;
  };
  const X2 = regs(
    (b) => b.path.i2,
    (b) => b.d2,
  );
  const X1 = regs(
    (b) => b.path.i1,
    (b) => b.d1,
  );
  const O = regs(
    (b) => b.path.iOut,
    (b) => b.d3,
  );
  const maxD3 = Math.max(1, ...blocks.map((b) => b.d3));
  const T = f.many('v128', maxD3);
  const S = f.local('v128');
  // Gathered input: the byte offsets (4 * node) of the four rows' nodes, and those plus copy u's offset in a block.
  const gathered = buf.x1.kind === 'gathered' ? buf.x1 : undefined;
  const node4 = gathered ? f.many('i32', 4) : [];
  const lane4 = gathered ? f.many('i32', 4) : [];
  const x1 = buf.x1.cols;
  /** The first block of each distinct key, in order. */
  const firstOf = (bs: readonly PathBlock[], key: (b: PathBlock) => number) => {
    const first = new Map<number, PathBlock>();
    for (const b of bs) if (!first.has(key(b))) first.set(key(b), b);
    return [...first.values()];
  };
  /** Copy u of an x1 block into its registers: four lanes through the index, or one v128 of edge columns. */
  const loadX1 = (b: PathBlock, u: number | null) => {
    const r = X1.get(b.path.i1)!;
    if (gathered) {
      for (let l = 0; l < 4; l++) {
        f.address([[u, b.d1 * x1.colBytes]], false);
        c.localGet(node4[l]!).op('i32.add').localSet(lane4[l]!);
      }
      for (let i = 0; i < b.d1; i++) {
        const at = col(x1, b.b1.offset + i);
        c.localGet(lane4[3]!).localGet(lane4[2]!).localGet(lane4[1]!).localGet(lane4[0]!);
        c.v128Load32Splat(at).v128Load32Lane(at, 1).v128Load32Lane(at, 2).v128Load32Lane(at, 3).localSet(r[i]!);
      }
    } else {
      for (let i = 0; i < b.d1; i++) {
        f.address([[u, b.d1 * x1.colBytes]]);
        c.v128Load(col(x1, b.b1.offset + i)).localSet(r[i]!);
      }
    }
  };

  f.rowGroups(() => {
    if (gathered) {
      for (let l = 0; l < 4; l++)
        c.localGet(f.p)
          .i32Load(gathered.indexPtr + 4 * l)
          .i32(2)
          .op('i32.shl')
          .localSet(node4[l]!);
    }
    {
      for (const b of firstOf(blocks, (b) => b.path.i2)) {
        const r = X2.get(b.path.i2)!;
        for (let j = 0; j < b.d2; j++)
          c.localGet(f.p)
            .v128Load(col(buf.x2, b.b2.offset + j))
            .localSet(r[j]!);
      }
      // By first input block: one copy of one x1 block is live at a time.
      const ordered = [...blocks].sort((p, q) => p.path.i1 - q.path.i1);
      f.counted(m, (u) => {
        const loaded = new Set<number>();
        // Output components assigned so far in this copy (the first contribution sets, the rest add).
        const set = new Set<string>();
        for (const blk of ordered) {
          const { path, d3, entries } = blk;
          if (!loaded.has(path.i1)) {
            loadX1(blk, u);
            loaded.add(path.i1);
          }
          const a = X1.get(path.i1)!;
          const bb = X2.get(path.i2)!;
          const o = O.get(path.iOut)!;
          const byK: [number, number, number][][] = Array.from({ length: d3 }, () => []);
          for (const [i, j, k, coef] of entries) byK[k]!.push([i, j, coef]);
          for (let k = 0; k < d3; k++) {
            byK[k]!.forEach(([i, j, coef], n) => {
              c.localGet(a[i]!).localGet(bb[j]!).simd('f32x4.mul').f32x4Const(coef).simd('f32x4.mul');
              if (n > 0) c.simd('f32x4.add');
            });
            if (byK[k]!.length > 0) c.localSet(T[k]!);
          }
          if (path.hasWeight) {
            const wb = buf.weights;
            if (!wb) throw new Error('convolution kernel: weights are missing');
            // Path weight index weightOffset + u (uvu with one copy of x2).
            if (wb.kind === 'rows') {
              f.address([[u, wb.cols.colBytes]]);
              c.v128Load(col(wb.cols, path.weightOffset));
            } else {
              f.address([[u, 4]], false);
              c.v128Load32Splat(wb.ptr + 4 * path.weightOffset);
            }
            c.localSet(S);
          }
          for (let k = 0; k < d3; k++) {
            if (byK[k]!.length === 0) continue;
            const key = `${path.iOut}:${k}`;
            const first = !set.has(key);
            if (!first) c.localGet(o[k]!);
            c.localGet(T[k]!);
            if (path.hasWeight) c.localGet(S).simd('f32x4.mul');
            if (!first) c.simd('f32x4.add');
            c.localSet(o[k]!);
            set.add(key);
          }
        }
        // Every column of the blocks a path reaches is stored once.
        for (const b of firstOf(blocks, (b) => b.path.iOut)) {
          const o = O.get(b.path.iOut)!;
          for (let k = 0; k < b.d3; k++) {
            f.address([[u, b.d3 * buf.out.colBytes]]);
            if (set.has(`${b.path.iOut}:${k}`)) c.localGet(o[k]!);
            else c.f32x4Const(0);
            c.v128Store(col(buf.out, b.bo.offset + k));
          }
        }
      });
    }
    // Output blocks no path reaches are zero.
    const reached = new Set(blocks.map((b) => b.path.iOut));
    shape.out.forEach((bo, i) => {
      if (reached.has(i)) return;
      for (let k = 0; k < bo.mul * bo.dim; k++)
        c.localGet(f.p)
          .f32x4Const(0)
          .v128Store(col(buf.out, bo.offset + k));
    });
  });
  return f.finish('convolution');
}

/**
 * The copy-major schedule for second inputs too wide for the registers (lmax 3's 16
 * harmonics). Per group of 4 rows, each path's harmonics are first contracted with its CG
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
