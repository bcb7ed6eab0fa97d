// Spherical harmonics as straight-line SIMD code over groups of 4 vectors: the IR's recurrence
// tables (sectoral terms, then the three-term recurrence in l on solid harmonics) unrolled for
// every (l, m) up to lmax, constants folded; the same formula as the reference's
// sphericalHarmonicsInto, with (X, Y, Z) = (z, x, y).

import type { SphericalHarmonicsAttrs } from '../../../ir/types.js';
import type { FunctionDef } from '../encoder/module.js';
import { type Columns, col, Frame } from './frame.js';

export function sphericalHarmonicsKernel(attrs: SphericalHarmonicsAttrs, xyz: Columns, out: Columns): FunctionDef {
  const f = new Frame();
  const c = f.code;
  const lmax = Math.max(0, ...attrs.ls);
  const [x, y, z, r2, inv, cm, sm, tmp, prev1, prev2, next] = f.many('v128', 11);
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
      c.localGet(f.p);
      value();
      c.v128Store(col(out, k));
    }
  };
  f.rowGroups(() => {
    c.localGet(f.p).v128Load(col(xyz, 0)).localSet(x);
    c.localGet(f.p).v128Load(col(xyz, 1)).localSet(y);
    c.localGet(f.p).v128Load(col(xyz, 2)).localSet(z);
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
  });
  return f.finish('spherical_harmonics');
}
