// The front end's entry point: source text to AST, comments and diagnostics.
// Never throws: lexical and syntax errors are diagnostics, and a failure inside chevrotain
// itself becomes E9999 (a bug in eqvc) with an empty program, so callers can always go on.

import type { IRecognitionException, IToken } from 'chevrotain';
import type { Comment, Program } from './ast.js';
import { diagnostic, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { SourceFile } from '../diagnostics/span.js';
import { lexSource, type LexResult } from './lex.js';
import { eqvParser, isMissing } from './parser.js';
import { syntaxDiagnostic, tooDeep } from './syntaxErrors.js';
import { toAst } from './toAst.js';
import { BadLiteral, UnterminatedString } from './tokens.js';

export interface ParseResult {
  readonly program: Program;
  readonly comments: Comment[];
  readonly diagnostics: Diagnostic[];
}

export function parseSource(file: SourceFile): ParseResult {
  try {
    return parseUnsafe(file);
  } catch (error) {
    const span = file.span(0, 0);
    const detail = error instanceof Error ? error.message : String(error);
    return {
      program: { kind: 'Program', file: file.path, decls: [], span: file.span(0, file.text.length) },
      comments: [],
      diagnostics: [
        diagnostic('E9999', span, `internal error while parsing: ${detail}`, {
          help: 'please report this as a bug in eqvc',
        }),
      ],
    };
  }
}

/**
 * Brackets nested deeper than this are refused before parsing: the recursive-descent parser
 * would run out of stack near a thousand levels. Real models nest a handful.
 */
export const MAX_NESTING = 128;

function parseUnsafe(file: SourceFile): ParseResult {
  const lexed = lexSource(file);
  const tooDeepAt = firstTooDeep(lexed.tokens);
  if (tooDeepAt !== undefined) {
    const span = file.span(tooDeepAt.startOffset, tooDeepAt.startOffset + 1);
    return {
      program: { kind: 'Program', file: file.path, decls: [], span: file.span(0, file.text.length) },
      comments: lexed.comments,
      diagnostics: sortDiagnostics([
        ...lexed.diagnostics,
        tooDeep(span, `brackets nested more than ${MAX_NESTING} levels deep`),
      ]),
    };
  }
  eqvParser.input = lexed.tokens;
  eqvParser.lineStarts = lineStarts(file.text, lexed.tokens);
  const cst = eqvParser.file();
  const errors = eqvParser.errors;
  // Release the tokens: the parser instance lives as long as the process.
  eqvParser.input = [];
  eqvParser.lineStarts = new Set();

  const syntax = errors
    .filter((e) => !followsBadToken(e, lexed))
    .map((e) => syntaxDiagnostic(e, { file, tokens: lexed.tokens }))
    .filter((d) => !hiddenByLexicalError(d, lexed));
  const ast = toAst(cst, file);
  return {
    program: ast.program,
    comments: lexed.comments,
    diagnostics: sortDiagnostics([...lexed.diagnostics, ...firstOnEachLine(syntax), ...ast.diagnostics]),
  };
}

/** The first opening bracket beyond MAX_NESTING levels, if any. */
function firstTooDeep(tokens: readonly IToken[]): IToken | undefined {
  let depth = 0;
  for (const token of tokens) {
    const image = token.image;
    if (image === '(' || image === '[' || image === '{') {
      depth++;
      if (depth > MAX_NESTING) return token;
    } else if (image === ')' || image === ']' || image === '}') {
      depth = Math.max(0, depth - 1);
    }
  }
  return undefined;
}

/** Offsets of the tokens with a line break (or the start of the file) before them. */
function lineStarts(text: string, tokens: readonly IToken[]): Set<number> {
  const starts = new Set<number>();
  let previousEnd = 0;
  let newline = text.indexOf('\n'); // the first line break at or after previousEnd
  tokens.forEach((token, i) => {
    if (newline !== -1 && newline < previousEnd) newline = text.indexOf('\n', previousEnd);
    if (i === 0 || (newline !== -1 && newline < token.startOffset)) starts.add(token.startOffset);
    previousEnd = token.startOffset + token.image.length;
  });
  return starts;
}

/** Errors at or right after a token the lexer already reported (a malformed literal, a string cut off). */
function followsBadToken(error: IRecognitionException, lexed: LexResult): boolean {
  const isBad = (t: IToken | undefined) =>
    t !== undefined && (t.tokenType === BadLiteral || t.tokenType === UnterminatedString);
  return (
    isBad(error.token) ||
    isBad((error as { previousToken?: IToken }).previousToken) ||
    (isMissing(error.token) && lexed.unterminatedCommentAt !== undefined)
  );
}

/**
 * Errors that only repeat a lexical one: later on the line of an unexpected character (which
 * the parser never saw, so its neighbours run together), or where an unterminated comment hid
 * the rest of the file.
 */
function hiddenByLexicalError(d: Diagnostic, lexed: LexResult): boolean {
  const at = d.span.start.offset;
  if (lexed.unterminatedCommentAt !== undefined && at >= lexed.unterminatedCommentAt) return true;
  return lexed.diagnostics.some(
    (l) => l.code === 'E0003' && l.span.start.offset <= at && l.span.start.line === d.span.start.line,
  );
}

/**
 * After a syntax error chevrotain may stumble again before it re-synchronises (`f(x y z)`
 * reads `y z` as a broken statement); a second error on the same line is almost always that.
 */
function firstOnEachLine(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const sorted = [...diagnostics].sort((a, b) => a.span.start.offset - b.span.start.offset);
  const kept: Diagnostic[] = [];
  for (const d of sorted) {
    if (kept.at(-1)?.span.start.line !== d.span.start.line) kept.push(d);
  }
  return kept;
}
