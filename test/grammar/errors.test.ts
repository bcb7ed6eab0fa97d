import { describe, expect, it } from 'vitest';
import type * as A from '../../grammar/ast.js';
import { SourceFile } from '../../diagnostics/span.js';
import { parseSource } from '../../grammar/parse.js';
import { programText, stmtText } from './astText.js';

function parse(text: string) {
  return parseSource(new SourceFile('bad.eqv', text));
}

/** `CODE line:col message` for every diagnostic. */
function diagnostics(text: string): string[] {
  return parse(text).diagnostics.map((d) => `${d.code} ${d.span.start.line}:${d.span.start.col} ${d.message}`);
}

function only(text: string) {
  const all = parse(text).diagnostics;
  expect(all).toHaveLength(1);
  return all[0]!;
}

describe('recovery: one run reports every syntax error', () => {
  const text = [
    'import "std/radial.eqv"', // 1
    '', // 2
    'const A = 1', // 3
    'const B 2', // 4: missing =
    '', // 5
    'layer L(h: node[R]) -> node[R] {', // 6
    '  let m = linear(h, 8x0e', // 7: missing )
    '  return m', // 8
    '}', // 9
    '', // 10
    'model M : E(3) {', // 11
    '  in x: node[1x0e]', // 12
    '  out y: graph[8x0e]', // 13
    '  let = pool(x)', // 14: let without a name
    '  y = linear(pool(x), 8x0e)', // 15
    '}', // 16
    '', // 17
    'const C = 2', // 18
  ].join('\n');

  it('reports three errors, each at its own line and column', () => {
    expect(diagnostics(text)).toEqual([
      'E0001 4:9 expected `=` after `const B`, found `2`',
      'E0001 8:3 expected `)` to close the `(` at 7:17, found `return`',
      'E0001 14:7 expected a name after `let`, found `=`',
    ]);
  });

  it('keeps the valid declarations and statements around them', () => {
    expect(programText(parse(text).program)).toEqual([
      'import "std/radial.eqv"',
      'const A = 1',
      'const B = 2',
      'layer L(h: node[R]) -> node[R] { let m = (call linear h (8x 0e)); return m }',
      'model M : E(3) { in x: node[(1x 0e)]; out y: graph[(8x 0e)]; y = (call linear (call pool x) (8x 0e)) }',
      'const C = 2',
    ]);
  });

  it('reports errors in several declarations of a larger file', () => {
    const many = Array.from({ length: 5 }, (_, i) => `model M${i} : E(3) {\n  let a = f(x,, y)\n  y = a\n}`).join('\n');
    expect(diagnostics(many).map((d) => d.split(' ')[1])).toEqual(['2:15', '6:15', '10:15', '14:15', '18:15']);
  });
});

describe('E0001 syntax errors in the user terms', () => {
  it('a missing `=` after `let h`', () => {
    const d = only('model M : E(3) {\n  let h(x)\n}');
    expect(d.message).toBe('expected `=` after `let h`, found `(`');
    expect([d.span.start.line, d.span.start.col, d.span.end.col]).toEqual([2, 8, 9]);
    expect(d.help).toContain('let h = f(...)');
  });

  it('`let` without a name', () => {
    const d = only('model M : E(3) {\n  let = 3\n}');
    expect(d.message).toBe('expected a name after `let`, found `=`');
    expect(d.help).toBe('give the value a name: `let h = ...`');
  });

  it('a keyword used as a name', () => {
    const d = only('model M : E(3) {\n  let in = 3\n}');
    expect(d.message).toBe('expected a name after `let`, found `in`');
    expect(d.help).toContain('`in` is a keyword');
  });

  it('`:=` in a let, an assignment and a const', () => {
    for (const [text, col] of [
      ['model M : E(3) {\n  let a := 3\n}', 9],
      ['model M : E(3) {\n  y := 3\n}', 5],
      ['const A = 1\nconst B := 2', 9],
    ] as const) {
      const d = only(text);
      expect(d.message).toBe('expected `=`, found `:=`');
      expect([d.span.start.line, d.span.start.col, d.span.end.col - d.span.start.col]).toEqual([2, col, 2]);
      expect(d.help).toContain('bind with `=`');
    }
  });

  it('a missing `)` names the unclosed `(`', () => {
    const d = only('model M : E(3) {\n  let a = f(x\n  let b = 2\n}');
    expect(d.message).toBe('expected `)` to close the `(` at 2:12, found `let`');
    expect([d.span.start.line, d.span.start.col]).toEqual([3, 3]);
    expect(d.help).toBe('add `)`');
    expect(d.related.map((r) => [r.span.start.line, r.span.start.col])).toEqual([[2, 12]]);
  });

  it('a missing `,` between arguments', () => {
    const d = only('model M : E(3) {\n  y = linear(x out = 8x0e)\n}');
    expect(d.message).toBe('expected `)` to close the `(` at 2:13, found `out`');
    expect(d.help).toContain('separate the items with `,`');
  });

  it('a missing `]`, `}` and `>`', () => {
    expect(diagnostics('const A = [1, 2\nconst B = 1')).toEqual([
      'E0001 2:1 expected `]` to close the `[` at 1:11, found `const`',
    ]);
    expect(diagnostics('model M : E(3) {\n  y = 1\nmodel N : E(3) { y = 1 }')).toEqual([
      'E0001 3:1 expected `}` to close the `{` at 1:16, found `model`',
    ]);
    expect(diagnostics('layer L<R S>(h: node[R]) { return h }')).toEqual([
      'E0001 1:11 expected `>` to close the representation variables, found `S`',
    ]);
  });

  it('a missing value, a missing type, a missing group', () => {
    expect(diagnostics('const A =\nconst B = 1')).toEqual(['E0001 2:1 expected a value after `=`, found `const`']);
    expect(diagnostics('model M : E(3) {\n  in x:\n}')).toEqual(['E0001 3:1 expected a type after `:`, found `}`']);
    expect(diagnostics('model M E(3) { y = 1 }')).toEqual([
      'E0001 1:9 expected `:` and a symmetry group after `model M`, found `E`',
    ]);
    expect(diagnostics('model M : { y = 1 }')).toEqual(['E0001 1:11 expected a symmetry group, found `{`']);
  });

  it('a missing `:` in parameters and ports', () => {
    expect(diagnostics('layer L(h node[R]) { return h }')).toEqual([
      'E0001 1:11 expected `:` and a type after the parameter `h`, found `node`',
    ]);
    expect(diagnostics('model M : E(3) {\n  in x node[0e]\n}')).toEqual([
      'E0001 2:8 expected `:` and a type after `in x`, found `node`',
    ]);
  });

  it('an import without quotes', () => {
    const d = only('import std/radial.eqv\nconst A = 1');
    expect(d.message).toBe('expected a path string after `import`, found `std`');
    expect(d.help).toContain('import "std/radial.eqv"');
  });

  it('a statement outside any body, an extra `}`', () => {
    expect(diagnostics('let a = 1\nconst B = 2')).toEqual([
      'E0001 1:1 expected a declaration (`import`, `const`, `layer` or `model`), found `let`',
    ]);
    expect(only('model M : E(3) { y = 1 }\n}\n').help).toBe('remove the extra `}`');
  });

  it('two values where one statement ends', () => {
    const d = only('model M : E(3) {\n  y = a b\n}');
    expect(d.message).toBe('unexpected `b` after the end of a statement');
    expect([d.span.start.line, d.span.start.col]).toEqual([2, 9]);
  });

  it('a positional argument after a named one', () => {
    const d = only('const A = f(x, out = 8x0e, 2)');
    expect(d.code).toBe('E0001');
    expect(d.message).toBe('positional argument after the named argument `out`');
    expect([d.span.start.line, d.span.start.col, d.span.end.col]).toEqual([1, 28, 29]);
  });

  it('the end of the file inside a declaration', () => {
    const d = only('model M : E(3) {\n  let a = f(x');
    expect(d.message).toBe('expected `)` to close the `(` at 2:12, found the end of the file');
    expect([d.span.start.line, d.span.start.col]).toEqual([2, 14]);
  });
});

