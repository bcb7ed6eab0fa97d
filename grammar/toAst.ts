// From chevrotain's CST to the AST of compiler/ast.ts, with exact spans (end exclusive).
//
// Error recovery can leave any child missing: a statement without its name is dropped (its
// syntax error is already reported), a missing expression becomes an ErrorExpr at the place it
// was expected. Nothing here throws on a partial tree.
//
// chevrotain groups a node's children by token or rule name, so where the order between
// groups matters (operators between operands, suffixes after a primary) it is recovered
// from token offsets.

import type { CstElement, CstNode, IToken } from 'chevrotain';
import type * as A from '../compiler/ast.js';
import type { Diagnostic } from '../compiler/diagnostics.js';
import type { SourceFile, Span } from '../compiler/span.js';
import { isMissing } from './parser.js';
import { positionalAfterNamed } from './syntaxErrors.js';
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

function nodes(node: CstNode, key: string): CstNode[] {
  return (node.children[key] ?? []).filter(isNode);
}

function node(node: CstNode, key: string): CstNode | undefined {
  for (const element of node.children[key] ?? []) if (isNode(element)) return element;
  return undefined;
}

/** The real tokens under `keys`, in source order, without the virtual ones recovery inserted. */
function tokens(node: CstNode, ...keys: string[]): IToken[] {
  const out: IToken[] = [];
  for (const key of keys) {
    for (const element of node.children[key] ?? []) if (!isNode(element) && !isMissing(element)) out.push(element);
  }
  return keys.length > 1 ? out.sort((a, b) => a.startOffset - b.startOffset) : out;
}

function token(node: CstNode, key: string): IToken | undefined {
  for (const element of node.children[key] ?? []) if (!isNode(element) && !isMissing(element)) return element;
  return undefined;
}

function hasAny(node: CstNode, keys: readonly string[]): boolean {
  return keys.some((key) => node.children[key] !== undefined);
}

function isNode(element: CstElement): element is CstNode {
  return 'children' in element;
}

