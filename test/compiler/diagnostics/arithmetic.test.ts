// Arithmetic on values (E1001-E1004): residuals and self-connections of one type, negation,
// scaling by numbers and by an invariant scalar per row; everything else is refused on the
// operator with the two types named.
import { describe, expect, it } from 'vitest';
import { expectClean, expectOne } from './helpers.js';

/** Inputs x: node[8x0e + 4x1o] and s: node[1x0e]; output y: node[8x0e + 4x1o]. */
const MODEL = (body: string, group = 'E(3)', reps = { x: '8x0e + 4x1o', s: '1x0e' }) =>
  `model M : ${group} {\n  in x: node[${reps.x}]\n  in s: node[${reps.s}]\n  out y: node[${reps.x}]\n${body}\n}\n`;

describe('value arithmetic that checks', () => {
  it('residuals, differences, negation, numeric and per-row scalar scaling', () => {
    expectClean(MODEL('  let m = linear(x, 8x0e + 4x1o)\n  let h = x + m\n  let k = 0.5 * h - m / 2\n  y = s * (-k) + h * s'));
  });

  it('in SO(3) the per-row scalar is 1x0', () => {
    expectClean(MODEL('  y = s * x + x', 'SO(3)', { x: '8x0 + 4x1', s: '1x0' }));
  });

  it('constant arithmetic is unchanged inside a value expression', () => {
    expectClean(MODEL('  y = (2 * 3 - 5.5) * x * s'));
  });
});

describe('value arithmetic that is refused', () => {
  it('E1001: a sum of two types, with both types and a fix', () => {
    const d = expectOne(MODEL('  let v = linear(x, 4x1o)\n  y = s * x + v'), 'E1001', 6, 7);
    expect(d.message).toBe('`+` needs two values of the same type, but the left is node[8x0e+4x1o] and the right is node[4x1o]');
    expect(d.help).toBe("map one onto the other's representation first, e.g. `linear(v, 8x0e+4x1o)`");
  });

  it('E1001: a sum across domains says to gather, scatter or pool', () => {
    const d = expectOne(MODEL('  let z = pool(x) + x\n  y = s * x'), 'E1001', 5, 11);
    expect(d.help).toContain('gather, scatter or pool');
  });

  it('E1002: a product of two values that are not a scalar and a value suggests tp', () => {
    const d = expectOne(MODEL('  let v = linear(x, 4x1o)\n  y = s * (x * v)'), 'E1002', 6, 12);
    expect(d.message).toContain('needs one of them to be one invariant scalar per row (node[1x0e])');
    expect(d.help).toContain('tp(a, b, out = ...)');
  });

  it('E1002: several scalars are not one scalar per row', () => {
    const d = expectOne(MODEL('  y = s * x', 'E(3)', { x: '8x0e + 4x1o', s: '2x0e' }), 'E1002', 5, 7);
    expect(d.message).toContain('the left is node[2x0e]');
  });

  it('E1002: a pseudoscalar is not invariant, so it does not scale', () => {
    expectOne(MODEL('  y = s * x', 'E(3)', { x: '8x0e + 4x1o', s: '1x0o' }), 'E1002', 5, 7);
  });

  it('E1003: adding a number to a value', () => {
    const d = expectOne(MODEL('  y = s * x + 1'), 'E1003', 5, 15);
    expect(d.message).toBe('`+` adds values, not a number');
  });

  it('E1003: dividing a number by a value', () => {
    expectOne(MODEL('  y = s * (1 / x)'), 'E1003', 5, 16);
  });

  it('E1004: positions are points, not features', () => {
    const src = 'model P : E(3) {\n  in pos: node[pos]\n  out y: node[1x1o]\n  let q = pos + pos\n  y = linear(q, 1x1o)\n}\n';
    const d = expectOne(src, 'E1004', 4, 11);
    expect(d.help).toContain('g.vec');
  });
});
