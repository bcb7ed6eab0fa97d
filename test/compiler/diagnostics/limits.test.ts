// The limits on the work one program may ask for (stdlib/limits.ts, E1201): each is a
// diagnostic where the work is asked for, and a program just inside it checks.
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../../compiler/compile.js';
import { MAX_LAYER_DEPTH, MAX_MODEL_NODES } from '../../../stdlib/limits.js';
import { expectClean, expectOne } from './helpers.js';

const linearModel = (rep: string, group = 'O(3)') => `model M : ${group} {\n  in x: graph[${rep}]\n  out y: graph[1x0e]\n  y = linear(x, 1x0e)\n}\n`;

describe('representations (E1201)', () => {
  it('degrees above 32 in O(3), SO(3) and O(2)', () => {
    expect(expectOne(linearModel('1x0e + 200e'), 'E1201', 2, 22).message).toBe('`200e` has degree 200, above the limit of 32 (O(3))');
    expectOne('model M : SO(3) {\n  in x: graph[33]\n  out y: graph[1x0]\n  y = linear(x, 1x0)\n}\n', 'E1201', 2, 15);
    expectOne('model M : O(2) {\n  in x: graph[1x0e + 1x40]\n  out y: graph[1x0e]\n  y = linear(x, 1x0e)\n}\n', 'E1201', 2, 24);
    expectClean(linearModel('1x0e + 32e'));
  });

  it('multiplicities and channel counts above 65536', () => {
    expect(expectOne(linearModel('1000000000x0e'), 'E1201', 2, 15).message).toBe('multiplicity 1000000000 is above the limit of 65536');
    expectOne('model M : S(n) {\n  in x: node[100000]\n  out y: node[1]\n  y = linear(x, 1)\n}\n', 'E1201', 2, 14);
    expectClean(linearModel('65536x0e'));
  });

  it('a value of more than 65536 numbers per row, written or computed', () => {
    expect(expectOne(linearModel('60000x0e + 60000x0e'), 'E1201', 2, 15).message).toBe('this representation has dimension 120000, above the limit of 65536');
    // A full tensor product of two 300-channel values has 90,000 channels.
    const d = expectOne('model M : O(3) {\n  in x: graph[300x0e]\n  out y: graph[1x0e]\n  let t = tp(x, x)\n  y = linear(t, 1x0e)\n}\n', 'E1201', 4, 11);
    expect(d.message).toBe('this value has dimension 90000, above the limit of 65536');
  });

  it('a tensor product whose coupling tables pass 2,000,000 numbers, checked before any is built', () => {
    const sh = (body: string) => `model M : E(3) {\n  in pos: node[pos]\n  out y: graph[1x0e]\n  let g = radius_graph(pos, r = 1.5)\n  let s = spherical_harmonics(g.vec, lmax = 16)\n${body}\n}\n`;
    const d = expectOne(sh('  let t = tp(s, s)\n  y = linear(pool(scatter(t, g)), 1x0e)'), 'E1201', 6, 11);
    expect(d.message).toBe('this tensor product needs 42837025 coupling coefficients, above the limit of 2000000');
    expectClean(sh('  let t = tp(s, s, out = 1x0e + 1x1o)\n  y = linear(pool(scatter(select(t, 1x0e), g)), 1x0e)'));
  });

  it('an operation with more than 2^24 learned numbers', () => {
    const d = expectOne('model M : O(3) {\n  in x: graph[5000x0e]\n  out y: graph[5000x0e]\n  y = linear(x, 5000x0e)\n}\n', 'E1201', 4, 7);
    expect(d.message).toBe('`y.weight` would hold 25000000 learned numbers, above the limit of 16777216 per operation');
  });
});

describe('layer expansion (E1201)', () => {
  const doubling = (levels: number) => {
    const lines = ['layer D0(h: node[R]) -> node[R] { return silu(h) }'];
    for (let i = 1; i <= levels; i++) lines.push(`layer D${i}(h: node[R]) -> node[R] { return D${i - 1}(D${i - 1}(h)) }`);
    lines.push(`model M : O(3) {\n  in x: node[4x0e]\n  out y: node[4x0e]\n  y = D${levels}(x)\n}`);
    return lines.join('\n') + '\n';
  };

  it('layers that call the one before twice stop at the node limit, at the model statement', () => {
    const d = expectOne(doubling(40), 'E1201', 45, 3);
    expect(d.message).toBe(`model \`M\` expands to more than ${MAX_MODEL_NODES} operations`);
  });

  it('the same layers a few levels deep build', () => {
    const out = expectClean(doubling(6));
    expect(out.ir[0]!.nodes.filter((n) => n.op === 'activation')).toHaveLength(64);
  });

  it('layer calls nested past the depth limit', () => {
    const n = MAX_LAYER_DEPTH + 1;
    const lines = ['layer C0(h: node[R]) -> node[R] { return silu(h) }'];
    for (let i = 1; i <= n; i++) lines.push(`layer C${i}(h: node[R]) -> node[R] { return C${i - 1}(h) }`);
    lines.push(`model M : O(3) {\n  in x: node[4x0e]\n  out y: node[4x0e]\n  y = C${n}(x)\n}`);
    const d = expectOne(lines.join('\n') + '\n', 'E1201', 3, 42);
    expect(d.message).toBe(`layer calls nest more than ${MAX_LAYER_DEPTH} deep here`);
  });

  it('a layer with an error is expanded once per argument types, so its error shows once', () => {
    const text = [
      'layer Bad(h: node[R]) -> node[R] {',
      '  let _v = linear(h, 1x1o)',
      '  return h',
      '}',
      'layer Twice(h: node[R]) -> node[R] { return Bad(Bad(h)) }',
      'model M : O(3) {\n  in x: node[4x0e]\n  out y: node[4x0e]\n  y = Twice(Twice(x))\n}',
    ].join('\n');
    const found = compileSource(text + '\n').diagnostics.map((d) => [d.code, d.span.start.line]);
    expect(found).toEqual([['E0208', 2]]);
  });
});

describe('long programs build', () => {
  it('a chain of 5,000 lets checks and lowers (no recursion over the chain)', () => {
    const lines = ['model M : O(3) {', '  in x: node[4x0e]', '  out y: node[4x0e]', '  let h0 = x'];
    for (let i = 1; i <= 5000; i++) lines.push(`  let h${i} = silu(h${i - 1})`);
    lines.push('  y = h5000', '}');
    const out = expectClean(lines.join('\n') + '\n');
    expect(out.ir[0]!.nodes).toHaveLength(5001);
  });
});
