// The front end's entry point: source text to AST, comments and diagnostics.
// Never throws: lexical and syntax errors are diagnostics, and a failure inside chevrotain
// itself becomes E9999 (a bug in eqvc) with an empty program, so callers can always go on.

import type { IRecognitionException, IToken } from 'chevrotain';
import type { Comment, Program } from '../compiler/ast.js';
import { diagnostic, sortDiagnostics, type Diagnostic } from '../compiler/diagnostics.js';
import type { SourceFile } from '../compiler/span.js';
import { lexSource, type LexResult } from './lex.js';
import { eqvParser, isMissing } from './parser.js';
import { syntaxDiagnostic } from './syntaxErrors.js';
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
      diagnostics: [diagnostic('E9999', span, `internal error while parsing: ${detail}`, { help: 'please report this as a bug in eqvc' })],
    };
  }
}

function parseUnsafe(file: SourceFile): ParseResult {
  const lexed = lexSource(file);
  eqvParser.input = lexed.tokens;
  const cst = eqvParser.file();
  const errors = eqvParser.errors;
  // Release the token vector: the parser instance lives as long as the process.
  eqvParser.input = [];

  const syntax = errors
    .filter((e) => !isCascade(e, file, lexed))
    .map((e) => syntaxDiagnostic(e, { file, tokens: lexed.tokens }));
  const ast = toAst(cst, file);
  return {
    program: ast.program,
    comments: lexed.comments,
    diagnostics: sortDiagnostics([...lexed.diagnostics, ...firstOnEachLine(syntax), ...ast.diagnostics]),
  };
}

/**
 * Parser errors that only repeat a lexical one: at a token already reported as malformed,
 * later on the line of an unexpected character, or where an unterminated comment hid the rest.
 */
function isCascade(error: IRecognitionException, file: SourceFile, lexed: LexResult): boolean {
  const token: IToken = error.token;
  if (token.tokenType === BadLiteral || token.tokenType === UnterminatedString) return true;
  const hidden = lexed.unterminatedCommentAt;
  if (isMissing(token)) return hidden !== undefined;
  if (hidden !== undefined && token.startOffset >= hidden) return true;
  const line = file.position(token.startOffset).line;
  return lexed.diagnostics.some(
    (d) => d.code === 'E0003' && d.span.start.offset <= token.startOffset && d.span.start.line === line,
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
