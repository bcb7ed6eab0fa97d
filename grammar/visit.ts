// The one child visitor over the AST: which expressions sit directly under an expression, a
// statement or a declaration. Every walk (the checker's name and use passes, the editor
// queries, the formatter) goes through these, so a new expression kind is added here once
// and no walk silently skips it.

import type { Decl, Expr, Stmt, TypeExpr } from './ast.js';

/** The direct sub-expressions of an expression, in source order (named arguments' values included). */
export function childExprs(e: Expr): readonly Expr[] {
  switch (e.kind) {
    case 'MemberExpr':
      return [e.object];
    case 'CallExpr':
      return [e.callee, ...e.args, ...e.named.map((n) => n.value)];
    case 'BinaryExpr':
      return [e.left, e.right];
    case 'UnaryExpr':
    case 'MulExpr':
    case 'DualExpr':
      return [e.operand];
    case 'PowerExpr':
      return [e.base, e.exponent];
    case 'ParenExpr':
      return [e.inner];
    case 'ListExpr':
      return e.items;
    case 'NumberLit':
    case 'StringLit':
    case 'BoolLit':
    case 'IrrepLit':
    case 'NameExpr':
    case 'ErrorExpr':
      return [];
  }
}

const typeArg = (t: TypeExpr | undefined): Expr[] => (t?.arg ? [t.arg] : []);

/** The expressions written directly in a statement: its type's argument, then its value. */
export function stmtExprs(s: Stmt): readonly Expr[] {
  switch (s.kind) {
    case 'InStmt':
    case 'OutStmt':
      return typeArg(s.type);
    case 'LetStmt':
      return [...typeArg(s.type), s.value];
    case 'AssignStmt':
    case 'ReturnStmt':
      return [s.value];
  }
}

/** The expressions written directly in a declaration (group arguments, parameter types, statements), in source order. */
export function declExprs(d: Decl): readonly Expr[] {
  switch (d.kind) {
    case 'ImportDecl':
      return [];
    case 'ConstDecl':
      return [d.value];
    case 'ModelDecl':
      return [...d.group.factors.flatMap((f) => [...f.args, ...f.named.map((n) => n.value)]), ...d.body.flatMap(stmtExprs)];
    case 'LayerDecl':
      return [...d.params.flatMap((p) => typeArg(p.type)), ...typeArg(d.returnType), ...d.body.flatMap(stmtExprs)];
  }
}

/** Every expression under `roots`, pre-order; `visit` returns false to skip an expression's children. */
export function walkExprs(roots: readonly Expr[], visit: (e: Expr) => boolean | void): void {
  for (const e of roots) if (visit(e) !== false) walkExprs(childExprs(e), visit);
}
