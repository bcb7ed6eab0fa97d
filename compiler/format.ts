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
import type * as A from './ast.js';
import { hasErrors, type Diagnostic } from './diagnostics.js';
import type { SourceFile } from './span.js';
import { lexSource } from '../grammar/lex.js';
import { parseSource } from '../grammar/parse.js';

export type FormatResult = { ok: true; text: string } | { ok: false; diagnostics: Diagnostic[] };

/** Formats a file; refuses (with the diagnostics) when it has syntax errors. */
export function formatSource(file: SourceFile): FormatResult {
  const parsed = parseSource(file);
  if (hasErrors(parsed.diagnostics)) return { ok: false, diagnostics: parsed.diagnostics };
  const { tokens } = lexSource(file);
  const roles = tokenRoles(parsed.program, tokens);
  return { ok: true, text: new Printer(file.text, roles).print(tokens, parsed.comments) };
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
  /** Offsets of the last token of each declaration. */
  readonly declEnds: Set<number>;
  /** Offsets of the `{` of bodies. */
  readonly bodyOpens: Set<number>;
}

function tokenRoles(program: A.Program, tokens: readonly IToken[]): Roles {
  const roles: Roles = {
    lineStarts: new Map(),
    unaryMinus: new Set(),
    dualStar: new Set(),
    groupPlus: new Set(),
    modelColon: new Set(),
    decls: program.decls,
    declEnds: new Set(),
    bodyOpens: new Set(),
  };
  const indexAt = new Map<number, number>(tokens.map((t, i) => [t.startOffset, i]));
  const tokenAfter = (offset: number) => tokens[(indexAt.get(offset) ?? -2) + 1];

  for (const decl of program.decls) {
    roles.lineStarts.set(decl.span.start.offset, 'declaration');
    const last = tokens[(indexAt.get(decl.span.end.offset - 1) ?? indexOfLastBefore(tokens, decl.span.end.offset))];
    if (last) roles.declEnds.add(last.startOffset);
    if (decl.kind === 'LayerDecl' || decl.kind === 'ModelDecl') {
      const open = tokens.find((t) => t.image === '{' && t.startOffset >= decl.span.start.offset && t.startOffset < decl.span.end.offset);
      if (open) roles.bodyOpens.add(open.startOffset);
      if (decl.body.length > 0 && last?.image === '}') roles.lineStarts.set(last.startOffset, 'close');
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
    visitExpressions(decl, (e) => {
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

/** Calls `visit` on every expression under a node of the AST. */
function visitExpressions(root: object, visit: (e: A.Expr) => void): void {
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item);
    } else if (value !== null && typeof value === 'object' && 'kind' in value) {
      if (isExpr(value as { kind: string })) visit(value as A.Expr);
      for (const [key, child] of Object.entries(value)) if (key !== 'span') walk(child);
    }
  };
  walk(root);
}

const EXPR_KINDS = new Set<string>([
  'NumberLit', 'StringLit', 'BoolLit', 'IrrepLit', 'NameExpr', 'MemberExpr', 'CallExpr', 'BinaryExpr',
  'UnaryExpr', 'MulExpr', 'ListExpr', 'DualExpr', 'PowerExpr', 'ParenExpr', 'ErrorExpr',
]);

function isExpr(node: { kind: string }): boolean {
  return EXPR_KINDS.has(node.kind);
}

// ---------- printing ----------

const INDENT = '  ';

type Item = { kind: 'token'; token: IToken; start: number; end: number } | { kind: 'comment'; comment: A.Comment; start: number; end: number };

class Printer {
  private readonly lines: string[] = [];
  private line = '';
  private inBody = false;
  /** The last emitted item opened a body; no blank line may follow. */
  private afterOpen = false;
  /** A comment ended the line; the next token must start a new one. */
  private mustBreak = false;
  /** The last token closed a declaration; the next line-starting item may need a blank line. */
  private afterDecl: A.Decl | undefined;
  private previousToken: IToken | undefined;
  private previousWasComment = false;

  constructor(
    private readonly text: string,
    private readonly roles: Roles,
  ) {}

  print(tokens: readonly IToken[], comments: readonly A.Comment[]): string {
    const items: Item[] = [
      ...tokens.map((token) => ({ kind: 'token' as const, token, start: token.startOffset, end: token.startOffset + token.image.length })),
      ...comments.map((comment) => ({ kind: 'comment' as const, comment, start: comment.span.start.offset, end: comment.span.end.offset })),
    ].sort((a, b) => a.start - b.start);

    let previousEnd: number | undefined;
    items.forEach((item, i) => {
      const gap = previousEnd === undefined ? '' : this.text.slice(previousEnd, item.start);
      const newlines = countNewlines(gap);
      if (item.kind === 'comment') {
        this.comment(item.comment, previousEnd !== undefined && newlines === 0, newlines >= 2, items, i);
      } else if (!this.isTrailingComma(item.token, tokens)) {
        this.token(item.token, newlines >= 2);
      }
      previousEnd = item.end;
    });
    this.endLine();
    while (this.lines.length > 0 && this.lines.at(-1) === '') this.lines.pop();
    return this.lines.length === 0 ? '' : this.lines.join('\n') + '\n';
  }

  private token(token: IToken, userBlank: boolean): void {
    const lineStart = this.roles.lineStarts.get(token.startOffset);
    if (lineStart !== undefined || this.mustBreak || this.previousToken === undefined) {
      const depth = lineStart === 'declaration' || lineStart === 'close' ? 0 : lineStart === 'statement' ? 1 : this.continuationDepth();
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
    if (lineStart === 'close' || (token.image === '}' && this.roles.declEnds.has(token.startOffset))) this.inBody = false;
    this.afterDecl = this.roles.declEnds.has(token.startOffset) ? this.declEndingAt(token.startOffset) : this.afterDecl;
  }

  private comment(comment: A.Comment, trailing: boolean, userBlank: boolean, items: readonly Item[], index: number): void {
    const text = comment.block ? comment.text.replace(/\r\n/g, '\n') : comment.text.trimEnd();
    if (trailing && this.line !== '') {
      const glue = this.line.endsWith('(') || this.line.endsWith('[') ? '' : ' ';
      this.line += glue + text;
    } else {
      const next = items.slice(index + 1).find((item) => item.kind === 'token');
      const nextStart = next?.kind === 'token' ? this.roles.lineStarts.get(next.token.startOffset) : undefined;
      const depth =
        next === undefined || nextStart === 'declaration'
          ? 0
          : nextStart === 'statement' || nextStart === 'close'
            ? 1
            : this.continuationDepth();
      // A comment before `}` is the body's last line, not the brace: it may keep a blank line.
      const kind = nextStart === 'close' ? 'statement' : (nextStart ?? (next ? 'continuation' : 'declaration'));
      this.startLine(depth, this.blankBefore(comment.span.start.offset, kind, userBlank));
      this.line += text;
      this.mustBreak = true;
    }
    if (!comment.block) this.mustBreak = true;
    this.previousWasComment = true;
    this.afterOpen = false;
  }

  /** Whether a line starting here gets one blank line before it. */
  private blankBefore(offset: number, kind: LineStart | 'continuation', userBlank: boolean): boolean {
    if (this.lines.length === 0 && this.line === '') return false;
    if (kind === 'continuation' || kind === 'close' || this.afterOpen) return false;
    if (this.afterDecl !== undefined && !this.inBody) {
      const previous = this.afterDecl;
      this.afterDecl = undefined;
      const next = this.roles.decls.find((d) => d.span.start.offset >= offset);
      const grouped = next !== undefined && next.kind === previous.kind && (next.kind === 'ImportDecl' || next.kind === 'ConstDecl');
      if (next !== undefined && !grouped) return true;
    }
    return userBlank;
  }

  private continuationDepth(): number {
    return this.inBody ? 2 : 1;
  }

  private declEndingAt(offset: number): A.Decl | undefined {
    return this.roles.decls.find((d) => d.span.end.offset > offset && d.span.start.offset <= offset);
  }

  private startLine(depth: number, blank: boolean): void {
    this.endLine();
    if (blank && this.lines.length > 0 && this.lines.at(-1) !== '') this.lines.push('');
    this.line = INDENT.repeat(depth);
  }

  private endLine(): void {
    if (this.line.trim() !== '') this.lines.push(this.line.trimEnd());
    this.line = '';
  }

  private isTrailingComma(token: IToken, tokens: readonly IToken[]): boolean {
    if (token.image !== ',') return false;
    const next = tokens[tokens.indexOf(token) + 1];
    return next !== undefined && (next.image === ')' || next.image === ']');
  }

  /** The canonical space between two tokens on one line. */
  private spaceBetween(a: IToken, b: IToken): string {
    if (this.previousWasComment) return b.image === ',' || b.image === ')' || b.image === ']' ? '' : ' ';
    const r = this.roles;
    const x = a.image;
    const y = b.image;
    if (y === ',' || y === ')' || y === ']') return '';
    if (x === '(' || x === '[') return '';
    if (x === '.' || y === '.' || x === '^' || y === '^') return '';
    if (/^\d+x$/.test(x)) return ''; // a multiplicity sticks to what it multiplies: 16x0e
    if (r.unaryMinus.has(a.startOffset)) return '';
    if (r.dualStar.has(b.startOffset)) return '';
    if (r.groupPlus.has(b.startOffset)) return '';
    if (y === ':') return r.modelColon.has(b.startOffset) ? ' ' : '';
    if (x === '<' || y === '<' || y === '>') return '';
    if (y === '(') {
      const callee = /^[A-Za-z_0-9"]/.test(x) || x === ')' || x === ']' || x === '>' || r.dualStar.has(a.startOffset) || r.groupPlus.has(a.startOffset);
      return callee && !isKeywordToken(a) ? '' : ' ';
    }
    if (y === '[') return /^[A-Za-z_]/.test(x) && !isKeywordToken(a) ? '' : ' ';
    if (x === '{' && y === '}') return '';
    return ' ';
  }
}

const KEYWORDS = new Set(['import', 'as', 'const', 'layer', 'model', 'in', 'out', 'let', 'return', 'true', 'false']);

function isKeywordToken(token: IToken): boolean {
  return KEYWORDS.has(token.image) && token.tokenType.name !== 'Identifier';
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}
