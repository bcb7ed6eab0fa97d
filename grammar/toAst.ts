// From chevrotain's CST to the AST of grammar/ast.ts, with exact spans (end exclusive).
//
// Error recovery can leave any child missing: a statement without its name is dropped (its
// syntax error is already reported), a missing expression becomes an ErrorExpr at the place it
// was expected. Nothing here throws on a partial tree.
//
// chevrotain groups a node's children by token or rule name, so where the order between
// groups matters (suffixes after a primary) it is recovered from token offsets. The parser
// reads `a + b * c` as a flat list of operands and operators; the precedence is applied here.

import type { CstElement, CstNode, IToken } from 'chevrotain';
import type * as A from './ast.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { SourceFile, Span } from '../diagnostics/span.js';
import { isMissing } from './parser.js';
import { positionalAfterNamed, tooDeep } from './syntaxErrors.js';
import { BadLiteral, StringLiteral } from './tokens.js';

export interface AstResult {
  readonly program: A.Program;
  /** Syntax errors only visible in the tree (a positional argument after a named one). */
  readonly diagnostics: Diagnostic[];
}

export function toAst(cst: CstNode, file: SourceFile): AstResult {
  const builder = new AstBuilder(file);
  const program = builder.program(cst);
  return { program, diagnostics: builder.diagnostics };
}

// ---------- CST access ----------
// Children under a capitalised key are tokens (CONSUME), under a lower-case key CST nodes
// (SUBRULE); these helpers are on the hot path, so they rely on that instead of testing.

function nodes(node: CstNode, key: string): CstNode[] {
  return (node.children[key] as CstNode[] | undefined) ?? [];
}

function node(node: CstNode, key: string): CstNode | undefined {
  return (node.children[key] as CstNode[] | undefined)?.[0];
}

/** The real tokens under `keys`, in source order, without the virtual ones recovery inserted. */
function tokens(node: CstNode, ...keys: string[]): IToken[] {
  const out: IToken[] = [];
  for (const key of keys) {
    for (const t of (node.children[key] as IToken[] | undefined) ?? []) if (!isMissing(t)) out.push(t);
  }
  return keys.length > 1 ? out.sort((a, b) => a.startOffset - b.startOffset) : out;
}

function token(node: CstNode, key: string): IToken | undefined {
  const list = node.children[key] as IToken[] | undefined;
  if (list === undefined) return undefined;
  for (const t of list) if (!isMissing(t)) return t;
  return undefined;
}

/** The one key an alternation node (`declaration`, `statement`, `primary`) was built from. */
function onlyKey(node: CstNode): string | undefined {
  for (const key in node.children) return key;
  return undefined;
}

function isNode(element: CstElement): element is CstNode {
  return 'children' in element;
}

const SUFFIXES = ['LParen', 'Dot', 'Caret', 'Star'];

/** Deeper expressions are refused (E0001): far beyond any real model, well within the stack. */
export const MAX_EXPRESSION_DEPTH = 400;

const endOf = (t: IToken) => t.startOffset + t.image.length;

/** The last real token of a subtree, to place what follows a partial node. */
function lastToken(node: CstNode): IToken | undefined {
  let last: IToken | undefined;
  for (const elements of Object.values(node.children)) {
    for (const element of elements) {
      const candidate = isNode(element) ? lastToken(element) : isMissing(element) ? undefined : element;
      if (candidate && (!last || candidate.startOffset > last.startOffset)) last = candidate;
    }
  }
  return last;
}

// ---------- building ----------

class AstBuilder {
  readonly diagnostics: Diagnostic[] = [];
  private readonly depths = new Map<A.Expr, number>();
  private reportedTooDeep = false;

  constructor(private readonly file: SourceFile) {}

  private span(start: number, end: number): Span {
    return this.file.span(start, end);
  }

  private tokenSpan(t: IToken): Span {
    return this.span(t.startOffset, endOf(t));
  }

