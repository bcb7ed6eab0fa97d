// The tokens of eqv. Order matters: chevrotain tries patterns in the order of `allTokens`
// and takes the first match (`longer_alt` lets `input` or `layer2` win over a keyword).
//
// Numbers and representation literals share a first character, so the digit-led tokens are
// told apart by what follows them:
//   Number        1  1.5  1e-3  1e5           not followed by a letter, digit, `_` or `.digit`
//   Multiplicity  16x  3x  2x                 only when the represented thing follows at once
//   IrrepAtom     0e  1o  2y                  a degree and a parity letter
//   BadLiteral    1z  2x␠  1.5e               anything else that starts with a digit (E0004)
// so `16x0e+8x1o` (e3nn's printed form) is Multiplicity IrrepAtom Plus Multiplicity IrrepAtom.
//
// Comments go to their own group (the formatter keeps them), an unterminated block comment to
// another; grammar/lex.ts reports it (E0002), as it does unterminated strings and bad literals,
// which stay in the token stream under the categories StringLike and NumberLike so that the
// parser reads on. Characters no token matches come back as chevrotain lexer errors (E0003).

import type { TokenType } from 'chevrotain';
import { createToken, Lexer } from './chevrotain.js';

const DIGITS = '0123456789'.split('');
// First characters of the tokens whose patterns start with a class: chevrotain otherwise works them
// out at start-up by walking the pattern (a negated class like [^\n] over all 65,536 code units),
// about 10 ms of every eqvc start. test/grammar/tokens.test.ts checks each hint against its pattern.
const WORD_START = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_'];
const SPACE = [' ', '\t', '\r', '\n', '\f', '\v', '\uFEFF'];

// ---------- trivia ----------

export const WhiteSpace = createToken({
  name: 'WhiteSpace',
  pattern: /[ \t\r\n\f\v\uFEFF]+/,
  start_chars_hint: SPACE,
  group: Lexer.SKIPPED,
  line_breaks: true,
});

export const LineComment = createToken({
  name: 'LineComment',
  pattern: /\/\/[^\n]*/,
  start_chars_hint: ['/'],
  group: 'comments',
});

export const BlockComment = createToken({
  name: 'BlockComment',
  pattern: /\/\*[\s\S]*?\*\//,
  start_chars_hint: ['/'],
  group: 'comments',
  line_breaks: true,
});

/** `/*` with no closing `*\/`: swallows the rest of the file, reported as E0002. */
export const UnterminatedBlockComment = createToken({
  name: 'UnterminatedBlockComment',
  pattern: /\/\*[\s\S]*/,
  start_chars_hint: ['/'],
  group: 'unterminated',
  line_breaks: true,
});

// ---------- categories ----------

/** Anything that can name an option in a call: identifiers and keywords (`out = 16x0e`). */
export const Name = createToken({ name: 'Name', pattern: Lexer.NA, label: 'a name' });

/** Numbers, and malformed digit-led literals so that the parser does not cascade on them. */
export const NumberLike = createToken({ name: 'NumberLike', pattern: Lexer.NA, label: 'a number' });

/** Strings, and unterminated strings (already reported as E0002). */
export const StringLike = createToken({ name: 'StringLike', pattern: Lexer.NA, label: 'a string' });

/** `+`, `-`, `*` and `/` between operands. */
export const BinaryOperator = createToken({ name: 'BinaryOperator', pattern: Lexer.NA, label: 'an operator' });

// ---------- literals ----------

export const StringLiteral = createToken({
  name: 'StringLiteral',
  pattern: /"(?:[^"\\\n\r]|\\[^\n\r])*"/,
  start_chars_hint: ['"'],
  categories: [StringLike],
  label: 'a string',
});

/** A string cut off by the end of its line; reported as E0002, parsed as a string. */
export const UnterminatedString = createToken({
  name: 'UnterminatedString',
  pattern: /"(?:[^"\\\n\r]|\\[^\n\r])*\\?/,
  start_chars_hint: ['"'],
  categories: [StringLike],
  label: 'a string',
});

export const NumberLiteral = createToken({
  name: 'NumberLiteral',
  // The lookahead refuses `16x0e`, `0e+1o` and `1.5e`, which are not numbers.
  pattern: /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![A-Za-z0-9_]|\.\d)/,
  start_chars_hint: DIGITS,
  categories: [NumberLike],
  label: 'a number',
});

