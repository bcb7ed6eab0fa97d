// Type rules of the operations (E0214-E0220, E0222): spherical-harmonics input, per-sample
// weights, tensor-product modes, select, reduce = max, radial bases, MLP inputs, non-values.
import { describe, expect, it } from 'vitest';
import { expectClean, expectDiagnostics, expectOne } from './helpers.js';

/** An E(3) graph model: lines 1-6 fixed, `body` from line 7 on. */
const GRAPH = (body: string, out = 'node[8x0e]') =>
  `model M : E(3) {\n  in pos: node[pos]\n  in x: node[8x0e]\n  out y: ${out}\n  let g = radius_graph(pos, r = 1.5)\n  let rad = bessel(g.len, n = 8, cutoff = 1.5)\n${body}\n}\n`;

describe('spherical harmonics (E0214)', () => {
  it('of lengths, of node scalars: they need one vector', () => {
    const [a, b] = expectDiagnostics(
      GRAPH('  let s1 = spherical_harmonics(g.len, lmax = 2)\n  let s2 = spherical_harmonics(x, lmax = 2)\n  y = linear(scatter(concat(s1, rad), g), 8x0e)').replace('linear(scatter(concat(s1, rad), g), 8x0e)', 'linear(concat(x, scatter(rad, g)), 8x0e)'),
      ['E0214', 7, 32],
      ['E0214', 8, 32],
    );
    expect(a!.message).toBe('spherical harmonics take one vector per edge, found edge[1x0e]');
    expect(b!.message).toBe('spherical harmonics take one vector per node, found node[8x0e]');
    expect(a!.help).toBe('pass one vector (1x1o) per edge, such as the edge vectors `g.vec` of a radius graph');
  });

  it('right: of the edge vectors, with parity (-1)^l', () => {
    const r = expectClean(GRAPH('  let sh = spherical_harmonics(g.vec, lmax = 3, normalization = norm)\n  y = linear(scatter(tp(sh, rad, 8x0e + 8x3o), g), 8x0e)').replace('  in x: node[8x0e]\n', ''));
    const sh = r.models[0]!.values.find((v) => v.name === 'sh')!.value.ty;
    expect(sh.kind === 'field' && sh.rep.blocks.map((b) => b.ir.toString())).toEqual(['0e', '1o', '2e', '3o']);
  });
});

describe('per-sample weights (E0215)', () => {
  const TPW = (weights: string) => GRAPH(`  let sh = spherical_harmonics(g.vec, lmax = 1)\n  let m = tp(gather(x, g), sh, 8x0e + 8x1o, mode = uvu, weights = ${weights})\n  y = linear(scatter(m, g), 8x0e)`);

  it('an MLP of the wrong width', () => {
    const d = expectOne(TPW('mlp(rad, hidden = [16], out = 8)'), 'E0215', 8, 67);
    expect(d.message).toBe('per-sample weights must be edge[16x0e], found edge[8x0e]');
    expect(d.notes).toContain('the paths of this tensor product have 16 weights in all');
  });

  it('weights that are not invariant scalars', () => {
    const d = expectOne(TPW('concat(rad, rad, g.vec)').replace('8x0e + 8x1o', '8x0e'), 'E0215', 8, 60);
    expect(d.help).toBe('weights must be invariant scalars: compute them from lengths or other scalars with `mlp(...)`');
  });

  it('weights on another domain than the inputs', () => {
    // rad is then unused.
    expect(expectDiagnostics(TPW('x'), ['W0001', 6, 7], ['E0207', 8, 67])[1]!.message).toBe('`weights` of `tp` must be edge[...], found node[8x0e]');
  });

  it('right: an inline mlp without `out` gets the width it needs; so does a value of that width', () => {
    expectClean(TPW('mlp(rad, hidden = [16])'));
    expectClean(TPW('mlp(rad, hidden = [16], out = 16)'));
    expectClean(TPW('concat(rad, rad)'));
  });
});

const MODE = (a: string, b: string, out: string, mode: string, extra = '') => `model M : O(3) {\n  in a: node[${a}]\n  in b: node[${b}]\n  out y: node[${out}]\n  y = tp(a, b, ${out}, mode = ${mode}${extra})\n}\n`;

