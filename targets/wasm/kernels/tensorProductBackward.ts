// The tensor product's vector-Jacobian product as one SIMD kernel, the transpose of
// tensorProduct.ts path by path: for each pair of copies (u, v), G[k] = Σ_w s_w g[w, k] over
// the output copies the mode feeds (s_w the weight, 1 without one), then
// gx1[u, i] += Σ C'[i,j,k] x2[v, j] G[k] and gx2[v, j] += Σ C'[i,j,k] x1[u, i] G[k], unrolled
// over the non-zero entries (C' = C · the path's factor); per-row weights get
// gw[w] += Σ_k g[w, k] t[k], t the forward's coupling. Every write is to the thread's own rows.
// Shared weights' gradients (a sum over rows) are not computed here.

import type { IRCouplingTable, TensorProductAttrs } from '../../../ir/types.js';
import type { FunctionDef } from '../encoder/module.js';
import { type Columns, col, Frame } from './frame.js';
import type { TensorProductBuffers } from './tensorProduct.js';
import { loadBlock, maxBlockDim, pathBlocks, type TensorProductShape } from './pathBlocks.js';

export interface TensorProductGradBuffers extends Omit<TensorProductBuffers, 'out'> {
  readonly gOut: Columns;
  readonly gx1: Columns;
  readonly gx2: Columns;
  /** Per-row weights' gradient (columns), when the weights are per row. */
  readonly gw?: Columns;
}

export function tensorProductBackwardKernel(attrs: TensorProductAttrs, tables: Readonly<Record<string, IRCouplingTable>>, shape: TensorProductShape, buf: TensorProductGradBuffers): FunctionDef {
  const f = new Frame();
  const c = f.code;
  const maxD = maxBlockDim(attrs, tables);
  const X1 = f.many('v128', maxD);
  const X2 = f.many('v128', maxD);
  const T = f.many('v128', maxD);
  const G = f.many('v128', maxD);
  const S = f.local('v128');
  const GK = f.local('v128');
  const GW = f.local('v128');

  f.rowGroups(() => {
    for (const { path, b1, b2, bo, d1, d2, d3, entries } of pathBlocks(attrs, tables, shape)) {
      const ks = [...new Set(entries.map((x) => x[2]))];
      const m1 = b1.mul;
      const m2 = b2.mul;
      const mo = bo.mul;
      const perRow = path.hasWeight && buf.weights?.kind === 'rows' && !!buf.gw;
      const couple = () => {
        for (const k of ks) {
          entries.filter((x) => x[2] === k).forEach(([i, j, , coef], n) => {
            c.localGet(X1[i]!).localGet(X2[j]!).simd('f32x4.mul').f32x4Const(coef).simd('f32x4.mul');
            if (n > 0) c.simd('f32x4.add');
          });
          c.localSet(T[k]!);
        }
      };
      // One output copy w (local or null) with weight index widx: G += s g[w], gw[widx] += g[w]·t.
      const term = (w: number | null, widx: readonly (readonly [number | null, number])[] | null) => {
        const weighted = !!(widx && path.hasWeight);
        if (weighted) {
          const wb = buf.weights;
          if (!wb) throw new Error('tensor product: weights are missing');
          if (wb.kind === 'rows') {
            f.address(widx!.map(([i, s]) => [i, s * wb.cols.colBytes] as const));
            c.v128Load(col(wb.cols, path.weightOffset));
          } else {
            f.address(widx!.map(([i, s]) => [i, s * 4] as const), false);
            c.v128Load32Splat(wb.ptr + 4 * path.weightOffset);
          }
          c.localSet(S);
        }
        if (perRow && weighted) c.f32x4Const(0).localSet(GW);
        for (const k of ks) {
          f.address([[w, d3 * buf.gOut.colBytes]]);
          c.v128Load(col(buf.gOut, bo.offset + k)).localSet(GK);
          c.localGet(G[k]!).localGet(GK);
          if (weighted) c.localGet(S).simd('f32x4.mul');
          c.simd('f32x4.add').localSet(G[k]!);
          if (perRow && weighted) c.localGet(GW).localGet(GK).localGet(T[k]!).simd('f32x4.mul').simd('f32x4.add').localSet(GW);
        }
        if (perRow && weighted) {
          const gw = buf.gw!;
          f.address(widx!.map(([i, s]) => [i, s * gw.colBytes] as const));
          f.address(widx!.map(([i, s]) => [i, s * gw.colBytes] as const));
          c.v128Load(col(gw, path.weightOffset)).localGet(GW).simd('f32x4.add').v128Store(col(gw, path.weightOffset));
        }
      };
      // G pushed back through C' into gx1 (copy u) and gx2 (copy v).
      const pull = (u: number | null, v: number | null) => {
        for (let i = 0; i < d1; i++) {
          const es = entries.filter((x) => x[0] === i);
          if (es.length === 0) continue;
          f.address([[u, d1 * buf.gx1.colBytes]]);
          f.address([[u, d1 * buf.gx1.colBytes]]);
          c.v128Load(col(buf.gx1, b1.offset + i));
          for (const [, j, k, coef] of es) c.localGet(X2[j]!).localGet(G[k]!).simd('f32x4.mul').f32x4Const(coef).simd('f32x4.mul').simd('f32x4.add');
          c.v128Store(col(buf.gx1, b1.offset + i));
        }
        for (let j = 0; j < d2; j++) {
          const es = entries.filter((x) => x[1] === j);
          if (es.length === 0) continue;
          f.address([[v, d2 * buf.gx2.colBytes]]);
          f.address([[v, d2 * buf.gx2.colBytes]]);
          c.v128Load(col(buf.gx2, b2.offset + j));
          for (const [i, , k, coef] of es) c.localGet(X1[i]!).localGet(G[k]!).simd('f32x4.mul').f32x4Const(coef).simd('f32x4.mul').simd('f32x4.add');
          c.v128Store(col(buf.gx2, b2.offset + j));
        }
      };
      const pair = (u: number | null, v: number | null, terms: () => void) => {
        loadBlock(f, X1, buf.x1, b1, d1, u);
        loadBlock(f, X2, buf.x2, b2, d2, v);
        if (perRow) couple();
        for (const k of ks) c.f32x4Const(0).localSet(G[k]!);
        terms();
        pull(u, v);
      };
      if (path.mode === 'uuw' || path.mode === 'uuu') {
        f.counted(m1, (u) =>
          pair(u, u, () => {
            if (path.mode === 'uuu') term(u, [[u, 1]]);
            else if (!path.hasWeight) term(null, null);
            else f.counted(mo, (w) => term(w, [[u, mo], [w, 1]]));
          }),
        );
        continue;
      }
      f.counted(m1, (u) =>
        f.counted(m2, (v) =>
          pair(u, v, () => {
            const uv: [number | null, number][] = [[u, m2], [v, 1]];
            if (path.mode === 'uvu') term(u, uv);
            else if (path.mode === 'uvv') term(v, uv);
            else if (path.mode === 'uvuv') {
              const w = f.local('i32');
              f.address(uv, false);
              c.localSet(w);
              term(w, uv);
            } else f.counted(mo, (w) => term(w, [[u, m2 * mo], [v, mo], [w, 1]]));
          }),
        ),
      );
    }
  });
  return f.finish('tensor_product_vjp');
}
