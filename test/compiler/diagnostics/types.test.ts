// Representations and types (E0201-E0213): annotations, output and layer types, rep
// variables, reachability of requested irreps, parity of activations, positions, domains, gates.
import { describe, expect, it } from 'vitest';
import { expectClean, expectDiagnostics, expectOne, src } from './helpers.js';

describe('representations (E0201)', () => {
  it('a parity in SO(3)/SE(3), and none in O(3)', () => {
    const so3 = expectOne(src`
      model M : SO(3) {
        in x: node[4x0e]
        out y: node[4x0]
        y = linear(x, 4x0)
      }
    `, 'E0201', 2, 16);
    expect(so3.message).toBe('`0e` has a parity, but this group has no reflections (SO(3))');
    expect(so3.help).toBe('write `0`: SO(3) and SE(3) representations are degrees only');
    const o3 = expectOne(src`
      model M : O(3) {
        in x: node[4x1]
        out y: node[4x1o]
        y = linear(x, 4x1o)
      }
    `, 'E0201', 2, 16);
    expect(o3.help).toContain('write `1e` or `1o`');
  });

  it('a domain without a representation', () => {
    expect(expectOne('model M : O(3) {\n  in x: node\n  out y: node[4x0e]\n  y = linear(x, 4x0e)\n}\n', 'E0201', 2, 9).message).toBe('`node` needs a representation');
  });

  it('right: the same model in each notation', () => {
    expectClean('model M : SO(3) {\n  in x: node[4x0 + 2x1]\n  out y: node[2x1]\n  y = linear(x, 2x1)\n}\n');
    expectClean('model M : O(3) {\n  in x: node[4x0e + 2x1o]\n  out y: node[2x1o]\n  y = linear(x, 2x1o)\n}\n');
  });
});

describe('annotations and declared types (E0202, E0205, E0206)', () => {
  it('E0202: an annotation that does not match, explaining where the irrep came from', () => {
    const d = expectOne(src`
      model M : O(3) {
        in r: node[1x1o]
        in f: node[1x1o]
        out t: node[1x1o]
        let torque: node[1x1o] = tp(r, f, 1x1e)
        t = linear(torque, 1x1o)
      }
    `, 'E0202', 5, 15);
    expect(d.message).toBe('`torque` is declared as node[1x1o] but the value is node[1x1e]');
    expect(d.notes.join('\n')).toContain('1o x 1o -> 1e is the cross product of two vectors');
  });

  it('E0202: the same irreps in another order are another type', () => {
    const d = expectOne(src`
      model M : O(3) {
        in x: node[4x0e + 2x1o]
        out y: node[2x1o + 4x0e]
        let h: node[2x1o + 4x0e] = x
        y = h
      }
    `, 'E0202', 4, 10);
    expect(d.help).toContain('the same irreps in another order');
  });

  it('right: 16x0e + 16x0e is the type 32x0e', () => {
    expectClean('model M : O(3) {\n  in x: node[16x0e + 16x0e]\n  out y: node[32x0e]\n  let h: node[32x0e] = x\n  y = h\n}\n');
  });

  it('E0205: an output assigned a value of another domain, with the operation that fixes it', () => {
    const d = expectOne('model M : O(3) {\n  in x: node[4x0e]\n  out e: graph[1x0e]\n  e = linear(x, 1x0e)\n}\n', 'E0205', 4, 7);
    expect(d.message).toBe('output `e` is declared as graph[1x0e] but the value is node[1x0e]');
    expect(d.help).toBe('pool node values over each graph with `pool(x)`');
  });

  it('E0206: a layer whose return value does not match its declared type', () => {
    const d = expectOne(src`
      layer Embed(x: node[R]) -> node[16x0e + 8x1o] {
        return linear(x, 16x0e)
      }
      model M : O(3) {
        in x: node[4x0e + 2x1o]
        out y: node[16x0e + 8x1o]
        y = Embed(x)
      }
    `, 'E0206', 1, 28);
    expect(d.message).toBe('layer `Embed` is declared to return node[16x0e+8x1o] but the value is node[16x0e]');
  });
});

const LAYER_USE = (args: string) => src`
  layer Mix(a: node[R], b: node[R]) -> node[R] {
    return linear(concat(a, b), R)
  }
  model M : O(3) {
    in x: node[8x0e]
    in u: node[8x0e]
    in v: node[4x1o]
    out y: node[8x0e]
    y = Mix(${args})
  }
`;

