import { describe, expect, it } from 'vitest';
import { SourceFile } from '../../diagnostics/span.js';
import { lexSource } from '../../grammar/lex.js';
import { allTokens } from '../../grammar/tokens.js';

/** `Kind:image` for every token the parser sees. */
function lex(text: string): string[] {
  return lexSource(new SourceFile('t.eqv', text)).tokens.map((t) => `${t.tokenType.name}:${t.image}`);
}

function codes(text: string): string[] {
  return lexSource(new SourceFile('t.eqv', text)).diagnostics.map(
    (d) => `${d.code} ${d.span.start.line}:${d.span.start.col}-${d.span.end.line}:${d.span.end.col}`,
  );
}

describe('numbers and representation literals', () => {
  it('reads numbers with fractions and exponents', () => {
    expect(lex('2 1.5 1e-3 1e5 2.5E+2')).toEqual([
      'NumberLiteral:2',
      'NumberLiteral:1.5',
      'NumberLiteral:1e-3',
      'NumberLiteral:1e5',
      'NumberLiteral:2.5E+2',
    ]);
  });

  it('reads `1e` as an irrep, not a number missing its exponent', () => {
    expect(lex('1e')).toEqual(['IrrepAtom:1e']);
    expect(lex('1e-3')).toEqual(['NumberLiteral:1e-3']);
  });

  it("reads e3nn's printed form without spaces", () => {
    expect(lex('0e+1o')).toEqual(['IrrepAtom:0e', 'Plus:+', 'IrrepAtom:1o']);
    expect(lex('16x0e+8x1o')).toEqual([
      'Multiplicity:16x',
      'IrrepAtom:0e',
      'Plus:+',
      'Multiplicity:8x',
      'IrrepAtom:1o',
    ]);
  });

  it('reads a multiplicity before a parenthesised sum, a name or a parity-free degree', () => {
    expect(lex('2x(0e + 1o)')).toEqual([
      'Multiplicity:2x',
      'LParen:(',
      'IrrepAtom:0e',
      'Plus:+',
      'IrrepAtom:1o',
      'RParen:)',
    ]);
    expect(lex('3xV')).toEqual(['Multiplicity:3x', 'Identifier:V']);
    expect(lex('16x0')).toEqual(['Multiplicity:16x', 'NumberLiteral:0']);
  });

  it('reads all three parities', () => {
    expect(lex('0e 1o 2y')).toEqual(['IrrepAtom:0e', 'IrrepAtom:1o', 'IrrepAtom:2y']);
  });

  it('reads GL+(n) notation', () => {
    expect(lex('V*')).toEqual(['Identifier:V', 'Star:*']);
    expect(lex('det^2')).toEqual(['Identifier:det', 'Caret:^', 'NumberLiteral:2']);
    expect(lex('GL+(3)')).toEqual(['Identifier:GL', 'Plus:+', 'LParen:(', 'NumberLiteral:3', 'RParen:)']);
  });

  it('reads the product x as an identifier', () => {
    expect(lex('E(3) x S(5)')).toEqual([
      'Identifier:E',
      'LParen:(',
      'NumberLiteral:3',
      'RParen:)',
      'Identifier:x',
      'Identifier:S',
      'LParen:(',
      'NumberLiteral:5',
      'RParen:)',
    ]);
  });

  it('reads every punctuation mark, `->` as one token', () => {
    expect(lex('( ) [ ] { } , : = . + - * / ^ -> < >').map((t) => t.split(':')[0])).toEqual([
      'LParen',
      'RParen',
      'LBracket',
      'RBracket',
      'LCurly',
      'RCurly',
      'Comma',
      'Colon',
      'Equals',
      'Dot',
      'Plus',
      'Minus',
      'Star',
      'Slash',
      'Caret',
      'Arrow',
      'Less',
      'Greater',
    ]);
  });
});

describe('keywords and identifiers', () => {
  it('reads every keyword', () => {
    expect(lex('import as const layer model in out let return true false').map((t) => t.split(':')[0])).toEqual([
      'Import',
      'As',
      'Const',
      'Layer',
      'Model',
      'In',
      'Out',
      'Let',
      'Return',
      'True',
      'False',
    ]);
  });

  it('reads words that start with a keyword as identifiers', () => {
    expect(lex('input layer2 outer lets _in returns asx')).toEqual([
      'Identifier:input',
      'Identifier:layer2',
      'Identifier:outer',
      'Identifier:lets',
      'Identifier:_in',
      'Identifier:returns',
      'Identifier:asx',
    ]);
  });
});

describe('strings and comments', () => {
  it('reads strings with escapes', () => {
    expect(lex('"a\\"b\\\\c\\n"')).toEqual(['StringLiteral:"a\\"b\\\\c\\n"']);
  });

  it('keeps comments out of the token stream but in the comment list', () => {
    const result = lexSource(new SourceFile('t.eqv', 'a // line\n/* block\n */ b'));
    expect(result.tokens.map((t) => t.image)).toEqual(['a', 'b']);
    expect(result.comments.map((c) => [c.text, c.block, c.span.start.line, c.span.start.col])).toEqual([
      ['// line', false, 1, 3],
      ['/* block\n */', true, 2, 1],
    ]);
  });
});