describe('lexical errors reach the parse result without cascades', () => {
  it('E0002 unterminated string: one diagnostic, the string still parses', () => {
    const result = parse('model M : E(3) {\n  let a = f(reduce = "sum)\n  y = a\n}');
    expect(result.diagnostics.map((d) => `${d.code} ${d.span.start.line}:${d.span.start.col}`)).toEqual(['E0002 2:22']);
  });

  it('E0002 unterminated block comment hides the rest, with no syntax errors after it', () => {
    expect(diagnostics('const A = 1\nmodel M : E(3) {\n  /* unfinished\n  y = 1\n}')).toEqual([
      'E0002 3:3 unterminated block comment',
    ]);
  });

  it('E0003 unexpected character, no syntax error on the same line', () => {
    expect(diagnostics('model M : E(3) {\n  let h = a @ b\n  y = h;\n}')).toEqual([
      'E0003 2:13 unexpected character `@`',
      'E0003 3:8 unexpected character `;`',
    ]);
  });

  it('E0004 malformed literals, no syntax error for them', () => {
    expect(diagnostics('model M : E(3) {\n  out y: node[16x0z]\n  y = 2x + 1.5e\n}')).toEqual([
      'E0004 2:18 `0z` is not a number or an irrep',
      'E0004 3:7 multiplicity `2x` is not followed by what it multiplies',
      'E0004 3:12 malformed number `1.5e`',
    ]);
  });

  it('a malformed literal becomes an ErrorExpr in the tree', () => {
    const model = parse('model M : E(3) {\n  let a = 1z + 1\n}').program.decls[0] as A.ModelDecl;
    expect(stmtText(model.body[0]!)).toBe('let a = (+ <error> 1)');
  });
});

describe('the parser never throws', () => {
  it('on empty input, only comments, or only garbage', () => {
    for (const text of [
      '',
      '   \n',
      '// c',
      '/*',
      '"',
      '}}}',
      ')(',
      '@@@',
      'model',
      'layer L(',
      'x'.repeat(10_000),
      '('.repeat(2000),
    ]) {
      const result = parse(text);
      expect(result.program.kind).toBe('Program');
    }
  });
});

describe('inputs nested beyond what eqvc handles', () => {
  it('refuses brackets nested more than 128 deep with one E0001, without overflowing the stack', () => {
    const deep = `const A = ${'('.repeat(5000)}1${')'.repeat(5000)}`;
    expect(diagnostics(deep)).toEqual(['E0001 1:139 brackets nested more than 128 levels deep']);
    expect(diagnostics(`const A = ${'('.repeat(100)}1${')'.repeat(100)}`)).toEqual([]);
  });

  it('refuses an expression more than 400 levels deep, and the formatter refuses it too', () => {
    const long = `const A = 1${' + 1'.repeat(5000)}`;
    expect(diagnostics(long)).toEqual(['E0001 1:11 expression nested more than 400 levels deep']);
    expect(diagnostics(`const A = ${'-'.repeat(5000)}1`).map((d) => d.split(' ').slice(2).join(' '))).toEqual([
      'expression nested more than 400 levels deep',
    ]);
    expect(diagnostics(`const A = 1${' + 1'.repeat(300)}`)).toEqual([]);
  });
});