describe('layer parameters and representation variables (E0203, E0213)', () => {
  it('right: a variable bound at the call site, used in the body and the return type', () => {
    expectClean(LAYER_USE('x, u').replace('  in v: node[4x1o]\n', ''));
  });

  it('E0213: a variable bound twice to different representations', () => {
    const d = expectOne(LAYER_USE('x, v').replace('  in u: node[8x0e]\n', ''), 'E0213', 8, 14);
    expect(d.message).toBe('`R` is already bound to 8x0e, but `b` has 4x1o');
    expect(d.related[0]!.span.start).toMatchObject({ line: 1, col: 26 });
  });

  it('right: two variables for two representations, one a declared name', () => {
    expectClean(src`
      layer Pair<Hidden>(a: node[Hidden], b: node[S]) -> node[Hidden] {
        return linear(concat(a, select(b, 0e)), Hidden)
      }
      model M : O(3) {
        in x: node[8x0e]
        in v: node[4x0e + 4x1o]
        out y: node[8x0e]
        y = Pair(x, v)
      }
    `);
  });

  it('E0203: an argument of the wrong domain, and of the wrong representation', () => {
    const text = src`
      layer Update(h: node[16x0e], m: node[16x0e]) -> node[16x0e] {
        return linear(concat(h, m), 16x0e)
      }
      model M : E(3) {
        in pos: node[pos]
        in x: node[16x0e]
        in v: node[16x1o]
        out y: node[16x0e]
        out z: node[16x0e]
        let g = radius_graph(pos, r = 1.5)
        y = Update(x, gather(x, g))
        z = Update(x, v)
      }
    `;
    const [a, b] = expectDiagnostics(text, ['E0203', 11, 17], ['E0203', 12, 17]);
    expect(a!.message).toBe('argument `m` of `Update` must be node[16x0e], found edge[16x0e]');
    expect(a!.help).toBe('sum edge values into their destination nodes with `scatter(m, g)`');
    expect(b!.message).toBe('argument `m` of `Update` must be node[16x0e], found node[16x1o]');
    expect(b!.related[0]!.span.start).toMatchObject({ line: 1, col: 33 });
  });

  it('E0203: compile-time parameters of the wrong kind', () => {
    const d = expectOne(src`
      layer Embed(g: graph, n: number) -> edge[8x0e] {
        return bessel(g.len, n = n, cutoff = 1.0)
      }
      model M : E(3) {
        in pos: node[pos]
        out y: node[8x0e]
        y = scatter(Embed(radius_graph(pos, r = 1.0), 8x0e), radius_graph(pos, r = 1.0))
      }
    `, 'E0203', 7, 49);
    expect(d.message).toBe('argument `n` of `Embed` must be a number, found a representation');
  });

  it('right: number, rep and activation parameters', () => {
    expectClean(src`
      layer Block(h: node[R], width: rep, act: activation, n: number, cutoff: number) -> node[width + 2x1o] {
        return gate(linear(h, width + 2x0e + 2x1o), scalars = width, gates = 2x0e, gated = 2x1o, act = act)
      }
      layer Radial(g: graph, n: number, cutoff: number) -> edge[6x0e] {
        return gaussian(g.len, n = n, cutoff = cutoff)
      }
      model M : O(3) {
        in pos: node[pos]
        in x: node[4x0e + 2x1o]
        out y: node[4x0e + 2x1o]
        let g = radius_graph(pos, r = 1.5)
        y = Block(concat(x, scatter(Radial(g, 6, 1.5), g)), 4x0e, tanh, 6, 1.5)
      }
    `.replace(', n: number, cutoff: number) -> node', ') -> node').replace(', tanh, 6, 1.5)', ', tanh)'));
  });
});

const TP = (a: string, b: string, call: string, group = 'O(3)') => `model M : ${group} {\n  in a: node[${a}]\n  in b: node[${b}]\n  out y: node[8x0e]\n  let t = ${call}\n  y = linear(norm(t), 8x0e)\n}\n`;

