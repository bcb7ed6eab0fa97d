// Dense maps between copies, register-blocked: out[w, k] += factor · Σ_u W[u, w] x[u, k] for
// each component k of the block, 4 rows per v128 and up to 8 output copies per pass held in
// registers while the loop over u streams x once (one x load feeds 8 multiply-adds). The
// linear layers' identity paths and the MLP's layers (one block of mul = width, dim 1) are
// this kernel; biases are added after.

import type { FunctionDef } from '../encoder/module.js';
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

const TILE = 8;

export function denseKernel(paths: readonly DensePath[], biases: readonly DenseBias[]): FunctionDef {
  const f = new Frame();
  const c = f.code;
  const acc = f.many('v128', TILE);
  const xv = f.local('v128');
  const u = f.local('i32');
  const xa = f.local('i32');
  const wa = f.local('i32');
  f.rowGroups(() => {
    for (const path of paths) {
      for (let k = 0; k < path.d; k++) {
        for (let w0 = 0; w0 < path.mo; w0 += TILE) {
          const n = Math.min(TILE, path.mo - w0);
          for (let j = 0; j < n; j++) c.f32x4Const(0).localSet(acc[j]!);
          // xa: byte address of x[u, k] for this row group; wa: of W[u, w0].
          c.localGet(f.p).localSet(xa).i32(0).localSet(wa);
          c.i32(0).localSet(u);
          c.block(() =>
            c.loop(() => {
              c.localGet(u).i32(path.mi).op('i32.lt_s').op('i32.eqz').brIf(1);
              c.localGet(xa).v128Load(col(path.x, path.xOffset + k)).localSet(xv);
              for (let j = 0; j < n; j++) {
                c.localGet(acc[j]!).localGet(wa).v128Load32Splat(path.wPtr + 4 * (w0 + j)).localGet(xv).simd('f32x4.mul').simd('f32x4.add').localSet(acc[j]!);
              }
              c.localGet(xa).i32(path.d * path.x.colBytes).op('i32.add').localSet(xa);
              c.localGet(wa).i32(4 * path.mo).op('i32.add').localSet(wa);
              c.localGet(u).i32(1).op('i32.add').localSet(u).br(0);
            }),
          );
          for (let j = 0; j < n; j++) {
            const o = col(path.out, path.outOffset + (w0 + j) * path.d + k);
            c.localGet(f.p).localGet(f.p).v128Load(o).localGet(acc[j]!);
            if (path.factor !== 1) c.f32x4Const(path.factor).simd('f32x4.mul');
            c.simd('f32x4.add').v128Store(o);
          }
        }
      }
    }
    for (const b of biases) {
      for (let k = 0; k < b.size; k++) {
        const o = col(b.out, b.outOffset + k);
        c.localGet(f.p).localGet(f.p).v128Load(o).i32(0).v128Load32Splat(b.bPtr + 4 * k).simd('f32x4.add').v128Store(o);
      }
    }
  });
  return f.finish('dense');
}
