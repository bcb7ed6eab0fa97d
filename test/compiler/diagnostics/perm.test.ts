// S(n), pair values and product groups: E0801 (unsupported products), E0802 (`pair` without
// permutations), E0803 (perm_linear without permutations), E0804 (perm_linear on channels
// that are not invariant), and the right programs next to them.
import { describe, expect, it } from 'vitest';
import { expectClean, expectDiagnostics, expectOne, src } from './helpers.js';

describe('S(n) and products', () => {
  it('checks S(n), S(5) and E(3) x S(n) models', () => {
    const sets = expectClean(src`
      model M : S(n) {
        in  x: node[4]
        out y: graph[2]
        let p = perm_linear(x, 8, domain = pair, bias = true)
        y = perm_linear(relu(p), 2, domain = graph)
      }
    `);
    expect(sets.ir[0]!.group).toEqual({ name: 'S(n)', factors: [{ family: 'S', args: [], symbols: ['n'] }] });
    const fixed = expectClean('model M : S(5) {\n  in x: node[2x3]\n  out y: node[6]\n  y = perm_linear(x, 6)\n}\n');
    expect(fixed.ir[0]!.group).toEqual({ name: 'S(5)', factors: [{ family: 'S', args: [5] }], setSize: 5 });
    const product = expectClean(src`
      model M : E(3) x S(10) {
        in  x: node[4x0e + 1x1o]
        out y: node[8x0e]
        y = perm_linear(select(x, 0e), 8x0e)
      }
    `);
    expect(product.ir[0]!.group).toEqual({ name: 'E(3) x S(10)', factors: [{ family: 'E', args: [3] }, { family: 'S', args: [10] }], spaceDim: 3, translations: true, setSize: 10 });
    // A layer over pair values, with a rep variable, and an annotated pair binding.
    expectClean(src`
      layer PairBlock(p: pair[C]) -> pair[C] {
        return relu(perm_linear(p, C, bias = true))
      }
      model M : S(n) {
        in  a: pair[2]
        out y: graph[2]
        let q: pair[2] = PairBlock(a)
        y = pool(q, reduce = max)
      }
    `);
    const swapped = expectClean('model M : S(n) x SO(3) {\n  in x: node[2x0 + 1x1]\n  out y: node[2x0 + 1x1]\n  y = linear(x, 2x0 + 1x1)\n}\n');
    expect(swapped.ir[0]!.group.name).toBe('S(n) x SO(3)');
  });

  it('E0801: a product without exactly one S(n) factor', () => {
    const d = expectOne('model M : E(3) x SO(3) {\n  in x: node[1x0e]\n  out y: node[1x0e]\n  y = x\n}\n', 'E0801', 1, 11);
    expect(d.message).toBe('the product E(3) x SO(3) is not supported');
    expect(d.help).toContain('`E(3) x S(n)`');
    expectOne('model M : S(n) x S(3) {\n  in x: node[1]\n  out y: node[1]\n  y = x\n}\n', 'E0801', 1, 11);
  });

  it('E0108: S without a size, or with one that is not a number of nodes', () => {
    expect(expectOne('model M : S(0) {\n  in x: node[1]\n  out y: node[1]\n  y = x\n}\n', 'E0108', 1, 11).message).toBe('S(0) is not a permutation group: n must be a whole number of nodes, at least 1');
    expectOne('model M : S() {\n  in x: node[1]\n  out y: node[1]\n  y = x\n}\n', 'E0108', 1, 11);
    // A constant would read as a fixed size: S(N) with `const N = 5` is refused, not taken as "any size".
    const d = expectOne('const N = 5\nmodel M : S(N) {\n  in x: node[1]\n  out y: node[1]\n  y = x\n}\n', 'E0108', 2, 13);
    expect(d.help).toBe('write the number (`S(5)`), or a fresh name such as `S(n)` for sets of any size');
  });

  it('E0802: pair values in a group that does not permute nodes', () => {
    const d = expectOne('model M : E(3) {\n  in a: pair[1x0e]\n  out y: graph[1x0e]\n  y = linear(pool(a), 1x0e)\n}\n', 'E0802', 2, 9);
    expect(d.message).toBe('`pair` values need a group that permutes nodes, and E(3) does not');
    expect(d.help).toBe('declare the permutations: `model ... : S(n)`, or `E(3) x S(n)`');
  });

  it('E0803: perm_linear in a group that does not permute nodes', () => {
    const d = expectOne('model M : O(3) {\n  in x: node[4x0e]\n  out y: node[4x0e]\n  y = perm_linear(x, 4x0e)\n}\n', 'E0803', 4, 7);
    expect(d.message).toBe('`perm_linear` needs a group that permutes nodes, and O(3) does not');
  });

  it('E0804: perm_linear on vectors in E(3) x S(n)', () => {
    const d = expectOne('model M : E(3) x S(n) {\n  in x: node[4x0e + 2x1o]\n  out y: node[4x0e]\n  y = perm_linear(x, 4x0e)\n}\n', 'E0804', 4, 19);
    expect(d.message).toBe('`perm_linear` mixes channels with free weights, so they must be invariant scalars; x has 2x1o');
    expectOne('model M : E(3) x S(n) {\n  in x: node[4x0e]\n  out y: node[1x1o]\n  y = perm_linear(x, 1x1o)\n}\n', 'E0804', 4, 22);
  });

  it('rejects irreps in S(n) and edge values in perm_linear (E0201, E0207)', () => {
    const d = expectOne('model M : S(n) {\n  in x: node[16x0e]\n  out y: node[1]\n  y = perm_linear(x, 1)\n}\n', 'E0201', 2, 17);
    expect(d.message).toBe('`0e` is an irrep, but S(n) features are channel counts');
    expectDiagnostics(
      src`
        model M : E(3) x S(n) {
          in  pos: node[pos]
          out y: node[1x0e]
          let g = radius_graph(pos, r = 1)
          y = scatter(perm_linear(g.len, 1x0e), g)
        }
      `,
      ['E0207', 5, 27],
    );
  });
});
