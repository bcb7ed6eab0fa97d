// Dense maps between copies, register-blocked: out[w, k] += factor · Σ_u W[u, w] x[u, k] for
// each component k of the block, 4 rows per v128, and 2 row groups x up to 4 output copies per
// pass held in 8 registers while the loop over u streams x once (each x load feeds 4
// multiply-adds, each weight splat 2). The
// linear layers' identity paths and the MLP's layers (one block of mul = width, dim 1) are
// this kernel; biases are added after.

import type { FunctionDef } from '../encoder/module.js';
import { forLoop } from '../encoder/code.js';
import { type Columns, col, Frame } from './frame.js';

/** One path: a block of mi copies of dimension d in, mo copies out, W row-major (mi, mo) at byte wPtr. */
export interface DensePath {
  readonly x: Columns;
  readonly xOffset: number;
  readonly out: Columns;
  readonly outOffset: number;
  readonly mi: number;
  readonly mo: number;
  readonly d: number;
  readonly wPtr: number;
  readonly factor: number;
}

/** out columns [outOffset, outOffset + size) += the vector at byte bPtr (a bias per component). */
export interface DenseBias {
  readonly out: Columns;
  readonly outOffset: number;
  readonly size: number;
  readonly bPtr: number;
}

/**
 * Output copies per pass, and row groups (of 4 rows) per pass: 8 accumulators, 2 x, one weight
 * and one product register; V8 keeps one of x86-64's 16 vector registers as scratch, so 12
 * accumulators (3 x 4, 2 x 6) spill. Measured (min of 25, same process): 4 x 2 ran W4's
 * 128x128 block at 2-3x the speed of 1 x 8, 2 x 5, 3 x 3, 2 x 6 and 3 x 4.
 */
const TILE = 4;
const GROUPS = 2;
/** Paths with at most this many input copies (and dim 1) unroll the input loop (wideTiles). */
const WIDE_MAX_IN = 32;

/**
 * `fresh`: the output's columns hold garbage (not zeros): the first path to write a column
 * stores instead of adding, and columns no path writes are stored as zeros, so the caller
 * skips zeroing the output (for the radial MLP's wide layer that is a third of its memory
 * traffic).
 */
