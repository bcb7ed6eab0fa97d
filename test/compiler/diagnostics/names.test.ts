// Names, imports and declarations (E0101-E0109): unknown names with suggestions, imports
// (relative, std/, `as`, cycles, missing files), duplicates, groups, recursive layers.
import { describe, expect, it } from 'vitest';
import * as path from 'node:path';
import { checkOnDisk, expectClean, expectDiagnostics, expectOne, src, tempFiles } from './helpers.js';

/** A model with an input x (and positions pos when `pos`), and an output y, around `body`. */
const MODEL = (body: string, group = 'E(3)', pos = false) =>
  `model M : ${group} {\n${pos ? '  in pos: node[pos]\n' : ''}  in x: node[4x0e]\n  out y: graph[8x0e]\n${body}\n}\n`;

describe('unknown names (E0103)', () => {
  it('a misspelled operation, with the closest name suggested', () => {
    const d = expectOne(MODEL('  let g = radius_grahp(pos, r = 1.0)\n  y = pool(linear(x, 8x0e))', 'E(3)', true), 'E0103', 5, 11);
    expect(d.message).toBe('unknown name `radius_grahp`');
    expect(d.help).toBe('did you mean `radius_graph`?');
  });

  it('a misspelled value', () => {
    // The value is then never used, which is reported too.
    const [, d] = expectDiagnostics(MODEL('  let hidden = linear(x, 8x0e)\n  y = pool(hiden)'), ['W0001', 4, 7], ['E0103', 5, 12]);
    expect(d.help).toBe('did you mean `hidden`?');
  });

  it('a value used before the statement that binds it says where it is defined', () => {
    const d = expectOne(MODEL('  y = pool(h)\n  let h = linear(x, 8x0e)'), 'E0103', 4, 12);
    expect(d.notes[0]).toContain('defined later, at line 5');
  });

  it('no suggestion for a one-letter name that is merely one edit from another', () => {
    const d = expectOne(MODEL('  y = pool(linear(concat(x, z), 8x0e))'), 'E0103', 4, 29);
    expect(d.help).toBeUndefined();
  });

  it('an unknown field of a graph, and a field of a non-graph', () => {
    const body = '  let g = radius_graph(pos, r = 1.0)\n  let v = g.vecs\n  let w = x.vec\n  y = pool(linear(x, 8x0e))';
    const [a, b] = expectDiagnostics(MODEL(body, 'E(3)', true), ['E0103', 6, 13], ['E0103', 7, 13]);
    expect(a!.help).toBe('did you mean `.vec`?');
    expect(b!.message).toBe('node[4x0e] has no field `vec`');
  });

  it('an unknown type', () => {
    const d = expectOne(MODEL('  y = pool(linear(x, 8x0e))').replace('node[4x0e]', 'nodes[4x0e]'), 'E0103', 2, 9);
    expect(d.help).toBe('did you mean `node`?');
  });

  it('right: the names as written', () => {
    expectClean(MODEL('  let g = radius_graph(pos, r = 1.0)\n  let h = scatter(bessel(g.len, n = 8, cutoff = 1.0), g)\n  y = pool(h)', 'E(3)', true).replace('  in x: node[4x0e]\n', ''));
  });
});

describe('duplicate definitions (E0104)', () => {
  it('a value bound twice', () => {
    const d = expectOne(MODEL('  let h = linear(x, 8x0e)\n  let h = linear(h, 8x0e)\n  y = pool(h)'), 'E0104', 5, 7);
    expect(d.related[0]!.span.start).toMatchObject({ line: 4, col: 7 });
  });

  it('a layer declared twice is one error, not also "never used"', () => {
    const text = src`
      layer L(h: node[R]) -> node[R] { return h }
      layer L(h: node[R]) -> node[R] { return linear(h, R) }
      model M : O(3) {
        in x: node[4x0e]
        out y: node[4x0e]
        y = L(x)
      }
    `;
    expect(expectOne(text, 'E0104', 2, 7).message).toBe('`L` is defined twice in this file');
  });
});

