// Coupling channels: when an atom appears more than once in a ⊗ b (SO(2)'s k x k = 0 + 0 + 2k),
// every tensor-product builder makes one path per copy, each with its own coupling table and
// weights; groups whose products list each atom once (O(3)) get exactly the paths they had.
import { describe, expect, it } from 'vitest';
import { Rep } from '../../../stdlib/groups/rep.js';
import { Frequency, SO2 } from '../../../stdlib/groups/o2/index.js';
import { O3 } from '../../../stdlib/groups/o3/plugins.js';
import { Irrep } from '../../../stdlib/groups/o3/index.js';
import { buildTensorProduct, fullTensorProduct, tensorProductInstructions, validateTensorProduct } from '../../../stdlib/nn/tensorProduct.js';

const f = (k: number) => new Frequency(k, 1, false);
const products = (a: Frequency, b: Frequency) => SO2.products!.products(a, b);

describe('tensor products with coupling channels', () => {
  it('tp: 1 x 1 -> 0 has two paths (channels 0 and 1), 1 x 1 -> 2 one', () => {
    const u = new Rep([{ mul: 2, ir: f(1) }]);
    const out = new Rep([{ mul: 3, ir: f(0) }, { mul: 3, ir: f(2) }]);
    const { instructions, reach } = tensorProductInstructions(u, u, out, 'uvw', products);
    expect(instructions.map((i) => [i.iOut, i.channel ?? 0])).toEqual([[0, 0], [0, 1], [1, 0]]);
    expect(reach).toEqual([{ kind: 'reached', paths: 2 }, { kind: 'reached', paths: 1 }]);
  });

  it('full tensor product: 1 x 1 = 0 + 0 + 2 with one output block per channel', () => {
    const u = new Rep([{ mul: 1, ir: f(1) }]);
    const full = fullTensorProduct(u, u, products, (a, b) => SO2.compareAtoms(a, b));
    expect(full.out.blocks.map((b) => b.ir.key)).toEqual(['0', '0', '2']);
    expect(full.instructions.map((i) => i.channel ?? 0)).toEqual([0, 1, 0]);
    expect(full.out.dim).toBe(4);
  });

  it('builds one table per channel, keyed `#1` for the second, with distinct coefficients and weights', () => {
    const u = new Rep([{ mul: 2, ir: f(1) }]);
    const out = new Rep([{ mul: 1, ir: f(0) }]);
    const { instructions } = tensorProductInstructions(u, u, out, 'uvw', products);
    const built = buildTensorProduct({ in1: u, in2: u, out, instructions, weights: 'shared' }, SO2.products!, 'SO(2):');
    expect(built.attrs.paths.map((p) => p.coupling)).toEqual(['SO(2):1*1->0', 'SO(2):1*1->0#1']);
    expect(built.tables['SO(2):1*1->0']!.entries).toEqual([0, 0, 0, Math.SQRT1_2, 1, 1, 0, Math.SQRT1_2]);
    expect(built.tables['SO(2):1*1->0#1']!.entries).toEqual([0, 1, 0, Math.SQRT1_2, 1, 0, 0, -Math.SQRT1_2]);
    expect(built.attrs.paths.map((p) => p.weightOffset)).toEqual([0, 4]);
    // e3nn's element normalization counts both channels' elements: alpha = 1 / (4 + 4).
    expect(built.attrs.paths[0]!.factor).toBeCloseTo(Math.sqrt(1 / 8), 14);
  });

  it('rejects a channel the product does not have', () => {
    const u = new Rep([{ mul: 1, ir: f(1) }]);
    const out = new Rep([{ mul: 1, ir: f(2) }]);
    const problems = validateTensorProduct({ in1: u, in2: u, out, instructions: [{ i1: 0, i2: 0, iOut: 0, mode: 'uvw', hasWeight: true, pathWeight: 1, channel: 1 }], weights: 'shared' }, products);
    expect(problems).toEqual(['path 0 (0, 0, 0): 1 x 1 has 1 channel(s) into 2, not channel 1']);
  });

  it('O(3) products keep one path per atom and no channel field', () => {
    const v = new Rep([{ mul: 2, ir: new Irrep(1, -1) }]);
    const out = new Rep([{ mul: 2, ir: new Irrep(0, 1) }, { mul: 2, ir: new Irrep(1, 1) }, { mul: 2, ir: new Irrep(2, 1) }]);
    const { instructions } = tensorProductInstructions(v, v, out, 'uvw', (a, b) => O3.products!.products(a, b));
    expect(instructions).toHaveLength(3);
    for (const ins of instructions) expect('channel' in ins).toBe(false);
  });
});
