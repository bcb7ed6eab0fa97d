// Builds the resolved atom expression a group plugin reads (stdlib/groups/repExpr.ts) from the
// parser's AST: names of numeric constants become their numbers, so `det^K` with `const K = 2`
// is `det^2` to the plugin, and parentheses and unary minus are folded away.

import type { Expr } from '../../grammar/ast.js';
import type { RepExpr } from '../../stdlib/groups/repExpr.js';

/** The value of a name (`K`, `M.K`) when it is a numeric constant; undefined otherwise. */
export type NumberOf = (expr: Extract<Expr, { kind: 'NameExpr' | 'MemberExpr' }>) => number | undefined;

export function toRepExpr(expr: Expr, numberOf: NumberOf): RepExpr {
  switch (expr.kind) {
    case 'NumberLit':
      return { kind: 'number', value: expr.value, text: expr.text };
    case 'IrrepLit':
      return { kind: 'irrep', text: expr.text };
    case 'ParenExpr':
      return toRepExpr(expr.inner, numberOf);
    case 'UnaryExpr': {
      const inner = toRepExpr(expr.operand, numberOf);
      return inner.kind === 'number' ? { kind: 'number', value: -inner.value, text: `-${inner.text}` } : { kind: 'other' };
    }
    case 'NameExpr':
    case 'MemberExpr': {
      const value = numberOf(expr);
      if (value !== undefined) return { kind: 'number', value, text: String(value) };
      return expr.kind === 'NameExpr' ? { kind: 'name', name: expr.name } : { kind: 'other' };
    }
    case 'DualExpr':
      return { kind: 'dual', operand: toRepExpr(expr.operand, numberOf) };
    case 'PowerExpr':
      return { kind: 'power', base: toRepExpr(expr.base, numberOf), exponent: toRepExpr(expr.exponent, numberOf) };
    case 'CallExpr':
      return { kind: 'call', callee: expr.callee.kind === 'NameExpr' ? expr.callee.name : undefined, args: expr.args.map((a) => toRepExpr(a, numberOf)), named: expr.named.length };
    case 'BinaryExpr':
      return expr.op === '*' ? { kind: 'product', left: toRepExpr(expr.left, numberOf), right: toRepExpr(expr.right, numberOf) } : { kind: 'other' };
    case 'MulExpr':
      return { kind: 'multiple', count: expr.count, operand: toRepExpr(expr.operand, numberOf) };
    default:
      return { kind: 'other' };
  }
}