describe('tensor product modes (E0216)', () => {
  it('right: each mode where its multiplicities fit', () => {
    expectClean(MODE('4x1o', '2x1o', '3x0e', 'uvw'));
    expectClean(MODE('4x1o', '2x1o', '4x0e', 'uvu'));
    expectClean(MODE('4x1o', '2x1o', '2x0e', 'uvv'));
    expectClean(MODE('4x1o', '4x1o', '3x0e', 'uuw'));
    expectClean(MODE('4x1o', '4x1o', '4x0e', 'uuu'));
    expectClean(MODE('4x1o', '2x1o', '8x0e', 'uvuv'));
    expectClean(MODE('4x1o', '2x1o', '8x0e', 'uvuv', ', weights = none'));
  });

  it('each mode where they do not, with the rule and a fix', () => {
    const uvu = expectOne(MODE('4x1o', '2x1o', '3x0e', 'uvu'), 'E0216', 5, 16);
    expect(uvu.message).toBe("mode uvu cannot produce 3x0e: it requires that the output multiplicity equals the first input's");
    expect(uvu.help).toBe('write 4x0e in `out`, or use mode = uvw');
    expect(expectOne(MODE('4x1o', '2x1o', '3x0e', 'uvv'), 'E0216', 5, 16).help).toBe('write 2x0e in `out`, or use mode = uvw');
    expect(expectOne(MODE('4x1o', '2x1o', '3x0e', 'uuw'), 'E0216', 5, 16).message).toContain('both inputs have the same multiplicity');
    expect(expectOne(MODE('4x1o', '4x1o', '3x0e', 'uuu'), 'E0216', 5, 16).message).toContain('both inputs and the output have the same multiplicity');
    expect(expectOne(MODE('4x1o', '2x1o', '6x0e', 'uvuv'), 'E0216', 5, 16).message).toContain("the product of the inputs' multiplicities");
  });

  it('mode uvw without weights cannot be built', () => {
    const d = expectOne(MODE('4x1o', '2x1o', '3x0e', 'uvw', ', weights = none'), 'E0216', 5, 7);
    expect(d.message).toMatch(/^this tensor product cannot be built: /);
  });
});

describe('select (E0217)', () => {
  const SEL = (rep: string, out: string) => `model M : O(3) {\n  in x: node[16x0e + 8x1o + 8x0e]\n  out y: node[${out}]\n  y = select(x, ${rep})\n}\n`;

  it('an irrep that is not there, and too many copies', () => {
    expect(expectOne(SEL('1e', '1x1e'), 'E0217', 4, 17).message).toBe('node[16x0e+8x1o+8x0e] has no 1e');
    expect(expectOne(SEL('9x1o', '9x1o'), 'E0217', 4, 17).message).toBe('node[16x0e+8x1o+8x0e] has only 8 copies of 1o, not 9');
    expect(expectOne(SEL('20x0e + 5x0e', '25x0e'), 'E0217', 4, 17).message).toBe('node[16x0e+8x1o+8x0e] has 4 copies of 0e left after the earlier terms, not 5');
  });

  it('right: every copy without a multiplicity, the first copies with one, in the order written', () => {
    expectClean(SEL('0e', '24x0e'));
    expectClean(SEL('4x1o + 20x0e', '4x1o + 20x0e'));
  });
});

describe('reduce = max (E0218)', () => {
  const RED = (op: string, rep: string, out: string) => `model M : E(3) {\n  in pos: node[pos]\n  in x: node[${rep}]\n  out y: ${out}\n  let g = radius_graph(pos, r = 1.0)\n  y = ${op}\n}\n`;

  it('on vectors, in pool and in scatter', () => {
    const d = expectOne(RED('pool(x, reduce = max)', '4x0e + 2x1o', 'graph[4x0e + 2x1o]').replace('  let g = radius_graph(pos, r = 1.0)\n', '').replace('  in pos: node[pos]\n', ''), 'E0218', 4, 24);
    expect(d.message).toBe('`pool(..., reduce = max)` is not equivariant on 2x1o');
    expectOne(RED('scatter(gather(x, g), g, reduce = max)', '4x0o', 'node[4x0o]'), 'E0218', 6, 41);
  });

  it('right: max on invariant scalars, sum and mean on anything', () => {
    expectClean(RED('scatter(gather(x, g), g, reduce = max)', '4x0e', 'node[4x0e]'));
    expectClean(RED('scatter(gather(x, g), g, reduce = mean)', '4x0e + 2x1o', 'node[4x0e + 2x1o]'));
    expectClean(RED('scatter(gather(x, g), g, reduce = "sum")', '2x1o', 'node[2x1o]'));
  });
});

