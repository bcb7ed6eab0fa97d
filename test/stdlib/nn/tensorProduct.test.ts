import { describe, expect, it } from 'vitest';
import { Irrep, Irreps } from '../../../stdlib/groups/o3/index.js';
import { O3 } from '../../../stdlib/groups/o3/plugins.js';
import {
  buildTensorProduct,
  fullTensorProduct,
  tensorProductInstructions,
  validateTensorProduct,
  withoutWeights,
  type TPInstruction,
} from '../../../stdlib/nn/tensorProduct.js';
import type { TPMode } from '../../../ir/types.js';

const rule = O3.products!;
const products = (a: Irrep, b: Irrep) => rule.products(a, b);
const I = (s: string) => Irreps.parse(s);

function build(in1: string, in2: string, out: string, mode: TPMode, options: { irrep?: 'component' | 'norm' | 'none'; path?: 'element' | 'path' | 'none'; weights?: 'shared' | 'none' } = {}) {
  const { instructions } = tensorProductInstructions(I(in1), I(in2), I(out), mode, products);
  const weights = options.weights ?? 'shared';
  return buildTensorProduct(
    {
      in1: I(in1),
      in2: I(in2),
      out: I(out),
      instructions: weights === 'none' ? withoutWeights(instructions) : instructions,
      irrepNormalization: options.irrep ?? 'component',
      pathNormalization: options.path ?? 'element',
      weights,
    },
    rule,
    'o3:',
  );
}

describe('tensorProductInstructions', () => {
  it('makes e3nn FullyConnectedTensorProduct’s paths in (i1, i2, k) order', () => {
    const { instructions, reach } = tensorProductInstructions(I('2x0e+3x1o'), I('1x0e+1x1o'), I('4x0e+2x1o+1x1e'), 'uvw', products);
    expect(instructions.map((p) => [p.i1, p.i2, p.iOut])).toEqual([
      [0, 0, 0],
      [0, 1, 1],
      [1, 0, 1],
      [1, 1, 0],
      [1, 1, 2],
    ]);
    expect(reach.map((r) => r.kind)).toEqual(['reached', 'reached', 'reached']);
  });

  it('keeps only paths whose multiplicities fit the mode, and says why an output is not reached', () => {
    // uvu: mul_out = mul1. 0e x 1o -> 1o would need 4 = 2; 1o x 1o -> 0e would need 2 = 4.
    const r = tensorProductInstructions(I('4x0e+2x1o'), I('3x0e+1x1o'), I('4x0e+2x1o+2x2o+3x1e'), 'uvu', products);
    expect(r.instructions.map((p) => [p.i1, p.i2, p.iOut])).toEqual([
      [0, 0, 0],
      [1, 0, 1],
    ]);
    expect(r.reach[0]).toEqual({ kind: 'reached', paths: 1 });
    expect(r.reach[2]).toEqual({ kind: 'noPath' });
    expect(r.reach[3]).toEqual({ kind: 'modeMismatch', candidates: [{ i1: 1, i2: 1 }] });
  });

  it('checks every mode’s multiplicity rule', () => {
    const count = (mode: TPMode, a: string, b: string, o: string) => tensorProductInstructions(I(a), I(b), I(o), mode, products).instructions.length;
    expect(count('uvv', '2x1o', '3x1o', '3x0e')).toBe(1);
    expect(count('uvv', '2x1o', '3x1o', '2x0e')).toBe(0);
    expect(count('uuw', '2x1o', '2x1o', '5x0e')).toBe(1);
    expect(count('uuw', '2x1o', '3x1o', '5x0e')).toBe(0);
    expect(count('uuu', '2x1o', '2x1o', '2x1e')).toBe(1);
    expect(count('uuu', '2x1o', '2x1o', '3x1e')).toBe(0);
    expect(count('uvuv', '2x1o', '3x1o', '6x2e')).toBe(1);
    expect(count('uvuv', '2x1o', '3x1o', '5x2e')).toBe(0);
    // Parity: 1o x 1o has no odd output.
    expect(count('uvw', '1x1o', '1x1o', '1x1o')).toBe(0);
  });
});

describe('fullTensorProduct (e3nn FullTensorProduct)', () => {
  it('gives e3nn’s sorted, unsimplified output irreps', () => {
    const full = fullTensorProduct(I('2x0e+1x1o'), I('1x1o+1x2e'), products, Irrep.compare);
    expect(full.out.toString()).toBe('1x0e+2x1o+1x1o+1x1e+1x2o+2x2e+1x2e+1x3o');
    // (0e, 1o) -> 2x1o was second in creation order and is now block 1.
    expect(full.instructions.map((p) => [p.i1, p.i2, p.iOut, p.mode, p.hasWeight])).toEqual([
      [0, 0, 1, 'uvuv', false],
      [0, 1, 5, 'uvuv', false],
      [1, 0, 0, 'uvuv', false],
      [1, 0, 3, 'uvuv', false],
      [1, 0, 6, 'uvuv', false],
      [1, 1, 2, 'uvuv', false],
      [1, 1, 4, 'uvuv', false],
      [1, 1, 7, 'uvuv', false],
    ]);
  });

  it('simplifies its inputs first, as e3nn does', () => {
    const full = fullTensorProduct(I('1x0e+1x0e'), I('2x1o'), products, Irrep.compare);
    expect(full.in1.toString()).toBe('2x0e');
    expect(full.out.toString()).toBe('4x1o');
  });

  it('has factor sqrt(2l+1) on every path (one uvuv path per output, component/element)', () => {
    const full = fullTensorProduct(I('2x0e+1x1o'), I('1x1o+1x2e'), products, Irrep.compare);
    const built = buildTensorProduct({ in1: full.in1, in2: full.in2, out: full.out, instructions: full.instructions, weights: 'none' }, rule, 'o3:');
    for (const p of built.attrs.paths) expect(p.factor).toBeCloseTo(Math.sqrt(full.out.blocks[p.iOut]!.ir.dim), 15);
    expect(built.attrs.weightNumel).toBe(0);
  });
});

