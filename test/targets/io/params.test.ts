import { describe, expect, it } from 'vitest';
import type { IRParam } from '../../../ir/types.js';
import { initialParams, loadParams, paramsToTensors } from '../../../targets/io/params.js';
import { readSafetensors, writeSafetensors } from '../../../targets/io/safetensors.js';

const params: IRParam[] = [
  { name: 'h1.linear.weight', shape: [6], init: 'normal', node: '%3', role: 'weight' },
  { name: 'h1.linear.bias', shape: [2], init: 'zeros', node: '%3', role: 'bias' },
  { name: 'h1.mlp.0.weight', shape: [2, 3], init: 'normal', node: '%4', role: 'weight', aliases: ['h1.mlp.layer0.weight'] },
];

describe('initial parameters', () => {
  it('draws N(0,1) weights in IRModule.params order from the seed, biases zero', () => {
    const a = initialParams({ params }, 7);
    const b = initialParams({ params }, 7);
    const c = initialParams({ params }, 8);
    expect(Array.from(a.get('h1.linear.weight')!)).toEqual(Array.from(b.get('h1.linear.weight')!));
    expect(Array.from(a.get('h1.linear.weight')!)).not.toEqual(Array.from(c.get('h1.linear.weight')!));
    expect(Array.from(a.get('h1.linear.bias')!)).toEqual([0, 0]);
    expect(a.get('h1.mlp.0.weight')!.length).toBe(6);
    const all = [...a.get('h1.linear.weight')!, ...a.get('h1.mlp.0.weight')!];
    expect(all.every((v) => Number.isFinite(v) && v !== 0)).toBe(true);
  });
});

describe('loading weights', () => {
  it('round-trips through a safetensors file', () => {
    const init = initialParams({ params }, 1);
    const file = readSafetensors(writeSafetensors(paramsToTensors({ params }, init), { dtype: 'F64' }));
    const loaded = loadParams({ params }, file.tensors);
    expect(loaded.ok).toBe(true);
    expect(loaded.ok && Array.from(loaded.params.get('h1.mlp.0.weight')!)).toEqual(Array.from(init.get('h1.mlp.0.weight')!));
  });

  it('matches aliases and accepts any shape with the right number of elements', () => {
    const tensors = new Map([
      ['h1.linear.weight', { shape: [2, 3], data: new Float64Array(6).fill(1) }],
      ['h1.linear.bias', { shape: [2], data: Float64Array.of(1, 2) }],
      ['h1.mlp.layer0.weight', { shape: [6], data: Float64Array.of(1, 2, 3, 4, 5, 6) }],
    ]);
    const r = loadParams({ params }, tensors);
    expect(r.ok && Array.from(r.params.get('h1.mlp.0.weight')!)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('lists missing, unexpected, doubly given and wrongly sized tensors', () => {
    const tensors = new Map([
      ['h1.linear.weight', { shape: [5], data: new Float64Array(5) }],
      ['h1.mlp.0.weight', { shape: [6], data: new Float64Array(6) }],
      ['h1.mlp.layer0.weight', { shape: [6], data: new Float64Array(6) }],
      ['h2.weight', { shape: [1], data: new Float64Array(1) }],
    ]);
    const r = loadParams({ params }, tensors);
    expect(!r.ok && r.errors).toEqual([
      'h1.linear.weight: expected 6 elements (shape [6]), the file has 5 (shape [5])',
      'parameter h1.mlp.0.weight is given more than once, as h1.mlp.0.weight and h1.mlp.layer0.weight',
      'missing parameter: h1.linear.bias',
      'unexpected tensor in the weights file: h2.weight (the model\'s parameters are h1.linear.weight, h1.linear.bias, h1.mlp.0.weight)',
    ]);
  });

  it("skips e3nn's output_mask buffers when all ones, and refuses a mask with zeros", () => {
    const base: [string, { shape: number[]; data: Float64Array }][] = [
      ['h1.linear.weight', { shape: [6], data: new Float64Array(6) }],
      ['h1.linear.bias', { shape: [2], data: new Float64Array(2) }],
      ['h1.mlp.layer0.weight', { shape: [2, 3], data: new Float64Array(6) }],
    ];
    const ok = loadParams({ params }, new Map([...base, ['h1.linear.output_mask', { shape: [5], data: new Float64Array(5).fill(1) }]]));
    expect(ok.ok && [...ok.params.keys()]).toEqual(['h1.linear.weight', 'h1.linear.bias', 'h1.mlp.0.weight']);
    const bad = loadParams({ params }, new Map([...base, ['h1.linear.output_mask', { shape: [3], data: Float64Array.of(1, 0, 1) }]]));
    expect(!bad.ok && bad.errors).toEqual([
      "h1.linear.output_mask: e3nn's output_mask is 0 at element 1: that e3nn layer has outputs no path reaches, which eqv's linear and tp do not allow (E0204, E0208)",
    ]);
    // Only that buffer's name is skipped.
    const other = loadParams({ params }, new Map([...base, ['h1.linear.mask', { shape: [1], data: Float64Array.of(1) }]]));
    expect(!other.ok && other.errors[0]).toMatch(/^unexpected tensor in the weights file: h1.linear.mask /);
  });
});
