// The radial basis written straight into float32 columns (targets/wasm/radialColumns.ts)
// against the reference's softOneHotLinspace: the Bessel recurrence with and without a cutoff
// (lengths inside, outside, at 0 and at the cutoff, 20 functions so the recurrence runs long),
// and a Gaussian basis (the reference's loop, transposed). convolution.test.ts checks a forward
// that uses it (no copy into wasm memory for the MLP's input).

import { describe, expect, it } from 'vitest';
import type { RadialBasisAttrs } from '../../../ir/types.js';
import { softOneHotLinspace } from '../../../stdlib/nn/radial.js';
import { radialBasisColumns } from '../../../targets/wasm/radialColumns.js';

describe('radial basis into float32 columns', () => {
  const x = Float64Array.from([0, 1e-9, 0.01, 0.3, 0.7499, 0.75, 1.2, 1.4999, 1.5, 2.25, -0.2, 3.1]);
  const cases: [string, RadialBasisAttrs][] = [
    ['bessel, cutoff', { basis: 'bessel', number: 20, start: 0, end: 1.5, cutoff: true }],
    ['bessel, no cutoff', { basis: 'bessel', number: 8, start: 0, end: 1.5, cutoff: false }],
    ['bessel, shifted start', { basis: 'bessel', number: 6, start: 0.25, end: 2, cutoff: true }],
    ['gaussian, cutoff', { basis: 'gaussian', number: 7, start: 0, end: 3, cutoff: true }],
  ];
  it.each(cases)('%s', (_, attrs) => {
    const stride = 16;
    const base = 5;
    const f32 = new Float32Array(base + attrs.number * stride).fill(Number.NaN);
    radialBasisColumns(attrs, x, f32, base, stride);
    const want = softOneHotLinspace(x, attrs);
    let scale = 0;
    for (const v of want) scale = Math.max(scale, Math.abs(v));
    for (let e = 0; e < x.length; e++)
      for (let k = 0; k < attrs.number; k++) {
        const w = want[e * attrs.number + k]!;
        expect(Math.abs(f32[base + k * stride + e]! - w)).toBeLessThanOrEqual(1e-6 * Math.max(scale, 1) + 1e-7 * Math.abs(w));
      }
    // Nothing outside the rows was written.
    expect(Number.isNaN(f32[base + x.length])).toBe(true);
  });
});
