// The checker's rules for the seeds' operations: `spline` (Facet's radial splines) and
// `frame_average` (Frame Averaging), each code at its position.
import { describe, expect, it } from 'vitest';
import { expectOne } from './helpers.js';

const MODEL = (body: string) =>
  `model M : E(3) {\n  in pos: node[pos]\n  in x: node[4x0e]\n  out y: node[4x0e]\n  let g = radius_graph(pos, r = 2.0)\n${body}\n}\n`;

describe('spline in the checker', () => {
  it('E0307: fewer than four functions', () => {
    const d = expectOne(MODEL('  y = linear(concat(x, scatter(spline(g.len, n = 3, r = 2.0, out = 2), g)), 4x0e)'), 'E0307', 6, 50);
    expect(d.message).toBe('a cubic spline needs n of at least 4, found 3');
  });
  it('E0302: no out outside tensor-product weights', () => {
    const d = expectOne(MODEL('  y = linear(concat(x, scatter(spline(g.len, r = 2.0), g)), 4x0e)'), 'E0302', 6, 32);
    expect(d.message).toBe('`spline` needs `out`, its output width');
  });
  it('E0219: the input must be one invariant length per row', () => {
    const d = expectOne(MODEL('  y = linear(concat(x, scatter(spline(g.vec, r = 2.0, out = 2), g)), 4x0e)'), 'E0219', 6, 39);
    expect(d.message).toContain('`spline` takes one invariant length per edge');
  });
});

const FRAMED = (out: string, extra = '') => `model M : E(3) {\n  in pos: node[pos]\n  in x: node[2x0e]\n  out y: node[${out}]\n  y = frame_average(pos, x, out = ${out}${extra})\n}\n`;

describe('frame_average in the checker', () => {
  it('E0224: an output irrep other than scalars and vectors', () => {
    const d = expectOne(FRAMED('4x0e + 1x2e'), 'E0224', 5, 35);
    expect(d.message).toBe('frame averaging gives invariant scalars (0e) and vectors (1o) only, not 1x2e');
  });

  it('E0220: features that are not invariant', () => {
    const d = expectOne('model M : E(3) {\n  in pos: node[pos]\n  in x: node[1x1o]\n  out y: node[1x0e]\n  y = frame_average(pos, x, out = 1x0e)\n}\n', 'E0220', 5, 26);
    expect(d.message).toContain('1x1o');
  });

  it('E0221: a group without 3D points', () => {
    expectOne('model M : E(2) {\n  in pos: node[pos]\n  in x: node[2x0e]\n  out y: node[1x0e]\n  y = frame_average(pos, x, out = 1x0e)\n}\n', 'E0221', 5, 7);
  });

  it('E0307: a tolerance outside (0, 1)', () => {
    expectOne(FRAMED('1x0e', ', tol = 2'), 'E0307', 5, 47);
  });

  it('E1104: grad cannot differentiate through it', () => {
    const d = expectOne(
      'model M : E(3) {\n  in pos: node[pos]\n  in x: node[2x0e]\n  out f: node[1x1o]\n  let e = pool(frame_average(pos, x, out = 1x0e))\n  f = grad(e, pos)\n}\n',
      'E1104',
      6,
      7,
    );
    expect(d.message).toContain('frame_average');
  });
});
