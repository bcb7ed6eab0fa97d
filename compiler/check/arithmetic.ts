// Arithmetic on values: residuals and self-connections (`x + m`, `a - b`), negation (`-a`),
// scaling by a number (`0.5 * a`, `a / 2`) and by an invariant scalar of each row (`s * a` with
// `s: node[1x0e]`). Each is equivariant in every group: sums of values of one type stay of that
// type, and an invariant scalar commutes with every representation. Whether an expression is
// value arithmetic or constant arithmetic (`16 * 2`, `8x0e + 4x1o`) depends on its operands.

import type { Expr } from '../../grammar/ast.js';
import { type Diagnostic, diagnostic } from '../../diagnostics/diagnostic.js';
import type { Span } from '../../diagnostics/span.js';
import type { Group } from '../../stdlib/groups/group.js';
import { type Atom, Rep } from '../../stdlib/groups/rep.js';
import type { AttrsOf, IROp } from '../../ir/types.js';
import { type CValue, type Origin, type RValue, type TNode, type Ty, describeCValue, typesMatch } from './types.js';

type Arithmetic = Extract<Expr, { kind: 'BinaryExpr' | 'UnaryExpr' }>;

/** What arithmetic needs from the body being checked. */
export interface ArithmeticEnv {
  readonly group: Group<Atom>;
  evalAny(expr: Expr): RValue | CValue | undefined;
  makeNode<O extends IROp>(op: O, inputs: readonly TNode[], ty: Ty, attrs: AttrsOf<O>, span: Span): TNode;
  report(d: Diagnostic): void;
  fmtTy(ty: Ty): string;
}

const isValue = (v: RValue | CValue): v is RValue => 'node' in v;

/** The invariant scalar of the group on one row: `1x0e` in O(3), `1x0` in SO(3), `1` in S(n). */
function isRowScalar(group: Group<Atom>, ty: Ty): boolean {
  if (ty.kind !== 'field') return false;
  const blocks = ty.rep.blocks;
  return blocks.length === 1 && blocks[0]!.mul === 1 && blocks[0]!.ir.key === group.scalar.key;
}

function origin(text: string, span: Span): Origin {
  return { text, span };
}

function scaled(env: ArithmeticEnv, v: RValue, factor: number, span: Span, what: string): RValue {
  const node = env.makeNode('scale', [v.node], v.ty, { factor }, span);
  return { node, ty: v.ty, origin: origin(`${what} is ${env.fmtTy(v.ty)} (line ${span.start.line})`, span) };
}

/** Values that arithmetic refuses outright: points and graphs have no sum. */
function refuseNonField(env: ArithmeticEnv, v: RValue, span: Span, op: string): boolean {
  if (v.ty.kind === 'field') return false;
  const help = v.ty.kind === 'points' ? 'positions are points, not vectors: use the edge vectors of a graph (`g.vec`), which are translation invariant' : 'a graph is not a feature; use its fields `.vec` and `.len`';
  env.report(diagnostic('E1004', span, `\`${op}\` does not apply to ${env.fmtTy(v.ty)}`, { notes: [v.origin.text], help }));
  return true;
}

