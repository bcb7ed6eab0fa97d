import { describe, expect, it } from 'vitest';
import type { IRCouplingTable, TPMode, TensorProductAttrs } from '../../../ir/types.js';
import { Irrep, Irreps, irrepsD, randomRotation, wigner3j } from '../../../stdlib/groups/o3/index.js';
import { O3 } from '../../../stdlib/groups/o3/plugins.js';
import { createRng, type Rng } from '../../../stdlib/math/random.js';
import { blockLayout } from '../../../stdlib/nn/layout.js';
import { buildTensorProduct, fullTensorProduct, repLayout, tensorProductInstructions, withoutWeights } from '../../../stdlib/nn/tensorProduct.js';
import { tensorProductKernel } from '../../../targets/ref/ops/tensorProduct.js';
import { applyToRows, maxAbs, maxAbsDiff, negate, randomRows } from '../../stdlib/nn/helpers.js';

const rule = O3.products!;
const I = (s: string) => Irreps.parse(s);

interface Built {
  attrs: TensorProductAttrs;
  tables: Record<string, IRCouplingTable>;
  in1: Irreps;
  in2: Irreps;
  out: Irreps;
}

function build(in1: string, in2: string, out: string, mode: TPMode, weights: 'shared' | 'input' | 'none'): Built {
  const { instructions } = tensorProductInstructions(I(in1), I(in2), I(out), mode, (a, b) => rule.products(a, b));
  const { attrs, tables } = buildTensorProduct(
    { in1: I(in1), in2: I(in2), out: I(out), instructions: weights === 'none' ? withoutWeights(instructions) : instructions, weights },
    rule,
    'o3:',
  );
  return { attrs, tables, in1: I(in1), in2: I(in2), out: I(out) };
}

function run(b: Built, x1: Float64Array, x2: Float64Array, w: Float64Array | undefined, n: number, tables = b.tables): Float64Array {
  const layout = { in1: blockLayout(b.attrs.in1), in2: blockLayout(b.attrs.in2), out: blockLayout(repLayout(b.out)), dim1: b.in1.dim, dim2: b.in2.dim, dimOut: b.out.dim };
  return tensorProductKernel(b.attrs, tables, layout, x1, x2, w, n);
}

/** max |f(D1 x1, D2 x2) - Dout f(x1, x2)| relative to the output's size, for a proper and an improper rotation. */
function equivarianceError(b: Built, rng: Rng, weights: 'shared' | 'input' | 'none', tables = b.tables): number {
  const n = 3;
  const x1 = randomRows(rng, n, b.in1.dim);
  const x2 = randomRows(rng, n, b.in2.dim);
  const w = weights === 'none' ? undefined : randomRows(rng, weights === 'input' ? n : 1, b.attrs.weightNumel);
  const y = run(b, x1, x2, w, n, tables);
  let worst = 0;
  for (const R of [randomRotation(rng), negate(randomRotation(rng))]) {
    const y1 = run(b, applyToRows(irrepsD(b.in1, R), x1, b.in1.dim), applyToRows(irrepsD(b.in2, R), x2, b.in2.dim), w, n, tables);
    const y2 = applyToRows(irrepsD(b.out, R), y, b.out.dim);
    worst = Math.max(worst, maxAbsDiff(y1, y2) / Math.max(maxAbs(y), 1e-300));
  }
  return worst;
}

// Every mode with irreps up to l = 4 and multiplicities the mode accepts.
const cases: { mode: TPMode; in1: string; in2: string; out: string }[] = [
  { mode: 'uvw', in1: '2x0e+2x1o+1x2e+1x3o+1x4e', in2: '1x0e+2x1o+1x2e', out: '2x0e+2x1o+2x1e+2x2e+2x2o+1x3o+1x3e+1x4e+1x4o' },
  { mode: 'uvu', in1: '2x0e+2x1o+2x2e+2x3o+2x4e', in2: '3x0e+1x1o+1x2e', out: '2x0e+2x1o+2x1e+2x2e+2x2o+2x3o+2x3e+2x4e+2x4o' },
  { mode: 'uvv', in1: '2x0e+1x1o+1x2e', in2: '3x0e+3x1o+3x2e+3x3o+3x4e', out: '3x0e+3x1o+3x1e+3x2e+3x2o+3x3o+3x3e+3x4e+3x4o' },
  { mode: 'uuw', in1: '2x0e+2x1o+2x2e+2x4e', in2: '2x0e+2x1o+2x2e+2x4e', out: '2x0e+1x1o+2x1e+2x2e+1x2o+1x3o+2x4e+1x4o' },
  { mode: 'uuu', in1: '2x0e+2x1o+2x2e+2x4e', in2: '2x0e+2x1o+2x3o+2x4e', out: '2x0e+2x1o+2x1e+2x2e+2x2o+2x3o+2x4e+2x4o' },
  { mode: 'uvuv', in1: '2x0e+2x1o+2x4e', in2: '3x0e+3x1o+3x2e', out: '6x0e+6x1o+6x1e+6x2e+6x2o+6x3o+6x4e+6x4o' },
];

