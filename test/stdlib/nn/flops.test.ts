import { describe, expect, it } from 'vitest';
import type { IRType } from '../../../ir/types.js';
import { Irreps } from '../../../stdlib/groups/o3/index.js';
import { O3 } from '../../../stdlib/groups/o3/plugins.js';
import { opFlops } from '../../../stdlib/nn/flops.js';
import { buildLinear } from '../../../stdlib/nn/linear.js';
import { buildMlp } from '../../../stdlib/nn/mlp.js';
import { buildTensorProduct, repLayout, tensorProductInstructions, withoutWeights } from '../../../stdlib/nn/tensorProduct.js';

const I = (s: string) => Irreps.parse(s);
const field = (rep: string): IRType => ({ kind: 'field', domain: 'node', rep: repLayout(I(rep)) });

describe('opFlops', () => {
  it('linear: 2 mul_in mul_out dim per path, plus the biases', () => {
    const { attrs } = buildLinear(I('4x0e+16x1o'), I('8x0e+8x1o'), O3, { bias: true });
    expect(opFlops({ node: { op: 'linear', attrs, type: field('8x0e+8x1o') }, inputTypes: [field('4x0e+16x1o')] })).toBe(2 * 4 * 8 + 2 * 16 * 8 * 3 + 8);
  });

  it('tensor product: 2 nnz per coupled pair plus 2 dim_out per applied weight', () => {
    const rule = O3.products!;
    const products = (a: Parameters<typeof rule.products>[0], b: Parameters<typeof rule.products>[1]) => rule.products(a, b);
    const cross = buildTensorProduct({ in1: I('1x1o'), in2: I('1x1o'), out: I('1x1e'), instructions: withoutWeights(tensorProductInstructions(I('1x1o'), I('1x1o'), I('1x1e'), 'uuu', products).instructions), weights: 'none' }, rule, 'o3:');
    const q = { node: { op: 'tensor_product' as const, attrs: cross.attrs, type: field('1x1e') }, inputTypes: [field('1x1o'), field('1x1o')], tables: cross.tables };
    expect(opFlops(q)).toBe(2 * 6 + 2 * 3);
    const uvw = buildTensorProduct({ in1: I('2x1o'), in2: I('3x1o'), out: I('4x0e'), instructions: tensorProductInstructions(I('2x1o'), I('3x1o'), I('4x0e'), 'uvw', products).instructions, weights: 'shared' }, rule, 'o3:');
    expect(opFlops({ node: { op: 'tensor_product', attrs: uvw.attrs, type: field('4x0e') }, inputTypes: [field('2x1o'), field('3x1o')], tables: uvw.tables })).toBe(2 * 3 * 6 + 2 * 1 * 24);
  });

  it('mlp: 2 h_in h_out per layer and 2 per hidden unit; data movement is free', () => {
    expect(opFlops({ node: { op: 'mlp', attrs: buildMlp([8, 16, 4], 'silu'), type: field('4x0e') }, inputTypes: [field('8x0e')] })).toBe(2 * 8 * 16 + 2 * 16 + 2 * 16 * 4);
    expect(opFlops({ node: { op: 'gather', attrs: { side: 'src' }, type: field('4x0e') }, inputTypes: [field('4x0e'), { kind: 'graph' }] })).toBe(0);
    expect(opFlops({ node: { op: 'scatter', attrs: { reduce: 'sum' }, type: field('4x0e') }, inputTypes: [field('4x0e'), { kind: 'graph' }] })).toBe(4);
  });
});