  private identifier(t: IToken): A.Identifier {
    return { kind: 'Identifier', name: t.image, span: this.tokenSpan(t) };
  }

  /**
   * Records the depth of a composite expression. Past MAX_EXPRESSION_DEPTH it becomes an
   * ErrorExpr with one diagnostic, so that no later phase recurses deep enough to overflow
   * the stack (`1 + 1 + ... + 1` with thousands of terms is one long left-leaning chain).
   */
  private nest<T extends A.Expr>(expr: T, children: readonly A.Expr[]): T | A.ErrorExpr {
    let depth = 0;
    for (const child of children) depth = Math.max(depth, this.depths.get(child) ?? 1);
    if (depth + 1 <= MAX_EXPRESSION_DEPTH) {
      this.depths.set(expr, depth + 1);
      return expr;
    }
    if (!this.reportedTooDeep) {
      this.reportedTooDeep = true;
      this.diagnostics.push(tooDeep(expr.span, `expression nested more than ${MAX_EXPRESSION_DEPTH} levels deep`));
    }
    return { kind: 'ErrorExpr', span: expr.span };
  }

  private errorExpr(at: number): A.ErrorExpr {
    return { kind: 'ErrorExpr', span: this.span(at, at) };
  }

  /** The expression under `key`, or an ErrorExpr just after `after` where it was expected. */
  private expressionOr(parent: CstNode, key: string, after: number): A.Expr {
    const child = node(parent, key);
    return child ? this.expression(child, after) : this.errorExpr(after);
  }

  program(cst: CstNode): A.Program {
    const decls: A.Decl[] = [];
    for (const d of nodes(cst, 'declaration')) {
      const decl = this.declaration(d);
      if (decl) decls.push(decl);
    }
    return { kind: 'Program', file: this.file.path, decls, span: this.span(0, this.file.text.length) };
  }

  // ---------- declarations ----------

  private declaration(n: CstNode): A.Decl | undefined {
    const key = onlyKey(n);
    const child = key === undefined ? undefined : node(n, key);
    if (!child) return undefined;
    switch (key) {
      case 'importDecl':
        return this.importDecl(child);
      case 'constDecl':
        return this.constDecl(child);
      case 'layerDecl':
        return this.layerDecl(child);
      case 'modelDecl':
        return this.modelDecl(child);
    }
    return undefined;
  }

  private importDecl(n: CstNode): A.ImportDecl | undefined {
    const keyword = token(n, 'Import');
    const path = token(n, 'StringLike');
    if (!keyword || !path) return undefined;
    const aliasToken = token(n, 'As') ? token(n, 'Identifier') : undefined;
    const end = aliasToken ? endOf(aliasToken) : endOf(path);
    return {
      kind: 'ImportDecl',
      path: stringValue(path),
      pathSpan: this.tokenSpan(path),
      ...(aliasToken ? { alias: this.identifier(aliasToken) } : {}),
      span: this.span(keyword.startOffset, end),
    };
  }

  private constDecl(n: CstNode): A.ConstDecl | undefined {
    const keyword = token(n, 'Const');
    const name = token(n, 'Identifier');
    if (!keyword || !name) return undefined;
    const after = endOf(token(n, 'Equals') ?? name);
    const value = this.expressionOr(n, 'expression', after);
    return {
      kind: 'ConstDecl',
      name: this.identifier(name),
      value,
      span: this.span(keyword.startOffset, value.span.end.offset),
    };
  }

