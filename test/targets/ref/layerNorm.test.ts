// The equivariant layer norm of the reference (targets/ref/ops/layerNorm.ts): invariant scalars
// come out centred, every block with unit root mean square (weights 1, biases 0), weights and
// biases apply per copy, and rotating every vector copy rotates the output the same way.
import { describe, expect, it } from 'vitest';
import type { LayerNormAttrs } from '../../../ir/types.js';
import { layerNormKernel } from '../../../targets/ref/ops/layerNorm.js';

// One row of 3x0e + 2x1o: scalars at 0..2, vectors at 3..8.
const attrs: LayerNormAttrs = {
  blocks: [
    { offset: 0, mul: 3, dim: 1, centre: true, weightOffset: 0, biasOffset: 0 },
    { offset: 3, mul: 2, dim: 3, centre: false, weightOffset: 3 },
  ],
  eps: 1e-12,
  weightNumel: 5,
  biasNumel: 3,
};
const x = Float64Array.from([1, 2, 6, 0.5, -1, 2, 3, 0, -4]);
const ones = new Float64Array(5).fill(1);
const zeros = new Float64Array(3);

describe('layer norm (reference)', () => {
  it('centres scalars and gives each block unit RMS', () => {
    const y = layerNormKernel(attrs, x, 9, 1, ones, zeros);
    const s = [...y.subarray(0, 3)];
    expect(s.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 12);
    expect(Math.sqrt(s.reduce((a, b) => a + b * b, 0) / 3)).toBeCloseTo(1, 10);
    const v = [...y.subarray(3, 9)];
    expect(Math.sqrt(v.reduce((a, b) => a + b * b, 0) / 6)).toBeCloseTo(1, 10);
    // The vectors keep their directions (no centring of non-invariant blocks).
    expect(v[0]! / v[2]!).toBeCloseTo(0.5 / 2, 12);
  });

  it('applies a weight per copy and a bias per scalar copy', () => {
    const base = layerNormKernel(attrs, x, 9, 1, ones, zeros);
    const w = Float64Array.from([2, 1, 1, 1, -3]);
    const b = Float64Array.from([0.5, 0, 0]);
    const y = layerNormKernel(attrs, x, 9, 1, w, b);
    expect(y[0]).toBeCloseTo(2 * base[0]! + 0.5, 12);
    expect(y[6]).toBeCloseTo(-3 * base[6]!, 12);
    expect(y[3]).toBeCloseTo(base[3]!, 12);
  });

  it('commutes with a rotation of the vector copies', () => {
    const c = Math.cos(0.7);
    const s = Math.sin(0.7);
    const rotate = (v: Float64Array) => {
      const out = Float64Array.from(v);
      for (const o of [3, 6]) {
        out[o] = c * v[o]! - s * v[o + 1]!;
        out[o + 1] = s * v[o]! + c * v[o + 1]!;
      }
      return out;
    };
    const a = rotate(layerNormKernel(attrs, x, 9, 1, ones, zeros));
    const b = layerNormKernel(attrs, rotate(x), 9, 1, ones, zeros);
    for (let k = 0; k < 9; k++) expect(b[k]).toBeCloseTo(a[k]!, 12);
  });
});
