// A tensor product of every mode as one SIMD kernel over groups of 4 rows, specialised to its
// paths: for each pair of copies (u, v) the path couples, t[k] = Σ C'[i,j,k] x1[u,i] x2[v,j] is
// unrolled over the non-zero Clebsch-Gordan entries, with the path's factor folded into C';
// then out[w, k] += s · t[k] for the output copies of the mode, s the shared weight (splat) or
// the row's own weight (a column, per-edge weights). Loops over copies stay loops (code size);
// the CG arithmetic is straight-line.

import type { IRCouplingTable, TensorProductAttrs } from '../../../ir/types.js';
import type { FunctionDef } from '../encoder/module.js';
import { type Columns, col, Frame } from './frame.js';
import { loadBlock, maxBlockDim, pathBlocks, type TensorProductShape } from './pathBlocks.js';

export interface TensorProductBuffers {
  readonly x1: Columns;
  readonly x2: Columns;
  readonly out: Columns;
  /** Per-row weights (columns), or shared weights (a plain vector at this byte address). */
  readonly weights?: { readonly kind: 'rows'; readonly cols: Columns } | { readonly kind: 'shared'; readonly ptr: number };
}

/**
 * Whether each path writes each of its output copies once per row (uuu, or uvu over a
 * one-copy second input): then the first path to reach an output column stores into it, the
 * columns no path reaches are stored zero, and the output needs no zeroing beforehand.
 */
export function storesEveryColumn(attrs: TensorProductAttrs, tables: Readonly<Record<string, IRCouplingTable>>, shape: TensorProductShape): boolean {
  for (const b of pathBlocks(attrs, tables, shape)) if (!(b.path.mode === 'uuu' || (b.path.mode === 'uvu' && b.b2.mul === 1))) return false;
  return true;
}

export function tensorProductKernel(attrs: TensorProductAttrs, tables: Readonly<Record<string, IRCouplingTable>>, shape: TensorProductShape, buf: TensorProductBuffers): FunctionDef {
  const f = new Frame();
  const c = f.code;
  const maxD = maxBlockDim(attrs, tables);
  const X1 = f.many('v128', maxD);
  const X2 = f.many('v128', maxD);
  const T = f.many('v128', maxD);
  const S = f.local('v128');

  const storeAll = storesEveryColumn(attrs, tables, shape);
  // Output components (block:k) some path has reached, in path order.
  const stored = new Set<string>();
  f.rowGroups(() => {
    if (storeAll) {
      const reached = new Set<string>();
      for (const { path, d3, entries } of pathBlocks(attrs, tables, shape)) for (const e of entries) if (e[2] < d3) reached.add(`${path.iOut}:${e[2]}`);
      shape.out.forEach((bo, i) => {
        for (let k = 0; k < bo.dim; k++) {
          if (reached.has(`${i}:${k}`)) continue;
          for (let w = 0; w < bo.mul; w++) c.localGet(f.p).f32x4Const(0).v128Store(col(buf.out, bo.offset + w * bo.dim + k));
        }
      });
    }
    for (const { path, b1, b2, bo, d1, d2, d3, entries } of pathBlocks(attrs, tables, shape)) {
      const byK: [number, number, number][][] = Array.from({ length: d3 }, () => []);
      for (const [i, j, k, coef] of entries) byK[k]!.push([i, j, coef]);
      const m1 = b1.mul;
      const m2 = b2.mul;
      const mo = bo.mul;
      const same = path.mode === 'uuw' || path.mode === 'uuu';
      // Components this path is the first to reach: stored, not added (storeAll).
      const first = new Set<number>();
      for (let k = 0; k < d3; k++) if (storeAll && byK[k]!.length > 0 && !stored.has(`${path.iOut}:${k}`)) first.add(k);
      for (const k of first) stored.add(`${path.iOut}:${k}`);
      // s · t[k] into output copy `w` (a local or null for copy 0), s on the stack's top when `scaled`.
      const spread = (w: number | null, widx: readonly (readonly [number | null, number])[] | null) => {
        if (widx && path.hasWeight) {
          const wb = buf.weights;
          if (!wb) throw new Error('tensor product: weights are missing');
          if (wb.kind === 'rows') {
            f.address(widx.map(([i, s]) => [i, s * wb.cols.colBytes] as const));
            c.v128Load(col(wb.cols, path.weightOffset));
          } else {
            f.address(widx.map(([i, s]) => [i, s * 4] as const), false);
            c.v128Load32Splat(wb.ptr + 4 * path.weightOffset);
          }
          c.localSet(S);
        }
        const scaled = !!(widx && path.hasWeight);
        for (let k = 0; k < d3; k++) {
          if (byK[k]!.length === 0) continue;
          f.address([[w, d3 * buf.out.colBytes]]);
          if (first.has(k)) {
            c.localGet(T[k]!);
            if (scaled) c.localGet(S).simd('f32x4.mul');
            c.v128Store(col(buf.out, bo.offset + k));
            continue;
          }
          f.address([[w, d3 * buf.out.colBytes]]);
          c.v128Load(col(buf.out, bo.offset + k)).localGet(T[k]!);
          if (scaled) c.localGet(S).simd('f32x4.mul');
          c.simd('f32x4.add').v128Store(col(buf.out, bo.offset + k));
        }
      };
      const couple = () => {
        for (let k = 0; k < d3; k++) {
          const terms = byK[k]!;
          terms.forEach(([i, j, coef], n) => {
            c.localGet(X1[i]!).localGet(X2[j]!).simd('f32x4.mul').f32x4Const(coef).simd('f32x4.mul');
            if (n > 0) c.simd('f32x4.add');
          });
          if (terms.length > 0) c.localSet(T[k]!);
        }
      };
      if (same) {
        f.counted(m1, (u) => {
          loadBlock(f, X1, buf.x1, b1, d1, u);
          loadBlock(f, X2, buf.x2, b2, d2, u);
          couple();
          if (path.mode === 'uuu') spread(u, [[u, 1]]);
          else if (!path.hasWeight) spread(null, null);
          else f.counted(mo, (w) => spread(w, [[u, mo], [w, 1]]));
        });
        continue;
      }
      // x2 is loaded once per row group when it has one copy (the harmonics of a convolution).
      if (m2 === 1) loadBlock(f, X2, buf.x2, b2, d2, null);
      f.counted(m1, (u) => {
        loadBlock(f, X1, buf.x1, b1, d1, u);
        f.counted(m2, (v) => {
          if (m2 !== 1) loadBlock(f, X2, buf.x2, b2, d2, v);
          couple();
          const uv: [number | null, number][] = [[u, m2], [v, 1]];
          if (path.mode === 'uvu') spread(u, uv);
          else if (path.mode === 'uvv') spread(v, uv);
          else if (path.mode === 'uvuv') {
            // Output copy u * m2 + v: one index local.
            spreadCombined(f, u, v, m2, (w) => spread(w, uv));
          } else f.counted(mo, (w) => spread(w, [[u, m2 * mo], [v, mo], [w, 1]]));
        });
      });
    }
  });
  return f.finish('tensor_product');
}

/** Runs `body` with a local holding u * m2 + v (uvuv's output copy). */
function spreadCombined(f: Frame, u: number | null, v: number | null, m2: number, body: (w: number) => void): void {
  const w = f.local('i32');
  f.address([[u, m2], [v, 1]], false);
  f.code.localSet(w);
  body(w);
}