  private layerDecl(n: CstNode): A.LayerDecl | undefined {
    const keyword = token(n, 'Layer');
    const name = token(n, 'Identifier');
    if (!keyword || !name) return undefined;
    const repParamsNode = node(n, 'repParams');
    const repParams = repParamsNode ? tokens(repParamsNode, 'Identifier').map((t) => this.identifier(t)) : [];
    const params: A.Param[] = [];
    for (const p of nodes(n, 'param')) {
      const param = this.param(p);
      if (param) params.push(param);
    }
    const returnTypeNode = token(n, 'Arrow') ? node(n, 'type') : undefined;
    const returnType = returnTypeNode ? this.type(returnTypeNode) : undefined;
    const bodyNode = node(n, 'body');
    const body = bodyNode ? this.body(bodyNode) : [];
    const end = endOf((bodyNode && token(bodyNode, 'RCurly')) ?? lastToken(n) ?? name);
    return {
      kind: 'LayerDecl',
      name: this.identifier(name),
      repParams,
      params,
      ...(returnType ? { returnType } : {}),
      body,
      span: this.span(keyword.startOffset, end),
    };
  }

  private param(n: CstNode): A.Param | undefined {
    const name = token(n, 'Identifier');
    const typeNode = node(n, 'type');
    const type = typeNode ? this.type(typeNode) : undefined;
    if (!name || !type) return undefined;
    return {
      kind: 'Param',
      name: this.identifier(name),
      type,
      span: this.span(name.startOffset, type.span.end.offset),
    };
  }

  private modelDecl(n: CstNode): A.ModelDecl | undefined {
    const keyword = token(n, 'Model');
    const name = token(n, 'Identifier');
    if (!keyword || !name) return undefined;
    const groupNode = node(n, 'groupExpr');
    const group = groupNode ? this.groupExpr(groupNode, endOf(token(n, 'Colon') ?? name)) : undefined;
    const bodyNode = node(n, 'body');
    const body = bodyNode ? this.body(bodyNode) : [];
    const end = endOf((bodyNode && token(bodyNode, 'RCurly')) ?? lastToken(n) ?? name);
    const at = endOf(token(n, 'Colon') ?? name);
    return {
      kind: 'ModelDecl',
      name: this.identifier(name),
      group: group ?? { kind: 'GroupExpr', factors: [], span: this.span(at, at) },
      body,
      span: this.span(keyword.startOffset, end),
    };
  }

  private groupExpr(n: CstNode, at: number): A.GroupExpr {
    const factors: A.GroupFactor[] = [];
    for (const f of nodes(n, 'groupFactor')) {
      const factor = this.groupFactor(f);
      if (factor) factors.push(factor);
    }
    const first = factors[0];
    const last = factors.at(-1);
    const span = first && last ? this.span(first.span.start.offset, last.span.end.offset) : this.span(at, at);
    return { kind: 'GroupExpr', factors, span };
  }

  private groupFactor(n: CstNode): A.GroupFactor | undefined {
    const name = token(n, 'Identifier');
    if (!name) return undefined;
    const plus = token(n, 'Plus');
    const open = token(n, 'LParen');
    const argsNode = node(n, 'argumentList');
    const { args, named } = argsNode
      ? this.argumentList(argsNode, open ? endOf(open) : endOf(name))
      : { args: [], named: [] };
    const end = endOf(token(n, 'RParen') ?? lastToken(n) ?? name);
    return {
      kind: 'GroupFactor',
      name: plus ? `${name.image}+` : name.image,
      args,
      named,
      hasParens: open !== undefined,
      span: this.span(name.startOffset, end),
    };
  }

  // ---------- statements ----------

  private body(n: CstNode): A.Stmt[] {
    const out: A.Stmt[] = [];
    for (const s of nodes(n, 'statement')) {
      const stmt = this.statement(s);
      if (stmt) out.push(stmt);
    }
    return out;
  }

  private statement(n: CstNode): A.Stmt | undefined {
    const key = onlyKey(n);
    const child = key === undefined ? undefined : node(n, key);
    if (!child) return undefined;
    switch (key) {
      case 'inStmt':
        return this.portStmt(child, 'InStmt', 'In');
      case 'outStmt':
        return this.portStmt(child, 'OutStmt', 'Out');
      case 'letStmt':
        return this.letStmt(child);
      case 'returnStmt':
        return this.returnStmt(child);
      case 'assignStmt':
        return this.assignStmt(child);
    }
    return undefined;
  }