export function denseKernel(paths: readonly DensePath[], biases: readonly DenseBias[], fresh?: { readonly out: Columns; readonly dim: number }): FunctionDef {
  const f = new Frame();
  const c = f.code;
  const acc = Array.from({ length: GROUPS }, () => f.many('v128', TILE));
  const xv = f.many('v128', GROUPS);
  const wv = f.local('v128');
  const u = f.local('i32');
  const xa = f.local('i32');
  const wa = f.local('i32');
  const wt = f.local('i32');
  const ot = f.local('i32');
  /** Output tiles [0, full) of a dim-1 path with few inputs: u unrolled, the tiles a runtime loop (wt: byte offset of W's column w0, ot: of output column w0). */
  const wideTiles = (path: DensePath, groups: number, full: number, written: Set<number>) => {
    let first = !!fresh && path.out.ptr === fresh.out.ptr;
    for (let w = 0; w < full; w++) first &&= !written.has(path.outOffset + w);
    for (let w = 0; w < full; w++) written.add(path.outOffset + w);
    c.i32(0).localSet(ot);
    forLoop(c, wt, (c) => c.i32(0), (c) => c.i32(4 * full), 4 * TILE, () => {
      for (let r = 0; r < groups; r++) for (let j = 0; j < TILE; j++) c.f32x4Const(0).localSet(acc[r]![j]!);
      for (let u = 0; u < path.mi; u++) {
        for (let r = 0; r < groups; r++) c.localGet(f.p).v128Load(col(path.x, path.xOffset + u) + 16 * r).localSet(xv[r]!);
        for (let j = 0; j < TILE; j++) {
          c.localGet(wt).v128Load32Splat(path.wPtr + 4 * (u * path.mo + j)).localSet(wv);
          for (let r = 0; r < groups; r++) c.localGet(acc[r]![j]!).localGet(wv).localGet(xv[r]!).simd('f32x4.mul').simd('f32x4.add').localSet(acc[r]![j]!);
        }
      }
      c.localGet(f.p).localGet(ot).op('i32.add').localSet(xa);
      for (let j = 0; j < TILE; j++) {
        for (let r = 0; r < groups; r++) {
          const o = col(path.out, path.outOffset + j) + 16 * r;
          c.localGet(xa);
          if (!first) c.localGet(xa).v128Load(o);
          c.localGet(acc[r]![j]!);
          if (path.factor !== 1) c.f32x4Const(path.factor).simd('f32x4.mul');
          if (!first) c.simd('f32x4.add');
          c.v128Store(o);
        }
      }
      c.localGet(ot).i32(TILE * path.out.colBytes).op('i32.add').localSet(ot);
    });
  };
  /** One pass over `groups` consecutive row groups from p. */
  const pass = (groups: number) => {
    const written = new Set<number>();
    for (const path of paths) {
      // A short input loop (the radial MLP's 16 -> 352 or 2,816): unrolled, with a runtime
      // loop over the output tiles instead, so no loop control per input copy.
      const wide = path.d === 1 && path.mi <= WIDE_MAX_IN && path.mo >= 2 * TILE;
      const full = wide ? Math.floor(path.mo / TILE) * TILE : 0;
      if (wide) wideTiles(path, groups, full, written);
      for (let k = 0; k < path.d; k++) {
        for (let w0 = full; w0 < path.mo; w0 += TILE) {
          const n = Math.min(TILE, path.mo - w0);
          for (let r = 0; r < groups; r++) for (let j = 0; j < n; j++) c.f32x4Const(0).localSet(acc[r]![j]!);
          // xa: byte address of x[u, k] for this row group; wa: of W[u, w0].
          c.localGet(f.p).localSet(xa).i32(0).localSet(wa);
          c.i32(0).localSet(u);
          c.block(() =>
            c.loop(() => {
              c.localGet(u).i32(path.mi).op('i32.lt_s').op('i32.eqz').brIf(1);
              for (let r = 0; r < groups; r++) c.localGet(xa).v128Load(col(path.x, path.xOffset + k) + 16 * r).localSet(xv[r]!);
              for (let j = 0; j < n; j++) {
                c.localGet(wa).v128Load32Splat(path.wPtr + 4 * (w0 + j)).localSet(wv);
                for (let r = 0; r < groups; r++) c.localGet(acc[r]![j]!).localGet(wv).localGet(xv[r]!).simd('f32x4.mul').simd('f32x4.add').localSet(acc[r]![j]!);
              }
              c.localGet(xa).i32(path.d * path.x.colBytes).op('i32.add').localSet(xa);
              c.localGet(wa).i32(4 * path.mo).op('i32.add').localSet(wa);
              c.localGet(u).i32(1).op('i32.add').localSet(u).br(0);
            }),
          );
          for (let j = 0; j < n; j++) {
            const column = path.outOffset + (w0 + j) * path.d + k;
            const first = !!fresh && path.out.ptr === fresh.out.ptr && !written.has(column);
            written.add(column);
            for (let r = 0; r < groups; r++) {
              const o = col(path.out, column) + 16 * r;
              c.localGet(f.p);
              if (!first) c.localGet(f.p).v128Load(o);
              c.localGet(acc[r]![j]!);
              if (path.factor !== 1) c.f32x4Const(path.factor).simd('f32x4.mul');
              if (!first) c.simd('f32x4.add');
              c.v128Store(o);
            }
          }
        }
      }
    }
    if (fresh) {
      for (let column = 0; column < fresh.dim; column++) {
        if (written.has(column)) continue;
        for (let r = 0; r < groups; r++) c.localGet(f.p).f32x4Const(0).v128Store(col(fresh.out, column) + 16 * r);
      }
    }
    for (const b of biases) {
      for (let k = 0; k < b.size; k++) {
        for (let r = 0; r < groups; r++) {
          const o = col(b.out, b.outOffset + k) + 16 * r;
          c.localGet(f.p).localGet(f.p).v128Load(o).i32(0).v128Load32Splat(b.bPtr + 4 * k).simd('f32x4.add').v128Store(o);
        }
      }
    }
  };
  // GROUPS row groups per pass while they fit in the thread's rows, then one at a time.
  f.rowGroups(() => pass(GROUPS), GROUPS, () => pass(1));
  return f.finish('dense');
}
