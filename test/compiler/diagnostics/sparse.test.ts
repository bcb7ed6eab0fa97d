// Sparse tensor products: `gates = learned` needs learned shared weights (E1601); `paths = [...]`
// must be increasing indices into the product's paths (E1602; negative ones are E0304); a pruned
// product keeps its paths' factors from the full product and closes up its weights.
import { describe, expect, it } from 'vitest';
import { expectClean, expectOne } from './helpers.js';

const model = (call: string) => `model M : O(3) {\n  in u: node[2x0e + 1x1o]\n  out y: node[2x0e + 1x1o]\n  y = ${call}\n}\n`;

function tpOf(source: string) {
  const r = expectClean(source);
  const tp = r.ir[0]!.nodes.find((n) => n.op === 'tensor_product')!;
  if (tp.op !== 'tensor_product') throw new Error('no tensor product');
  return { tp, params: r.ir[0]!.params };
}

describe('sparse tensor products', () => {
  it('gates = learned adds a gate and a mask per path after the weight', () => {
    const { tp, params } = tpOf(model('tp(u, u, 2x0e + 1x1o, gates = learned)'));
    expect(tp.attrs.gated).toBe(true);
    const n = tp.attrs.paths.length;
    expect(params.map((p) => [p.name, p.role, p.shape])).toEqual([
      ['y.weight', 'weight', [tp.attrs.weightNumel]],
      ['y.gates', 'path_gate', [n]],
      ['y.gate_mask', 'path_mask', [n]],
    ]);
  });

  it('E1601: gates on a product with weights = none', () => {
    const d = expectOne(model('tp(u, u, 2x0e + 1x1o, mode = uvu, weights = none, gates = learned)'), 'E1601', 4, 65);
    expect(d.message).toContain('`weights = none`');
    expect(d.help).toContain('weights = shared');
  });

  it('E1601: gates on a full tensor product (no out)', () => {
    const d = expectOne(`model M : O(3) {\n  in u: node[1x1o]\n  out y: node[1x0e + 1x1e + 1x2e]\n  y = tp(u, u, gates = learned)\n}\n`, 'E1601', 4, 24);
    expect(d.message).toContain('full tensor product');
  });

  it('E1602: a path index past the last path, and indices out of order', () => {
    const { tp } = tpOf(model('tp(u, u, 2x0e + 1x1o)'));
    const n = tp.attrs.paths.length;
    const d = expectOne(model(`tp(u, u, 2x0e + 1x1o, paths = [0, ${n}])`), 'E1602', 4, 37);
    expect(d.message).toContain(`below ${n}`);
    expectOne(model('tp(u, u, 2x0e + 1x1o, paths = [2, 1])'), 'E1602', 4, 37);
  });

  it('E1602: a path list with per-sample weights', () => {
    const d = expectOne(`model M : O(3) {\n  in u: node[1x0e + 1x1o]\n  in w: node[2x0e]\n  out y: node[1x0e]\n  y = tp(u, u, 1x0e, weights = w, paths = [0])\n}\n`, 'E1602', 5, 43);
    expect(d.message).toContain('per-sample');
  });

  it('E0304: a negative path index', () => {
    const d = expectOne(model('tp(u, u, 2x0e + 1x1o, paths = [-1])'), 'E0304', 4, 37);
    expect(d.message).toContain('from 0');
  });

  it('paths = [...] keeps the full product\'s factors and closes up the weights', () => {
    const full = tpOf(model('tp(u, u, 2x0e + 1x1o)')).tp;
    const kept = tpOf(model('tp(u, u, 2x0e + 1x1o, paths = [0, 2])')).tp;
    expect(kept.attrs.paths.map((p) => p.factor)).toEqual([full.attrs.paths[0]!.factor, full.attrs.paths[2]!.factor]);
    expect(kept.attrs.paths.map((p) => [p.i1, p.i2, p.iOut])).toEqual([0, 2].map((k) => [full.attrs.paths[k]!.i1, full.attrs.paths[k]!.i2, full.attrs.paths[k]!.iOut]));
    const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
    expect(kept.attrs.paths[1]!.weightOffset).toBe(size(kept.attrs.paths[0]!.weightShape));
    expect(kept.attrs.weightNumel).toBe(size(full.attrs.paths[0]!.weightShape) + size(full.attrs.paths[2]!.weightShape));
  });
});
