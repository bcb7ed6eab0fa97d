// Programs that used to be accepted though they are not equivariant (issue 12): each is refused
// on the line of the cause, and its sound neighbour still checks.
import { describe, expect, it } from 'vitest';
import { lookupGroup } from '../../../stdlib/groups/registry.js';
import { expectClean, expectDiagnostics, expectOne, src } from './helpers.js';

describe('norm and norm_act need an invariant norm (E0221)', () => {
  it('are refused in GL+(n) and SL(n), at the call', () => {
    const d = expectOne('model M : GL+(3) {\n  in x: graph[2xV]\n  out y: graph[2xT(0,0)]\n  y = norm(x)\n}\n', 'E0221', 4, 7);
    expect(d.message).toBe('`norm` is not available for GL+(3): the Euclidean norm of a copy is not invariant there');
    expect(expectOne('model M : SL(2) {\n  in x: graph[2xV]\n  out y: graph[2xV]\n  y = norm_act(x, act = tanh)\n}\n', 'E0221', 4, 7).message).toContain('`norm_act` is not available for SL(2)');
  });

  it('are accepted where the group says the norm is invariant', () => {
    expectClean('model M : O(3) {\n  in x: node[2x1o]\n  out y: node[2x0e]\n  y = norm(x)\n}\n');
    expectClean('model M : O(2) {\n  in x: node[2x1]\n  out y: node[2x1]\n  y = norm_act(x, act = tanh)\n}\n');
  });

  it('is a capability of the group: true for compact groups, false for GL+(n) and SL(n)', () => {
    const groups = ['O(3)', 'SO(3)', 'E(3)', 'O(2)', 'SE(2)', 'GL+(3)', 'SL(2)'].map((name) => {
      const m = /^(\w+\+?)\((\d)\)$/.exec(name)!;
      const r = lookupGroup([{ family: m[1]!, args: [Number(m[2])] }]);
      if (!r.ok) throw new Error(r.message);
      return [name, r.group.invariantNorm];
    });
    expect(groups).toEqual([['O(3)', true], ['SO(3)', true], ['E(3)', true], ['O(2)', true], ['SE(2)', true], ['GL+(3)', false], ['SL(2)', false]]);
  });
});

describe('odd gates on O(2) frequencies (E0212)', () => {
  it('a 0o gate on a frequency is refused at `gates`', () => {
    const d = expectOne('model M : O(2) {\n  in x: node[1x0o + 1x1]\n  out y: node[1x1]\n  y = gate(x, scalars = 0x0e, gates = 1x0o, gated = 1x1, act_gates = tanh)\n}\n', 'E0212', 4, 39);
    expect(d.message).toBe('an odd gate (0o) on 1 in O(2) gives 1 turned by 90°, not a componentwise product');
  });

  it('an even gate in O(2) and an odd gate in O(3) (componentwise there) are accepted', () => {
    expectClean('model M : O(2) {\n  in x: node[1x0o + 1x1]\n  out y: node[1x1]\n  y = gate(x, scalars = 0x0e, gates = 1x0o, gated = 1x1, act_gates = abs)\n}\n');
    expectClean('model M : O(3) {\n  in x: node[1x0o + 1x1o]\n  out y: node[1x1e]\n  y = gate(x, scalars = 0x0e, gates = 1x0o, gated = 1x1o, act_gates = tanh)\n}\n');
  });
});

