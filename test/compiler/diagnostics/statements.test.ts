// Statements and structure (E0401-E0406), compile-time constants (E0501, E0502), unused
// declarations and options without effect (W0001-W0004), and diagnostics from inside layers.
import { describe, expect, it } from 'vitest';
import { expectClean, expectDiagnostics, expectOne, src } from './helpers.js';

describe('outputs (E0401, E0402, E0403, E0406)', () => {
  it('E0401: an output never assigned', () => {
    const d = expectOne('model M : O(3) {\n  in x: node[4x0e]\n  out y: node[4x0e]\n  out z: node[4x0e]\n  y = x\n}\n', 'E0401', 4, 7);
    expect(d.message).toBe('output `z` is never assigned');
  });

  it('E0402: an output assigned twice', () => {
    const d = expectOne('model M : O(3) {\n  in x: node[4x0e]\n  out y: node[4x0e]\n  y = x\n  y = linear(x, 4x0e)\n}\n', 'E0402', 5, 3);
    expect(d.related[0]!.span.start.line).toBe(4);
  });

  it('E0403: assignments to an input, a value, and a misspelled output', () => {
    const text = 'model M : O(3) {\n  in x: node[4x0e]\n  out energy: node[4x0e]\n  let h = linear(x, 4x0e)\n  x = h\n  h = x\n  enrgy = h\n}\n';
    const [input, value, missing, typo] = expectDiagnostics(text, ['E0401', 3, 7], ['E0403', 5, 3], ['E0403', 6, 3], ['E0403', 7, 3]);
    expect(input!.message).toBe('output `energy` is never assigned');
    expect(value!.message).toBe('cannot assign to `x`: it is a model input');
    expect(missing!.message).toBe('cannot assign to `h`: it is an immutable value');
    expect(typo!.help).toBe('did you mean the output `energy`?');
  });

  it('E0406: a model without outputs', () => {
    expect(expectOne('model M : O(3) {\n  in x: node[4x0e]\n  let _h = x\n}\n', 'E0406', 1, 7).message).toBe('model `M` has no outputs');
  });

  it('right: two outputs, each assigned once', () => {
    expectClean('model M : O(3) {\n  in x: node[4x0e]\n  out y: node[4x0e]\n  out z: graph[4x0e]\n  let h = linear(x, 4x0e)\n  y = h\n  z = pool(h)\n}\n');
  });
});

describe('statements in the wrong place (E0404, E0405)', () => {
  it('E0404: `return` in a model, with the output to assign instead', () => {
    const d = expectOne('model M : O(3) {\n  in x: node[4x0e]\n  out y: node[4x0e]\n  return linear(x, 4x0e)\n}\n', 'E0404', 4, 3);
    expect(d.help).toBe('assign the output instead: `y = ...`');
  });

  it('E0404: `in` and `out` in a layer, reported once however often the layer is called', () => {
    const text = src`
      layer L(h: node[R]) -> node[R] {
        in s: node[4x0e]
        out t: node[4x0e]
        return h
      }
      model M : O(3) {
        in x: node[4x0e]
        out y: node[4x0e]
        y = L(L(x))
      }
    `;
    expectDiagnostics(text, ['E0404', 2, 3], ['E0404', 3, 3]);
  });

  it('E0405: statements after return, two returns, and no return, even in a layer no model calls', () => {
    const text = src`
      layer A(h: node[R]) -> node[R] {
        return h
        let k = h
      }
      layer B(h: node[R]) -> node[R] {
        return h
        return linear(h, R)
      }
      layer C(h: node[R]) -> node[R] {
        let k = linear(h, R)
      }
      model M : O(3) {
        in x: node[4x0e]
        out y: node[4x0e]
        y = A(B(x))
      }
    `;
    const [after, twice, never] = expectDiagnostics(text, ['E0405', 3, 3], ['E0405', 7, 3], ['E0405', 9, 7], ['W0003', 9, 7]).filter((d) => d.code === 'E0405');
    expect(after!.message).toBe('statement after `return` is never run');
    expect(twice!.related[0]!.span.start.line).toBe(6);
    expect(never!.message).toBe('layer `C` never returns a value');
  });
});

