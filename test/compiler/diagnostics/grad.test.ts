// Derivatives as values (E1101-E1105): `grad(e, pos)` types as one vector per node in the
// group's vector atom, and refuses what is not one energy per graph, what is not the positions
// input, groups without points, non-differentiable paths and energies that ignore the positions.
import { describe, expect, it } from 'vitest';
import { compileText, expectClean, expectOne } from './helpers.js';

/** An E(3) (or SE(3)) potential: energy from the radius graph, `body` computes `f`. */
const MODEL = (body: string, group = 'E(3)', vec = '1x1o', scalar = '1x0e') =>
  `model M : ${group} {\n  in pos: node[pos]\n  in x: node[4x0e]\n  out f: node[${vec}]\n  let g = radius_graph(pos, r = 2.0)\n  let s = scatter(bessel(g.len, n = 4, cutoff = 2.0), g)\n  let e = pool(linear(concat(x, s), ${scalar}))\n${body}\n}\n`;

describe('grad that checks', () => {
  it('forces -grad(e, pos) are node[1x1o] in E(3)', () => {
    expectClean(MODEL('  f = -grad(e, pos)'));
    const ir = compileText(MODEL('  f = -grad(e, pos)')).ir[0]!;
    const grad = ir.nodes.find((n) => n.op === 'grad')!;
    expect(grad.type).toMatchObject({ kind: 'field', domain: 'node', rep: { text: '1x1o', dim: 3 } });
    expect(grad.attrs).toEqual({ wrt: 'pos', reduce: 'sum' });
  });

  it('node[1x1] in SE(3), from an energy graph[1x0]', () => {
    const text = `model M : SE(3) {\n  in pos: node[pos]\n  out f: node[1x1]\n  let g = radius_graph(pos, r = 2.0)\n  let e = pool(linear(scatter(bessel(g.len, n = 4, cutoff = 2.0), g), 1x0))\n  f = grad(e, pos)\n}\n`;
    expectClean(text);
  });

  it('a wrongly declared force type is E0205 naming node[1x1o]', () => {
    const d = expectOne(MODEL('  f = grad(e, pos)', 'E(3)', '1x1e'), 'E0205', 8, 7);
    expect(d.message).toContain('1x1o');
  });

  it('reduce = max on the path is differentiable almost everywhere (accepted)', () => {
    expectClean(MODEL('  let e2 = pool(linear(s, 1x0e), reduce = max)\n  f = grad(e2, pos)\n  let _e = e'));
  });
});

describe('grad that is refused', () => {
  it('E1101: a per-node energy, with the fix pool(...)', () => {
    const d = expectOne(MODEL('  f = grad(linear(s, 1x0e), pos)\n  let _e = e'), 'E1101', 8, 12);
    expect(d.message).toBe('`grad` differentiates one invariant scalar per graph (graph[1x0e]), found node[1x0e]');
    expect(d.help).toContain('grad(pool(e), pos)');
  });

  it('E1101: an equivariant graph value', () => {
    const d = expectOne(MODEL('  f = grad(pool(scatter(spherical_harmonics(g.vec, lmax = 1), g)), pos)\n  let _e = e'), 'E1101', 8, 12);
    expect(d.message).toContain('found graph[1x0e+1x1o]');
  });

  it('E1102: with respect to features', () => {
    const d = expectOne(MODEL('  f = grad(e, x)'), 'E1102', 8, 15);
    expect(d.message).toContain('found node[4x0e]');
  });

  it('E1103: a group without points', () => {
    const d = expectOne('model M : GL+(3) {\n  in x: graph[2xT(0,0)]\n  out y: graph[1xV]\n  y = grad(linear(x, 1xT(0,0)), x)\n}\n', 'E1103', 4, 7);
    expect(d.message).toContain('GL+(3) does not act on points');
  });

  it('E1104: a second derivative, pointing at the inner grad', () => {
    const d = expectOne(MODEL('  let f1 = grad(e, pos)\n  f = grad(pool(linear(norm(f1), 1x0e)), pos)'), 'E1104', 9, 7);
    expect(d.related[0]!.span.start.line).toBe(8);
  });

  it('E1105: an energy that does not depend on the positions', () => {
    const d = expectOne(MODEL('  f = grad(pool(linear(x, 1x0e)), pos)\n  let _e = e'), 'E1105', 8, 12);
    expect(d.message).toContain('does not depend on the positions');
  });
});
