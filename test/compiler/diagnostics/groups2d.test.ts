// The 2D rotation groups SO(2), O(2), SE(2), E(2) (E0601-E0604): their notation's mistakes, and
// the shared rules (reachability, linear maps, harmonics) applied to frequencies.
import { describe, expect, it } from 'vitest';
import { expectClean, expectOne, src } from './helpers.js';

describe('2D notation (E0601-E0604)', () => {
  it('E0601: a parity letter in SO(2) or SE(2)', () => {
    const d = expectOne(src`
      model M : SE(2) {
        in v: node[4x1o]
        out y: node[4x1]
        y = linear(v, 4x1)
      }
    `, 'E0601', 2, 16);
    expect(d.message).toBe('`1o` has a parity letter, but this group has no reflections (SE(2))');
    expect(d.help).toBe('write `1`: SE(2) representations are frequencies 0, 1, 2, ...');
    expectOne('model M : SO(2) {\n  in x: graph[2x0e]\n  out y: graph[2x0]\n  y = linear(x, 2x0)\n}\n', 'E0601', 2, 17);
  });

  it('E0602: a parity letter on a 2-dimensional irrep of O(2) or E(2)', () => {
    const d = expectOne(src`
      model M : E(2) {
        in v: node[4x1o]
        out y: node[4x1]
        y = linear(v, 4x1)
      }
    `, 'E0602', 2, 16);
    expect(d.message).toBe('`1o` has a parity letter, but the frequency-1 irrep has no parity (E(2))');
    expect(d.help).toContain('write `1`');
    expectOne('model M : O(2) {\n  in x: graph[2x1]\n  out y: graph[2x2e]\n  y = linear(x, 2x1)\n}\n', 'E0602', 3, 18);
  });

  it('E0603: a negative or fractional frequency', () => {
    const d = expectOne(src`
      const K = -2
      model M : SO(2) {
        in x: node[4x2]
        out y: node[4x(K)]
        y = linear(x, 4x2)
      }
    `, 'E0603', 4, 18);
    expect(d.help).toBe('write `2`: frequency -2 is the same irrep as 2 (the two are conjugate by a reflection of the basis)');
    expectOne('const K = 1.5\nmodel M : E(2) {\n  in x: node[4x1]\n  out y: node[4x1]\n  y = linear(x, 4x(K))\n}\n', 'E0603', 5, 20);
  });

  it('E0604: a scalar without parity in O(2) or E(2)', () => {
    const d = expectOne(src`
      model M : O(2) {
        in x: node[8x0 + 4x1]
        out y: node[4x1]
        y = linear(x, 4x1)
      }
    `, 'E0604', 2, 16);
    expect(d.help).toContain('write `0e`');
  });

  it('right: each group in its own notation, with harmonics of 2D edge vectors', () => {
    for (const [group, s, rep] of [
      ['E(2)', '0e', '0e + 1 + 2'],
      ['SE(2)', '0', '0 + 1 + 2'],
    ] as const) {
      expectClean(src`
        model M : ${group} {
          in pos: node[pos]
          in x: node[4x${s}]
          out y: node[4x${s} + 2x1 + 2x2]
          let g = radius_graph(pos, r = 1.5)
          let sh: edge[${rep}] = spherical_harmonics(g.vec, lmax = 2)
          y = scatter(tp(gather(x, g), sh, 4x${s} + 2x1 + 2x2), g)
        }
      `);
    }
    expectClean('model M : O(2) {\n  in u: graph[4x1]\n  out y: graph[2x0e + 2x0o + 2x2]\n  y = fctp(u, u, 2x0e + 2x0o + 2x2)\n}\n');
  });
});

describe('shared rules on frequencies', () => {
  it('E0204: 1 x 1 reaches 0, 0 and 2 but not 3 (|k1 - k2| and k1 + k2)', () => {
    const d = expectOne('model M : SO(2) {\n  in u: graph[4x1]\n  out y: graph[2x3]\n  y = tp(u, u, 2x3)\n}\n', 'E0204', 4, 16);
    expect(d.notes).toContain('paths reach 0, 2');
    // Frequencies 2 and 3 have the same dimension, but no parity tells them apart.
    expect(d.notes!.some((n) => n.includes('parity'))).toBe(false);
  });

  it('E0204 in O(2): a vector times a pseudoscalar is a vector, not a pseudoscalar', () => {
    expectOne('model M : O(2) {\n  in u: graph[4x1]\n  in s: graph[1x0o]\n  out y: graph[2x0o]\n  y = tp(u, s, 2x0o)\n}\n', 'E0204', 5, 16);
    // A pseudoscalar times a scalar reaches 0o only: 0e is its parity twin, and the note says so.
    const d = expectOne('model M : O(2) {\n  in s: graph[1x0o]\n  in x: graph[1x0e]\n  out y: graph[2x0e]\n  y = tp(s, x, 2x0e)\n}\n', 'E0204', 5, 16);
    expect(d.notes).toContain('the products reach 0o but not 0e: the parity of a product is the product of the parities');
  });

  it('E0208: no linear map turns a scalar into a pseudoscalar', () => {
    const d = expectOne('model M : O(2) {\n  in x: graph[4x0e]\n  out y: graph[4x0o]\n  y = linear(x, 4x0o)\n}\n', 'E0208', 4, 17);
    expect(d.message + (d.notes ?? []).join(' ')).toContain('reflections');
  });

  it('E0214: circular harmonics take one vector, not a frequency-2 feature', () => {
    expectOne('model M : SE(2) {\n  in w: graph[1x2]\n  out y: graph[1x0 + 1x1]\n  y = spherical_harmonics(w, lmax = 1)\n}\n', 'E0214', 4, 27);
  });

  it('E0108: O(4) is not available, and the help names the 2D groups', () => {
    const d = expectOne('model M : O(4) {\n  in x: graph[1x0e]\n  out y: graph[1x0e]\n  y = x\n}\n', 'E0108', 1, 11);
    expect(d.help).toContain('O(2)');
  });
});