describe('a full tensor product past a bound (E0702, E1201)', () => {
  it('GL: a product of rank 5 is an error at the tp, naming the bound', () => {
    const d = expectOne(src`
      model M : GL+(3) {
        in a: graph[T(2,1)]
        in b: graph[T(1,1)]
        out y: graph[1xT(0,0)]
        let t = tp(a, b)
        y = linear(select(concat(a, t), T(2,1)), 1xT(0,0))
      }
    `, 'E0702', 5, 11);
    expect(d.message).toBe('T(2,1) ⊗ T(1,1) has rank 5, above the supported limit of 4 (p + q <= 4): the full tensor product cannot include it');
  });

  it('GL: rank 4 is fine', () => {
    expectClean('model M : GL+(3) {\n  in a: graph[T(1,1)]\n  out y: graph[1xT(2,2)]\n  y = tp(a, a)\n}\n');
  });

  it('O(3): a full product whose degrees would pass 32 is refused; with `out` it is built', () => {
    expectOne('model M : O(3) {\n  in a: graph[20e]\n  out y: graph[1x0e]\n  let t = tp(a, a)\n  y = linear(select(t, 0e), 1x0e)\n}\n', 'E1201', 4, 11);
    expectClean('model M : O(3) {\n  in a: graph[20e]\n  out y: graph[1x0e]\n  y = tp(a, a, out = 1x0e)\n}\n');
  });
});

describe('a constant means what its expression means where it is used', () => {
  it('`const W = 1 + 2` in a type is the direct sum 1 + 2, like `node[1 + 2]`', () => {
    const out = expectClean(src`
      const W = 1 + 2
      model M : SO(3) {
        in x: node[W]
        in z: node[1 + 2]
        out y: node[1 + 2]
        out y2: node[W]
        y = x
        y2 = z
      }
    `);
    expect(out.ir[0]!.inputs.map((i) => i.type)).toMatchObject([{ rep: { text: '1x1+1x2', dim: 8 } }, { rep: { text: '1x1+1x2', dim: 8 } }]);
  });

  it('and the number 3 in an option', () => {
    const out = expectClean('const W = 1 + 2\nmodel M : O(3) {\n  in x: node[4x0e]\n  out y: node[1x0e]\n  y = mlp(x, hidden = [W], out = 1)\n}\n');
    expect(out.ir[0]!.params.map((p) => p.shape)).toEqual([[4, 3], [3, 1]]);
  });

  it('in S(n), `const N = 8 + 8` and `node[8 + 8]` are both 16 channels; let constants too', () => {
    expectClean('const N = 8 + 8\nmodel M : S(n) {\n  in x: node[N]\n  out y: node[16]\n  let K = 8 + 8\n  let h: node[K] = x\n  y = h\n}\n');
  });

  it('a constant wrong as a representation is reported where it is used as one', () => {
    const [one, two] = expectDiagnostics('const W = 1 + 2\nmodel M : O(3) {\n  in x: node[W]\n  out y: graph[1x0e]\n  y = linear(pool(x), 1x0e)\n}\n', ['E0201', 3, 14], ['E0201', 3, 14]);
    expect(one!.message).toBe('`1` has no parity, but this group has reflections (O(3))');
    expect(two!.message).toBe('`2` has no parity, but this group has reflections (O(3))');
    expect(one!.notes).toContain('`W` is `1 + 2` (line 1), read here as a representation');
  });
});

describe('crashes that are now diagnostics', () => {
  it('`identity(x)` as a call (E0306)', () => {
    const d = expectOne('model M : O(3) {\n  in x: node[1x0e]\n  out y: node[1x0e]\n  y = identity(x)\n}\n', 'E0306', 4, 7);
    expect(d.help).toBe('use the value itself: `identity(x)` is `x`');
    expectClean('model M : O(3) {\n  in x: node[1x0e]\n  out y: node[1x0e]\n  y = mlp(x, hidden = [4], out = 1, act = identity)\n}\n');
  });

  it('`vmax` above the grid size, 4294967296 and 1e9 included (E0901)', () => {
    for (const v of ['4294967296', '1e9', '6']) {
      const d = expectOne(`model M : Flow(T2, size = 5, vmax = ${v}) {\n  in f: grid2d[1]\n  out y: graph[1]\n  y = pool_time(pool_space(f))\n}\n`, 'E0901', 1, 11);
      expect(d.message).toContain('`vmax` is at most the grid size (5)');
    }
    expectClean('model M : Flow(T2, size = 5, vmax = 5) {\n  in f: grid2d[1]\n  out y: graph[1]\n  y = pool_time(pool_space(f))\n}\n');
  });
});
