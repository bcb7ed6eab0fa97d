// GL+(n) and SL(n) (E0701, E0702, and the GL wording of E0208, E0209): tensor notation, the
// rank limit, linear maps that do not exist, and nonlinearities on densities.
import { describe, expect, it } from 'vitest';
import { expectClean, expectDiagnostics, expectOne, src } from './helpers.js';

describe('GL+(n) tensor notation (E0701)', () => {
  it('accepts V, V*, T(p,q), det^k and twisted tensors', () => {
    const out = expectClean(src`
      model M : GL+(3) {
        in x: graph[2xV + 3xV* + T(1,1) + det^-1 + 2x(T(1,0)*det^2) + 4xT(0,0)]
        out y: graph[1xT(0,0)]
        y = linear(select(x, T(1,1)), 1xT(0,0))
      }
    `);
    expect(out.ir[0]!.inputs[0]!.type).toMatchObject({ rep: { text: '2xV+3xV*+1xT(1,1)+1xdet^-1+2x(T(1,0)*det^2)+4xT(0,0)', dim: 6 + 9 + 9 + 1 + 6 + 4 } });
  });

  it('twisted tensors in constants and layers with representation variables', () => {
    expectClean(src`
      const TW = T(1,0)*det
      const H = 2xV + 2x(T(1,0)*det)

      layer Mix(x: graph[R]) -> graph[2xV] {
        return linear(select(x, 2xV), 2xV)
      }

      model M : GL+(2) {
        in x: graph[H]
        out y: graph[2xV]
        out z: graph[1x(TW)]
        y = Mix(x)
        z = linear(select(x, 2x(T(1,0)*det)), TW)
      }
    `);
  });

  it('refuses negative and fractional indices and powers', () => {
    const [t, d] = expectDiagnostics(src`
      model M : GL+(3) {
        in x: graph[2xV + T(1,-1)]
        in s: graph[det^0.5]
        out y: graph[1xT(0,0)]
        y = linear(select(x, 2xV), 1xT(0,0))
      }
    `, ['E0701', 2, 21], ['E0701', 3, 15]);
    expect(t!.message).toBe('T takes two whole numbers p, q >= 0: T(p,q) is p copies of V and q of V* (GL+(3))');
    expect(d!.message).toBe('the power of `det` must be a whole number: det^2, det^-1 (GL+(3))');
  });

  it('refuses det in SL(n), an O(3) irrep, and T with three numbers', () => {
    expect(expectOne('model M : SL(2) {\n  in x: graph[V + det]\n  out y: graph[1xV]\n  y = linear(x, 1xV)\n}\n', 'E0701', 2, 19).message).toContain('det(g) = 1');
    expect(expectOne('model M : GL+(2) {\n  in x: graph[V + 1o]\n  out y: graph[1xV]\n  y = linear(x, 1xV)\n}\n', 'E0701', 2, 19).help).toContain('T(0,0)');
    expectOne('model M : GL+(2) {\n  in x: graph[V]\n  out y: graph[1xV]\n  let c = T(1,2,3)\n  y = linear(x, 1xV)\n}\n', 'E0701', 4, 11);
  });

  it('reads constants inside atoms: det^K with const K = 2 checks cleanly, K counts as used', () => {
    const out = expectClean(src`
      const K = 2
      const P = 1
      model M : GL+(3) {
        in x: graph[1xdet^K + T(P,1)]
        out y: graph[1xdet^K]
        y = linear(select(x, 1xdet^K), 1xdet^K)
      }
    `);
    expect(out.ir[0]!.inputs[0]!.type).toMatchObject({ rep: { text: '1xdet^2+1xT(1,1)', dim: 1 + 9 } });
    // A constant that is not a whole number is still refused, at the atom.
    expect(expectOne('const K = 0.5\nmodel M : GL+(2) {\n  in x: graph[det^K]\n  out y: graph[1xV]\n  y = linear(x, 1xV)\n}\n', 'E0701', 3, 15).message).toBe('the power of `det` must be a whole number: det^2, det^-1 (GL+(2))');
  });

  it('a layer no model calls: det^K there is not an unknown name (only the unused warnings)', () => {
    const [k, layer] = expectDiagnostics(
      src`
        const K = 2
        layer Twist(x: graph[R]) -> graph[1xdet^K] {
          return linear(select(x, 1xdet^K), 1xdet^K)
        }
        model M : GL+(3) {
          in x: graph[V]
          out y: graph[1xV]
          y = linear(x, 1xV)
        }
      `,
      ['W0003', 1, 7],
      ['W0003', 2, 7],
    );
    expect(k!.message).toBe('constant `K` is never used');
    expect(layer!.message).toBe('layer `Twist` is never used');
  });

  it('names the group once in a message that already names it', () => {
    const d = expectOne('model M : GL+(2) {\n  in x: graph[V + U(1)]\n  out y: graph[1xV]\n  y = linear(select(x, 1xV), 1xV)\n}\n', 'E0701', 2, 19);
    expect(d.message).toBe('not a representation of GL+(2)');
    const sl = expectOne('model M : SL(2) {\n  in x: graph[V + det]\n  out y: graph[1xV]\n  y = linear(x, 1xV)\n}\n', 'E0701', 2, 19);
    expect(sl.message.match(/SL\(2\)/g)).toHaveLength(1);
  });

  it('asks for parentheses around a twisted tensor with a multiplicity', () => {
    const d = expectOne('model M : GL+(2) {\n  in x: graph[2xV*det]\n  out y: graph[1xV]\n  y = linear(x, 1xV)\n}\n', 'E0701', 2, 15);
    expect(d.help).toBe('put the twisted tensor in parentheses: 2x(... * det^k)');
  });
});

