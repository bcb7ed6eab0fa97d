// Calls and options (E0301-E0307): unknown options with suggestions, missing, extra and
// repeated arguments, values of the wrong kind or choice, values out of range, non-callables.
import { describe, expect, it } from 'vitest';
import { expectClean, expectDiagnostics, expectOne, src } from './helpers.js';

/** Lines 1-5 fixed; the call under test is line 6: `  y = CALL`. */
const CALL = (call: string, out = 'node[8x0e]') =>
  `model M : E(3) {\n  in pos: node[pos]\n  in x: node[8x0e]\n  out y: ${out}\n  let g = radius_graph(pos, r = 1.5)\n  y = ${call}\n}\n`;

/** Without a graph: the call under test is line 4. */
const LINEAR = (call: string) => `model M : O(3) {\n  in x: node[8x0e]\n  out y: node[8x0e]\n  y = ${call}\n}\n`;

describe('options (E0301, E0304, E0307)', () => {
  it('E0301: an unknown option, with the closest one suggested and not also reported missing', () => {
    const d = expectOne(CALL('scatter(bessel(g.len, n = 8, cutof = 1.5), g)').replace('  in x: node[8x0e]\n', ''), 'E0301', 5, 36);
    expect(d.message).toBe('`bessel` has no option `cutof`');
    expect(d.help).toBe('did you mean `cutoff`?');
    expect(d.notes).toEqual(['the options of `bessel` are: len, n, cutoff']);
  });

  it('E0301: an unknown option of a layer', () => {
    const text = 'layer L(feats: node[R]) -> node[R] { return feats }\nmodel M : O(3) {\n  in x: node[4x0e]\n  out y: node[4x0e]\n  y = L(feat = x)\n}\n';
    expect(expectOne(text, 'E0301', 5, 9).help).toBe('did you mean `feats`?');
  });

  it('right: choices written as bare names or as strings', () => {
    expectClean(CALL('scatter(gather(x, g, side = dst), g, reduce = mean)'));
    expectClean(CALL('scatter(gather(x, g, side = "dst"), g, reduce = "mean")'));
  });

  it('E0304: a choice that is not valid, with a suggestion', () => {
    const d = expectOne(CALL('scatter(gather(x, g), g, reduce = meen)'), 'E0304', 6, 41);
    expect(d.message).toBe('`meen` is not a valid `reduce` of `scatter`');
    expect(d.notes).toEqual(['valid choices: sum, mean, max']);
    expect(d.help).toBe('did you mean `mean`?');
  });

  it('E0304: values of the wrong kind', () => {
    const [bias, act, hidden, weights] = expectDiagnostics(
      CALL('linear(concat(linear(x, 8x0e, bias = 1), mlp(g.len, out = 2, act = sigmoidd), mlp(g.len, hidden = [1.5], out = 2)), 8x0e)\n  let w = tp(gather(x, g), g.vec, 8x1o, weights = learned)').replace('node[8x0e]\n  let g', 'node[8x0e]\n  let g'),
      ['E0304', 6, 44],
      ['E0304', 6, 74],
      ['E0304', 6, 105],
      ['E0304', 7, 51],
    );
    expect(bias!.message).toBe('`bias` of `linear` must be `true` or `false`, found a number');
    expect(act!.help).toBe('did you mean `sigmoid`?');
    expect(hidden!.message).toBe('`hidden` of `mlp` must be a list of positive whole numbers like [64, 64]');
    expect(weights!.message).toBe('`learned` is not a valid weights choice');
  });

  it('E0307: values out of range', () => {
    const text = CALL('scatter(concat(bessel(g.len, n = 0, cutoff = 1.5), gaussian(g.len, n = 4, cutoff = -1)), g)')
      .replace('r = 1.5', 'r = 0')
      .replace('  in x: node[8x0e]\n', '');
    // radius_graph fails, so the rest of the line is not checked against it.
    expectOne(text, 'E0307', 4, 33);
    const [n, cutoff] = expectDiagnostics(CALL('scatter(concat(bessel(g.len, n = 0, cutoff = 1.5), gaussian(g.len, n = 4, cutoff = -1)), g)').replace('  in x: node[8x0e]\n', ''), ['E0307', 5, 40], ['E0307', 5, 90]);
    expect(n!.message).toBe('n must be at least 1, found 0');
    expect(cutoff!.message).toBe('the cutoff must be positive, found -1');
  });

  it('E0307: lmax, a fractional count, avg_neighbors and the width of an mlp', () => {
    const body = 'linear(concat(scatter(spherical_harmonics(g.vec, lmax = 17), g), scatter(bessel(g.len, n = 2.5, cutoff = 1.0), g), mlp(x, out = 0)), 8x0e)';
    const [lmax, n, out] = expectDiagnostics(CALL(body), ['E0307', 6, 63], ['E0307', 6, 98], ['E0307', 6, 135]);
    expect(lmax!.message).toBe('lmax must be between 0 and 16, found 17');
    expect(n!.message).toBe('`n` of `bessel` must be a whole number, found 2.5');
    expect(out!.message).toBe('out must be at least 1, found 0');
    const conv = 'conv(x, g, spherical_harmonics(g.vec, lmax = 1), bessel(g.len, n = 4, cutoff = 1.5), out = 8x0e, avg_neighbors = 0)';
    expect(expectOne(CALL(conv), 'E0307', 6, 120).message).toBe('avg_neighbors must be positive, found 0');
  });
});

