// Flows: E0901 (malformed Flow group), E0902 (velocity set not closed), E0903 (grid2d/seq
// values without a flow), E0904 (flow op on the wrong domain or outside a flow group), E0905
// (lifted where plain channels are needed, or the reverse), E0906 (kernel that does not fit the
// grid), and the right programs next to them.
import { describe, expect, it } from 'vitest';
import { expectClean, expectOne, src } from './helpers.js';

const tracker = (group: string) => `model M : ${group} {\n  in frames: grid2d[1]\n  out y: graph[1xV]\n  y = linear(pool_time(pool_space(flow_rnn(frames, hidden = 2))), 1xV)\n}\n`;

describe('flows', () => {
  it('checks a flow model and lowers its group, types and ops', () => {
    const out = expectClean(src`
      model M : Flow(T2, size = 4) {
        in  frames: grid2d[2]
        out y: graph[3]
        let c = conv2d(frames, out = 3, bias = true, act = relu)
        let h: grid2d[2xV] = flow_rnn(tanh(c), hidden = 2, kernel = 3)
        let s: seq[2] = pool_space(pool_velocity(h, reduce = mean), reduce = max)
        y = linear(pool_time(s, reduce = mean), 3)
      }
    `);
    const m = out.ir[0]!;
    expect(m.group.name).toBe('Flow(T2, size = 4)');
    expect(m.nodes.map((n) => n.op)).toEqual(['input', 'conv2d', 'activation', 'flow_rnn', 'pool_velocity', 'pool_space', 'pool_time', 'linear']);
    const rnn = m.nodes.find((n) => n.op === 'flow_rnn')!;
    expect(rnn.type).toMatchObject({ kind: 'field', domain: 'grid2d', rep: { text: '2xV', dim: 32 } });
    expect(m.params.map((p) => [p.name, p.shape])).toEqual([
      ['c.weight', [3, 3, 2, 3]],
      ['c.bias', [3]],
      ['h.weight_in', [3, 3, 3, 2]],
      ['h.weight_rec', [3, 3, 2, 2]],
      ['h.bias', [2]],
      ['y.weight', [6]],
    ]);
    expect(expectClean(tracker('Flow(T2, size = 5, vmax = 2)')).ir[0]!.group.name).toBe('Flow(T2, size = 5, vmax = 2)');
    expect(expectClean(tracker('Flow(T2, size = 6, vmax = 0)')).ir[0]!.nodes[1]!.attrs).toMatchObject({ velocities: [[0, 0]] });
  });

  it('E0901: a malformed Flow group', () => {
    expect(expectOne(tracker('Flow(T2)'), 'E0901', 1, 11).message).toBe('Flow(T2, ...) needs the grid size: `size = N` (frames are N x N, periodic)');
    expect(expectOne(tracker('Flow(R2, size = 5)'), 'E0901', 1, 11).message).toContain('unknown flow generator `R2`');
    expect(expectOne(tracker('Flow(T2, size = 1)'), 'E0901', 1, 11).message).toBe('the grid size must be a whole number from 2 to 16, got 1');
    expect(expectOne(tracker('Flow(T2, size = 5, speed = 1)'), 'E0901', 1, 11).message).toContain('no option `speed`');
    expectOne(tracker('Flow(size = 5)'), 'E0901', 1, 11);
  });

  it('E0902: a velocity set that is not a group modulo the grid', () => {
    const d = expectOne(tracker('Flow(T2, size = 8, vmax = 1)'), 'E0902', 1, 11);
    expect(d.message).toBe('the velocities {-1..1}^2 are not closed under addition modulo 8, so flow equivariance would only be approximate');
    expect(d.help).toContain('`vmax = 0`');
  });

  it('E0903: grid2d and seq values outside a flow group', () => {
    const d = expectOne('model M : SO(3) {\n  in x: grid2d[1]\n  out y: graph[1x0]\n  y = linear(pool(x), 1x0)\n}\n', 'E0903', 2, 9);
    expect(d.help).toContain('Flow(T2, size = 8)');
  });

  it('E0904: flow operations on the wrong domain or outside a flow group', () => {
    expectOne('model M : SO(3) {\n  in x: node[1x0]\n  out y: node[1x0]\n  y = linear(flow_rnn(x, hidden = 2), 1x0)\n}\n', 'E0904', 4, 14);
    const d = expectOne('model M : Flow(T2, size = 4) {\n  in f: grid2d[1]\n  out y: graph[2]\n  y = pool_time(flow_rnn(pool_space(f), hidden = 2))\n}\n', 'E0904', 4, 26);
    expect(d.message).toBe('`flow_rnn` takes grid2d[...] values, found seq[1]');
    expectOne('model M : Flow(T2, size = 4) {\n  in f: grid2d[1]\n  out y: graph[1]\n  y = pool_time(f)\n}\n', 'E0904', 4, 17);
  });

  it('E0905: lifted and plain channels', () => {
    const d = expectOne('model M : Flow(T2, size = 4) {\n  in f: grid2d[1]\n  out y: grid2d[1]\n  y = pool_velocity(f)\n}\n', 'E0905', 4, 21);
    expect(d.message).toContain('is not lifted');
    expectOne('model M : Flow(T2, size = 4) {\n  in f: grid2d[1]\n  out y: grid2d[2xV]\n  y = flow_rnn(concat(f, flow_rnn(f, hidden = 1)), hidden = 2)\n}\n', 'E0905', 4, 16);
  });

  it('E0906: kernels that are even or wider than the grid', () => {
    expect(expectOne('model M : Flow(T2, size = 4) {\n  in f: grid2d[1]\n  out y: grid2d[2]\n  y = conv2d(f, out = 2, kernel = 2)\n}\n', 'E0906', 4, 35).message).toBe('a conv2d kernel must be odd and at most the grid size 4, got 2');
    expectOne('model M : Flow(T2, size = 4) {\n  in f: grid2d[1]\n  out y: grid2d[2xV]\n  y = flow_rnn(f, hidden = 2, kernel = 5)\n}\n', 'E0906', 4, 40);
  });
});