  private portStmt(n: CstNode, kind: 'InStmt' | 'OutStmt', keywordKey: string): A.InStmt | A.OutStmt | undefined {
    const keyword = token(n, keywordKey);
    const name = token(n, 'Identifier');
    const typeNode = node(n, 'type');
    const type = typeNode ? this.type(typeNode) : undefined;
    if (!keyword || !name || !type) return undefined;
    return { kind, name: this.identifier(name), type, span: this.span(keyword.startOffset, type.span.end.offset) };
  }

  private letStmt(n: CstNode): A.LetStmt | undefined {
    const keyword = token(n, 'Let');
    const name = token(n, 'Identifier');
    if (!keyword || !name) return undefined;
    const typeNode = node(n, 'type');
    const type = typeNode ? this.type(typeNode) : undefined;
    const after = endOf(token(n, 'Equals') ?? name);
    const value = this.expressionOr(n, 'expression', after);
    return {
      kind: 'LetStmt',
      name: this.identifier(name),
      ...(type ? { type } : {}),
      value,
      span: this.span(keyword.startOffset, Math.max(value.span.end.offset, after)),
    };
  }

  private returnStmt(n: CstNode): A.ReturnStmt | undefined {
    const keyword = token(n, 'Return');
    if (!keyword) return undefined;
    const value = this.expressionOr(n, 'expression', endOf(keyword));
    return { kind: 'ReturnStmt', value, span: this.span(keyword.startOffset, value.span.end.offset) };
  }

  private assignStmt(n: CstNode): A.AssignStmt | undefined {
    const name = token(n, 'Identifier');
    if (!name) return undefined;
    const after = endOf(token(n, 'Equals') ?? name);
    const value = this.expressionOr(n, 'expression', after);
    return {
      kind: 'AssignStmt',
      name: this.identifier(name),
      value,
      span: this.span(name.startOffset, Math.max(value.span.end.offset, after)),
    };
  }

  private type(n: CstNode): A.TypeExpr | undefined {
    const name = token(n, 'Identifier');
    if (!name) return undefined;
    const open = token(n, 'LBracket');
    if (!open) return { kind: 'TypeExpr', name: this.identifier(name), span: this.tokenSpan(name) };
    const arg = this.expressionOr(n, 'expression', endOf(open));
    const close = token(n, 'RBracket');
    const end = close ? endOf(close) : Math.max(arg.span.end.offset, endOf(open));
    return { kind: 'TypeExpr', name: this.identifier(name), arg, span: this.span(name.startOffset, end) };
  }

  // ---------- expressions ----------

  /**
   * operand (op operand)*, folded with `*` and `/` binding tighter than `+` and `-`, all
   * left-associative. `after` places an ErrorExpr when the subtree turned out empty.
   */
  private expression(n: CstNode, after: number): A.Expr {
    const operands = nodes(n, 'operand');
    const first = operands[0] ? this.operand(operands[0], after) : this.errorExpr(after);
    const operators = tokens(n, 'BinaryOperator');
    if (operators.length === 0) return first;

    // First pass: products into terms; second pass: sums of terms.
    const terms: A.Expr[] = [first];
    const additive: IToken[] = [];
    operators.forEach((op, i) => {
      const child = operands[i + 1];
      const right = child ? this.operand(child, endOf(op)) : this.errorExpr(endOf(op));
      if (op.image === '*' || op.image === '/') terms.push(this.binaryExpr(op, terms.pop()!, right));
      else {
        additive.push(op);
        terms.push(right);
      }
    });
    return additive.reduce((left, op, i) => this.binaryExpr(op, left, terms[i + 1]!), terms[0]!);
  }

  private binaryExpr(op: IToken, left: A.Expr, right: A.Expr): A.Expr {
    const span = this.span(left.span.start.offset, Math.max(right.span.end.offset, endOf(op)));
    return this.nest({ kind: 'BinaryExpr', op: op.image as A.BinaryExpr['op'], left, right, span }, [left, right]);
  }

