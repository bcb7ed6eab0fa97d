// Graph inputs (`in bonds: graph`): the run input's src/dst/shifts, checked with errors naming
// the graph and the field; given edges equal to the radius graph's give the same outputs on
// ref, and tfjs agrees with ref on them.

import { describe, expect, it } from 'vitest';
import { compileSource } from '../../../compiler/compile.js';
import { evaluate } from '../../../targets/ref/evaluate.js';
import { parseRunInput } from '../../../targets/io/inputs.js';
import { initialParams } from '../../../targets/io/params.js';
import { neighbourSearch } from '../../../targets/io/neighbours.js';
import { runTfjs } from '../../../targets/tfjs/runner.js';
import { relativeError } from '../tfjs/helpers.js';

const BODY = (edges: string) => `model M : E(3) {
  in pos: node[pos]
  in cell: graph[cell]
  ${edges}
  out y: graph[1x0e]
  let sh = spherical_harmonics(g.vec, lmax = 1, normalization = component)
  let m = tp(gather(linear(x, 4x0e), g), sh, out = 2x0e + 2x1o, weights = mlp(bessel(g.len, n = 4, cutoff = 2.5), hidden = [8], out = 16))
  y = pool(linear(norm(scatter(m, g)), 1x0e))
}
`;
const RADIUS = BODY('in x: node[2x0e]\n  let g = radius_graph(pos, r = 2.5, cell = cell)');
const GIVEN = BODY('in x: node[2x0e]\n  in g: graph');

const POS = [[0, 0, 0], [1.1, 0.9, 1.2], [0.3, 1.7, 0.4]];
const CELL = [[2.4, 0, 0], [0.2, 2.2, 0], [0, 0.3, 2.6]];
const X = [[1, 0], [0, 1], [0.5, -0.3]];

describe('graph inputs', () => {
  const given = compileSource(GIVEN, 'given.eqv').ir[0]!;

  it('reports bad edges naming the graph and the field', () => {
    const bad = (g: unknown) => {
      const r = parseRunInput({ graphs: [{ pos: POS, cell: CELL, x: X, g }] }, given);
      return r.ok ? [] : r.errors;
    };
    expect(bad({ src: [0, 3], dst: [1, 0], shifts: [[0, 0, 0], [0, 0, 0]] })).toEqual(['input g in graph 0: field "src" entry 1 is node 3, out of range: the graph has 3 nodes (indices 0 to 2)']);
    expect(bad({ src: [0, 1], dst: [1], shifts: [[0, 0, 0]] })).toEqual(['input g in graph 0: fields "src" and "dst" have different lengths (2 and 1): one entry of each per edge']);
    expect(bad({ src: [0], dst: [1] })[0]).toMatch(/input g in graph 0: field "shifts" is missing/);
    expect(bad({ src: [0], dst: [1], shifts: [[0, 0.5, 0]] })).toEqual(['input g in graph 0: field "shifts" entry 0 must be 3 integers (lattice steps), got an array of 3']);
    expect(bad({ src: [0], dst: [1], shifts: [[0, 2 ** 31, 0]] })).toEqual(['input g in graph 0: field "shifts" entry 0 has the lattice step 2147483648; a shift is stored as a 32-bit integer, at most 2147483647 in size']);
    const noCell = compileSource(GIVEN.replace('  in cell: graph[cell]\n', ''), 'nocell.eqv').ir[0]!;
    const r = parseRunInput({ pos: POS, x: X, g: { src: [0], dst: [1], shifts: [[0, 0, 1]] } }, noCell);
    expect(r.ok ? [] : r.errors).toEqual(['input g: field "shifts" needs a cell, and the model declares none (declare `in cell: graph[cell]`, or drop "shifts")']);
  });

  it('given edges equal to the periodic radius graph give its outputs (ref), in any order; tfjs agrees', async () => {
    const radius = compileSource(RADIUS, 'radius.eqv').ir[0]!;
    const params = initialParams(radius, 4);
    const rb = parseRunInput({ pos: POS, cell: CELL, x: X }, radius);
    if (!rb.ok) throw new Error(rb.errors.join());
    const found = neighbourSearch(Float64Array.from(POS.flat()), Int32Array.from([0, 3]), 2.5, 3, Float64Array.from(CELL.flat()));
    expect(found.src.length).toBeGreaterThan(6);
    // Reversed: the batch sorts given edges by (dst, src, shift) as radius graphs are.
    const order = Array.from(found.src, (_, e) => e).reverse();
    const edges = { src: order.map((e) => found.src[e]!), dst: order.map((e) => found.dst[e]!), shifts: order.map((e) => Array.from(found.shifts!.subarray(3 * e, 3 * e + 3))) };
    const gb = parseRunInput({ pos: POS, cell: CELL, x: X, g: edges }, given);
    if (!gb.ok) throw new Error(gb.errors.join());
    const expected = evaluate(radius, rb.batch, params).get('y')!;
    const got = evaluate(given, gb.batch, params).get('y')!;
    expect(relativeError(got, expected)).toBeLessThan(1e-12);
    expect(Math.abs(expected[0]!)).toBeGreaterThan(1e-6);
    const tfjs = await runTfjs(given, gb.batch, params, { backend: 'cpu' });
    expect(relativeError(tfjs.get('y')!, expected)).toBeLessThan(1e-5);
  });
});