describe('buildTensorProduct normalization (e3nn TensorProduct.__init__)', () => {
  it('uvw, component/element: sqrt(dim_out / sum of mul1*mul2 into the output)', () => {
    const { attrs } = build('2x0e+3x1o', '1x0e+1x1o', '4x0e+2x1o', 'uvw');
    // into 0e: 0e x 0e (2*1) and 1o x 1o (3*1): x = 5. into 1o: 0e x 1o (2) and 1o x 0e (3): x = 5.
    expect(attrs.paths.map((p) => p.factor)).toEqual([Math.sqrt(1 / 5), Math.sqrt(3 / 5), Math.sqrt(3 / 5), Math.sqrt(1 / 5)]);
    expect(attrs.paths.map((p) => p.weightShape)).toEqual([
      [2, 1, 4],
      [2, 1, 2],
      [3, 1, 2],
      [3, 1, 4],
    ]);
    expect(attrs.paths.map((p) => p.weightOffset)).toEqual([0, 8, 12, 18]);
    expect(attrs.weightNumel).toBe(30);
  });

  it('uvu: num_elements = mul2', () => {
    const { attrs } = build('4x0e+2x1o', '3x0e+5x1o', '4x0e+2x1o+2x1e', 'uvu');
    // 0e x 0e -> 4x0e (3); 1o x 0e -> 2x1o (3); 1o x 1o -> 2x1e (5).
    expect(attrs.paths.map((p) => [p.i1, p.i2, p.iOut])).toEqual([
      [0, 0, 0],
      [1, 0, 1],
      [1, 1, 2],
    ]);
    expect(attrs.paths.map((p) => p.factor)).toEqual([Math.sqrt(1 / 3), Math.sqrt(3 / 3), Math.sqrt(3 / 5)]);
    expect(attrs.paths.map((p) => p.weightShape)).toEqual([
      [4, 3],
      [2, 3],
      [2, 5],
    ]);
    expect(attrs.weightNumel).toBe(12 + 6 + 10);
  });

  it('uvv and uuw: num_elements = mul1', () => {
    // 1o x 1o -> 2x0e, 1o x 1o -> 2x1e, 1o x 2e -> 2x2o: one path each, x = mul1 = 3.
    expect(build('3x1o', '2x1o+2x2e', '2x0e+2x1e+2x2o', 'uvv').attrs.paths.map((p) => p.factor)).toEqual([Math.sqrt(1 / 3), Math.sqrt(3 / 3), Math.sqrt(5 / 3)]);
    const uuw = build('3x1o+3x0e', '3x1o', '5x1e+2x1o', 'uuw').attrs;
    // 1o x 1o -> 1e (3); 0e x 1o -> 1o (3).
    expect(uuw.paths.map((p) => p.factor)).toEqual([Math.sqrt(3 / 3), Math.sqrt(3 / 3)]);
    expect(uuw.paths.map((p) => p.weightShape)).toEqual([
      [3, 5],
      [3, 2],
    ]);
  });

  it('uuu and uvuv: num_elements = 1, summed over the paths into an output', () => {
    const uuu = build('2x0e+2x1o', '2x1o', '2x1o+2x0e', 'uuu').attrs;
    // 0e x 1o -> 1o and 1o x 1o -> 0e: one path each.
    expect(uuu.paths.map((p) => p.factor)).toEqual([Math.sqrt(3), 1]);
    const uvuv = build('2x0e+2x1o', '3x1o+3x0e', '6x1o', 'uvuv').attrs;
    // 0e x 1o -> 1o and 1o x 0e -> 1o: x = 2.
    expect(uvuv.paths.map((p) => p.factor)).toEqual([Math.sqrt(3 / 2), Math.sqrt(3 / 2)]);
    expect(uvuv.paths.map((p) => p.weightShape)).toEqual([
      [2, 3],
      [2, 3],
    ]);
  });

  it('path normalization: num_elements of the path times the number of paths into the output', () => {
    const { attrs } = build('2x0e+3x1o', '1x0e+1x1o', '4x0e+2x1o', 'uvw', { path: 'path' });
    expect(attrs.paths.map((p) => p.factor)).toEqual([Math.sqrt(1 / (2 * 2)), Math.sqrt(3 / (2 * 2)), Math.sqrt(3 / (3 * 2)), Math.sqrt(1 / (3 * 2))]);
  });

  it('norm irrep normalization uses dim1 * dim2; none uses 1', () => {
    const norm = build('2x1o+1x2e', '1x1o', '3x1e+1x2o', 'uvw', { irrep: 'norm' }).attrs;
    // 1o x 1o -> 1e (2*1), 2e x 1o -> 2o (1*1): each alone in its output.
    expect(norm.paths.map((p) => p.factor)).toEqual([Math.sqrt(9 / 2), Math.sqrt(15 / 1)]);
    const none = build('2x1o+1x2e', '1x1o', '3x1e+1x2o', 'uvw', { irrep: 'none', path: 'none' }).attrs;
    expect(none.paths.map((p) => p.factor)).toEqual([1, 1]);
  });

  it('multiplies in the path weight and skips unweighted paths in the layout', () => {
    const instructions: TPInstruction[] = [
      { i1: 0, i2: 0, iOut: 0, mode: 'uvu', hasWeight: false, pathWeight: 4 },
      { i1: 0, i2: 0, iOut: 1, mode: 'uvw', hasWeight: true, pathWeight: 1 },
    ];
    const { attrs } = buildTensorProduct({ in1: I('2x1o'), in2: I('3x1o'), out: I('2x0e+5x1e'), instructions, weights: 'shared' }, rule, 'o3:');
    expect(attrs.paths[0]!.factor).toBe(Math.sqrt((1 / 3) * 4));
    expect(attrs.paths[0]!.weightShape).toEqual([]);
    expect(attrs.paths[1]!.weightOffset).toBe(0);
    expect(attrs.weightNumel).toBe(30);
  });

  it('shares coupling tables and stores only non-zeros sorted by (k, i, j)', () => {
    const { attrs, tables } = build('1x1o+1x1o', '1x1o', '1x1e', 'uvw');
    expect(Object.keys(tables)).toEqual(['o3:1o*1o->1e']);
    expect(attrs.paths.every((p) => p.coupling === 'o3:1o*1o->1e')).toBe(true);
    const t = tables['o3:1o*1o->1e']!;
    expect(t.shape).toEqual([3, 3, 3]);
    expect(t.entries.length).toBe(6 * 4); // the Levi-Civita symbol's 6 non-zeros
    const keys = [];
    for (let q = 0; q < t.entries.length; q += 4) keys.push(t.entries[q + 2]! * 9 + t.entries[q]! * 3 + t.entries[q + 1]!);
    expect(keys).toEqual([...keys].sort((a, b) => a - b));
  });

  it('writes the input layouts the paths index', () => {
    const { attrs } = build('2x0e+1x1o', '1x1o', '1x1o+1x0e', 'uvw');
    expect(attrs.in1).toEqual({
      text: '2x0e+1x1o',
      dim: 5,
      blocks: [
        { mul: 2, ir: '0e', dim: 1, l: 0, p: 1, offset: 0 },
        { mul: 1, ir: '1o', dim: 3, l: 1, p: -1, offset: 2 },
      ],
    });
  });
});