const SUFFIXES = ['LParen', 'Dot', 'Caret', 'Star'];

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
    const imp = node(n, 'importDecl');
    if (imp) return this.importDecl(imp);
    const cst = node(n, 'constDecl');
    if (cst) return this.constDecl(cst);
    const layer = node(n, 'layerDecl');
    if (layer) return this.layerDecl(layer);
    const model = node(n, 'modelDecl');
    if (model) return this.modelDecl(model);
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
    return { kind: 'ConstDecl', name: this.identifier(name), value, span: this.span(keyword.startOffset, value.span.end.offset) };
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
    return { kind: 'Param', name: this.identifier(name), type, span: this.span(name.startOffset, type.span.end.offset) };
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
    const { args, named } = argsNode ? this.argumentList(argsNode, open ? endOf(open) : endOf(name)) : { args: [], named: [] };
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
    const inStmt = node(n, 'inStmt');
    if (inStmt) return this.portStmt(inStmt, 'InStmt', 'In');
    const outStmt = node(n, 'outStmt');
    if (outStmt) return this.portStmt(outStmt, 'OutStmt', 'Out');
    const letStmt = node(n, 'letStmt');
    if (letStmt) return this.letStmt(letStmt);
    const returnStmt = node(n, 'returnStmt');
    if (returnStmt) return this.returnStmt(returnStmt);
    const assignStmt = node(n, 'assignStmt');
    if (assignStmt) return this.assignStmt(assignStmt);
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

  /** `after` places an ErrorExpr when the subtree turned out empty. */
  private expression(n: CstNode, after: number): A.Expr {
    return this.binary(n, 'term', ['AdditiveOperator'], after, (t, at) => this.term(t, at));
  }

  private term(n: CstNode, after: number): A.Expr {
    return this.binary(n, 'unary', ['MultiplicativeOperator'], after, (u, at) => this.unary(u, at));
  }

  /** A left-associative chain: operand (op operand)*. */
  private binary(
    n: CstNode,
    operandKey: string,
    operatorKeys: string[],
    after: number,
    operand: (child: CstNode, after: number) => A.Expr,
  ): A.Expr {
    if (!hasAny(n, operatorKeys)) {
      const only = node(n, operandKey);
      return only ? operand(only, after) : this.errorExpr(after);
    }
    const operands = nodes(n, operandKey);
    const operators = tokens(n, ...operatorKeys);
    let left = operands[0] ? operand(operands[0], after) : this.errorExpr(after);
    operators.forEach((op, i) => {
      const child = operands[i + 1];
      const right = child ? operand(child, endOf(op)) : this.errorExpr(endOf(op));
      left = {
        kind: 'BinaryExpr',
        op: op.image as A.BinaryExpr['op'],
        left,
        right,
        span: this.span(left.span.start.offset, Math.max(right.span.end.offset, endOf(op))),
      };
    });
    return left;
  }

  private unary(n: CstNode, after: number): A.Expr {
    const minus = token(n, 'Minus');
    if (minus) {
      const inner = node(n, 'unary');
      const operand = inner ? this.unary(inner, endOf(minus)) : this.errorExpr(endOf(minus));
      return { kind: 'UnaryExpr', op: '-', operand, span: this.span(minus.startOffset, Math.max(operand.span.end.offset, endOf(minus))) };
    }
    const count = token(n, 'Multiplicity');
    const postfixNode = node(n, 'postfix');
    if (!count) return postfixNode ? this.postfix(postfixNode, after) : this.errorExpr(after);
    const operand = postfixNode ? this.postfix(postfixNode, endOf(count)) : this.errorExpr(endOf(count));
    const digits = count.image.slice(0, -1);
    return {
      kind: 'MulExpr',
      count: Number(digits),
      countSpan: this.span(count.startOffset, count.startOffset + digits.length),
      operand,
      span: this.span(count.startOffset, Math.max(operand.span.end.offset, endOf(count))),
    };
  }

  /** primary, then its suffixes in source order: calls, members, powers and duals. */
  private postfix(n: CstNode, after: number): A.Expr {
    const primaryNode = node(n, 'primary');
    let expr = primaryNode ? this.primary(primaryNode, after) : this.errorExpr(after);
    if (!hasAny(n, SUFFIXES)) return expr;
    const suffixes = tokens(n, ...SUFFIXES);
    const argumentLists = nodes(n, 'argumentList');
    const exponents = nodes(n, 'exponent');
    const closers = tokens(n, 'RParen');
    const members = tokens(n, 'Identifier');
    const start = expr.span.start.offset;
    // The token of kind `pool` that lies between this suffix and the next one.
    const within = (pool: IToken[], from: number, to: number) => pool.find((t) => t.startOffset > from && t.startOffset < to);

    suffixes.forEach((suffix, i) => {
      const next = suffixes[i + 1]?.startOffset ?? Number.POSITIVE_INFINITY;
      switch (suffix.image) {
        case '(': {
          const argsNode = argumentLists.shift();
          const { args, named } = argsNode ? this.argumentList(argsNode, endOf(suffix)) : { args: [], named: [] };
          const close = within(closers, suffix.startOffset, next);
          const lastArg = [...args, ...named].at(-1);
          const end = close ? endOf(close) : Math.max(lastArg?.span.end.offset ?? 0, endOf(suffix));
          expr = { kind: 'CallExpr', callee: expr, args, named, span: this.span(start, end) };
          break;
        }
        case '.': {
          const member = within(members, suffix.startOffset, next);
          if (member) expr = { kind: 'MemberExpr', object: expr, member: this.identifier(member), span: this.span(start, endOf(member)) };
          break;
        }
        case '^': {
          const exponentNode = exponents.shift();
          const exponent = exponentNode ? this.exponent(exponentNode, endOf(suffix)) : this.errorExpr(endOf(suffix));
          expr = { kind: 'PowerExpr', base: expr, exponent, span: this.span(start, Math.max(exponent.span.end.offset, endOf(suffix))) };
          break;
        }
        default:
          expr = { kind: 'DualExpr', operand: expr, span: this.span(start, endOf(suffix)) };
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
    return { kind: 'UnaryExpr', op: '-', operand: base, span: this.span(minus.startOffset, Math.max(base.span.end.offset, from)) };
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
            positionalAfterNamed({ file: this.file }, value.span.start.offset, value.span.end.offset, lastNamed.name.name),
          );
        }
        args.push(value);
        after = value.span.end.offset;
      }
    }
    return { args, named };
  }

  private primary(n: CstNode, after: number): A.Expr {
    const number = token(n, 'NumberLike');
    if (number) {
      if (number.tokenType === BadLiteral) return { kind: 'ErrorExpr', span: this.tokenSpan(number) };
      return { kind: 'NumberLit', value: Number(number.image), text: number.image, span: this.tokenSpan(number) };
    }
    const string = token(n, 'StringLike');
    if (string) return { kind: 'StringLit', value: stringValue(string), span: this.tokenSpan(string) };
    const truth = token(n, 'True') ?? token(n, 'False');
    if (truth) return { kind: 'BoolLit', value: truth.image === 'true', span: this.tokenSpan(truth) };
    const irrep = token(n, 'IrrepAtom');
    if (irrep) return { kind: 'IrrepLit', text: irrep.image, span: this.tokenSpan(irrep) };
    const name = token(n, 'Identifier');
    if (name) return { kind: 'NameExpr', name: name.image, span: this.tokenSpan(name) };
    const open = token(n, 'LParen');
    if (open) {
      const inner = this.expressionOr(n, 'expression', endOf(open));
      const close = token(n, 'RParen');
      const end = close ? endOf(close) : Math.max(inner.span.end.offset, endOf(open));
      return { kind: 'ParenExpr', inner, span: this.span(open.startOffset, end) };
    }
    const listNode = node(n, 'list');
    if (listNode) return this.list(listNode, after);
    return this.errorExpr(after);
  }

  private list(n: CstNode, after: number): A.Expr {
    const open = token(n, 'LBracket');
    if (!open) return this.errorExpr(after);
    const items = nodes(n, 'expression').map((e) => this.expression(e, endOf(open)));
    const close = token(n, 'RBracket');
    const end = close ? endOf(close) : Math.max(items.at(-1)?.span.end.offset ?? 0, endOf(open));
    return { kind: 'ListExpr', items, span: this.span(open.startOffset, end) };
  }
}

/** The value of a string token: quotes removed, `\"`, `\\` and `\n` decoded. */
function stringValue(t: IToken): string {
  const closed = t.tokenType === StringLiteral;
  const body = t.image.slice(1, closed ? -1 : undefined);
  return body.replace(/\\(.?)/g, (_, c: string) => (c === 'n' ? '\n' : c));
}
