// Species inputs and MACE's building blocks (E1301-E1305): malformed species types, per-species
// operations given something that is not a species input, correlation orders out of range,
// channels that do not fit the contraction, irreps it cannot reach; and the right programs.
import { describe, expect, it } from 'vitest';
import { expectClean, expectOne } from './helpers.js';

/** An E(3) model with features x, species z: lines 1-4 fixed, `body` from line 5 on. */
const M = (body: string, x = 'node[4x0e + 4x1o]', out = 'node[4x0e]') => `model M : E(3) {\n  in x: ${x}\n  in z: node[species(3)]\n  out y: ${out}\n${body}\n}\n`;

describe('species types (E1301)', () => {
  it('a count that is not a positive integer', () => {
    const d = expectOne('model M : E(3) {\n  in z: node[species(2.5)]\n  out y: node[4x0e]\n  y = embed(z, 4x0e)\n}\n', 'E1301', 2, 22);
    expect(d.message).toBe('the number of species must be an integer from 1 to 1024, found 2.5');
  });
  it('species per edge, and as an output type', () => {
    expect(expectOne('model M : E(3) {\n  in z: graph[species(2)]\n  out y: graph[1x0e]\n  y = z\n}\n', 'E1301', 2, 9).message).toBe('species are per node, not per graph');
    expect(expectOne(M('  y = embed(z, 4x0e) + linear(x, 4x0e)', 'node[4x0e]', 'node[species(3)]'), 'E1301', 4, 15).message).toBe('`species(K)` types only model inputs');
  });
  it('right: a species input is a one-hot node[Kx0e] inside the model', () => {
    const r = expectClean(M('  y = embed(z, 4x0e) + linear(x, 4x0e)'));
    const ir = r.ir[0]!;
    expect(ir.inputs.find((i) => i.name === 'z')).toMatchObject({ species: 3, type: { kind: 'field', domain: 'node', rep: { text: '3x0e' } } });
  });
});

describe('per-species operations need a species input (E1302)', () => {
  it('embed, scale_shift and symmetric_contraction of ordinary features', () => {
    expect(expectOne(M('  y = embed(x, 4x0e) + embed(z, 4x0e)'), 'E1302', 5, 13).message).toBe('`z` of `embed` must be a species input, found node[4x0e+4x1o]');
    expect(expectOne(M('  y = scale_shift(linear(x, 1x0e), x) + embed(z, 1x0e)', undefined, 'node[1x0e]'), 'E1302', 5, 36).help).toBe('declare the species as a model input, `in z: node[species(K)]`, and pass it here');
    expectOne(M('  y = symmetric_contraction(x, x, out = 4x0e) + embed(z, 4x0e)'), 'E1302', 5, 32);
  });
});

describe('correlation order (E1303)', () => {
  it('4 is refused, 0 too', () => {
    const d = expectOne(M('  y = symmetric_contraction(x, z, out = 4x0e, correlation = 4)'), 'E1303', 5, 61);
    expect(d.message).toBe('correlation order 4 is out of range: eqv builds the product basis for orders 1 to 3');
    expectOne(M('  y = symmetric_contraction(x, z, out = 4x0e, correlation = 0)'), 'E1303', 5, 61);
  });
});

describe('channels of the contraction (E1304)', () => {
  it('irreps with different multiplicities, an output of other multiplicity', () => {
    const d = expectOne(M('  y = symmetric_contraction(x, z, out = 4x0e)', 'node[4x0e + 2x1o]'), 'E1304', 5, 29);
    expect(d.help).toBe('map it first, e.g. `linear(x, 4x0e + 4x1o)`');
    expect(expectOne(M('  y = symmetric_contraction(x, z, out = 8x0e)', undefined, 'node[8x0e]'), 'E1304', 5, 41).help).toBe('write `out = 4x0e`');
  });
});

describe('unreachable irreps (E1305)', () => {
  it('1e from scalars and vectors at correlation 1 (and 2: 1o x 1o -> 1e vanishes on x ⊗ x)', () => {
    expectOne(M('  y = symmetric_contraction(x, z, out = 4x1e, correlation = 2)', undefined, 'node[4x1e]'), 'E1305', 5, 41);
  });
  it('right: scalars and vectors at correlation 3, weights (species, paths, channels)', () => {
    const r = expectClean(M('  y = symmetric_contraction(x, z, out = 4x0e + 4x1o, correlation = 3)', undefined, 'node[4x0e + 4x1o]'));
    const node = r.ir[0]!.nodes.find((n) => n.op === 'symmetric_contraction')!;
    expect(node.params).toEqual(['y.weight']);
    expect(r.ir[0]!.params.find((p) => p.name === 'y.weight')!.shape[0]).toBe(3);
  });
});

describe('avg_neighbors = data', () => {
  it('a parameter the trainers compute, marked as a statistic', () => {
    const text = 'model M : E(3) {\n  in pos: node[pos]\n  in z: node[species(2)]\n  out y: graph[1x0e]\n  let g = radius_graph(pos, r = 1.5)\n  let sh = spherical_harmonics(g.vec, lmax = 1)\n  let rad = bessel(g.len, n = 4, cutoff = 1.5)\n  let a = conv(embed(z, 4x0e), g, sh, rad, out = 4x0e, hidden = [8], avg_neighbors = data)\n  y = pool(scale_shift(linear(a, 1x0e), z), reduce = sum)\n}\n';
    const r = expectClean(text);
    const stats = r.ir[0]!.params.filter((p) => p.statistic).map((p) => [p.name, p.statistic]);
    expect(stats).toEqual([['a.avg_neighbors', 'avg_neighbors'], ['y.scale_shift.scale.weight', 'species_scale'], ['y.scale_shift.shift.weight', 'species_shift']]);
  });
});