describe('radial bases (E0219) and MLPs (E0220)', () => {
  it('a radial basis of vectors', () => {
    const d = expectOne(GRAPH('  y = linear(scatter(gaussian(g.vec, n = 4, cutoff = 1.5), g), 8x0e)').replace('  let rad = bessel(g.len, n = 8, cutoff = 1.5)\n', '').replace('  in x: node[8x0e]\n', ''), 'E0219', 5, 31);
    expect(d.message).toBe('`gaussian` takes one invariant length per edge, found edge[1x1o]');
  });

  it('an MLP of vectors, inline as tensor-product weights too', () => {
    const d = expectOne(GRAPH('  y = linear(scatter(mlp(concat(rad, g.vec), out = 8), g), 8x0e)').replace('  in x: node[8x0e]\n', ''), 'E0220', 6, 26);
    expect(d.message).toBe('an MLP acts on invariant scalars, but its input has 1x1o');
  });

  it('a conv whose radial input is not invariant', () => {
    const body = '  let sh = spherical_harmonics(g.vec, lmax = 1)\n  y = conv(x, g, sh, sh, out = 8x0e)';
    expectOne(GRAPH(body).replace('  let rad = bessel(g.len, n = 8, cutoff = 1.5)\n', ''), 'E0220', 7, 22);
  });

  it('right: an MLP of a radial basis', () => {
    expectClean(GRAPH('  y = linear(scatter(mlp(rad, hidden = [16, 16], out = 8, act = tanh), g), 8x0e)').replace('  in x: node[8x0e]\n', ''));
  });
});

describe('not a value (E0222)', () => {
  it('reading an output', () => {
    const d = expectOne('model M : O(3) {\n  in x: node[8x0e]\n  out h: node[8x0e]\n  out y: graph[8x0e]\n  h = linear(x, 8x0e)\n  y = pool(h)\n}\n', 'E0222', 6, 12);
    expect(d.message).toBe('output `h` cannot be read; outputs are only assigned');
  });

  it('a constant, a layer and a qualified layer where a value is expected', () => {
    const text = 'import "std/radial.eqv" as radial\nconst C = 2.0\nlayer L(h: node[R]) -> node[R] { return h }\nmodel M : O(3) {\n  in x: node[8x0e]\n  out y: node[8x0e]\n  let a = linear(C, 8x0e)\n  let b = linear(L, 8x0e)\n  let c = linear(radial.BesselEmbedding, 8x0e)\n  y = L(x)\n}\n';
    const [a, b, c] = expectDiagnostics(text, ['E0222', 7, 18], ['E0501', 8, 18], ['E0222', 9, 18]);
    expect(a!.message).toBe('`C` is a number, not a value');
    expect(b!.message).toBe('`L` is a layer, not a compile-time constant');
    expect(c!.message).toBe('`radial.BesselEmbedding` is a layer; call it, not a value');
  });
});

describe('cutoff envelopes (E0219, E0307)', () => {
  it('times a radial basis, they check', () => {
    expectClean(GRAPH('  let e = polynomial_cutoff(g.len, cutoff = 1.5) * cosine_cutoff(g.len, cutoff = 1.5)\n  y = linear(x, 8x0e) + scatter(linear(e * rad, 8x0e), g)'));
  });

  it('of something that is not one length per edge', () => {
    const d = expectOne(GRAPH('  let e = cosine_cutoff(rad, cutoff = 1.5)\n  y = linear(x, 8x0e) + scatter(linear(e * rad, 8x0e), g)'), 'E0219', 7, 25);
    expect(d.message).toBe('`cosine_cutoff` takes one invariant length per edge, found edge[8x0e]');
  });

  it('with a cutoff that is not positive, or an order p out of range', () => {
    expectDiagnostics(
      GRAPH('  let e = polynomial_cutoff(g.len, cutoff = 0, p = 0)\n  y = linear(x, 8x0e) + scatter(linear(e * rad, 8x0e), g)'),
      ['E0307', 7, 45],
      ['E0307', 7, 52],
    );
  });
});