describe('reachability of requested irreps (E0204, E0208)', () => {
  it('tp: 1o x 1o gives 0e, 1e and 2e, never 1o', () => {
    const d = expectOne(TP('4x1o', '4x1o', 'tp(a, b, 4x1o)'), 'E0204', 5, 20);
    expect(d.message).toBe('tensor product cannot produce 1o from 4x1o x 4x1o');
    expect(d.notes).toContain('paths reach 0e, 1e, 2e');
    expect(d.notes).toContain('the products reach 1e but not 1o: the parity of a product is the product of the parities');
    expectClean(TP('4x1o', '4x1o', 'tp(a, b, 4x0e + 4x1e + 4x2e)'));
  });

  it('fctp: a degree beyond l1 + l2', () => {
    expect(expectOne(TP('4x1o', '4x1o', 'fctp(a, b, 4x3o)'), 'E0204', 5, 22).label).toBe('no path l1 x l2 -> 3o exists here');
    expectClean(TP('4x1o', '4x1o', 'fctp(a, b, 4x2e)'));
  });

  it('tp without out: every reachable irrep, no error', () => {
    const r = expectClean(TP('2x1o', '1x2e', 'tp(a, b)'));
    expect(r.models[0]!.values.find((v) => v.name === 't')!.value.ty).toMatchObject({ kind: 'field' });
  });

  it('conv: an irrep the products of the node features and the edge harmonics do not reach', () => {
    const conv = (out: string) => src`
      model M : E(3) {
        in pos: node[pos]
        in x: node[4x0e]
        out y: node[${out}]
        let g = radius_graph(pos, r = 1.5)
        let sh = spherical_harmonics(g.vec, lmax = 2)
        let rad = bessel(g.len, n = 8, cutoff = 1.5)
        y = conv(x, g, sh, rad, out = ${out})
      }
    `;
    const d = expectOne(conv('8x0e + 4x1e'), 'E0204', 8, 33);
    expect(d.help).toBe('drop 4x1e from `out`, or give `x` irreps whose products with the edge attributes reach it');
    expectClean(conv('8x0e + 4x1o + 4x2e'));
  });

  it('linear: no map changes the degree or the parity', () => {
    const lin = (out: string) => `model M : O(3) {\n  in x: node[8x0e + 4x1o]\n  out y: node[${out}]\n  y = linear(x, ${out})\n}\n`;
    const degree = expectOne(lin('4x2e'), 'E0208', 4, 17);
    expect(degree.notes).toContain('a linear map cannot change the degree l (0e has l = 0, 2e has l = 2)');
    const parity = expectOne(lin('4x1e'), 'E0208', 4, 17);
    expect(parity.notes).toContain('a linear map cannot change parity (1o is vector, 1e is pseudovector)');
    expectClean(lin('16x0e + 2x1o'));
  });
});

const ACT = (rep: string, out: string, call: string) => `model M : O(3) {\n  in x: node[${rep}]\n  out y: node[${out}]\n  y = ${call}\n}\n`;

describe('activations and parity (E0209, E0210)', () => {
  it('E0209: silu on vectors', () => {
    const d = expectOne(ACT('4x0e + 2x1o', '4x0e + 2x1o', 'silu(x)'), 'E0209', 4, 12);
    expect(d.message).toBe('`silu` is applied to 2x1o, which are not scalars');
  });

  it('E0210: silu on 0o breaks parity; right: tanh keeps 0o, abs gives 0e', () => {
    const d = expectOne(ACT('4x0o', '4x0o', 'silu(x)'), 'E0210', 4, 12);
    expect(d.message).toBe('`silu` on 4x0o breaks parity');
    expectClean(ACT('4x0o', '4x0o', 'tanh(x)'));
    expectClean(ACT('4x0o', '4x0e', 'abs(x)'));
    // abs of a pseudoscalar is invariant, so declaring it 0o is a type error.
    expectOne(ACT('4x0o', '4x0o', 'abs(x)'), 'E0205', 4, 7);
  });

  it('right: every activation on invariant scalars', () => {
    for (const act of ['silu', 'tanh', 'relu', 'sigmoid', 'abs', 'gelu', 'ssp']) expectClean(ACT('4x0e', '4x0e', `${act}(x)`));
  });

  it('E0210: a gate whose activation breaks the parity of odd scalars', () => {
    const d = expectOne(ACT('4x0o + 2x0e + 2x1o', '4x0o + 2x1o', 'gate(x, scalars = 4x0o, gates = 2x0e, gated = 2x1o, act = silu)'), 'E0210', 4, 65);
    expect(d.message).toBe('`silu` on 4x0o in `scalars` breaks parity: it is neither odd nor even');
    expectClean(ACT('4x0o + 2x0e + 2x1o', '4x0o + 2x1o', 'gate(x, scalars = 4x0o, gates = 2x0e, gated = 2x1o, act = tanh)'));
  });
});

