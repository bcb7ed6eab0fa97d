// Spherical harmonics as straight-line SIMD code over groups of 4 vectors: the IR's recurrence
// tables (sectoral terms, then the three-term recurrence in l on solid harmonics) unrolled for
// every (l, m) up to lmax, constants folded; the same formula as the reference's
// sphericalHarmonicsInto, with (X, Y, Z) = (z, x, y).
//
// The vectors are float32 columns (a value other kernels make) or the runner's float64 rows (3
// per row) at a byte address, read four vectors (12 doubles, 6 v128) at a time, demoted and
// shuffled into x, y, z lanes. The result is float32 columns (a value other kernels read) or
// float32 rows (dim per row) at a byte address: four components of the four vectors are
// transposed (a 4x4 shuffle) and stored as one v128 per row. The host turns those rows into the
// runner's float64 rows with one converting copy (Float64Array.set, as fast as a memcpy), so the
// kernel writes half the bytes float64 rows would take; the rows forms skip the transpose
// kernels and their float32 columns (W3 moves far more bytes than it computes on).

import type { SphericalHarmonicsAttrs } from '../../../ir/types.js';
import type { FunctionDef } from '../encoder/module.js';
import { type Columns, col, Frame, transpose4 } from './frame.js';

/**
 * Where the kernel reads or writes a value: float32 columns, or rows at byte `ptr` (float64
 * rows when read, float32 rows when written).
 */
export type ShOperand = { readonly kind: 'columns'; readonly cols: Columns } | { readonly kind: 'rows'; readonly ptr: number };