describe('lexical errors', () => {
  it('E0002: an unterminated string, still read as a string', () => {
    expect(codes('let a = "abc\nlet b = 1')).toEqual(['E0002 1:9-1:13']);
    expect(lex('"abc')).toEqual(['UnterminatedString:"abc']);
  });

  it('E0002: an unterminated block comment', () => {
    expect(codes('const A = 1\n  /* never closed\nconst B = 2')).toEqual(['E0002 2:3-2:5']);
  });

  it('E0003: an unexpected character, named, and lexing goes on', () => {
    const result = lexSource(new SourceFile('t.eqv', 'a @ b\nc ; d'));
    expect(result.tokens.map((t) => t.image)).toEqual(['a', 'b', 'c', 'd']);
    expect(result.diagnostics.map((d) => [d.code, d.span.start.line, d.span.start.col, d.message])).toEqual([
      ['E0003', 1, 3, 'unexpected character `@`'],
      ['E0003', 2, 3, 'unexpected character `;`'],
    ]);
    expect(result.diagnostics[1]!.help).toContain('remove the `;`');
  });

  it('E0003: a run of unexpected characters is one diagnostic', () => {
    const result = lexSource(new SourceFile('t.eqv', 'a @# b'));
    expect(result.diagnostics.map((d) => [d.message, d.span.start.col, d.span.end.col])).toEqual([
      ['unexpected characters `@#`', 3, 5],
    ]);
  });

  it('E0003: invisible and non-ASCII characters by code point or with a hint', () => {
    const [nbsp] = lexSource(new SourceFile('t.eqv', 'a\u00a0b')).diagnostics;
    expect(nbsp!.message).toBe('unexpected character U+00A0');
    const [times] = lexSource(new SourceFile('t.eqv', 'E(3) × S(5)')).diagnostics;
    expect(times!.help).toContain('E(3) x S(5)');
  });

  it('E0004: a digit-led word that is no number and no irrep', () => {
    const result = lexSource(new SourceFile('t.eqv', 'let a = 1z'));
    expect(codes('let a = 1z')).toEqual(['E0004 1:9-1:11']);
    expect(result.diagnostics[0]!.label).toBe('an irrep is a degree l followed by its parity e, o or y');
  });

  it('E0004: a multiplicity with nothing after it, and a malformed number', () => {
    expect(codes('2x 0e')).toEqual(['E0004 1:1-1:3']);
    expect(lexSource(new SourceFile('t.eqv', '2x 0e')).diagnostics[0]!.help).toContain('`2x0e`');
    expect(codes('1.5e')).toEqual(['E0004 1:1-1:5']);
    expect(codes('1.2.3')).toEqual(['E0004 1:1-1:6']);
  });

  it('E0004: an unknown escape, a number too large', () => {
    expect(codes('"a\\qb"')).toEqual(['E0004 1:3-1:5']);
    expect(codes('1e999')).toEqual(['E0004 1:1-1:6']);
  });
});

describe('start-character hints', () => {
  // chevrotain trusts start_chars_hint instead of analysing the pattern: a missing character
  // would make the lexer skip the token at that character. Every code unit outside a token's
  // hint must fail its pattern, whatever follows it.
  it('each hint lists every character its token can start with', () => {
    const hinted = allTokens.filter((t) => t.START_CHARS_HINT !== undefined && t.PATTERN instanceof RegExp);
    expect(hinted.map((t) => t.name)).toEqual(expect.arrayContaining(['WhiteSpace', 'LineComment', 'BlockComment', 'StringLiteral', 'Identifier', 'NumberLiteral']));
    const tails = ['', 'x', '9', '/', '*/', '"', '\n', ' ', 'x*/"'];
    for (const token of hinted) {
      const hint = new Set(token.START_CHARS_HINT!.map((c) => (typeof c === 'number' ? c : c.charCodeAt(0))));
      const anchored = new RegExp(`^(?:${(token.PATTERN as RegExp).source})`, (token.PATTERN as RegExp).flags);
      const escaped: number[] = [];
      for (let code = 0; code < 0x10000; code++) {
        if (hint.has(code)) continue;
        const c = String.fromCharCode(code);
        if (tails.some((tail) => anchored.test(c + tail))) escaped.push(code);
      }
      expect({ token: token.name, escaped }).toEqual({ token: token.name, escaped: [] });
      // And the hint is not empty talk: its first character does start a match.
      const first = String.fromCharCode([...hint][0]!);
      expect(['', 'x9', '*x*/', '"', '/'].some((tail) => anchored.test(first + tail) || anchored.test(first + 'e')), token.name).toBe(true);
    }
  });
});
