import { describe, expect, it } from 'vitest';
import { formatSource } from '../../services/format.js';
import { SourceFile } from '../../diagnostics/span.js';
import { parseSource } from '../../grammar/parse.js';
import { withoutSpans } from '../grammar/astText.js';
import { ALL_SOURCES, COMMENTED, SNIPPETS, TETRIS } from '../grammar/sources.js';

function fmt(text: string): string {
  const result = formatSource(new SourceFile('f.eqv', text));
  if (!result.ok) throw new Error(`unexpected diagnostics: ${result.diagnostics.map((d) => d.message).join('; ')}`);
  return result.text;
}

function ast(text: string): unknown {
  return withoutSpans(parseSource(new SourceFile('f.eqv', text)).program);
}

describe('the canonical layout', () => {
  it('formats the reference example', () => {
    expect(fmt(TETRIS)).toBe(`// Classifies 3D polycube shapes ("tetris"); invariant to rotations, reflections,
// translations and the order of the points.
import "std/radial.eqv"

const CUTOFF = 1.1

layer Interaction(h: node[R], g: graph, sh: edge[0e + 1o + 2e], rad: edge[8x0e]) -> node[16x0e + 8x1o + 8x2e] {
  let m = conv(h, g, sh, rad, out = 16x0e + 16x0e + 8x1o + 8x2e)
  return gate(m, scalars = 16x0e, gates = 16x0e, gated = 8x1o + 8x2e, act = silu, act_gates = sigmoid)
}

model Tetris : E(3) {
  in pos: node[pos]
  in x: node[1x0e]
  out y: graph[8x0e]

  let g = radius_graph(pos, r = CUTOFF)
  let sh = spherical_harmonics(g.vec, lmax = 2) // edge[1x0e + 1x1o + 1x2e]
  let rad = bessel(g.len, n = 8, cutoff = CUTOFF) // edge[8x0e]
  let h1 = Interaction(x, g, sh, rad)
  let h2: node[16x0e + 8x1o + 8x2e] = Interaction(h1, g, sh, rad)
  y = linear(pool(h2, reduce = sum), 8x0e)
}
`);
  });

  it('spaces operators, arguments, annotations and groups; keeps literals as written', () => {
    const input = [
      'import  "a.eqv"  as  A',
      'const R=16x0e+8x1o',
      'const E=1e-3',
      'layer  L<Rin,Rout>( h:node[Rin] ,k : number , ) ->node[Rout]{return linear( h ,Rout,bias=false,)}',
      'model M:E(3)x S(5)x GL+(3){in x:node[0e+1o]',
      'out y:graph[2x(0e+1o)]',
      'let d=V*+det^-1*- 2x0e',
      'y=f(x,[1,2,],out=-1.50,mode="uvu")}',
    ].join('\n');
    expect(fmt(input)).toBe(`import "a.eqv" as A

const R = 16x0e + 8x1o
const E = 1e-3

layer L<Rin, Rout>(h: node[Rin], k: number) -> node[Rout] {
  return linear(h, Rout, bias = false)
}

model M : E(3) x S(5) x GL+(3) {
  in x: node[0e + 1o]
  out y: graph[2x(0e + 1o)]
  let d = V* + det^-1 * -2x0e
  y = f(x, [1, 2], out = -1.50, mode = "uvu")
}
`);
  });

  it('blank lines: one between declarations, runs of imports and consts kept together, at most one in bodies', () => {
    const input =
      'import "a.eqv"\nimport "b.eqv"\n\n\n\nimport "c.eqv"\nconst A = 1\nconst B = 2\nlayer L() {\n\n\n  let a = 1\n\n\n\n  return a\n\n}\nmodel M : E(3) { y = 1 }\n\n\n';
    expect(fmt(input)).toBe(
      'import "a.eqv"\nimport "b.eqv"\n\nimport "c.eqv"\n\nconst A = 1\nconst B = 2\n\nlayer L() {\n  let a = 1\n\n  return a\n}\n\nmodel M : E(3) {\n  y = 1\n}\n',
    );
  });

  it('an empty body stays `{}`; a body holding a comment opens', () => {
    expect(fmt('layer A() {   }\nlayer B() { // todo\n}\nlayer C() {\n// todo\n}')).toBe(
      'layer A() {}\n\nlayer B() { // todo\n}\n\nlayer C() {\n  // todo\n}\n',
    );
  });

  it('normalises line endings, tabs and trailing spaces', () => {
    expect(fmt('model M : E(3) {\r\n\tin x: node[0e]   \r\n\ty = x // c  \r\n}\r\n')).toBe(
      'model M : E(3) {\n  in x: node[0e]\n  y = x // c\n}\n',
    );
    expect(fmt('')).toBe('');
    expect(fmt('\n\n// only a comment\n\n')).toBe('// only a comment\n');
  });
});