describe('groups (E0108)', () => {
  it('an unknown group', () => {
    const d = expectOne(MODEL('  y = pool(linear(x, 8x0e))', 'U(1)'), 'E0108', 1, 11);
    expect(d.message).toBe('unknown group `U`');
  });

  it('a group of a dimension eqv does not have', () => {
    expect(expectOne(MODEL('  y = pool(linear(x, 8x0e))', 'O(4)'), 'E0108', 1, 11).message).toBe('O(4) is not available');
  });

  it('right: each of the four groups', () => {
    for (const [group, rep] of [['O(3)', '4x0e'], ['E(3)', '4x0e'], ['SO(3)', '4x0'], ['SE(3)', '4x0']] as const) {
      expectClean(`model M : ${group} {\n  in x: node[${rep}]\n  out y: node[${rep}]\n  y = linear(x, ${rep})\n}\n`);
    }
  });
});

describe('recursive layers (E0109)', () => {
  it('a layer that calls itself, through another layer', () => {
    const text = src`
      layer A(h: node[R]) -> node[R] { return B(h) }
      layer B(h: node[R]) -> node[R] { return A(h) }
      model M : O(3) {
        in x: node[4x0e]
        out y: node[4x0e]
        y = A(x)
      }
    `;
    const d = expectOne(text, 'E0109', 2, 41);
    expect(d.notes[0]).toBe('the chain of calls: A -> B -> A');
  });

  it('right: the same layer called twice in a row', () => {
    expectClean(src`
      layer A(h: node[R]) -> node[R] { return linear(h, R) }
      model M : O(3) {
        in x: node[4x0e]
        out y: node[4x0e]
        y = A(A(x))
      }
    `);
  });
});

const USES_BLOCKS = src`
  import "blocks.eqv"
  model M : O(3) {
    in x: node[4x0e]
    out y: node[WIDTH]
    y = Embed(x)
  }
`;
const BLOCKS = src`
  const WIDTH = 16x0e
  layer Embed(x: node[R]) -> node[WIDTH] { return linear(x, WIDTH) }
`;