  /** -* [Multiplicity] primary suffix*: suffixes bind first, then the count, then the signs. */
  private operand(n: CstNode, after: number): A.Expr {
    const minuses = tokens(n, 'Minus');
    const count = token(n, 'Multiplicity');
    const from = count ? endOf(count) : minuses.length > 0 ? endOf(minuses.at(-1)!) : after;
    let expr = this.suffixes(n, from);
    if (count) {
      const digits = count.image.slice(0, -1);
      const countSpan = this.span(count.startOffset, count.startOffset + digits.length);
      const span = this.span(count.startOffset, Math.max(expr.span.end.offset, endOf(count)));
      expr = this.nest({ kind: 'MulExpr', count: Number(digits), countSpan, operand: expr, span }, [expr]);
    }
    for (let i = minuses.length - 1; i >= 0; i--) {
      const minus = minuses[i]!;
      const span = this.span(minus.startOffset, Math.max(expr.span.end.offset, endOf(minus)));
      expr = this.nest({ kind: 'UnaryExpr', op: '-', operand: expr, span }, [expr]);
    }
    return expr;
  }

  /** The primary, then its suffixes in source order: calls, members, powers and duals. */
  private suffixes(n: CstNode, after: number): A.Expr {
    const primaryNode = node(n, 'primary');
    let expr = primaryNode ? this.primary(primaryNode, after) : this.errorExpr(after);
    if (!SUFFIXES.some((key) => n.children[key] !== undefined)) return expr;
    const suffixes = tokens(n, ...SUFFIXES);
    const argumentLists = nodes(n, 'argumentList').slice();
    const exponents = nodes(n, 'exponent').slice();
    const closers = tokens(n, 'RParen');
    const members = tokens(n, 'Identifier');
    const start = expr.span.start.offset;
    // The token of kind `pool` that lies between this suffix and the next one.
    const within = (pool: IToken[], from: number, to: number) =>
      pool.find((t) => t.startOffset > from && t.startOffset < to);

    suffixes.forEach((suffix, i) => {
      const next = suffixes[i + 1]?.startOffset ?? Number.POSITIVE_INFINITY;
      switch (suffix.image) {
        case '(': {
          const argsNode = argumentLists.shift();
          const { args, named } = argsNode ? this.argumentList(argsNode, endOf(suffix)) : { args: [], named: [] };
          const close = within(closers, suffix.startOffset, next);
          const lastArg = [...args, ...named].at(-1);
          const end = close ? endOf(close) : Math.max(lastArg?.span.end.offset ?? 0, endOf(suffix));
          expr = this.nest({ kind: 'CallExpr', callee: expr, args, named, span: this.span(start, end) }, [
            expr,
            ...args,
            ...named.map((a) => a.value),
          ]);
          break;
        }
        case '.': {
          const member = within(members, suffix.startOffset, next);
          if (member) {
            expr = this.nest(
              {
                kind: 'MemberExpr',
                object: expr,
                member: this.identifier(member),
                span: this.span(start, endOf(member)),
              },
              [expr],
            );
          }
          break;
        }
        case '^': {
          const exponentNode = exponents.shift();
          const exponent = exponentNode ? this.exponent(exponentNode, endOf(suffix)) : this.errorExpr(endOf(suffix));
          const span = this.span(start, Math.max(exponent.span.end.offset, endOf(suffix)));
          expr = this.nest({ kind: 'PowerExpr', base: expr, exponent, span }, [expr, exponent]);
          break;
        }
        default:
          expr = this.nest({ kind: 'DualExpr', operand: expr, span: this.span(start, endOf(suffix)) }, [expr]);
      }
    });
    return expr;
  }