export function evalArithmetic(env: ArithmeticEnv, expr: Arithmetic): RValue | undefined {
  if (expr.kind === 'UnaryExpr') {
    const v = env.evalAny(expr.operand);
    if (!v) return undefined;
    if (!isValue(v)) return undefined; // unreachable: the caller routes constant operands to constant arithmetic
    if (refuseNonField(env, v, expr.span, '-')) return undefined;
    return scaled(env, v, -1, expr.span, 'the negation');
  }
  const left = env.evalAny(expr.left);
  const right = env.evalAny(expr.right);
  if (!left || !right) return undefined;
  const op = expr.op;
  if (op === '+' || op === '-') {
    if (!isValue(left) || !isValue(right)) {
      const constant = (isValue(left) ? right : left) as CValue;
      env.report(
        diagnostic('E1003', (isValue(left) ? expr.right : expr.left).span, `\`${op}\` adds values, not ${describeCValue(constant)}`, {
          notes: ['adding a constant to every row is only equivariant on invariant scalars, and then it is a bias'],
          help: 'learn an offset with `linear(x, ...)`, whose scalar outputs have biases',
        }),
      );
      return undefined;
    }
    if (refuseNonField(env, left, expr.left.span, op) || refuseNonField(env, right, expr.right.span, op)) return undefined;
    const a = env.fmtTy(left.ty);
    const b = env.fmtTy(right.ty);
    if (!typesMatch(left.ty, right.ty)) {
      const sameDomain = left.ty.kind === 'field' && right.ty.kind === 'field' && left.ty.domain === right.ty.domain;
      env.report(
        diagnostic('E1001', expr.span, `\`${op}\` needs two values of the same type, but the left is ${a} and the right is ${b}`, {
          notes: [left.origin.text, right.origin.text],
          help: sameDomain
            ? `map one onto the other's representation first, e.g. \`linear(${exprText(expr.right)}, ${a.slice(a.indexOf('[') + 1, -1)})\``
            : 'values on different domains (node, edge, graph) cannot be added: gather, scatter or pool one of them first',
        }),
      );
      return undefined;
    }
    const node = env.makeNode('add', [left.node, right.node], left.ty, { coefficients: [1, op === '+' ? 1 : -1] }, expr.span);
    return { node, ty: left.ty, origin: origin(`the ${op === '+' ? 'sum' : 'difference'} is ${a} (line ${expr.span.start.line})`, expr.span) };
  }
  // `*` and `/`.
  if (!isValue(left) || !isValue(right)) {
    const [value, constant, constantExpr] = isValue(left) ? [left, right as CValue, expr.right] : [right as RValue, left as CValue, expr.left];
    if (op === '/' && !isValue(left)) {
      env.report(diagnostic('E1003', expr.right.span, '`/` divides a value by a number, not a number by a value', { notes: [value.origin.text], help: 'a reciprocal of features is not equivariant; scale by a number instead' }));
      return undefined;
    }
    if (constant.kind !== 'number') {
      env.report(diagnostic('E1003', constantExpr.span, `\`${op}\` scales a value by a number, not by ${describeCValue(constant)}`, { notes: [value.origin.text] }));
      return undefined;
    }
    if (refuseNonField(env, value, expr.span, op)) return undefined;
    if (op === '/' && constant.value === 0) {
      env.report(diagnostic('E0502', expr.right.span, 'division by zero'));
      return undefined;
    }
    return scaled(env, value, op === '*' ? constant.value : 1 / constant.value, expr.span, 'the scaled value');
  }
  if (op === '/') {
    env.report(diagnostic('E1002', expr.span, '`/` does not divide a value by a value', { notes: [left.origin.text, right.origin.text], help: 'multiply by an invariant scalar instead, e.g. `s * x` with `s` computed by `mlp` or `linear`' }));
    return undefined;
  }
  if (refuseNonField(env, left, expr.left.span, op) || refuseNonField(env, right, expr.right.span, op)) return undefined;
  const [scalar, other] = isRowScalar(env.group, left.ty) ? [left, right] : isRowScalar(env.group, right.ty) ? [right, left] : [undefined, undefined];
  if (!scalar || !other) {
    const trivial = env.fmtTy({ kind: 'field', domain: left.ty.kind === 'field' ? left.ty.domain : 'node', rep: new Rep([{ mul: 1, ir: env.group.scalar }]) });
    env.report(
      diagnostic('E1002', expr.span, `\`*\` of two values needs one of them to be one invariant scalar per row (${trivial}), but the left is ${env.fmtTy(left.ty)} and the right is ${env.fmtTy(right.ty)}`, {
        notes: [left.origin.text, right.origin.text],
        help: 'products of equivariant features are tensor products: `tp(a, b, out = ...)`',
      }),
    );
    return undefined;
  }
  if (scalar.ty.kind !== 'field' || other.ty.kind !== 'field' || scalar.ty.domain !== other.ty.domain) {
    env.report(
      diagnostic('E1001', expr.span, `\`*\` needs both values on the same domain, but the left is ${env.fmtTy(left.ty)} and the right is ${env.fmtTy(right.ty)}`, {
        notes: [left.origin.text, right.origin.text],
        help: 'gather, scatter or pool the scalar onto the other value\'s domain first',
      }),
    );
    return undefined;
  }
  const node = env.makeNode('scalar_mul', [scalar.node, other.node], other.ty, {}, expr.span);
  return { node, ty: other.ty, origin: origin(`the scaled value is ${env.fmtTy(other.ty)} (line ${expr.span.start.line})`, expr.span) };
}

/** The source of a short expression for a help line, or a placeholder when it is long. */
function exprText(e: Expr): string {
  if (e.kind === 'NameExpr') return e.name;
  return '...';
}