describe('positions (E0211)', () => {
  const POS = (body: string, group = 'E(3)') => `model M : ${group} {\n  in pos: node[pos]\n  out y: node[1x1o]\n${body}\n}\n`;

  it('positions used directly as features, in E(3) and O(3)', () => {
    const d = expectOne(POS('  y = linear(pos, 1x1o)'), 'E0211', 4, 14);
    expect(d.message).toBe('positions cannot be used as features (`x` of `linear`)');
    expectOne(POS('  y = linear(pos, 1x1o)', 'O(3)'), 'E0211', 4, 14);
    expectDiagnostics(POS('  y = tp(pos, pos, 1x1o)'), ['E0211', 4, 10], ['E0211', 4, 15]);
  });

  it('right: positions only through the graph', () => {
    expectClean(POS('  let g = radius_graph(pos, r = 1.0)\n  y = scatter(g.vec, g)'));
  });
});

describe('domains (E0207)', () => {
  const DOM = (body: string, out = 'node[8x0e]') => `model M : E(3) {\n  in pos: node[pos]\n  in x: node[8x0e]\n  in u: graph[8x0e]\n  out y: ${out}\n  let g = radius_graph(pos, r = 1.0)\n${body}\n}\n`;

  it('node and graph values in one concat', () => {
    const d = expectOne(DOM('  y = linear(concat(x, u, scatter(gather(x, g), g)), 8x0e)'), 'E0207', 7, 24);
    expect(d.message).toContain('`concat` joins values on one domain');
  });

  it('tp of node and edge values, with the operation that fixes it', () => {
    const d = expectOne(DOM('  let sh = spherical_harmonics(g.vec, lmax = 1)\n  y = linear(concat(x, scatter(tp(x, sh, 8x0e), g)), 8x0e)').replace('  in u: graph[8x0e]\n', ''), 'E0207', 7, 38);
    expect(d.message).toBe('`tp` multiplies values on one domain, but a is node[8x0e] and b is edge[1x0e+1x1o]');
    expect(d.help).toBe('bring node values to edges first with `gather(a, g)`');
  });

  it('each operation on the wrong domain: gather of edges, scatter of nodes, pool of edges', () => {
    const body = '  let e = gather(x, g)\n  let a = gather(e, g)\n  let b = scatter(x, g)\n  let c = pool(e)\n  y = linear(concat(x, u), 8x0e)';
    const [a, b, c] = expectDiagnostics(DOM(body, 'node[8x0e]').replace('concat(x, u)', 'x').replace('  in u: graph[8x0e]\n', ''), ['E0207', 7, 18], ['E0207', 8, 19], ['E0207', 9, 16]);
    expect(a!.message).toBe('`x` of `gather` must be node[...], found edge[8x0e]');
    expect(b!.message).toBe('`m` of `scatter` must be edge[...], found node[8x0e]');
    expect(b!.help).toBe('take node values onto edges with `gather(x, g)`');
    expect(c!.message).toBe('`x` of `pool` must be node[...], found edge[8x0e]');
  });

  it('a graph where a feature is expected, and a feature where a graph is expected', () => {
    const [a, b] = expectDiagnostics(DOM('  let a = linear(g, 8x0e)\n  y = scatter(gather(x, g), x)').replace('  in u: graph[8x0e]\n', ''), ['E0207', 6, 18], ['E0207', 7, 29]);
    expect(a!.message).toBe('a graph is not a feature value (`x` of `linear`)');
    expect(b!.message).toBe('`g` of `scatter` must be a graph, found node[8x0e]');
  });

  it('conv takes node features and edge attributes', () => {
    const body = '  let sh = spherical_harmonics(g.vec, lmax = 1)\n  let rad = bessel(g.len, n = 4, cutoff = 1.0)\n  let a = conv(gather(x, g), g, sh, rad, out = 8x0e)\n  let b = conv(x, g, scatter(sh, g), rad, out = 8x0e)\n  y = conv(x, g, sh, rad, out = 8x0e)';
    const [a, b] = expectDiagnostics(DOM(body).replace('  in u: graph[8x0e]\n', ''), ['E0207', 8, 16], ['E0207', 9, 22]);
    expect(a!.message).toBe('`h` of `conv` must be node[...], found edge[8x0e]');
    expect(b!.message).toBe('`sh` of `conv` must be edge[...], found node[1x0e+1x1o]');
  });

  it('right: pointwise operations keep any domain', () => {
    expectClean(DOM('  let e = norm_act(gather(x, g), act = silu)\n  let _p = silu(concat(pool(x), u))\n  y = linear(concat(x, scatter(norm(e), g)), 8x0e)'));
  });

  it('edge features are not model inputs; a graph (given edges) is', () => {
    expectDiagnostics('model M : O(3) {\n  in e: edge[4x0e]\n  in g: graph\n  in x: node[4x0e]\n  out y: node[4x0e]\n  y = x\n}\n', ['E0207', 2, 9], ['W0002', 3, 6]);
  });

  it('a refused input is still declared: its uses are not unknown names (no E0103 after E0207)', () => {
    const [e] = expectDiagnostics('model M : O(3) {\n  in e: edge[4x0e]\n  in g: graph\n  in x: node[4x0e]\n  out y: node[4x0e]\n  y = linear(concat(x, scatter(e, g)), 4x0e)\n}\n', ['E0207', 2, 9]);
    expect(e!.message).toContain('edge features cannot be model inputs');
  });

  it('right: node -> edge -> node -> graph', () => {
    expectClean(DOM('  y = linear(scatter(gather(x, g), g), 8x0e)').replace('  in u: graph[8x0e]\n', ''));
    expectClean(DOM('  let n = linear(scatter(gather(x, g), g), 8x0e)\n  y = concat(pool(n), u)', 'graph[16x0e]'));
  });
});

