import { describe, expect, it } from 'vitest';
import { normalize2mom } from '../../../stdlib/nn/activations.js';
import { buildMlp, mlpWeightShapes } from '../../../stdlib/nn/mlp.js';
import { mlpKernel } from '../../../targets/ref/ops/mlp.js';

describe('FullyConnectedNet (e3nn nn._fc)', () => {
  it('normalizes the activation and lists (h_in, h_out) weights', () => {
    const attrs = buildMlp([2, 3, 1], 'silu');
    expect(attrs.act).toEqual({ act: 'silu', scale: normalize2mom('silu') });
    expect(mlpWeightShapes(attrs)).toEqual([
      [2, 3],
      [3, 1],
    ]);
    expect(() => buildMlp([4], 'silu')).toThrow(/input and an output/);
  });

  it('computes x @ (W / sqrt(h_in)), act between layers and none after the last', () => {
    const attrs = buildMlp([2, 3, 1], 'relu');
    const W0 = Float64Array.of(1, -1, 2, 0.5, 1, -3);
    const W1 = Float64Array.of(1, 2, -1);
    const x = Float64Array.of(1, 2, -1, 0);
    const y = mlpKernel(attrs, [W0, W1], x, 2);
    const c = normalize2mom('relu');
    const relu = (v: number) => Math.max(v, 0) * c;
    const row = (a: number, b: number) => {
      const h = [0, 1, 2].map((j) => relu((a * W0[j]! + b * W0[3 + j]!) / Math.SQRT2));
      return (h[0]! * 1 + h[1]! * 2 + h[2]! * -1) / Math.sqrt(3);
    };
    expect(y[0]).toBeCloseTo(row(1, 2), 14);
    expect(y[1]).toBeCloseTo(row(-1, 0), 14);
  });

  it('rejects weights of the wrong size', () => {
    const attrs = buildMlp([2, 1], 'silu');
    expect(() => mlpKernel(attrs, [new Float64Array(3)], new Float64Array(2), 1)).toThrow(/needs 2 weights/);
  });
});
