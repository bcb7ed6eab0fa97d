// Periodic cells and given graphs (E1501-E1503): `in cell: graph[cell]` in groups with points
// (3x3 in E(3), 2x2 in E(2)), `radius_graph(..., cell = cell)` with a cell input only, and
// `in bonds: graph` whose edge vectors come from the model's one positions input and its cell.
import { describe, expect, it } from 'vitest';
import { compileText, expectClean, expectOne } from './helpers.js';

describe('periodic cells', () => {
  it('a cell input types as graph[cell], 3x3 in E(3) and 2x2 in E(2), and feeds radius_graph and the edge vectors', () => {
    const text = `model M : E(3) {\n  in pos: node[pos]\n  in cell: graph[cell]\n  out y: graph[1x0e]\n  let g = radius_graph(pos, r = 2.0, cell = cell)\n  y = pool(linear(scatter(bessel(g.len, n = 4, cutoff = 2.0), g), 1x0e))\n}\n`;
    expectClean(text);
    const ir = compileText(text).ir[0]!;
    expect(ir.inputs.find((i) => i.name === 'cell')!.type).toEqual({ kind: 'cell', dim: 3 });
    const rg = ir.nodes.find((n) => n.op === 'radius_graph')!;
    expect(rg.inputs).toHaveLength(2);
    expect(ir.nodes.find((n) => n.op === 'edge_vectors')!.inputs).toHaveLength(3);
    const ir2 = compileText(text.replace('E(3)', 'E(2)')).ir[0];
    expect(ir2?.inputs.find((i) => i.name === 'cell')!.type).toEqual({ kind: 'cell', dim: 2 });
  });

  it('a cell in a group without points is E1501', () => {
    const text = `model M : S(n) {\n  in x: node[1]\n  in cell: graph[cell]\n  out y: graph[1]\n  y = pool(x)\n}\n`;
    expectOne(text, 'E1501', 3, 18);
  });

  it('radius_graph(cell = ...) with something that is not a cell input is E1502', () => {
    const text = `model M : E(3) {\n  in pos: node[pos]\n  in x: node[1x0e]\n  out y: graph[1x0e]\n  let g = radius_graph(pos, r = 2.0, cell = x)\n  y = pool(linear(scatter(bessel(g.len, n = 4, cutoff = 2.0), g), 1x0e))\n}\n`;
    const d = expectOne(text, 'E1502', 5, 45);
    expect(d.message).toContain('node[1x0e]');
  });
});

describe('given graphs', () => {
  it('in bonds: graph has .vec and .len from the positions input (and the cell when there is one)', () => {
    const text = `model M : E(3) {\n  in pos: node[pos]\n  in cell: graph[cell]\n  in bonds: graph\n  out y: graph[1x0e]\n  y = pool(linear(scatter(bessel(bonds.len, n = 4, cutoff = 2.0), bonds), 1x0e))\n}\n`;
    expectClean(text);
    const ir = compileText(text).ir[0]!;
    expect(ir.inputs.find((i) => i.name === 'bonds')!.type).toEqual({ kind: 'graph' });
    const ev = ir.nodes.find((n) => n.op === 'edge_vectors')!;
    const name = (id: string) => ir.inputs.find((i) => i.value === id)?.name;
    expect(ev.inputs.map(name)).toEqual(['pos', 'bonds', 'cell']);
  });

  it('a given graph without a positions input is E1503', () => {
    const text = `model M : E(3) {\n  in _x: node[1x0e]\n  in bonds: graph\n  out y: graph[1x0e]\n  y = pool(linear(scatter(bessel(bonds.len, n = 4, cutoff = 2.0), bonds), 1x0e))\n}\n`;
    const d = expectOne(text, 'E1503', 5, 34);
    expect(d.message).toContain('none');
  });
});
