// The typed node constructor and the role lookup. The @ts-expect-error lines are part of the
// test: `tsc --noEmit` (which covers test/) fails if a wrong attribute ever type-checks.
import { describe, expect, it } from 'vitest';
import { irNode, paramsByRole } from '../../ir/node.js';
import { layoutBlocks } from '../../ir/layout.js';
import type { IRNode, IRSource } from '../../ir/types.js';

const source: IRSource = { file: 'hand.eqv', line: 1, col: 1, text: '' };
const scalars = (n: number) => ({ kind: 'field' as const, domain: 'node' as const, rep: layoutBlocks([{ mul: n, ir: '0e', dim: 1, l: 0, p: 1 }]) });

describe('irNode', () => {
  it('builds a node whose attrs are its op\'s, and narrows on op', () => {
    const node: IRNode = irNode({ id: '%1', op: 'pool', inputs: ['%0'], type: scalars(4), attrs: { reduce: 'mean' }, params: [], source, flops: 0 });
    expect(node.op === 'pool' ? node.attrs.reduce : undefined).toBe('mean');
  });

  it('rejects, at compile time, attrs of another op or an unknown value', () => {
    const make = () => [
      // @ts-expect-error scatter's attrs on a gather
      irNode({ id: '%1', op: 'gather', inputs: ['%0', '%g'], type: scalars(4), attrs: { reduce: 'sum' }, params: [], source, flops: 0 }),
      // @ts-expect-error 'median' is not a pool reduction
      irNode({ id: '%2', op: 'pool', inputs: ['%0'], type: scalars(4), attrs: { reduce: 'median' }, params: [], source, flops: 0 }),
    ];
    // At run time the constructor adds nothing: the guarantee is the type.
    expect(make().map((n) => n.op)).toEqual(['gather', 'pool']);
  });
});

describe('layoutBlocks', () => {
  it('lays blocks out multiplicity-major, one after another', () => {
    const rep = layoutBlocks([
      { mul: 2, ir: '0e', dim: 1, l: 0, p: 1 },
      { mul: 3, ir: '1o', dim: 3, l: 1, p: -1 },
    ]);
    expect(rep).toEqual({
      text: '2x0e+3x1o',
      dim: 11,
      blocks: [
        { mul: 2, ir: '0e', dim: 1, l: 0, p: 1, offset: 0 },
        { mul: 3, ir: '1o', dim: 3, l: 1, p: -1, offset: 2 },
      ],
    });
    expect(layoutBlocks([{ mul: 4, ir: 'V', dim: 5 }], '4xV').blocks[0]).toEqual({ mul: 4, ir: 'V', dim: 5, offset: 0 });
    expect(() => layoutBlocks([{ mul: -1, ir: '0e', dim: 1 }])).toThrow('multiplicity must be a non-negative integer');
  });
});

describe('paramsByRole', () => {
  it('finds weights and biases by role, in the node\'s order, whatever their names', () => {
    const node = irNode({ id: '%3', op: 'flow_rnn', inputs: ['%0'], type: scalars(2), attrs: { size: 4, velocities: [[0, 0]], inChannels: 1, inLifted: false, hidden: 2, kernel: 3, act: { act: 'tanh', scale: 1 }, inFactor: 1, recFactor: 1 }, params: ['a', 'b', 'c'], source, flops: 0 });
    const roles = paramsByRole({
      params: [
        { name: 'a', shape: [3, 3, 1, 2], init: 'normal', node: '%3', role: 'weight' },
        { name: 'b', shape: [3, 3, 2, 2], init: 'normal', node: '%3', role: 'weight' },
        { name: 'c', shape: [2], init: 'zeros', node: '%3', role: 'bias' },
      ],
    });
    expect(roles(node, 'weight')).toEqual(['a', 'b']);
    expect(roles(node, 'bias')).toEqual(['c']);
  });
});