describe('gates (E0212)', () => {
  const GATE = (rep: string, call: string, out = '16x0e + 8x1o + 4x2e') => `model M : O(3) {\n  in x: node[${rep}]\n  out y: node[${out}]\n  y = ${call}\n}\n`;

  it('right: one gate per gated irrep, input sorted and simplified', () => {
    expectClean(GATE('28x0e + 8x1o + 4x2e', 'gate(x, scalars = 16x0e, gates = 12x0e, gated = 8x1o + 4x2e)'));
    expectClean(GATE('16x0e + 12x0e + 8x1o + 4x2e', 'gate(x, scalars = 16x0e, gates = 12x0e, gated = 8x1o + 4x2e)'));
  });

  it('the wrong number of gates', () => {
    const d = expectOne(GATE('24x0e + 8x1o + 4x2e', 'gate(x, scalars = 16x0e, gates = 8x0e, gated = 8x1o + 4x2e)'), 'E0212', 4, 40);
    expect(d.message).toBe('`gates` has 8 scalars for 12 gated irreps: a gate needs one gate scalar per gated irrep');
    expect(d.help).toBe('write `gates = 12x0e`: one gate scalar for each of the 12 gated irreps');
  });

  it('a non-scalar among the scalars', () => {
    const d = expectOne(GATE('28x0e + 8x1o + 4x2e', 'gate(x, scalars = 16x0e + 2x1o, gates = 12x0e, gated = 8x1o + 4x2e)'), 'E0212', 4, 25);
    expect(d.message).toBe('2x1o in `scalars` is not a scalar: only scalars go through an activation');
  });

  it('an input that is not (scalars + gates + gated), and one in another order', () => {
    const wrong = expectOne(GATE('16x0e + 8x1o + 4x2e', 'gate(x, scalars = 16x0e, gates = 12x0e, gated = 8x1o + 4x2e)'), 'E0212', 4, 12);
    expect(wrong.message).toBe('gate expects its input as 28x0e+8x1o+4x2e, found 16x0e+8x1o+4x2e');
    const order = expectOne(GATE('8x1o + 28x0e + 4x2e', 'gate(x, scalars = 16x0e, gates = 12x0e, gated = 8x1o + 4x2e)'), 'E0212', 4, 12);
    expect(order.help).toContain('the same irreps in another order');
  });
});
