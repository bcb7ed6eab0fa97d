import { describe, expect, it } from 'vitest';
import type * as A from '../../grammar/ast.js';
import { SourceFile } from '../../diagnostics/span.js';
import { parseSource } from '../../grammar/parse.js';
import { declText, exprText, programText } from './astText.js';
import { GL, MISC, TETRIS } from './sources.js';

function parse(text: string) {
  return parseSource(new SourceFile('t.eqv', text));
}

/** Parses a valid program; fails the test on any diagnostic. */
function program(text: string): A.Program {
  const result = parse(text);
  expect(result.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return result.program;
}

/** The value of `const X = <text>`, rendered. */
function expr(text: string): string {
  const decl = program(`const X = ${text}`).decls[0] as A.ConstDecl;
  return exprText(decl.value);
}

/** The source text a span covers. */
function cover(text: string, span: { start: { offset: number }; end: { offset: number } }): string {
  return text.slice(span.start.offset, span.end.offset);
}

describe('the reference example', () => {
  it('parses the Tetris model of LANGUAGE.md verbatim', () => {
    expect(programText(program(TETRIS))).toEqual([
      'import "std/radial.eqv"',
      'const CUTOFF = 1.1',
      'layer Interaction(h: node[R], g: graph, sh: edge[(+ (+ 0e 1o) 2e)], rad: edge[(8x 0e)]) -> node[(+ (+ (16x 0e) (8x 1o)) (8x 2e))] { ' +
        'let m = (call conv h g sh rad out=(+ (+ (+ (16x 0e) (16x 0e)) (8x 1o)) (8x 2e))); ' +
        'return (call gate m scalars=(16x 0e) gates=(16x 0e) gated=(+ (8x 1o) (8x 2e)) act=silu act_gates=sigmoid) }',
      'model Tetris : E(3) { in pos: node[pos]; in x: node[(1x 0e)]; out y: graph[(8x 0e)]; ' +
        'let g = (call radius_graph pos r=CUTOFF); let sh = (call spherical_harmonics (. g vec) lmax=2); ' +
        'let rad = (call bessel (. g len) n=8 cutoff=CUTOFF); let h1 = (call Interaction x g sh rad); ' +
        'let h2: node[(+ (+ (16x 0e) (8x 1o)) (8x 2e))] = (call Interaction h1 g sh rad); ' +
        'y = (call linear (call pool h2 reduce=sum) (8x 0e)) }',
    ]);
  });

  it('returns the comments, and the program spans the whole file', () => {
    const result = parse(TETRIS);
    expect(result.comments.map((c) => c.text)).toEqual([
      '// Classifies 3D polycube shapes ("tetris"); invariant to rotations, reflections,',
      '// translations and the order of the points.',
      '// edge[1x0e + 1x1o + 1x2e]',
      '// edge[8x0e]',
    ]);
    expect(result.program.span.start.offset).toBe(0);
    expect(result.program.span.end.offset).toBe(TETRIS.length);
    expect(result.program.file).toBe('t.eqv');
  });
});

describe('declarations', () => {
  it('imports, with and without an alias', () => {
    const [plain, aliased] = program('import "std/radial.eqv"\nimport "./blocks.eqv" as Blocks')
      .decls as A.ImportDecl[];
    expect(plain!.path).toBe('std/radial.eqv');
    expect(plain!.alias).toBeUndefined();
    expect(aliased!.path).toBe('./blocks.eqv');
    expect(aliased!.alias?.name).toBe('Blocks');
    expect([aliased!.pathSpan.start.line, aliased!.pathSpan.start.col, aliased!.pathSpan.end.col]).toEqual([2, 8, 22]);
  });

  it('consts of every kind', () => {
    expect(programText(program('const A = 1.5\nconst B = "s"\nconst C = true\nconst D = 16x0e + 8x1o'))).toEqual([
      'const A = 1.5',
      'const B = "s"',
      'const C = true',
      'const D = (+ (16x 0e) (8x 1o))',
    ]);
  });

  it('layers with rep variables, no parameters, a trailing comma, no return type', () => {
    expect(programText(program('layer Block<Rin, Rout>(h: node[Rin],) -> node[Rout] { return h }'))).toEqual([
      'layer Block<Rin Rout>(h: node[Rin]) -> node[Rout] { return h }',
    ]);
    expect(programText(program('layer Empty() { return 1 }'))).toEqual(['layer Empty() { return 1 }']);
    expect(programText(program('layer K(k: number, r: rep, s: string) -> graph {}'))).toEqual([
      'layer K(k: number, r: rep, s: string) -> graph {  }',
    ]);
  });

  it('models over every kind of group', () => {
    const groups = [
      'SO(3)',
      'O(3)',
      'SE(3)',
      'E(3)',
      'SO(2)',
      'O(2)',
      'SE(2)',
      'E(2)',
      'GL+(3)',
      'S(8)',
      'E(3) x S(5)',
      'Flow(translation2d, velocities = [1, 2])',
      'Trivial',
    ];
    for (const group of groups) {
      const model = program(`model M : ${group} { y = 1 }`).decls[0] as A.ModelDecl;
      expect(declText(model)).toBe(
        `model M : ${group.replace(/, /g, ' ').replace('velocities = [1 2]', 'velocities=[1 2]')} { y = 1 }`,
      );
    }
  });

  it('keeps the + of GL+ in the factor name and knows whether parentheses were written', () => {
    const model = program('model M : GL+(3) x Flow x Foo() { y = 1 }').decls[0] as A.ModelDecl;
    expect(model.group.factors.map((f) => [f.name, f.hasParens, f.args.length])).toEqual([
      ['GL+', true, 1],
      ['Flow', false, 0],
      ['Foo', true, 0],
    ]);
  });
});

describe('statements', () => {
  it('reads every statement, newlines being insignificant', () => {
    const model = program('model M : E(3) { in x: node[0e] out y: node[0e] let a = x let b: node[0e] = a y = b }')
      .decls[0] as A.ModelDecl;
    expect(model.body.map((s) => s.kind)).toEqual(['InStmt', 'OutStmt', 'LetStmt', 'LetStmt', 'AssignStmt']);
    const layer = program('layer L(h: node[R]) -> node[R] {\n  return\n    h\n}').decls[0] as A.LayerDecl;
    expect(layer.body.map((s) => s.kind)).toEqual(['ReturnStmt']);
  });

  it('reads `let d = V*` followed by an assignment as two statements', () => {
    const model = program('model M : GL+(3) {\n  let d = V*\n  y = d\n}').decls[0] as A.ModelDecl;
    expect(model.body.map((s) => s.kind)).toEqual(['LetStmt', 'AssignStmt']);
    expect(exprText((model.body[0] as A.LetStmt).value)).toBe('(dual V)');
  });

  it('accepts a keyword as an option name', () => {
    expect(expr('conv(h, out = 16x0e, in = 1)')).toBe('(call conv h out=(16x 0e) in=1)');
  });
});

describe('expressions', () => {
  it('sums of multiplicities, with e3nn spacing or without', () => {
    expect(expr('16x0e + 8x1o')).toBe('(+ (16x 0e) (8x 1o))');
    expect(expr('16x0e+8x1o')).toBe('(+ (16x 0e) (8x 1o))');
    expect(expr('0e+1o')).toBe('(+ 0e 1o)');
    expect(expr('2x(0e + 1o)')).toBe('(2x (paren (+ 0e 1o)))');
    expect(expr('16x0 + 8x1')).toBe('(+ (16x 0) (8x 1))');
  });

  it('precedence: + - below * / below unary - below multiplicity below postfix', () => {
    expect(expr('a + b * c - d / e')).toBe('(- (+ a (* b c)) (/ d e))');
    expect(expr('a - b - c')).toBe('(- (- a b) c)');
    expect(expr('-a * b')).toBe('(* (neg a) b)');
    expect(expr('- -2x0e')).toBe('(neg (neg (2x 0e)))');
    expect(expr('3xV* + V')).toBe('(+ (3x (dual V)) V)');
    expect(expr('2xdet^2')).toBe('(2x (^ det 2))');
    expect(expr('f(x).y^2')).toBe('(^ (. (call f x) y) 2)');
  });

  it('GL+(n) notation: dual, powers, tensor reps', () => {
    expect(expr('V*')).toBe('(dual V)');
    expect(expr('V**')).toBe('(dual (dual V))');
    expect(expr('V* + V')).toBe('(+ (dual V) V)');
    expect(expr('T(V*, V)')).toBe('(call T (dual V) V)');
    expect(expr('[V*]')).toBe('[(dual V)]');
    expect(expr('V * W')).toBe('(* V W)');
    expect(expr('V * 2')).toBe('(* V 2)');
    expect(expr('det^2')).toBe('(^ det 2)');
    expect(expr('det^-1')).toBe('(^ det (neg 1))');
    expect(expr('det^(1 + 1)')).toBe('(^ det (paren (+ 1 1)))');
  });

  it('calls with positional then named arguments, members, qualified names', () => {
    expect(expr('f()')).toBe('(call f)');
    expect(expr('f(a, b, out = 16x0e, act = silu,)')).toBe('(call f a b out=(16x 0e) act=silu)');
    expect(expr('g.vec')).toBe('(. g vec)');
    expect(expr('Blocks.Interaction(h)')).toBe('(call (. Blocks Interaction) h)');
    expect(expr('f(a)(b)')).toBe('(call (call f a) b)');
  });

  it('literals, parentheses and lists', () => {
    expect(expr('"sum"')).toBe('"sum"');
    expect(expr('"a\\"b\\\\c\\nd"')).toBe(JSON.stringify('a"b\\c\nd'));
    expect(expr('true')).toBe('true');
    expect(expr('false')).toBe('false');
    expect(expr('(1)')).toBe('(paren 1)');
    expect(expr('[]')).toBe('[]');
    expect(expr('[64, 64,]')).toBe('[64 64]');
    expect(expr('[[1, 2], [3]]')).toBe('[[1 2] [3]]');
  });

  it('keeps numbers as written and as values', () => {
    const value = (program('const X = 1e-3').decls[0] as A.ConstDecl).value as A.NumberLit;
    expect([value.text, value.value]).toEqual(['1e-3', 0.001]);
  });

  it('parses the GL+(n) and miscellaneous example programs', () => {
    expect(programText(program(GL))).toHaveLength(4);
    expect(programText(program(MISC))).toHaveLength(6);
  });
});

describe('spans', () => {
  const text = 'model M : E(3) x S(5) {\n  let h2: node[16x0e] = conv(h, out = 8x1o + V*)\n}';
  const model = program(text).decls[0] as A.ModelDecl;
  const stmt = model.body[0] as A.LetStmt;
  const call = stmt.value as A.CallExpr;

  it('cover exactly their source text, end exclusive', () => {
    expect(cover(text, model.span)).toBe(text);
    expect(cover(text, model.group.span)).toBe('E(3) x S(5)');
    expect(cover(text, model.group.factors[1]!.span)).toBe('S(5)');
    expect(cover(text, stmt.span)).toBe('let h2: node[16x0e] = conv(h, out = 8x1o + V*)');
    expect(cover(text, stmt.name.span)).toBe('h2');
    expect(cover(text, stmt.type!.span)).toBe('node[16x0e]');
    expect(cover(text, call.span)).toBe('conv(h, out = 8x1o + V*)');
    expect(cover(text, call.named[0]!.span)).toBe('out = 8x1o + V*');
    const sum = call.named[0]!.value as A.BinaryExpr;
    expect(cover(text, sum.left.span)).toBe('8x1o');
    expect(cover(text, (sum.left as A.MulExpr).countSpan)).toBe('8');
    expect(cover(text, sum.right.span)).toBe('V*');
  });

  it('carry line and column', () => {
    expect([stmt.span.start.line, stmt.span.start.col, stmt.span.end.line, stmt.span.end.col]).toEqual([2, 3, 2, 49]);
    expect(call.span.file).toBe('t.eqv');
  });
});

describe('large files', () => {
  it('parses a 200-layer file (about 2000 lines) without errors', () => {
    const layer = (i: number) =>
      `// block ${i}\nlayer L${i}(h: node[R], g: graph, sh: edge[0e + 1o + 2e], rad: edge[8x0e]) -> node[16x0e + 8x1o] {\n` +
      `  let m = conv(h, g, sh, rad, out = 16x0e + 8x1o)\n  let a = linear(m, 16x0e + 8x1o)\n` +
      `  let b = gate(a, scalars = 16x0e, gates = 8x0e, gated = 8x1o)\n\n  return b\n}\n`;
    const text = Array.from({ length: 200 }, (_, i) => layer(i)).join('\n');
    const file = new SourceFile('big.eqv', text);
    expect(file.lineCount).toBeGreaterThanOrEqual(1800);
    // Timing belongs in the benchmarks (npm run bench); here only the result is checked.
    const result = parseSource(file);
    expect(result.diagnostics).toEqual([]);
    expect(result.program.decls).toHaveLength(200);
  });
});
