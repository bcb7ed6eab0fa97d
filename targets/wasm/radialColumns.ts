// A radial basis written straight into float32 columns in wasm memory, for the MLP kernel that
// reads it: no float64 rows, no separate rounding pass, no transpose. The Bessel basis
// sqrt(2/c) sin(k pi t / c) / t takes one sin and one cos per edge and the others by the
// recurrence sin((k+1) a) = 2 cos(a) sin(k a) - sin((k-1) a) (in float64: its error grows
// ~k ulp, far below float32's rounding); the other bases are the reference's loop transposed.

import type { RadialBasisAttrs } from '../../ir/types.js';
import { softOneHotLinspace } from '../../stdlib/nn/radial.js';

/** Row e, basis function k of `x`'s basis into f32[base + k * stride + e]. */
export function radialBasisColumns(attrs: RadialBasisAttrs, x: Float64Array, f32: Float32Array, base: number, stride: number): void {
  const n = attrs.number;
  const rows = x.length;
  if (attrs.basis !== 'bessel') {
    const v = softOneHotLinspace(x, attrs);
    for (let k = 0; k < n; k++) for (let e = 0, o = base + k * stride; e < rows; e++) f32[o + e] = v[e * n + k]!;
    return;
  }
  const c = attrs.end - attrs.start;
  const norm = Math.sqrt(2 / c);
  for (let e = 0; e < rows; e++) {
    const t = x[e]! - attrs.start;
    if (attrs.cutoff && !(t / c < 1 && 0 < t)) {
      for (let k = 0; k < n; k++) f32[base + k * stride + e] = 0;
    } else if (t === 0) {
      // The limit at t = 0 (softOneHotLinspace's choice; only reached without a cutoff).
      for (let k = 0; k < n; k++) f32[base + k * stride + e] = (norm * (k + 1) * Math.PI) / c;
    } else {
      const a = (Math.PI * t) / c;
      const twoCos = 2 * Math.cos(a);
      const scale = norm / t;
      let prev = 0;
      let cur = Math.sin(a);
      for (let k = 0; k < n; k++) {
        f32[base + k * stride + e] = scale * cur;
        const next = twoCos * cur - prev;
        prev = cur;
        cur = next;
      }
    }
  }
}