describe('validateTensorProduct (e3nn’s asserts)', () => {
  it('rejects uvw without weights, as e3nn’s codegen asserts', () => {
    const { instructions } = tensorProductInstructions(I('2x1o'), I('1x1o'), I('1x0e'), 'uvw', products);
    const problems = validateTensorProduct({ in1: I('2x1o'), in2: I('1x1o'), out: I('1x0e'), instructions: withoutWeights(instructions), weights: 'none' }, products);
    expect(problems).toEqual(['path 0 (0, 0, 0): mode uvw needs weights (e3nn has no unweighted uvw path)']);
    expect(() => build('2x1o', '1x1o', '1x0e', 'uvw', { weights: 'none' })).toThrow(/uvw needs weights/);
  });

  it('needs output multiplicity 1 for an unweighted uuw path', () => {
    const ins = withoutWeights(tensorProductInstructions(I('2x1o'), I('2x1o'), I('2x0e'), 'uuw', products).instructions);
    expect(validateTensorProduct({ in1: I('2x1o'), in2: I('2x1o'), out: I('2x0e'), instructions: ins, weights: 'none' }, products)[0]).toMatch(/multiplicity must be 1/);
    expect(build('2x1o', '2x1o', '1x0e', 'uuw', { weights: 'none' }).attrs.paths).toHaveLength(1);
  });

  it('reports selection-rule and multiplicity violations of hand-written paths', () => {
    const bad: TPInstruction[] = [
      { i1: 0, i2: 0, iOut: 0, mode: 'uuu', hasWeight: true, pathWeight: 1 },
      { i1: 0, i2: 0, iOut: 1, mode: 'uvw', hasWeight: true, pathWeight: 1 },
    ];
    const problems = validateTensorProduct({ in1: I('2x1o'), in2: I('3x1o'), out: I('2x1e+1x1o'), instructions: bad, weights: 'shared' }, products);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/uuu needs both inputs and the output/);
    expect(problems[1]).toMatch(/1o is not in 1o x 1o/);
  });
});