describe('compile-time constants (E0501, E0502)', () => {
  const CONSTS = (consts: string, use: string) => `${consts}\nmodel M : O(3) {\n  in x: node[4x0e]\n  out y: node[${use}]\n  y = linear(x, ${use})\n}\n`;

  it('right: rep constants, sums of them, multiplicities and arithmetic', () => {
    expectClean(CONSTS('const A = 8x0e\nconst B = A + 2x(4x0e)', 'B + A'));
    expectClean(`const W = 4\nconst H = 2x(8x0e + 4x1o)\nmodel M : E(3) {\n  in pos: node[pos]\n  out y: node[16x0e]\n  let g = radius_graph(pos, r = 0.5 * W)\n  y = linear(scatter(tp(spherical_harmonics(g.vec, lmax = 1), bessel(g.len, n = W, cutoff = 2), H), g), 16x0e)\n}\n`);
  });

  it('E0501: a constant defined in terms of itself, directly and through another one', () => {
    // Constants no model uses are evaluated too, so their errors show.
    const direct = expectOne(CONSTS('const N = N + 1', '4x0e'), 'E0501', 1, 7);
    expect(direct.notes).toEqual(['the chain of definitions: N -> N']);
    const d = expectOne(CONSTS('const A = B + 8x0e\nconst B = A', 'A'), 'E0501', 1, 7);
    expect(d.message).toBe('constant `A` is defined in terms of itself');
    expect(d.notes).toEqual(['the chain of definitions: A -> B -> A']);
  });

  it('E0501: a runtime value where a constant is needed', () => {
    const d = expectOne('model M : E(3) {\n  in pos: node[pos]\n  in r: graph[1x0e]\n  out y: node[1x1o]\n  let g = radius_graph(pos, r = r)\n  y = scatter(g.vec, g)\n}\n', 'E0501', 5, 33);
    expect(d.message).toBe('`r` is a model input (graph[1x0e]), not a compile-time constant');
  });

  it('E0502: operators that do not apply', () => {
    const text = 'const H = 8x0e\nconst S = "a" + 1\nconst D = 1 / 0\nmodel M : O(3) {\n  in x: node[4x0e]\n  out y: node[16x0e]\n  y = linear(x, 2 * H)\n}\n';
    const ds = expectDiagnostics(text, ['W0003', 2, 7], ['E0502', 2, 11], ['W0003', 3, 7], ['E0502', 3, 11], ['E0502', 7, 17]);
    const [times, plus, div] = ds.filter((d) => d.code === 'E0502');
    expect(times!.message).toBe('`+` does not apply to a string and a number');
    expect(plus!.message).toBe('`1 / 0` is not a finite number');
    expect(div!.message).toBe('`*` does not apply to representations');
    expect(div!.help).toBe('write a multiplicity: `2x(H)`');
  });
});

describe('warnings (W0001-W0004)', () => {
  it('W0001, W0002, W0003: unused value, constant, input, layer and import', () => {
    const text = src`
      const C = 3
      layer L(h: node[R]) -> node[R] { return h }
      model M : O(3) {
        in x: node[4x0e]
        in unused: node[4x0e]
        out y: node[4x0e]
        let h = linear(x, 4x0e)
        let n = 3
        y = x
      }
    `;
    const ds = expectDiagnostics(text, ['W0003', 1, 7], ['W0003', 2, 7], ['W0002', 5, 6], ['W0001', 7, 7], ['W0001', 8, 7]);
    expect(ds.map((d) => d.message)).toEqual([
      'constant `C` is never used',
      'layer `L` is never used',
      'input `unused` is never used',
      'value `h` is never used',
      'constant `n` is never used',
    ]);
    expect(ds.every((d) => d.severity === 'warning')).toBe(true);
  });

  it('right: a leading underscore keeps a value or an input without a warning', () => {
    expectClean('model M : O(3) {\n  in x: node[4x0e]\n  in _spare: node[4x0e]\n  out y: node[4x0e]\n  let _h = linear(x, 4x0e)\n  y = x\n}\n');
  });

  it('W0004: options without effect', () => {
    const text = 'model M : O(3) {\n  in x: node[4x1o]\n  out y: node[4x1o]\n  out z: node[16x0e + 16x1e + 16x2e]\n  y = linear(x, 4x1o, bias = true)\n  z = tp(x, x, mode = uvu)\n}\n';
    const [bias, mode] = expectDiagnostics(text, ['W0004', 5, 30], ['W0004', 6, 23]);
    expect(bias!.message).toBe('`bias = true` has no effect: biases only apply to invariant scalar (0e) outputs, and `out` has none');
    expect(mode!.message).toBe('`mode` has no effect without `out`: the full tensor product has no weights');
  });

  it('warnings alone leave the program ok', () => {
    const text = 'model M : O(3) {\n  in x: node[4x1o]\n  out y: node[4x1o]\n  y = linear(x, 4x1o, bias = true)\n}\n';
    expectOne(text, 'W0004', 4, 30);
  });
});

describe('diagnostics from inside a layer', () => {
  const text = src`
    layer Lift(h: node[R]) -> node[16x0e + 4x1o] {
      let m = linear(h, 16x0e + 4x1o)
      return m
    }
    model M : O(3) {
      in x: node[8x0e]
      in v: node[8x0e + 4x1o]
      out y: node[16x0e + 4x1o]
      out z: node[16x0e + 4x1o]
      y = Lift(x)
      z = Lift(v)
    }
  `;

  it('point at the line of the layer body, with the call site and the bound types as related', () => {
    const d = expectOne(text, 'E0208', 2, 21);
    expect(d.message).toBe('no equivariant linear map produces 4x1o from 8x0e');
    expect(d.related).toHaveLength(1);
    expect(d.related[0]!.span.start).toMatchObject({ line: 10, col: 7 });
    expect(d.related[0]!.message).toBe('while checking `Lift` as called here with h: node[8x0e]');
    expect(d.notes[0]).toBe('h is node[8x0e] (argument of Lift at line 10)');
  });

  it('the second call, with a representation that works, adds nothing', () => {
    expectClean(text.replace('  y = Lift(x)\n', '  y = Lift(v)\n').replace('  in x: node[8x0e]\n', ''));
  });
});