export const Multiplicity = createToken({
  name: 'Multiplicity',
  // `16x0e`, `3xV`, `2x(0e + 1o)`: the multiplied thing follows with no space.
  pattern: /\d+x(?=[A-Za-z0-9_(])/,
  start_chars_hint: DIGITS,
  label: 'a multiplicity',
});

export const IrrepAtom = createToken({
  name: 'IrrepAtom',
  pattern: /\d+[eoy](?![A-Za-z0-9_])/,
  start_chars_hint: DIGITS,
  label: 'an irrep',
});

/** Any other digit-led word (`1z`, `2x` alone, `1.5e`); reported as E0004. */
export const BadLiteral = createToken({
  name: 'BadLiteral',
  pattern: /\d[A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*/,
  start_chars_hint: DIGITS,
  categories: [NumberLike],
  label: 'a number',
});

// ---------- words ----------

export const Identifier = createToken({
  name: 'Identifier',
  pattern: /[A-Za-z_][A-Za-z0-9_]*/,
  start_chars_hint: WORD_START,
  categories: [Name],
  label: 'a name',
});

function keyword(word: string): TokenType {
  return createToken({
    name: word[0]!.toUpperCase() + word.slice(1),
    pattern: new RegExp(word),
    longer_alt: Identifier,
    categories: [Name],
    label: `\`${word}\``,
  });
}

export const Import = keyword('import');
export const As = keyword('as');
export const Const = keyword('const');
export const Layer = keyword('layer');
export const Model = keyword('model');
export const In = keyword('in');
export const Out = keyword('out');
export const Let = keyword('let');
export const Return = keyword('return');
export const True = keyword('true');
export const False = keyword('false');

export const KEYWORDS: readonly TokenType[] = [Import, As, Const, Layer, Model, In, Out, Let, Return, True, False];

// ---------- punctuation ----------

function punctuation(name: string, text: string, category?: TokenType): TokenType {
  const escaped = text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  return createToken({
    name,
    pattern: new RegExp(escaped),
    label: `\`${text}\``,
    ...(category ? { categories: [category] } : {}),
  });
}

export const Arrow = punctuation('Arrow', '->');
export const LParen = punctuation('LParen', '(');
export const RParen = punctuation('RParen', ')');
export const LBracket = punctuation('LBracket', '[');
export const RBracket = punctuation('RBracket', ']');
export const LCurly = punctuation('LCurly', '{');
export const RCurly = punctuation('RCurly', '}');
export const Comma = punctuation('Comma', ',');
export const Colon = punctuation('Colon', ':');
export const Equals = punctuation('Equals', '=');
export const Dot = punctuation('Dot', '.');
export const Plus = punctuation('Plus', '+', BinaryOperator);
export const Minus = punctuation('Minus', '-', BinaryOperator);
export const Star = punctuation('Star', '*', BinaryOperator);
export const Slash = punctuation('Slash', '/', BinaryOperator);
export const Caret = punctuation('Caret', '^');
export const Less = punctuation('Less', '<');
export const Greater = punctuation('Greater', '>');

export const allTokens: TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  UnterminatedBlockComment,
  Name,
  NumberLike,
  StringLike,
  BinaryOperator,
  StringLiteral,
  UnterminatedString,
  Arrow,
  NumberLiteral,
  Multiplicity,
  IrrepAtom,
  BadLiteral,
  ...KEYWORDS,
  Identifier,
  LParen,
  RParen,
  LBracket,
  RBracket,
  LCurly,
  RCurly,
  Comma,
  Colon,
  Equals,
  Dot,
  Plus,
  Minus,
  Star,
  Slash,
  Caret,
  Less,
  Greater,
];

/**
 * Built once: chevrotain analyses the patterns at construction. Its pattern validations are
 * skipped at start-up (they can only fail when this file changes);
 * test/grammar/parserValidation.test.ts runs them.
 */
export const LEXER_CONFIG = { positionTracking: 'onlyOffset', ensureOptimizations: false } as const;
export const eqvLexer = new Lexer(allTokens, { ...LEXER_CONFIG, skipValidations: true });
