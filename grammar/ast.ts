// The abstract syntax tree of one .eqv file, as grammar/toAst.ts builds it from the CST.
// Nodes are plain immutable data with a span; later phases never mutate them.
// Representations are ordinary expressions here (`16x0e + 8x1o` is a sum of multiplicity
// terms over atoms); the model's group gives them meaning in compiler/check.

import type { Span } from '../diagnostics/span.js';

export interface Identifier {
  readonly kind: 'Identifier';
  readonly name: string;
  readonly span: Span;
}

// ---------- declarations ----------

export interface Program {
  readonly kind: 'Program';
  readonly file: string;
  readonly decls: readonly Decl[];
  readonly span: Span;
}

export type Decl = ImportDecl | ConstDecl | LayerDecl | ModelDecl;

export interface ImportDecl {
  readonly kind: 'ImportDecl';
  /** The path as written, without quotes: `std/radial.eqv` or `./blocks.eqv`. */
  readonly path: string;
  readonly pathSpan: Span;
  readonly alias?: Identifier;
  readonly span: Span;
}

export interface ConstDecl {
  readonly kind: 'ConstDecl';
  readonly name: Identifier;
  readonly value: Expr;
  readonly span: Span;
}

export interface LayerDecl {
  readonly kind: 'LayerDecl';
  readonly name: Identifier;
  /** Representation variables declared with the layer: `layer Block<R, S>(...)`. */
  readonly repParams: readonly Identifier[];
  readonly params: readonly Param[];
  readonly returnType?: TypeExpr;
  readonly body: readonly Stmt[];
  readonly span: Span;
}

export interface Param {
  readonly kind: 'Param';
  readonly name: Identifier;
  readonly type: TypeExpr;
  readonly span: Span;
}

export interface ModelDecl {
  readonly kind: 'ModelDecl';
  readonly name: Identifier;
  readonly group: GroupExpr;
  readonly body: readonly Stmt[];
  readonly span: Span;
}

/** `E(3)`, `GL+(3)`, `S(5)`, `Flow(...)`, or a product `E(3) x S(8)`. */
export interface GroupExpr {
  readonly kind: 'GroupExpr';
  readonly factors: readonly GroupFactor[];
  readonly span: Span;
}

export interface GroupFactor {
  readonly kind: 'GroupFactor';
  /** The name as written, `+` included: `SO`, `E`, `GL+`, `S`, `Flow`. */
  readonly name: string;
  readonly args: readonly Expr[];
  readonly named: readonly NamedArg[];
  /** Whether the factor was written with parentheses (`Foo` vs `Foo()`). */
  readonly hasParens: boolean;
  readonly span: Span;
}

// ---------- types ----------

/**
 * `node[16x0e]`, `edge[R]`, `graph[8x0e]`, `node[pos]`, the bare `graph` of a radius graph, and
 * the compile-time kinds of layer parameters: `number`, `string`, `bool`, `rep`, `activation`.
 */
export interface TypeExpr {
  readonly kind: 'TypeExpr';
  readonly name: Identifier;
  /** The bracketed part; absent for a bare name. */
  readonly arg?: Expr;
  readonly span: Span;
}

// ---------- statements ----------

export type Stmt = InStmt | OutStmt | LetStmt | AssignStmt | ReturnStmt;

export interface InStmt {
  readonly kind: 'InStmt';
  readonly name: Identifier;
  readonly type: TypeExpr;
  readonly span: Span;
}

export interface OutStmt {
  readonly kind: 'OutStmt';
  readonly name: Identifier;
  readonly type: TypeExpr;
  readonly span: Span;
}

export interface LetStmt {
  readonly kind: 'LetStmt';
  readonly name: Identifier;
  readonly type?: TypeExpr;
  readonly value: Expr;
  readonly span: Span;
}

export interface AssignStmt {
  readonly kind: 'AssignStmt';
  readonly name: Identifier;
  readonly value: Expr;
  readonly span: Span;
}

export interface ReturnStmt {
  readonly kind: 'ReturnStmt';
  readonly value: Expr;
  readonly span: Span;
}

// ---------- expressions ----------

export type Expr =
  | NumberLit
  | StringLit
  | BoolLit
  | IrrepLit
  | NameExpr
  | MemberExpr
  | CallExpr
  | BinaryExpr
  | UnaryExpr
  | MulExpr
  | ListExpr
  | DualExpr
  | PowerExpr
  | ParenExpr
  | ErrorExpr;

export interface NumberLit {
  readonly kind: 'NumberLit';
  readonly value: number;
  /** As written, so the formatter keeps `1e-3` as `1e-3`. */
  readonly text: string;
  readonly span: Span;
}

export interface StringLit {
  readonly kind: 'StringLit';
  readonly value: string;
  readonly span: Span;
}

export interface BoolLit {
  readonly kind: 'BoolLit';
  readonly value: boolean;
  readonly span: Span;
}

/** An irrep atom with a parity letter: `0e`, `1o`, `2y`. */
export interface IrrepLit {
  readonly kind: 'IrrepLit';
  readonly text: string;
  readonly span: Span;
}

export interface NameExpr {
  readonly kind: 'NameExpr';
  readonly name: string;
  readonly span: Span;
}

/** `g.vec`, or a qualified name `Blocks.Interaction` through an `import ... as Blocks`. */
export interface MemberExpr {
  readonly kind: 'MemberExpr';
  readonly object: Expr;
  readonly member: Identifier;
  readonly span: Span;
}

export interface NamedArg {
  readonly kind: 'NamedArg';
  readonly name: Identifier;
  readonly value: Expr;
  readonly span: Span;
}

export interface CallExpr {
  readonly kind: 'CallExpr';
  readonly callee: Expr;
  readonly args: readonly Expr[];
  readonly named: readonly NamedArg[];
  readonly span: Span;
}

/** `a + b` is the direct sum on representations and addition on numbers. */
export interface BinaryExpr {
  readonly kind: 'BinaryExpr';
  readonly op: '+' | '-' | '*' | '/';
  readonly left: Expr;
  readonly right: Expr;
  readonly span: Span;
}

export interface UnaryExpr {
  readonly kind: 'UnaryExpr';
  readonly op: '-';
  readonly operand: Expr;
  readonly span: Span;
}

/** A multiplicity: `16x0e`, `3xV`, `2x(0e + 1o)`. */
export interface MulExpr {
  readonly kind: 'MulExpr';
  readonly count: number;
  readonly countSpan: Span;
  readonly operand: Expr;
  readonly span: Span;
}

export interface ListExpr {
  readonly kind: 'ListExpr';
  readonly items: readonly Expr[];
  readonly span: Span;
}

/** The dual representation `V*` (GL+(n) notation). */
export interface DualExpr {
  readonly kind: 'DualExpr';
  readonly operand: Expr;
  readonly span: Span;
}

/** `det^2` (GL+(n) notation). */
export interface PowerExpr {
  readonly kind: 'PowerExpr';
  readonly base: Expr;
  readonly exponent: Expr;
  readonly span: Span;
}

export interface ParenExpr {
  readonly kind: 'ParenExpr';
  readonly inner: Expr;
  readonly span: Span;
}

/** Stands in for an expression the parser could not read; its diagnostic is already reported. */
export interface ErrorExpr {
  readonly kind: 'ErrorExpr';
  readonly span: Span;
}

export interface Comment {
  readonly text: string;
  readonly span: Span;
  readonly block: boolean;
}