export function sphericalHarmonicsKernel(attrs: SphericalHarmonicsAttrs, input: ShOperand, output: ShOperand): FunctionDef {
  const f = new Frame();
  const c = f.code;
  const lmax = Math.max(0, ...attrs.ls);
  const dim = attrs.ls.reduce((s, l) => s + 2 * l + 1, 0);
  const [x, y, z, r2, inv, cm, sm, tmp, prev1, prev2, next] = f.many('v128', 11);
  // Row forms: the row group's byte offset in the rows (24 or 8 dim bytes a row, p = 4 row).
  const ia = input.kind === 'rows' ? f.local('i32') : -1;
  const oa = output.kind === 'rows' ? f.local('i32') : -1;
  // Rows out: every component of the group is held until all are computed, then stored by row.
  const comp = output.kind === 'rows' ? f.many('v128', dim) : [];
  const [P, Q, R] = input.kind === 'rows' ? f.many('v128', 3) : [];
  const T = output.kind === 'rows' ? f.many('v128', 4) : [];
  // Where component (l, m) goes: every requested copy of degree l (ls may repeat a degree).
  const targets = (l: number, m: number): number[] => {
    const cols: number[] = [];
    let o = 0;
    for (const d of attrs.ls) {
      if (d === l) cols.push(o + l + m);
      o += 2 * d + 1;
    }
    return cols;
  };
  const store = (l: number, m: number, value: () => void) => {
    for (const k of targets(l, m)) {
      if (output.kind === 'rows') {
        value();
        c.localSet(comp[k]!);
        continue;
      }
      c.localGet(f.p);
      value();
      c.v128Store(col(output.cols, k));
    }
  };
  const loadRows = (ptr: number) => {
    c.localGet(f.p).i32(6).op('i32.mul').localSet(ia);
    // Doubles 4j, 4j+1 of the group's 12 (two v128) as four float32 lanes.
    const quad = (j: number, into: number) => {
      c.localGet(ia).v128Load(ptr + 32 * j).simd('f32x4.demote_f64x2_zero');
      c.localGet(ia).v128Load(ptr + 32 * j + 16).simd('f32x4.demote_f64x2_zero');
      c.shuffle32([0, 1, 4, 5]).localSet(into);
    };
    // P = (x0 y0 z0 x1), Q = (y1 z1 x2 y2), R = (z2 x3 y3 z3).
    quad(0, P!);
    quad(1, Q!);
    quad(2, R!);
    c.localGet(P!).localGet(Q!).shuffle32([0, 3, 6, 6]).localGet(R!).shuffle32([0, 1, 2, 5]).localSet(x);
    c.localGet(P!).localGet(Q!).shuffle32([1, 4, 7, 7]).localGet(R!).shuffle32([0, 1, 2, 6]).localSet(y);
    c.localGet(P!).localGet(Q!).shuffle32([2, 5, 5, 5]).localGet(R!).shuffle32([0, 1, 4, 7]).localSet(z);
  };
  const storeRows = (ptr: number) => {
    c.localGet(f.p).i32(dim).op('i32.mul').localSet(oa);
    let k = 0;
    // Components k..k+3 of rows r = 0..3 by a 4x4 transpose, one v128 store a row.
    for (; k + 4 <= dim; k += 4) {
      const row = transpose4(c, comp.slice(k, k + 4), T);
      for (let r = 0; r < 4; r++) {
        c.localGet(oa);
        row(r);
        c.v128Store(ptr + 4 * dim * r + 4 * k);
      }
    }
    // The last dim mod 4 components, lane by lane.
    for (; k < dim; k++) {
      for (let r = 0; r < 4; r++) c.localGet(oa).localGet(comp[k]!).lane('f32x4.extract_lane', r).f32Store(ptr + 4 * dim * r + 4 * k);
    }
  };
  f.rowGroups(() => {
    if (input.kind === 'rows') loadRows(input.ptr);
    else {
      c.localGet(f.p).v128Load(col(input.cols, 0)).localSet(x);
      c.localGet(f.p).v128Load(col(input.cols, 1)).localSet(y);
      c.localGet(f.p).v128Load(col(input.cols, 2)).localSet(z);
    }
    const sq = () => c.localGet(x).localGet(x).simd('f32x4.mul').localGet(y).localGet(y).simd('f32x4.mul').simd('f32x4.add').localGet(z).localGet(z).simd('f32x4.mul').simd('f32x4.add');
    if (attrs.normalize) {
      sq();
      c.simd('f32x4.sqrt').f32x4Const(1e-12).simd('f32x4.max').localSet(inv);
      for (const v of [x, y, z]) c.localGet(v).localGet(inv).simd('f32x4.div').localSet(v);
    }
    sq();
    c.localSet(r2);
    // (X, Y, Z) = (z, x, y)
    const X = z;
    const Y = x;
    const Z = y;
    c.f32x4Const(1).localSet(cm).f32x4Const(0).localSet(sm);
    let amm = 1;
    for (let m = 0; m <= lmax; m++) {
      if (m > 0) {
        c.localGet(X).localGet(cm).simd('f32x4.mul').localGet(Y).localGet(sm).simd('f32x4.mul').simd('f32x4.sub').localSet(tmp);
        c.localGet(X).localGet(sm).simd('f32x4.mul').localGet(Y).localGet(cm).simd('f32x4.mul').simd('f32x4.add').localSet(sm);
        c.localGet(tmp).localSet(cm);
        amm *= attrs.sectoral[m]!;
      }
      c.f32x4Const(0).localSet(prev2).f32x4Const(amm).localSet(prev1);
      for (let l = m; l <= lmax; l++) {
        if (l > m) {
          const A = attrs.recurrenceA[l]![m]!;
          const B = attrs.recurrenceB[l]![m]!;
          c.localGet(Z).localGet(prev1).simd('f32x4.mul').f32x4Const(A).simd('f32x4.mul');
          if (B !== 0) c.localGet(r2).localGet(prev2).simd('f32x4.mul').f32x4Const(B).simd('f32x4.mul').simd('f32x4.sub');
          c.localSet(next).localGet(prev1).localSet(prev2).localGet(next).localSet(prev1);
        }
        const s0 = attrs.scales[l]!;
        if (m === 0) store(l, 0, () => c.localGet(prev1).f32x4Const(s0).simd('f32x4.mul'));
        else {
          const s1 = Math.SQRT2 * s0;
          store(l, m, () => c.localGet(prev1).f32x4Const(s1).simd('f32x4.mul').localGet(cm).simd('f32x4.mul'));
          store(l, -m, () => c.localGet(prev1).f32x4Const(s1).simd('f32x4.mul').localGet(sm).simd('f32x4.mul'));
        }
      }
    }
    if (output.kind === 'rows') storeRows(output.ptr);
  });
  return f.finish('spherical_harmonics');
}