describe('imports (E0101, E0102, E0105, E0106)', () => {
  it('right: a relative import, and the same file imported `as` a name', () => {
    const dir = tempFiles({ 'main.eqv': USES_BLOCKS, 'blocks.eqv': BLOCKS });
    expect(checkOnDisk(path.join(dir, 'main.eqv')).found).toEqual([]);
    const qualified = USES_BLOCKS.replace('import "blocks.eqv"', 'import "blocks.eqv" as B').replace('node[WIDTH]', 'node[B.WIDTH]').replace('Embed(x)', 'B.Embed(x)');
    const dir2 = tempFiles({ 'main.eqv': qualified, 'blocks.eqv': BLOCKS });
    expect(checkOnDisk(path.join(dir2, 'main.eqv')).found).toEqual([]);
  });

  it('right: an import from a sibling folder of the project, relative to the importing file', () => {
    // The project is the folder with package.json (or .git) above the entry file.
    const dir = tempFiles({ 'package.json': '{}', 'models/main.eqv': USES_BLOCKS.replace('"blocks.eqv"', '"../lib/blocks.eqv"'), 'lib/blocks.eqv': BLOCKS });
    expect(checkOnDisk(path.join(dir, 'models', 'main.eqv')).found).toEqual([]);
  });

  it('E0101: a missing file, with where it was looked for', () => {
    const dir = tempFiles({ 'main.eqv': USES_BLOCKS });
    const { result, found } = checkOnDisk(path.join(dir, 'main.eqv'));
    // The names it would have provided are unknown too, each saying why.
    expect(found).toEqual([
      ['E0101', 'main.eqv', 1, 8],
      ['E0103', 'main.eqv', 4, 15],
      ['E0103', 'main.eqv', 5, 7],
    ]);
    expect(result.diagnostics[0]!.message).toBe('cannot read `blocks.eqv`');
    expect(result.diagnostics[0]!.notes[0]).toMatch(/^looked for .*blocks\.eqv$/);
    expect(result.diagnostics[1]!.notes).toContain('it may come from `blocks.eqv`, which could not be imported (see the error there)');
  });

  it('E0101: a file that is not .eqv', () => {
    const d = expectDiagnostics(`import "blocks"\n${MODEL('  y = pool(linear(x, 8x0e))')}`, ['E0101', 1, 8])[0]!;
    expect(d.help).toBe('write `import "blocks.eqv"`');
  });

  it('E0102: an import cycle, reported at the import that closes it', () => {
    const dir = tempFiles({ 'a.eqv': `import "b.eqv"\n${USES_BLOCKS.replace('import "blocks.eqv"\n', '').replace('WIDTH', '16x0e')}`, 'b.eqv': `import "a.eqv"\n${BLOCKS}` });
    const { result, found } = checkOnDisk(path.join(dir, 'a.eqv'));
    expect(found).toEqual([['E0102', 'b.eqv', 1, 8]]);
    expect(result.diagnostics[0]!.notes[0]).toMatch(/^the cycle: .*a\.eqv -> .*b\.eqv -> .*a\.eqv$/);
  });

  it('E0102: a file that imports itself', () => {
    const dir = tempFiles({ 'self.eqv': `import "self.eqv"\n${BLOCKS}` });
    expect(checkOnDisk(path.join(dir, 'self.eqv')).found).toEqual([['E0102', 'self.eqv', 1, 8]]);
  });

  it('E0105: a standard library file that does not exist, listing those that do', () => {
    const d = expectOne(`import "std/radials.eqv"\n${MODEL('  y = pool(linear(x, 8x0e))')}`, 'E0105', 1, 8);
    expect(d.notes[0]).toContain('std/radial.eqv');
  });

  it('right: the standard library, unqualified and `as`', () => {
    const body = '  let g = radius_graph(pos, r = 1.0)\n  y = pool(scatter(BesselEmbedding(g, 8, 1.0), g))';
    expectClean(`import "std/radial.eqv"\n${MODEL(body, 'E(3)', true).replace('  in x: node[4x0e]\n', '')}`);
    expectClean(`import "std/radial.eqv" as radial\n${MODEL(body.replace('BesselEmbedding', 'radial.BesselEmbedding'), 'E(3)', true).replace('  in x: node[4x0e]\n', '')}`);
  });

  it('E0106: a name the qualified module does not declare, with a suggestion', () => {
    const body = '  let g = radius_graph(pos, r = 1.0)\n  y = pool(scatter(radial.BesselEmbeding(g, 8, 1.0), g))';
    const d = expectOne(`import "std/radial.eqv" as radial\n${MODEL(body, 'E(3)', true).replace('  in x: node[4x0e]\n', '')}`, 'E0106', 6, 27);
    expect(d.help).toBe('did you mean `radial.BesselEmbedding`?');
    expect(d.notes[0]).toBe('`std/radial.eqv` declares `BesselEmbedding`, `GaussianEmbedding`');
  });

  it('E0104: a name defined by two unqualified imports is ambiguous where it is used', () => {
    const dir = tempFiles({ 'main.eqv': `import "c.eqv"\n${USES_BLOCKS}`, 'blocks.eqv': BLOCKS, 'c.eqv': BLOCKS });
    const { result, found } = checkOnDisk(path.join(dir, 'main.eqv'));
    expect(found).toContainEqual(['E0104', 'main.eqv', 6, 7]);
    expect(result.diagnostics.find((d) => d.code === 'E0104')!.help).toBe('import one of them with `as` and qualify the name');
  });
});

describe('a file without a model (E0107)', () => {
  it('is an error when it declares nothing at all', () => {
    expect(expectOne('// nothing here yet\nimport "std/radial.eqv"\n', 'E0107', 1, 1).message).toBe('`input.eqv` declares no model');
  });

  it('right: a library of layers and constants is not a program and needs no model', () => {
    const result = expectDiagnostics(BLOCKS);
    expect(result).toEqual([]);
  });
});