describe('tensor product kernel', () => {
  for (const c of cases) {
    it(`is equivariant under rotations and reflections: ${c.mode}, shared weights`, () => {
      const b = build(c.in1, c.in2, c.out, c.mode, 'shared');
      expect(b.attrs.paths.length).toBeGreaterThan(3);
      expect(equivarianceError(b, createRng(11), 'shared')).toBeLessThan(1e-12);
    });
  }

  for (const c of cases.filter((x) => x.mode !== 'uvw')) {
    it(`is equivariant without weights: ${c.mode}`, () => {
      const out = c.mode === 'uuw' ? c.out.replace(/\d+x/g, '1x') : c.out;
      const b = build(c.in1, c.in2, out, c.mode, 'none');
      expect(b.attrs.weightNumel).toBe(0);
      expect(equivarianceError(b, createRng(12), 'none')).toBeLessThan(1e-12);
    });
  }

  it('is equivariant with per-sample weights', () => {
    const c = cases[1]!;
    const b = build(c.in1, c.in2, c.out, c.mode, 'input');
    expect(equivarianceError(b, createRng(13), 'input')).toBeLessThan(1e-12);
  });

  it('is caught by the equivariance check when one coupling coefficient has the wrong sign', () => {
    const c = cases[0]!;
    const b = build(c.in1, c.in2, c.out, c.mode, 'shared');
    const key = Object.keys(b.tables).find((k) => k.startsWith('o3:1o*1o->2e'))!;
    const t = b.tables[key]!;
    const entries = [...t.entries];
    entries[3] = -entries[3]!;
    expect(equivarianceError(b, createRng(11), 'shared', { ...b.tables, [key]: { shape: t.shape, entries } })).toBeGreaterThan(1e-3);
  });

  it('computes out[w,k] = factor * sum W[u,v,w] x1[u,i] x2[v,j] C[i,j,k] with C-order (u, v, w) weights', () => {
    const b = build('2x1o', '3x2e', '2x1o', 'uvw', 'shared');
    const rng = createRng(5);
    const x1 = randomRows(rng, 1, 6);
    const x2 = randomRows(rng, 1, 15);
    const w = randomRows(rng, 1, 12);
    const y = run(b, x1, x2, w, 1);
    const C = wigner3j(1, 2, 1).data;
    const f = Math.sqrt(3 / 6);
    const expected = new Float64Array(6);
    for (let u = 0; u < 2; u++)
      for (let v = 0; v < 3; v++)
        for (let wo = 0; wo < 2; wo++)
          for (let i = 0; i < 3; i++)
            for (let j = 0; j < 5; j++)
              for (let k = 0; k < 3; k++) expected[wo * 3 + k] += f * w[(u * 3 + v) * 2 + wo]! * x1[u * 3 + i]! * x2[v * 5 + j]! * C[(i * 5 + j) * 3 + k]!;
    expect(maxAbsDiff(y, expected)).toBeLessThan(1e-14);
  });

  it('gives e3nn’s cross product (uuu 1o x 1o -> 1e = (x × y) / sqrt 2) and dot product (x·y / sqrt 3)', () => {
    const x = Float64Array.of(1, 2, 3);
    const y = Float64Array.of(-1, 0.5, 2);
    const cross = run(build('1x1o', '1x1o', '1x1e', 'uuu', 'none'), x, y, undefined, 1);
    const expected = [2 * 2 - 3 * 0.5, 3 * -1 - 1 * 2, 1 * 0.5 - 2 * -1].map((v) => v / Math.SQRT2);
    expect(maxAbsDiff(cross, expected)).toBeLessThan(1e-15);
    const dot = run(build('1x1o', '1x1o', '1x0e', 'uuu', 'none'), x, y, undefined, 1);
    expect(dot[0]).toBeCloseTo((-1 + 1 + 6) / Math.sqrt(3), 14);
  });

  it('full tensor product: 0e x ir copies the irrep scaled by 1 (factor sqrt(2l+1) times C = I / sqrt(2l+1))', () => {
    const full = fullTensorProduct(I('1x0e'), I('1x2e'), (a, b) => rule.products(a, b), Irrep.compare);
    const { attrs, tables } = buildTensorProduct({ in1: full.in1, in2: full.in2, out: full.out, instructions: full.instructions, weights: 'none' }, rule, 'o3:');
    const x2 = Float64Array.of(1, 2, 3, 4, 5);
    const y = run({ attrs, tables, in1: full.in1 as Irreps, in2: full.in2 as Irreps, out: full.out as Irreps }, Float64Array.of(2), x2, undefined, 1);
    expect(maxAbsDiff(y, x2.map((v) => 2 * v))).toBeLessThan(1e-14);
  });

  it('keeps unit second moments with N(0,1) inputs and weights (component/element normalization)', () => {
    const b = build('4x0e+4x1o+4x2e', '4x0e+4x1o+4x2e', '4x0e+4x1o+4x1e+4x2e', 'uvw', 'shared');
    const rng = createRng(99);
    const n = 400;
    const x1 = randomRows(rng, n, b.in1.dim);
    const x2 = randomRows(rng, n, b.in2.dim);
    let second = 0;
    const trials = 8;
    for (let t = 0; t < trials; t++) {
      const w = randomRows(rng, 1, b.attrs.weightNumel);
      const y = run(b, x1, x2, w, n);
      for (const v of y) second += v * v;
    }
    const mean = second / (trials * n * b.out.dim);
    expect(mean).toBeGreaterThan(0.8);
    expect(mean).toBeLessThan(1.25);
  });
});
