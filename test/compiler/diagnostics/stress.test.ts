// `stress(e, pos, cell)` (E1504, E1505, and grad's E1101-E1105 under its own name): typed as the
// trace and traceless parts of a symmetric 3x3 tensor per graph, 1x0e + 1x2e in E(3) and 1x0 + 1x2
// in SE(3); refused without the model's cell input (E1504) and in groups whose points are 2D (E1505).
import { describe, expect, it } from 'vitest';
import { compileText, expectClean, expectOne } from './helpers.js';

describe('stress', () => {
  const good = `model M : E(3) {\n  in pos: node[pos]\n  in cell: graph[cell]\n  out energy: graph[1x0e]\n  out s: graph[1x0e + 1x2e]\n  let g = radius_graph(pos, r = 2.0, cell = cell)\n  let e = pool(scatter(linear(bessel(g.len, n = 4, cutoff = 2.0), 1x0e), g))\n  energy = e\n  s = stress(e, pos, cell)\n}\n`;

  it('types as graph[1x0e + 1x2e] in E(3) and graph[1x0 + 1x2] in SE(3), with inputs [e, pos, cell]', () => {
    expectClean(good);
    const ir = compileText(good).ir[0]!;
    const node = ir.nodes.find((n) => n.op === 'stress')!;
    expect(node.inputs).toHaveLength(3);
    expect(node.type).toMatchObject({ kind: 'field', domain: 'graph' });
    expect(node.attrs).toEqual({ wrt: 'pos', cell: 'cell' });
    const se3 = good.replace('E(3)', 'SE(3)').replaceAll('1x0e', '1x0').replace('1x2e', '1x2');
    expectClean(se3);
  });

  it('a cell argument that is not the cell input is E1504', () => {
    const text = good.replace('  in cell: graph[cell]\n', '  in cell: graph[cell]\n  in other: graph[1x0e]\n').replace('stress(e, pos, cell)', 'stress(e, pos, other)');
    const d = expectOne(text, 'E1504', 10, 22);
    expect(d.message).toContain('graph[1x0e]');
  });

  it('a 2D group is E1505', () => {
    const text = good.replace('E(3)', 'E(2)').replace('1x0e + 1x2e', '1x0e');
    const d = expectOne(text, 'E1505', 9, 7);
    expect(d.message).toContain('2D');
  });

  it('an energy that is not an invariant graph scalar is E1101, named `stress`', () => {
    const text = good.replace('s = stress(e, pos, cell)', 's = stress(pos, pos, cell)');
    const d = expectOne(text, 'E1101', 9, 14);
    expect(d.message).toContain('`stress` differentiates one invariant scalar per graph');
  });
});