describe('arguments (E0302, E0303, E0305)', () => {
  it('E0302: a missing argument', () => {
    const d = expectOne(LINEAR('linear(x)'), 'E0302', 4, 7);
    expect(d.message).toBe('`linear` needs `out`');
    expect(d.help).toBe('add `out = ...`');
  });

  it('E0302: an mlp without out where it cannot be inferred, and a layer argument', () => {
    const d = expectOne(CALL('linear(scatter(mlp(g.len), g), 8x0e)').replace('  in x: node[8x0e]\n', ''), 'E0302', 5, 22);
    expect(d.message).toBe('`mlp` needs `out`, its output width');
    const text = 'layer L(a: node[R], b: node[R]) -> node[R] { return a }\nmodel M : O(3) {\n  in x: node[4x0e]\n  out y: node[4x0e]\n  y = L(x)\n}\n';
    expect(expectOne(text, 'E0302', 5, 7).message).toBe('`L` needs `b`');
  });

  it('an inline mlp or spline without out under a product whose input has an error: only that error', () => {
    // The width the product would give is unknown, which is no mistake of the mlp's (E0302 was reported).
    for (const weights of ['mlp(rad, hidden = [8])', 'spline(rad, r = 1.5)']) {
      const text = src`
        model M : E(3) {
          in pos: node[pos]
          in x: node[4x0e]
          out y: node[4x0e]
          let g = radius_graph(pos, r = 1.5)
          let rad = g.len
          let sh = spherical_harmonics(g.vec, lmax = 1)
          y = scatter(tp(gather(linear(x, 4x1o), g), sh, 4x0e, weights = ${weights}), g)
        }
      `;
      expectDiagnostics(text, ['E0208', 8, 35]);
    }
  });

  it('E0303: too many positional arguments', () => {
    const d = expectOne(LINEAR('linear(x, 8x0e, true, 1)'), 'E0303', 4, 29);
    expect(d.message).toBe('`linear` takes at most 3 positional arguments, this is argument 4');
  });

  it('E0305: an argument given by position and by name', () => {
    const d = expectOne(LINEAR('linear(x, 8x0e, out = 8x0e)'), 'E0305', 4, 23);
    expect(d.related[0]!.span.start).toMatchObject({ line: 4, col: 17 });
  });

  it('right: positional then named, in any order of the named ones', () => {
    expectClean(LINEAR('linear(x, bias = true, out = 8x0e)'));
    expectClean(LINEAR('linear(out = 8x0e, x = x)'));
  });
});

describe('calls of things that are not callable (E0306)', () => {
  it('a value, a constant and a model', () => {
    const text = 'const C = 1\nmodel N : O(3) {\n  in x: node[4x0e]\n  out y: node[4x0e]\n  y = x\n}\nmodel M : O(3) {\n  in x: node[4x0e]\n  out y: node[4x0e]\n  let h = linear(x, 4x0e)\n  let a = h(x)\n  let b = C(x)\n  y = N(x)\n}\n';
    const [a, b, c] = expectDiagnostics(text, ['E0306', 11, 11], ['E0306', 12, 11], ['E0306', 13, 7]);
    expect(a!.message).toBe('`h` is a value, not an operation or a layer');
    expect(b!.message).toBe('`C` is a constant, not a layer');
    expect(c!.help).toBe('models cannot be called; put the shared part in a `layer`');
  });
});
