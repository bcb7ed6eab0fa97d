// sphere_act's misuse: an input that is not a signal on the sphere (E0225), an act that breaks
// an odd signal's parity (E0210), a group whose irreps are not harmonics (E0221), a grid too
// coarse for the float32 tolerance or an act with a kink (W0005), an out-of-range lmax or
// resolution, and a grid MLP without hidden layers (E0307).
import { describe, expect, it } from 'vitest';
import { expectDiagnostics, expectOne } from './helpers.js';

const O3 = (x: string, body: string, out = '2x0e') => `model M : O(3) {\n  in x: node[${x}]\n  out y: node[${out}]\n${body}\n}\n`;

describe('sphere_act', () => {
  it('E0225: a missing degree', () => {
    const d = expectOne(O3('2x0e + 2x2e', '  y = select(sphere_act(x, act = silu), 0e)'), 'E0225', 4, 25);
    expect(d.message).toBe('`sphere_act` needs k copies of a signal on the sphere, degrees 0, 1, ..., L in order with one multiplicity, but x is node[2x0e+2x2e]');
  });

  it('E0225: parities that are not p_val p_arg^l', () => {
    expectOne(O3('1x0e + 1x1o + 1x2o', '  y = select(sphere_act(x, act = silu), 0e)', '1x0e'), 'E0225', 4, 25);
  });

  it('E0225: copies of different multiplicities', () => {
    expectOne(O3('2x0e + 1x1o', '  y = select(sphere_act(x, act = silu), 0e)'), 'E0225', 4, 25);
  });

  it('E0210: silu on an odd signal (0o + 1e) breaks parity', () => {
    const d = expectOne(O3('1x0o + 1x1e', '  y = select(x, 0o)\n  let s = sphere_act(x, act = silu)', '1x0o'), 'E0210', 5, 31);
    expect(d.message).toContain('breaks parity');
  });

  it('W0005: a declared resolution below the default', () => {
    const d = expectOne(O3('2x0e + 2x1o', '  y = select(sphere_act(x, act = silu, resolution = 4), 0e)'), 'W0005', 4, 53);
    expect(d.message).toContain('a 4 x 8 grid aliases');
  });

  it('E0307: resolution 0 and a negative lmax', () => {
    expectDiagnostics(O3('2x0e + 2x1o', '  let a = sphere_act(x, act = silu, resolution = 0)\n  let b = sphere_act(x, act = silu, lmax = -1)\n  y = linear(x, 2x0e)'), ['E0307', 4, 50], ['E0307', 5, 44]);
  });

  it('E0221: a group whose irreps are not spherical harmonics', () => {
    const src = 'model M : O(2) {\n  in x: node[2x0e + 2x1]\n  out y: node[2x0e]\n  y = select(sphere_act(x, act = silu), 0e)\n}\n';
    const d = expectOne(src, 'E0221', 4, 14);
    expect(d.message).toBe('`sphere_act` is not available for O(2): its irreps are not spherical harmonics');
  });

  it('right: the default resolution, an odd signal with tanh, lmax above the input', () => {
    expectDiagnostics(O3('2x0e + 2x1o', '  y = select(sphere_act(x, act = silu, lmax = 3), 0e)'));
    expectDiagnostics(O3('1x0o + 1x1e', '  y = select(sphere_act(x, act = tanh), 0o)', '1x0o'));
    expectDiagnostics(O3('2x0e + 2x1o', '  y = select(sphere_mlp(x, hidden = [8], out = 2), 0e)'));
  });

  it('W0005: an act with a kink (relu) aliases slowly at any grid', () => {
    const d = expectOne(O3('2x0e + 2x1o', '  y = select(sphere_act(x, act = relu), 0e)'), 'W0005', 4, 34);
    expect(d.message).toContain('`relu` is not smooth');
  });

  it('E0307: sphere_mlp without a hidden layer; E0225 applies to it too', () => {
    expectOne(O3('2x0e + 2x1o', '  y = select(sphere_mlp(x, hidden = []), 0e)'), 'E0307', 4, 37);
    expectOne(O3('2x0e + 1x1o', '  y = select(sphere_mlp(x), 0e)'), 'E0225', 4, 25);
  });
});
