// `tp(..., kind = cg | gaunt | grid)`: the Gaunt selection rule is checked at the call (E0223),
// an unknown kind names the valid ones (E0304), groups whose irreps are not spherical harmonics
// have only cg (E0221).
import { describe, expect, it } from 'vitest';
import { expectClean, expectOne } from './helpers.js';

const vectors = (call: string, out = 'node[1x1e]') => `model M : O(3) {\n  in u: node[2x1o]\n  out y: ${out}\n  y = ${call}\n}\n`;

describe('product kinds', () => {
  it('E0223: the cross product 1o x 1o -> 1e is odd, so kind = gaunt cannot reach 1e', () => {
    const d = expectOne(vectors('tp(u, u, 1x1e, kind = gaunt)'), 'E0223', 4, 16);
    expect(d.message).toContain('1o x 1o -> 1e');
    expect(d.message).toContain('kind = gaunt');
    expect(d.help).toContain('kind = cg');
  });

  it('E0223 for fctp with kind = grid, naming the odd path', () => {
    const d = expectOne(vectors('fctp(u, u, 1x1e, kind = grid)'), 'E0223', 4, 18);
    expect(d.message).toContain('1o x 1o -> 1e');
  });

  it('kind = cg (the default) keeps the cross product', () => {
    expectClean(vectors('tp(u, u, 1x1e, kind = cg)'));
    expectClean(vectors('tp(u, u, 1x1e)'));
  });

  it('an output reached by an even path as well is kept; its odd paths are dropped', () => {
    const r = expectClean(`model M : O(3) {\n  in u: node[1x1o]\n  in s: node[1x1e + 1x0e]\n  out y: node[1x1o]\n  y = tp(u, s, 1x1o, kind = gaunt)\n}\n`);
    const tp = r.ir[0]!.nodes.find((n) => n.op === 'tensor_product')!;
    if (tp.op !== 'tensor_product') throw new Error('no tensor product');
    // 1o x 0e -> 1o (even) stays; 1o x 1e -> 1o (l sum 3, odd) is gone.
    expect(tp.attrs.paths.map((p) => [p.i1, p.i2])).toEqual([[0, 1]]);
    expect(tp.attrs.kind).toBe('gaunt');
  });

  it('E0304: an unknown kind names the valid ones', () => {
    const d = expectOne(vectors('tp(u, u, 1x1e, kind = fourier)'), 'E0304', 4, 29);
    expect(d.notes.join(' ')).toContain('cg, gaunt, grid');
  });

  it('E0221: kind = gaunt needs irreps that are spherical harmonics', () => {
    expectOne('model M : SO(2) {\n  in u: graph[4x1]\n  out y: graph[2x2]\n  y = tp(u, u, 2x2, kind = gaunt)\n}\n', 'E0221', 4, 28);
  });
});