describe('layer norm (E0307)', () => {
  it('checks on any irreps and keeps the type', () => {
    expectClean(GRAPH('  y = layer_norm(linear(x, 8x0e)) + scatter(linear(rad, 8x0e), g)'));
  });

  it('refuses an eps that is not positive', () => {
    expectOne(GRAPH('  y = layer_norm(linear(x, 8x0e), eps = 0) + scatter(linear(rad, 8x0e), g)'), 'E0307', 7, 41);
  });
});

describe('attention (E1401, E1402)', () => {
  const ATT = (logits: string, values: string) =>
    GRAPH(`  let sh = spherical_harmonics(g.vec, lmax = 1)\n  let v = tp(gather(x, g), sh, ${values}, weights = mlp(rad, hidden = [8]))\n  y = linear(attention(${logits}, v, g), 8x0e)`);

  it('right: two invariant logits per edge, every block split in two', () => {
    const r = expectClean(ATT('mlp(rad, hidden = [8], out = 2)', '4x0e + 2x1o'));
    expect(r.ir[0]!.nodes.find((n) => n.op === 'attention')).toMatchObject({ attrs: { heads: 2, blocks: [{ offset: 0, mul: 4, dim: 1 }, { offset: 4, mul: 2, dim: 3 }] }, type: { domain: 'node', rep: { text: '4x0e+2x1o' } } });
  });

  it('logits that are not invariant scalars (edge vectors)', () => {
    const d = expectOne(ATT('concat(rad, g.vec)', '4x0e + 2x1o'), 'E1401', 9, 24);
    expect(d.message).toBe('attention logits must be invariant scalars, found 1x1o in edge[8x0e+1x1o]');
    expect(d.help).toContain('tp(q, k, 2x0e)');
  });

  it('pseudoscalar logits (0o) are not invariant under reflections', () => {
    const d = expectOne(ATT('tp(tp(sh, sh, 1x1e), sh, 2x0o)', '4x0e + 2x1o'), 'E1401', 9, 24);
    expect(d.message).toBe('attention logits must be invariant scalars, found 2x0o in edge[2x0o]');
  });

  it('three heads cannot split 4x0e + 2x1o', () => {
    const d = expectOne(ATT('mlp(rad, hidden = [8], out = 3)', '4x0e + 2x1o'), 'E1402', 9, 57);
    expect(d.message).toBe('3 heads cannot split 4x0e + 2x1o of the values equally');
  });

  it('values on nodes are E0207', () => {
    expectOne(GRAPH('  y = linear(attention(rad, x, g), 8x0e)'), 'E0207', 7, 29);
  });
});

describe('batch norm and dropout (E0307)', () => {
  it('check on any irreps, keep the type, and own e3nn-named running statistics', () => {
    const r = expectClean(GRAPH('  y = dropout(batch_norm(linear(x, 8x0e), momentum = 0.05), p = 0.2) + scatter(linear(rad, 8x0e), g)'));
    expect(r.ir[0]!.params.map((p) => `${p.name}:${p.role}`)).toContain('y.batch_norm.running_var:running_var');
  });

  it('refuses a momentum outside [0, 1] and a non-positive eps', () => {
    const d = expectOne(GRAPH('  y = batch_norm(linear(x, 8x0e), momentum = 1.5) + scatter(linear(rad, 8x0e), g)'), 'E0307', 7, 46);
    expect(d.message).toBe('momentum must be in [0, 1], found 1.5');
    expectOne(GRAPH('  y = batch_norm(linear(x, 8x0e), eps = 0) + scatter(linear(rad, 8x0e), g)'), 'E0307', 7, 41);
  });

  it('refuses a dropout probability of 1 (nothing would be kept)', () => {
    const d = expectOne(GRAPH('  y = dropout(linear(x, 8x0e), p = 1) + scatter(linear(rad, 8x0e), g)'), 'E0307', 7, 36);
    expect(d.message).toBe('the dropout probability must be in [0, 1), found 1');
  });
});