  private exponent(n: CstNode, after: number): A.Expr {
    const minus = token(n, 'Minus');
    const primaryNode = node(n, 'primary');
    const from = minus ? endOf(minus) : after;
    const base = primaryNode ? this.primary(primaryNode, from) : this.errorExpr(from);
    if (!minus) return base;
    return this.nest(
      {
        kind: 'UnaryExpr',
        op: '-',
        operand: base,
        span: this.span(minus.startOffset, Math.max(base.span.end.offset, from)),
      },
      [base],
    );
  }

  private argumentList(n: CstNode, after: number): { args: A.Expr[]; named: A.NamedArg[] } {
    const args: A.Expr[] = [];
    const named: A.NamedArg[] = [];
    for (const a of nodes(n, 'argument')) {
      const name = token(a, 'Name');
      const valueNode = node(a, 'expression');
      if (name) {
        const equals = endOf(token(a, 'Equals') ?? name);
        const value = valueNode ? this.expression(valueNode, equals) : this.errorExpr(equals);
        named.push({
          kind: 'NamedArg',
          name: this.identifier(name),
          value,
          span: this.span(name.startOffset, Math.max(value.span.end.offset, equals)),
        });
        after = named.at(-1)!.span.end.offset;
      } else if (valueNode) {
        const value = this.expression(valueNode, after);
        const lastNamed = named.at(-1);
        if (lastNamed && value.kind !== 'ErrorExpr') {
          this.diagnostics.push(
            positionalAfterNamed(
              { file: this.file },
              value.span.start.offset,
              value.span.end.offset,
              lastNamed.name.name,
            ),
          );
        }
        args.push(value);
        after = value.span.end.offset;
      }
    }
    return { args, named };
  }

  private primary(n: CstNode, after: number): A.Expr {
    const key = onlyKey(n);
    if (key === 'list') {
      const listNode = node(n, 'list');
      return listNode ? this.list(listNode, after) : this.errorExpr(after);
    }
    const t = key === undefined ? undefined : token(n, key);
    if (t === undefined) return this.errorExpr(after);
    switch (key) {
      case 'NumberLike':
        if (t.tokenType === BadLiteral) return { kind: 'ErrorExpr', span: this.tokenSpan(t) };
        return { kind: 'NumberLit', value: Number(t.image), text: t.image, span: this.tokenSpan(t) };
      case 'StringLike':
        return { kind: 'StringLit', value: stringValue(t), span: this.tokenSpan(t) };
      case 'True':
      case 'False':
        return { kind: 'BoolLit', value: key === 'True', span: this.tokenSpan(t) };
      case 'IrrepAtom':
        return { kind: 'IrrepLit', text: t.image, span: this.tokenSpan(t) };
      case 'Identifier':
        return { kind: 'NameExpr', name: t.image, span: this.tokenSpan(t) };
      case 'LParen': {
        const inner = this.expressionOr(n, 'expression', endOf(t));
        const close = token(n, 'RParen');
        const end = close ? endOf(close) : Math.max(inner.span.end.offset, endOf(t));
        return this.nest({ kind: 'ParenExpr', inner, span: this.span(t.startOffset, end) }, [inner]);
      }
    }
    return this.errorExpr(after);
  }

  private list(n: CstNode, after: number): A.Expr {
    const open = token(n, 'LBracket');
    if (!open) return this.errorExpr(after);
    const items = nodes(n, 'expression').map((e) => this.expression(e, endOf(open)));
    const close = token(n, 'RBracket');
    const end = close ? endOf(close) : Math.max(items.at(-1)?.span.end.offset ?? 0, endOf(open));
    return this.nest({ kind: 'ListExpr', items, span: this.span(open.startOffset, end) }, items);
  }
}

/** The value of a string token: quotes removed, `\"`, `\\` and `\n` decoded. */
function stringValue(t: IToken): string {
  const closed = t.tokenType === StringLiteral;
  const body = t.image.slice(1, closed ? -1 : undefined);
  return body.replace(/\\(.?)/g, (_, c: string) => (c === 'n' ? '\n' : c));
}
