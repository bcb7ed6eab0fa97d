// The structured group of the IR: a module records its group's factors as written, looks its
// plugin up from them (never from the printed name), keeps named arguments in a fixed order so
// IR JSON is deterministic, and carries a flow's size and velocities for targets.
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../../compiler/compile.js';
import { groupOf } from '../../../stdlib/groups/registry.js';
import { createRng } from '../../../stdlib/math/random.js';

function irGroup(header: string, body: string) {
  const out = compileSource(`model M : ${header} {\n${body}\n}\n`);
  expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return out.ir[0]!.group;
}

describe('the IR group', () => {
  it('records factors as written and finds the same plugin from them', () => {
    const cases: [string, string][] = [
      ['E(3)', '  in x: node[2x0e]\n  out y: graph[2x0e]\n  y = pool(x)'],
      ['GL+(3)', '  in x: graph[V]\n  out y: graph[1xV]\n  y = linear(x, 1xV)'],
      ['SO(3) x S(5)', '  in x: node[2x0]\n  out y: graph[2x0]\n  y = pool(x)'],
      ['S(n)', '  in x: node[2]\n  out y: graph[2]\n  y = pool(x)'],
    ];
    for (const [header, body] of cases) {
      const g = irGroup(header, body);
      expect(g.name).toBe(header);
      expect(groupOf(g)!.name).toBe(header);
    }
    expect(irGroup('SO(3) x S(5)', cases[2]![1]).factors).toEqual([{ family: 'SO', args: [3] }, { family: 'S', args: [5] }]);
  });

  it('keeps named arguments sorted and carries the flow size and velocities', () => {
    const g = irGroup('Flow(T2, vmax = 0, size = 4)', '  in f: grid2d[1]\n  out y: seq[1]\n  y = pool_space(f)');
    expect(JSON.stringify(g.factors)).toBe('[{"family":"Flow","args":[],"symbols":["T2"],"named":{"size":4,"vmax":0}}]');
    expect(g.flow).toEqual({ size: 4, velocities: [[0, 0]] });
    expect(groupOf(g)!.flow!.size).toBe(4);
  });

  it('does not read the printed name: a wrong name with right factors still finds the group', () => {
    expect(groupOf({ factors: [{ family: 'O', args: [2] }] })!.name).toBe('O(2)');
    expect(groupOf({ factors: [{ family: 'Nope', args: [] }] })).toBeUndefined();
  });
});

describe('the domain capability of S(n) and flows', () => {
  it('S(n) and its products add pair rows; S(5) fixes five nodes', () => {
    expect(groupOf({ factors: [{ family: 'S', args: [5] }] })!.domain).toEqual({ rows: ['pair'], fixedUnits: 5 });
    expect(groupOf({ factors: [{ family: 'E', args: [3] }, { family: 'S', args: [], symbols: ['n'] }] })!.domain!.rows).toEqual(['pair']);
    expect(groupOf({ factors: [{ family: 'E', args: [3] }] })!.domain).toBeUndefined();
  });

  it('a flow lays frames on size^2 rows, moves grid2d cells by v·t + s, and lets pointwise functions act on V', () => {
    const flow = groupOf({ factors: [{ family: 'Flow', args: [], symbols: ['T2'], named: { size: 2 } }] })!;
    const d = flow.domain!;
    expect(d.rows).toEqual(['grid2d', 'seq']);
    expect(d.rowsPerGraph!(3)).toBe(12);
    const units = d.sampleUnits!(createRng(1));
    expect(units >= 2 && units <= 4).toBe(true);
    // One sequence of two 2x2 frames, one channel; velocity (1, 0), no shift: frame 1 moves by one cell in x.
    const data = Float64Array.of(1, 2, 3, 4, 5, 6, 7, 8);
    const moved = d.moveRows!('grid2d', { group: flow.name, velocity: [1, 0], shift: [0, 0] }, data, 1, Int32Array.of(0, 8));
    expect(Array.from(moved)).toEqual([1, 2, 3, 4, 6, 5, 8, 7]);
    expect(d.moveRows!('seq', { group: flow.name, velocity: [1, 0], shift: [0, 0] }, data, 1, Int32Array.of(0, 8))).toBe(data);
    expect(d.pointwise!(flow.notation.atomFromText('V')!)).toBe(true);
    expect(d.pointwise!(flow.scalar)).toBe(false);
  });
});
