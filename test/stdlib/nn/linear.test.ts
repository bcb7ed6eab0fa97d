import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../../stdlib/groups/group.js';
import { Irreps, irrepsD, randomRotation } from '../../../stdlib/groups/o3/index.js';
import { O3 } from '../../../stdlib/groups/o3/plugins.js';
import { Rep, type Atom } from '../../../stdlib/groups/rep.js';
import { createRng } from '../../../stdlib/math/random.js';
import { blockLayout } from '../../../stdlib/nn/layout.js';
import { buildLinear } from '../../../stdlib/nn/linear.js';
import { repLayout } from '../../../stdlib/nn/tensorProduct.js';
import { linearKernel } from '../../../targets/ref/ops/linear.js';
import { applyToRows, maxAbs, maxAbsDiff, negate, randomRows } from './helpers.js';

const I = (s: string) => Irreps.parse(s);

function runLinear(inRep: Rep<Atom>, outRep: Rep<Atom>, attrs: ReturnType<typeof buildLinear>['attrs'], x: Float64Array, w: Float64Array, b: Float64Array | undefined, n: number) {
  return linearKernel(attrs, blockLayout(repLayout(inRep)), blockLayout(repLayout(outRep)), inRep.dim, outRep.dim, x, w, b, n);
}

describe('buildLinear (e3nn o3.Linear)', () => {
  it('has e3nn’s weight count and (mul_in, mul_out) paths in (i_in, i_out) order', () => {
    const { attrs, unreachable } = buildLinear(I('4x0e+16x1o'), I('8x0e+8x1o'), O3, { bias: false });
    expect(attrs.weightNumel).toBe(160); // e3nn's docstring example
    expect(attrs.paths.map((p) => [p.iIn, p.iOut, p.weightOffset, ...p.weightShape])).toEqual([
      [0, 0, 0, 4, 8],
      [1, 1, 32, 16, 8],
    ]);
    expect(attrs.paths.map((p) => p.factor)).toEqual([Math.pow(4, -0.5), Math.pow(16, -0.5)]);
    expect(attrs.paths.every((p) => p.basis === undefined)).toBe(true);
    expect(unreachable).toEqual([]);
    expect(attrs.bias).toBeNull();
  });

  it('normalizes by the sum of mul_in over all paths into an output (e3nn’s 3x0e+7x0e example)', () => {
    const split = buildLinear(I('3x0e+7x0e'), I('1x0e'), O3, { bias: false });
    expect(split.attrs.paths.map((p) => p.factor)).toEqual([Math.pow(10, -0.5), Math.pow(10, -0.5)]);
    const whole = buildLinear(I('10x0e'), I('1x0e'), O3, { bias: false });
    const x = Float64Array.from({ length: 10 }, (_, i) => i);
    const ones = new Float64Array(10).fill(1);
    const a = runLinear(I('3x0e+7x0e'), I('1x0e'), split.attrs, x, ones, undefined, 1);
    const b = runLinear(I('10x0e'), I('1x0e'), whole.attrs, x, ones, undefined, 1);
    expect(a[0]).toBeCloseTo(45 / Math.sqrt(10), 13);
    expect(b[0]).toBeCloseTo(a[0]!, 13);
  });

  it('puts biases on 0e outputs only, concatenated in output order', () => {
    const { attrs } = buildLinear(I('4x0e+2x1o+3x0o'), I('2x0e+1x1o+3x0e+1x0o'), O3, { bias: true });
    expect(attrs.bias).toEqual({
      blocks: [
        { iOut: 0, offset: 0 },
        { iOut: 2, offset: 2 },
      ],
      numel: 5,
    });
    const none = buildLinear(I('2x1o'), I('1x1o'), O3, { bias: true });
    expect(none.attrs.bias).toBeNull();
  });

  it('reports outputs no input reaches', () => {
    expect(buildLinear(I('2x0e+1x1o'), I('1x1e+1x0e+1x0o+1x1o'), O3, { bias: false }).unreachable).toEqual([0, 2]);
  });

  it('is equivariant, and adds the bias to 0e outputs', () => {
    const inRep = I('3x0e+2x1o+2x2e+1x0o');
    const outRep = I('2x0e+3x1o+1x2e+2x0o');
    const { attrs } = buildLinear(inRep, outRep, O3, { bias: true });
    const rng = createRng(3);
    const x = randomRows(rng, 4, inRep.dim);
    const w = randomRows(rng, 1, attrs.weightNumel);
    const b = randomRows(rng, 1, attrs.bias!.numel);
    const y = runLinear(inRep, outRep, attrs, x, w, b, 4);
    for (const R of [randomRotation(rng), negate(randomRotation(rng))]) {
      const y1 = runLinear(inRep, outRep, attrs, applyToRows(irrepsD(inRep, R), x, inRep.dim), w, b, 4);
      expect(maxAbsDiff(y1, applyToRows(irrepsD(outRep, R), y, outRep.dim)) / maxAbs(y)).toBeLessThan(1e-13);
    }
    // Zero input: only the biases remain, on the 0e block.
    const y0 = runLinear(inRep, outRep, attrs, new Float64Array(inRep.dim), w, b, 1);
    expect(Array.from(y0.subarray(0, 2))).toEqual(Array.from(b));
    expect(maxAbs(y0.subarray(2))).toBe(0);
  });
});

describe('buildLinear with several basis maps (a group plugin beyond Schur’s identity)', () => {
  // A toy group whose atom `v` (dim 2) has two equivariant maps to itself: I and J (rotation by 90°).
  const v: Atom = { key: 'v', dim: 2, toString: () => 'v' };
  const J: Tensor = { shape: [2, 2], data: Float64Array.of(0, -1, 1, 0) };
  const Id: Tensor = { shape: [2, 2], data: Float64Array.of(1, 0, 0, 1) };
  const group = { scalar: v, equivariantMaps: () => [Id, J] };

  it('stores the basis and a (mul_in, mul_out, nbasis) weight, and applies sum_b W[u,w,b] B_b', () => {
    const rep = new Rep([{ mul: 2, ir: v }]);
    const out = new Rep([{ mul: 1, ir: v }]);
    const { attrs } = buildLinear(rep, out, group, { bias: false });
    expect(attrs.paths[0]!.weightShape).toEqual([2, 1, 2]);
    expect(attrs.paths[0]!.basis).toEqual([Array.from(Id.data), Array.from(J.data)]);
    expect(attrs.weightNumel).toBe(4);
    expect(attrs.paths[0]!.factor).toBe(Math.pow(4, -0.5));
    const x = Float64Array.of(1, 2, 3, 4);
    const w = Float64Array.of(1, 0.5, -1, 2); // W[0,0,:] = (1, 0.5), W[1,0,:] = (-1, 2)
    const y = runLinear(rep, out, attrs, x, w, undefined, 1);
    // u=0: 1*(1,2) + 0.5*J(1,2) = (1,2) + 0.5*(-2,1); u=1: -1*(3,4) + 2*J(3,4) = (-3,-4) + 2*(-4,3)
    const expected = [1 - 1 - 3 - 8, 2 + 0.5 - 4 + 6].map((t) => t * 0.5);
    expect(maxAbsDiff(y, expected)).toBeLessThan(1e-15);
  });
});