describe('comments stay in place', () => {
  it('keeps a canonical commented file unchanged', () => {
    expect(fmt(COMMENTED)).toBe(COMMENTED);
  });

  it('own-line comments before the line they precede, trailing comments at the end of their line', () => {
    const input = [
      '// header',
      'const A = 1   // one',
      '  // about the model',
      'model M : E(3) {',
      '      // the input',
      'in x: node[0e] /* block */',
      '',
      '',
      '   // before y',
      'y = f(x, /* inline */ 2)',
      '// last',
      '}',
      '/* trailer */',
    ].join('\n');
    expect(fmt(input)).toBe(
      [
        '// header',
        'const A = 1 // one',
        '',
        '// about the model',
        'model M : E(3) {',
        '  // the input',
        '  in x: node[0e] /* block */',
        '',
        '  // before y',
        '  y = f(x, /* inline */ 2)',
        '  // last',
        '}',
        '/* trailer */',
        '',
      ].join('\n'),
    );
  });

  it('a line comment inside a statement ends its line; the statement goes on, indented', () => {
    const input = 'model M : E(3) {\n  let h = conv(h, g, // features and graph\n             sh, rad)\n  y = h\n}\n';
    expect(fmt(input)).toBe('model M : E(3) {\n  let h = conv(h, g, // features and graph\n    sh, rad)\n  y = h\n}\n');
  });

  it('keeps multi-line block comments as written', () => {
    const input = 'model M : E(3) {\n    /* first\n       second */\n  y = 1\n}\n';
    expect(fmt(input)).toBe('model M : E(3) {\n  /* first\n       second */\n  y = 1\n}\n');
  });
});

describe('formatting is safe', () => {
  const sources: Record<string, string> = { ...ALL_SOURCES };
  SNIPPETS.forEach((snippet, i) => (sources[`snippet ${i}`] = snippet));

  for (const [name, text] of Object.entries(sources)) {
    it(`is idempotent and keeps the meaning: ${name}`, () => {
      const once = fmt(text);
      expect(fmt(once)).toBe(once);
      expect(ast(once)).toEqual(ast(text));
      const comments = (t: string) => parseSource(new SourceFile('f.eqv', t)).comments.map((c) => c.text.trimEnd());
      expect(comments(once)).toEqual(comments(text));
    });
  }

  it('refuses a file with syntax errors and returns the diagnostics', () => {
    const result = formatSource(new SourceFile('f.eqv', 'model M : E(3) {\n  let h(x)\n}'));
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.diagnostics.map((d) => `${d.code} ${d.span.start.line}:${d.span.start.col}`)).toEqual([
        'E0001 2:8',
      ]);
  });

  it('refuses a file with lexical errors', () => {
    expect(formatSource(new SourceFile('f.eqv', 'const A = 1z')).ok).toBe(false);
    expect(formatSource(new SourceFile('f.eqv', 'const A = "x')).ok).toBe(false);
  });
});

describe('extreme inputs', () => {
  it('refuses, without throwing, what the parser refuses as too deep', () => {
    expect(formatSource(new SourceFile('f.eqv', `const A = 1${' + 1'.repeat(5000)}`)).ok).toBe(false);
    expect(formatSource(new SourceFile('f.eqv', `const A = ${'['.repeat(3000)}`)).ok).toBe(false);
  });
});