describe('the rank limit (E0702)', () => {
  it('refuses T(3,2) (rank 5) and accepts T(2,2) (rank 4)', () => {
    expectOne('model M : GL+(4) {\n  in r: graph[T(3,2)]\n  out y: graph[1xV]\n  y = linear(r, 1xV)\n}\n', 'E0702', 2, 15);
    expectClean('model M : GL+(4) {\n  in r: graph[T(2,2)]\n  out y: graph[1xT(0,0)]\n  y = linear(r, 1xT(0,0))\n}\n');
  });
});

describe('linear maps and nonlinearities under GL+(n)', () => {
  it('no linear map V -> T(2,0), explained by the degree (E0208)', () => {
    const d = expectOne('model M : GL+(3) {\n  in v: graph[2xV]\n  out t: graph[1xT(2,0)]\n  t = linear(v, 1xT(2,0))\n}\n', 'E0208', 4, 17);
    expect(d.notes).toContain('the degrees differ (V has p - q = 1, T(2,0) has 2): under scaling g = c·I, T(p,q) scales as c^(p-q), and a linear map cannot change the power of c');
  });

  it('the ε map T(2,0) -> det exists in GL+(2) but not in GL+(3)', () => {
    expectClean('model M : GL+(2) {\n  in t: graph[T(2,0)]\n  out d: graph[1xdet]\n  d = linear(t, 1xdet)\n}\n');
    expectOne('model M : GL+(3) {\n  in t: graph[T(2,0)]\n  out d: graph[1xdet]\n  d = linear(t, 1xdet)\n}\n', 'E0208', 4, 17);
  });

  it('a pointwise activation on det is not invariant (E0209); on T(0,0) it is', () => {
    const d = expectOne('model M : GL+(3) {\n  in s: graph[det + 2xT(0,0)]\n  out y: graph[1xdet]\n  y = silu(s)\n}\n', 'E0209', 4, 12);
    expect(d.notes.join('\n')).toContain('det is a scalar density of weight 1');
    expectClean('model M : GL+(3) {\n  in s: graph[2xT(0,0)]\n  out y: graph[2xT(0,0)]\n  y = silu(s)\n}\n');
  });

  it('gates on invariant scalars; a density is not a gate (E0212)', () => {
    expectClean('model M : GL+(3) {\n  in x: graph[2xT(0,0) + V]\n  out y: graph[1xT(0,0) + V]\n  y = gate(x, scalars = 1xT(0,0), gates = 1xT(0,0), gated = V)\n}\n');
    expectOne('model M : GL+(3) {\n  in x: graph[T(0,0) + det + V]\n  out y: graph[1xT(0,0) + V]\n  y = gate(x, scalars = 1xT(0,0), gates = det, gated = V)\n}\n', 'E0212', 4, 43);
  });
});

describe('GL+(n) and SL(n) names (E0108)', () => {
  it('n = 2..4 only', () => {
    expect(expectOne('model M : GL+(5) {\n  in x: graph[V]\n  out y: graph[1xV]\n  y = linear(x, 1xV)\n}\n', 'E0108', 1, 11).message).toBe('GL+(5) is not available');
    expectClean('model M : SL(4) {\n  in x: graph[V]\n  out y: graph[1xV]\n  y = linear(x, 1xV)\n}\n');
  });
});
