// Radial splines (`spline`, Facet): the cubic B-spline basis, its derivative, the checker's
// rules, and the op inside a model (tensor-product weights inferred, forces through it).

import { describe, expect, it } from 'vitest';
import { compileSource } from '../../../compiler/compile.js';
import { cubicBSpline, splineBasis, splineBasisDerivative, splineSpacing } from '../../../stdlib/nn/spline.js';
import { evaluate, evaluateAll } from '../../../targets/ref/evaluate.js';
import { initialParams } from '../../../targets/io/params.js';
import { randomBatch } from '../tfjs/helpers.js';

const attrs = { number: 8, end: 2.5, spacing: splineSpacing(8, 2.5) };
const lengths = Float64Array.from({ length: 61 }, (_, i) => (i * 2.5) / 60);

describe('the cubic B-spline basis', () => {
  it('sums to 1 on [0, r] with at most four non-zero functions', () => {
    const b = splineBasis(lengths, attrs);
    for (let e = 0; e < lengths.length; e++) {
      const row = b.subarray(e * 8, e * 8 + 8);
      expect(Math.abs(row.reduce((s, v) => s + v, 0) - 1)).toBeLessThan(1e-14);
      expect(row.filter((v) => v !== 0).length).toBeLessThanOrEqual(4);
    }
  });

  it('is C1 across the knots and vanishes beyond r + 3 spacing', () => {
    for (const knot of [1, 2, 3]) {
      expect(Math.abs(cubicBSpline(knot - 1e-9) - cubicBSpline(knot + 1e-9))).toBeLessThan(1e-8);
    }
    expect(cubicBSpline(2)).toBeCloseTo(2 / 3, 14);
    const beyond = splineBasis(Float64Array.of(2.5 + 3 * attrs.spacing + 1e-9), attrs);
    expect(beyond.every((v) => v === 0)).toBe(true);
  });

  it('its derivative agrees with central differences', () => {
    const x = lengths.map((v) => v + 0.0137);
    const d = splineBasisDerivative(x, attrs);
    const h = 1e-6;
    const plus = splineBasis(x.map((v) => v + h), attrs);
    const minus = splineBasis(x.map((v) => v - h), attrs);
    let err = 0;
    for (let i = 0; i < d.length; i++) err = Math.max(err, Math.abs(d[i]! - (plus[i]! - minus[i]!) / (2 * h)));
    expect(err).toBeLessThan(1e-7);
  });
});

const MODEL = (body: string) =>
  `model M : E(3) {\n  in pos: node[pos]\n  in x: node[4x0e]\n  out y: node[4x0e]\n  let g = radius_graph(pos, r = 2.0)\n${body}\n}\n`;

describe('spline in a model', () => {
  it('infers its width as tensor-product weights and is a learned (n, out) matrix', () => {
    const result = compileSource(MODEL('  y = scatter(tp(gather(x, g), spherical_harmonics(g.vec, lmax = 1), 4x0e, mode = uvu, weights = spline(g.len, n = 6, r = 2.0)), g)'));
    expect(result.diagnostics).toEqual([]);
    const module = result.ir[0]!;
    const node = module.nodes.find((n) => n.op === 'radial_spline')!;
    expect(node.attrs).toEqual({ number: 6, end: 2, spacing: 2 / 3 });
    const param = module.params.find((p) => p.node === node.id)!;
    const tp = module.nodes.find((n) => n.op === 'tensor_product')!;
    expect(tp.op === 'tensor_product' && tp.attrs.weightNumel).toBe(4); // uvu 4x0e x 0e -> 4x0e: one weight per copy
    expect(param.shape).toEqual([6, 4]);
  });

  it('evaluates y = B(len) W in the reference', () => {
    const result = compileSource(MODEL('  let s = spline(g.len, n = 5, r = 2.0, out = 3)\n  y = linear(concat(x, scatter(s, g)), 4x0e)'));
    expect(result.diagnostics).toEqual([]);
    const module = result.ir[0]!;
    const batch = randomBatch(module, [4], 2, 1.0);
    const params = initialParams(module, 7);
    const node = module.nodes.find((n) => n.op === 'radial_spline')!;
    const values = evaluateAll(module, batch, params);
    const rows = (id: string) => {
      const v = values.get(id)!;
      if (v.kind === 'graph') throw new Error(`${id} is a graph`);
      return v;
    };
    const len = rows(node.inputs[0]!);
    const y = rows(node.id);
    const w = params.get(node.params[0]!)!;
    const b = splineBasis(len.data, node.op === 'radial_spline' ? node.attrs : attrs);
    expect(len.rows).toBeGreaterThan(2);
    for (let e = 0; e < len.rows; e++) {
      for (let o = 0; o < 3; o++) {
        let want = 0;
        for (let k = 0; k < 5; k++) want += b[e * 5 + k]! * w[k * 3 + o]!;
        expect(Math.abs(y.data[e * 3 + o]! - want)).toBeLessThan(1e-14);
      }
    }
    expect(evaluate(module, batch, params).get('y')!.length).toBe(16);
  });


});
