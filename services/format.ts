// The canonical layout of an .eqv file (`eqvc fmt`).
//
// The printer walks the original tokens and comments in order and only decides the space
// between them, so every token is printed exactly as written (`1e-3`, `16x0e`, strings) and
// every comment stays where it was. The AST says where lines break (declarations, statements,
// closing braces) and what an ambiguous token is (a unary `-`, the dual `V*`, the `+` of
// `GL+`, the `:` after a model name). The only token dropped is a trailing comma.
//
// Layout: 2-space indent, one statement per line, a blank line between declarations (runs of
// imports or of consts keep the user's choice), at most one blank line inside bodies, single
// spaces around binary operators and `=`, `, ` between arguments, `name: type`,
// `model M : E(3) {`. A `//` comment inside a statement ends its line; the statement goes on
// on the next line, indented one step further. Long lines are not wrapped.

import type { IToken } from 'chevrotain';
import type * as A from '../grammar/ast.js';
import { diagnostic, hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { SourceFile } from '../diagnostics/span.js';
import { lexSource } from '../grammar/lex.js';
import { parseSource } from '../grammar/parse.js';
import { declExprs, walkExprs } from '../grammar/visit.js';

export type FormatResult = { ok: true; text: string } | { ok: false; diagnostics: Diagnostic[] };

/** Formats a file; refuses (with the diagnostics) when it has syntax errors. Never throws. */
export function formatSource(file: SourceFile): FormatResult {
  const parsed = parseSource(file);
  if (hasErrors(parsed.diagnostics)) return { ok: false, diagnostics: parsed.diagnostics };
  try {
    const { tokens } = lexSource(file);
    const roles = tokenRoles(parsed.program, tokens, parsed.comments);
    return { ok: true, text: new Printer(file.text, roles).print(tokens, parsed.comments) };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const internal = diagnostic('E9999', file.span(0, 0), `internal error while formatting: ${detail}`, {
      help: 'please report this as a bug in eqvc',
    });
    return { ok: false, diagnostics: [internal] };
  }
}

// ---------- what each token is ----------

type LineStart = 'declaration' | 'statement' | 'close';

interface Roles {
  /** Tokens that begin a line, by start offset. */
  readonly lineStarts: Map<number, LineStart>;
  /** Offsets of tokens printed without the usual space: unary minus, dual star, the + of GL+. */
  readonly unaryMinus: Set<number>;
  readonly dualStar: Set<number>;
  readonly groupPlus: Set<number>;
  /** The `:` of `model M : E(3)`, spaced on both sides. */
  readonly modelColon: Set<number>;
  /** The declarations, to decide blank lines between them. */
  readonly decls: readonly A.Decl[];
  /** The declaration each declaration-closing token ends, by offset. */
  readonly declEnds: Map<number, A.Decl>;
  /** Offsets of the `{` of bodies. */
  readonly bodyOpens: Set<number>;
}

function tokenRoles(program: A.Program, tokens: readonly IToken[], comments: readonly A.Comment[]): Roles {
  const roles: Roles = {
    lineStarts: new Map(),
    unaryMinus: new Set(),
    dualStar: new Set(),
    groupPlus: new Set(),
    modelColon: new Set(),
    decls: program.decls,
    declEnds: new Map(),
    bodyOpens: new Set(),
  };
  const indexAt = new Map<number, number>(tokens.map((t, i) => [t.startOffset, i]));
  const tokenAfter = (offset: number) => tokens[(indexAt.get(offset) ?? -2) + 1];

  for (const decl of program.decls) {
    roles.lineStarts.set(decl.span.start.offset, 'declaration');
    const last = tokens[indexAt.get(decl.span.end.offset - 1) ?? indexOfLastBefore(tokens, decl.span.end.offset)];
    if (last) roles.declEnds.set(last.startOffset, decl);
    if (decl.kind === 'LayerDecl' || decl.kind === 'ModelDecl') {
      // The body's `{` is the first brace of the declaration: no other construct has braces.
      let i = indexAt.get(decl.span.start.offset) ?? tokens.length;
      while (i < tokens.length && tokens[i]!.image !== '{' && tokens[i]!.startOffset < decl.span.end.offset) i++;
      const open = tokens[i]?.image === '{' ? tokens[i] : undefined;
      if (open) roles.bodyOpens.add(open.startOffset);
      // `{}` stays on one line only when the body holds nothing, not even a comment.
      const opensLine =
        decl.body.length > 0 ||
        (open !== undefined &&
          comments.some((c) => c.span.start.offset > open.startOffset && c.span.start.offset < decl.span.end.offset));
      if (opensLine && last?.image === '}') roles.lineStarts.set(last.startOffset, 'close');
      for (const stmt of decl.body) roles.lineStarts.set(stmt.span.start.offset, 'statement');
    }
    if (decl.kind === 'ModelDecl') {
      const colon = tokenAfter(decl.name.span.start.offset);
      if (colon?.image === ':') roles.modelColon.add(colon.startOffset);
      for (const factor of decl.group.factors) {
        const plus = tokenAfter(factor.span.start.offset);
        if (factor.name.endsWith('+') && plus?.image === '+') roles.groupPlus.add(plus.startOffset);
      }
    }
    walkExprs(declExprs(decl), (e) => {
      if (e.kind === 'UnaryExpr') roles.unaryMinus.add(e.span.start.offset);
      if (e.kind === 'DualExpr') roles.dualStar.add(e.span.end.offset - 1);
    });
  }
  return roles;
}

function indexOfLastBefore(tokens: readonly IToken[], offset: number): number {
  let i = tokens.length - 1;
  while (i >= 0 && tokens[i]!.startOffset >= offset) i--;
  return i;
}


// ---------- printing ----------

const INDENT = '  ';

type Item =
  | { readonly kind: 'token'; readonly token: IToken; readonly start: number; readonly end: number }
  | { readonly kind: 'comment'; readonly comment: A.Comment; readonly start: number; readonly end: number };

class Printer {
  private readonly lines: string[] = [];
  private line = '';
  private inBody = false;
  /** The last token opened a body; no blank line may follow it. */
  private afterOpen = false;
  /** A comment ended the line; the next token must start a new one. */
  private mustBreak = false;
  /** The declaration that the last token closed, until the next line starts. */
  private afterDecl: A.Decl | undefined;
  private previousToken: IToken | undefined;
  private previousWasComment = false;
  private lineHasLineComment = false;

  constructor(
    private readonly text: string,
    private readonly roles: Roles,
  ) {}

  print(tokens: readonly IToken[], comments: readonly A.Comment[]): string {
    const items: Item[] = [
      ...tokens.map((token) => ({
        kind: 'token' as const,
        token,
        start: token.startOffset,
        end: token.startOffset + token.image.length,
      })),
      ...comments.map((comment) => ({
        kind: 'comment' as const,
        comment,
        start: comment.span.start.offset,
        end: comment.span.end.offset,
      })),
    ].sort((a, b) => a.start - b.start);

    // For each item, the next token after it: where an own-line comment takes its indent from.
    const nextToken: (IToken | undefined)[] = new Array(items.length);
    let following: IToken | undefined;
    for (let i = items.length - 1; i >= 0; i--) {
      nextToken[i] = following;
      const item = items[i]!;
      if (item.kind === 'token') following = item.token;
    }

    let previousEnd: number | undefined;
    items.forEach((item, i) => {
      const newlines = previousEnd === undefined ? 0 : countNewlines(this.text, previousEnd, item.start);
      if (item.kind === 'comment') {
        this.comment(item.comment, previousEnd !== undefined && newlines === 0, newlines >= 2, nextToken[i]);
      } else if (!isTrailingComma(item.token, nextToken[i])) {
        this.token(item.token, newlines >= 2);
      }
      previousEnd = item.end;
    });
    this.endLine();
    return this.lines.length === 0 ? '' : this.lines.join('\n') + '\n';
  }

  private token(token: IToken, userBlank: boolean): void {
    const lineStart = this.roles.lineStarts.get(token.startOffset);
    if (lineStart !== undefined || this.mustBreak || this.previousToken === undefined) {
      // A continuation line goes one step in; one that starts with a closing bracket lines up
      // with the statement it closes.
      const closesBracket = token.image === ')' || token.image === ']';
      const depth =
        lineStart === 'declaration' || lineStart === 'close'
          ? 0
          : lineStart === 'statement'
            ? 1
            : this.continuationDepth() - (closesBracket ? 1 : 0);
      this.startLine(depth, this.blankBefore(token.startOffset, lineStart ?? 'continuation', userBlank));
      this.line += token.image;
    } else {
      this.line += this.spaceBetween(this.previousToken, token) + token.image;
    }
    this.previousToken = token;
    this.previousWasComment = false;
    this.mustBreak = false;
    this.afterOpen = this.roles.bodyOpens.has(token.startOffset);
    if (this.afterOpen) this.inBody = true;
    const closed = this.roles.declEnds.get(token.startOffset);
    if (closed) {
      this.inBody = false;
      this.afterDecl = closed;
    }
  }

  private comment(comment: A.Comment, trailing: boolean, userBlank: boolean, next: IToken | undefined): void {
    const text = comment.block ? comment.text.replace(/\r\n/g, '\n') : comment.text.trimEnd();
    // A comment after a dropped trailing comma may follow a `//` comment on the printed line.
    if (trailing && this.line !== '' && !this.lineHasLineComment) {
      const glue = comment.block && (this.line.endsWith('(') || this.line.endsWith('[')) ? '' : ' ';
      this.line += glue + text;
    } else {
      // An own-line comment is indented like the line it precedes; before `}` it is the
      // body's last line, not the brace.
      const nextStart = next ? this.roles.lineStarts.get(next.startOffset) : 'declaration';
      const kind = nextStart === 'close' ? 'statement' : (nextStart ?? 'continuation');
      const depth = kind === 'declaration' ? 0 : kind === 'statement' ? 1 : this.continuationDepth();
      this.startLine(depth, this.blankBefore(comment.span.start.offset, kind, userBlank));
      this.line += text;
      this.mustBreak = true;
    }
    if (!comment.block) {
      this.mustBreak = true;
      this.lineHasLineComment = true;
    }
    this.previousWasComment = true;
    this.afterOpen = false;
  }

  /** Whether a line starting at `offset` gets one blank line before it. */
  private blankBefore(offset: number, kind: LineStart | 'continuation', userBlank: boolean): boolean {
    if (this.lines.length === 0 && this.line === '') return false;
    if (kind === 'continuation' || kind === 'close' || this.afterOpen) return false;
    const previous = this.afterDecl;
    if (previous !== undefined) {
      // The first line after a declaration: one blank line before the next declaration (or
      // its leading comments), except within a run of imports or of consts.
      this.afterDecl = undefined;
      const next = this.roles.decls.find((d) => d.span.start.offset >= offset);
      const grouped =
        next !== undefined && next.kind === previous.kind && (next.kind === 'ImportDecl' || next.kind === 'ConstDecl');
      if (next !== undefined && !grouped) return true;
    }
    return userBlank;
  }

  private continuationDepth(): number {
    return this.inBody ? 2 : 1;
  }

  private startLine(depth: number, blank: boolean): void {
    this.endLine();
    this.lineHasLineComment = false;
    if (blank && this.lines.length > 0) this.lines.push('');
    this.line = INDENT.repeat(depth);
  }

  private endLine(): void {
    if (this.line.trim() !== '') this.lines.push(this.line.trimEnd());
    this.line = '';
  }

  /** The canonical space between two tokens on one line. */
  private spaceBetween(a: IToken, b: IToken): string {
    const x = a.image;
    const y = b.image;
    if (y === ',' || y === ')' || y === ']') return '';
    if (this.previousWasComment) return ' ';
    const r = this.roles;
    if (x === '(' || x === '[') return '';
    if (x === '.' || y === '.' || x === '^' || y === '^') return '';
    if (a.tokenType.name === 'Multiplicity') return ''; // 16x0e, 2x(0e + 1o)
    if (r.unaryMinus.has(a.startOffset)) return '';
    if (r.dualStar.has(b.startOffset) || r.groupPlus.has(b.startOffset)) return '';
    if (y === ':') return r.modelColon.has(b.startOffset) ? ' ' : '';
    if (x === '<' || y === '<' || y === '>') return '';
    if (y === '(') {
      // Calls, layer parameters and group arguments hug their name: f(x), L<R>(h), GL+(3).
      const hugs =
        ENDS_OPERAND.has(a.tokenType.name) ||
        x === '>' ||
        r.dualStar.has(a.startOffset) ||
        r.groupPlus.has(a.startOffset);
      return hugs ? '' : ' ';
    }
    if (y === '[') return a.tokenType.name === 'Identifier' ? '' : ' '; // node[16x0e]
    if (x === '{' && y === '}') return '';
    return ' ';
  }
}

const ENDS_OPERAND = new Set([
  'Identifier',
  'NumberLiteral',
  'StringLiteral',
  'IrrepAtom',
  'True',
  'False',
  'RParen',
  'RBracket',
]);

/** A comma before `)` or `]`, which the canonical form drops. */
function isTrailingComma(token: IToken, next: IToken | undefined): boolean {
  return token.image === ',' && next !== undefined && (next.image === ')' || next.image === ']');
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}
