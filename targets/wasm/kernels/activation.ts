// An MLP's hidden activation in place over float32 columns, as SIMD: the activations that are
// made of exp and arithmetic (silu, sigmoid, tanh) and the piecewise ones (relu, abs,
// identity), each times its normalize2mom scale. exp is Cephes' expf: x = n ln 2 + r with n
// the nearest integer to x log2 e, e^r by its degree-7 polynomial, 2^n built in the exponent
// bits; about 2 ulp in float32, against the ~40 ns of one JavaScript call per value it replaces.
// The others (gelu's erf, ssp's log) stay in JavaScript (activationKernel returns undefined).

import type { ScaledActivation } from '../../../ir/types.js';
import type { Code } from '../encoder/code.js';
import type { FunctionDef } from '../encoder/module.js';
import { type Columns, col, Frame } from './frame.js';

const LOG2E = 1.44269504088896341;
// ln 2 in two parts: C1 is exact in few bits, so n C1 is exact.
const C1 = 0.693359375;
const C2 = -2.12194440e-4;
const EXP_POLY = [1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1];

/** The activations activationKernel computes. */
export function hasActivationKernel(a: ScaledActivation): boolean {
  return ['silu', 'sigmoid', 'tanh', 'relu', 'abs', 'identity'].includes(a.act);
}

/** Pushes e^x for the v128 in local x (clamped to [-87, 88]: 2^n stays a normal float), using locals r, n. */
function exp(c: Code, x: number, r: number, n: number): void {
  c.localGet(x).f32x4Const(-87).simd('f32x4.max').f32x4Const(88).simd('f32x4.min').localSet(r);
  c.localGet(r).f32x4Const(LOG2E).simd('f32x4.mul').simd('f32x4.nearest').localSet(n);
  // r = x - n C1 - n C2
  c.localGet(r).localGet(n).f32x4Const(C1).simd('f32x4.mul').simd('f32x4.sub').localGet(n).f32x4Const(C2).simd('f32x4.mul').simd('f32x4.sub').localSet(r);
  // Horner: ((p0 r + p1) r + ... + p5) r^2 + r + 1
  c.f32x4Const(EXP_POLY[0]!);
  for (const p of EXP_POLY.slice(1)) c.localGet(r).simd('f32x4.mul').f32x4Const(p).simd('f32x4.add');
  c.localGet(r).simd('f32x4.mul').localGet(r).simd('f32x4.mul').localGet(r).simd('f32x4.add').f32x4Const(1).simd('f32x4.add');
  // times 2^n: (n + 127) << 23 as float bits
  c.localGet(n).simd('i32x4.trunc_sat_f32x4_s').i32x4Const(127).simd('i32x4.add').i32(23).simd('i32x4.shl').simd('f32x4.mul');
}

/** act(x) * scale in place on `dim` columns over the rows [r0, r1), or undefined when the activation has no kernel. */
export function activationKernel(a: ScaledActivation, cols: Columns, dim: number): FunctionDef | undefined {
  if (!hasActivationKernel(a)) return undefined;
  const f = new Frame();
  const c = f.code;
  const x = f.local('v128');
  const r = f.local('v128');
  const n = f.local('v128');
  const e = f.local('v128');
  f.rowGroups(() => {
    for (let k = 0; k < dim; k++) {
      c.localGet(f.p);
      c.localGet(f.p).v128Load(col(cols, k)).localSet(x);
      switch (a.act) {
        case 'silu':
        case 'sigmoid':
          // x / (1 + e^-x), 1 / (1 + e^-x)
          c.f32x4Const(0).localGet(x).simd('f32x4.sub').localSet(e);
          exp(c, e, r, n);
          c.f32x4Const(1).simd('f32x4.add').localSet(e);
          if (a.act === 'silu') c.localGet(x);
          else c.f32x4Const(1);
          c.localGet(e).simd('f32x4.div');
          break;
        case 'tanh':
          // 1 - 2 / (e^2x + 1): exact limits ±1 where e^2x saturates.
          c.localGet(x).localGet(x).simd('f32x4.add').localSet(e);
          exp(c, e, r, n);
          c.f32x4Const(1).simd('f32x4.add').localSet(e);
          c.f32x4Const(1).f32x4Const(2).localGet(e).simd('f32x4.div').simd('f32x4.sub');
          break;
        case 'relu':
          c.localGet(x).f32x4Const(0).simd('f32x4.max');
          break;
        case 'abs':
          c.localGet(x).simd('f32x4.abs');
          break;
        default:
          c.localGet(x);
      }
      if (a.scale !== 1) c.f32x4Const(a.scale).simd('f32x4.mul');
      c.v128Store(col(cols, k));
    }
  });
  return f.finish('activation');
}
