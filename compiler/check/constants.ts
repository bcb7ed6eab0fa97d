// Compile-time evaluation: numbers, strings, booleans, lists, activation names and
// representations written in the model group's notation. Sums, multiplicities, parentheses and
// names are handled here; atoms (`1o`, `2`, `T(2,0)`) are the group's business.

import type { Expr } from '../../grammar/ast.js';
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Group } from '../../stdlib/groups/group.js';
import { Rep, type Atom } from '../../stdlib/groups/rep.js';
import type { CValue } from './types.js';
import { toRepExpr } from './repExpr.js';
import type { RepExpr } from '../../stdlib/groups/repExpr.js';
import { MAX_MULTIPLICITY, MAX_REP_DIM } from '../../stdlib/limits.js';
import { describeCValue, formatRep } from './types.js';

/** What a name means at compile time where it is used. */
export type ConstLookup =
  /**
   * `asRep`: the constant's defining expression read as a representation where it is used in
   * one. A constant stands for its expression: `const W = 1 + 2` is the number 3 in an option
   * and the direct sum `1 + 2` in `node[W]`, exactly as if `1 + 2` were written there, so
   * factoring a type into a constant never changes it.
   */
  | { readonly kind: 'const'; readonly value: CValue; readonly asRep?: () => Rep<Atom> | undefined }
  /** A runtime value, a layer or an op: not a constant. */
  | { readonly kind: 'other'; readonly what: string }
  /** A name whose definition failed, already reported. */
  | { readonly kind: 'poisoned' }
  | { readonly kind: 'unknown' };

export interface ConstEnv {
  readonly group: Group<Atom>;
  lookup(name: string, span: Expr['span']): ConstLookup;
  /** `M.NAME` of a module imported `as M`; undefined when `M` is not such a module. */
  lookupQualified(expr: Extract<Expr, { kind: 'MemberExpr' }>): ConstLookup | undefined;
  /** Reports an unknown name (with suggestions); the caller stops evaluating. */
  unknownName(name: string, span: Expr['span']): void;
  report(d: Diagnostic): void;
}

/** Evaluate any compile-time expression. Undefined when it failed (already reported). */
export function evalConst(expr: Expr, env: ConstEnv): CValue | undefined {
  switch (expr.kind) {
    case 'NumberLit':
      return { kind: 'number', value: expr.value };
    case 'StringLit':
      return { kind: 'string', value: expr.value };
    case 'BoolLit':
      return { kind: 'bool', value: expr.value };
    case 'ParenExpr':
      return evalConst(expr.inner, env);
    case 'ListExpr': {
      const items: CValue[] = [];
      for (const item of expr.items) {
        const v = evalConst(item, env);
        if (!v) return undefined;
        items.push(v);
      }
      return { kind: 'list', items };
    }
    case 'IrrepLit':
    case 'MulExpr':
    case 'DualExpr':
    case 'PowerExpr':
    case 'CallExpr': {
      const rep = evalRep(expr, env);
      return rep && { kind: 'rep', rep };
    }
    case 'NameExpr': {
      const found = env.lookup(expr.name, expr.span);
      if (found.kind === 'const') return found.value;
      if (found.kind === 'poisoned') return undefined;
      if (found.kind === 'other') {
        env.report(diagnostic('E0501', expr.span, `\`${expr.name}\` is ${found.what}, not a compile-time constant`, { help: 'constants and options take numbers, strings, booleans, representations and activation names' }));
        return undefined;
      }
      if (env.group.notation.atomNames().includes(expr.name)) {
        const rep = evalRep(expr, env);
        return rep && { kind: 'rep', rep };
      }
      env.unknownName(expr.name, expr.span);
      return undefined;
    }
    case 'UnaryExpr': {
      const v = evalConst(expr.operand, env);
      if (!v) return undefined;
      if (v.kind !== 'number') {
        env.report(diagnostic('E0502', expr.span, `\`-\` needs a number, found ${describeCValue(v)}`));
        return undefined;
      }
      return { kind: 'number', value: -v.value };
    }
    case 'BinaryExpr': {
      const left = evalConst(expr.left, env);
      const right = evalConst(expr.right, env);
      if (!left || !right) return undefined;
      if (left.kind === 'number' && right.kind === 'number') {
        const a = left.value;
        const b = right.value;
        const value = expr.op === '+' ? a + b : expr.op === '-' ? a - b : expr.op === '*' ? a * b : a / b;
        if (!Number.isFinite(value)) {
          env.report(diagnostic('E0502', expr.span, `\`${a} ${expr.op} ${b}\` is not a finite number`));
          return undefined;
        }
        return { kind: 'number', value };
      }
      // `+` of representations, and GL+(n)'s twisted tensors `T(1,0)*det`.
      if ((expr.op === '+' || (expr.op === '*' && env.group.notation.atomNames().includes('det'))) && (left.kind === 'rep' || right.kind === 'rep')) {
        const rep = evalRep(expr, env);
        return rep && { kind: 'rep', rep };
      }
      env.report(
        diagnostic('E0502', expr.span, `\`${expr.op}\` does not apply to ${describeCValue(left)} and ${describeCValue(right)}`, {
          help: left.kind === 'rep' || right.kind === 'rep' ? 'representations combine with `+` (direct sum) and multiplicities like `16x0e`' : undefined,
        }),
      );
      return undefined;
    }
    case 'MemberExpr': {
      const found = env.lookupQualified(expr);
      if (found?.kind === 'const') return found.value;
      if (found?.kind === 'poisoned' || found?.kind === 'unknown') return undefined;
      const qualified = found?.kind === 'other' && expr.object.kind === 'NameExpr' ? `\`${expr.object.name}.${expr.member.name}\` is ${found.what},` : 'a field of a value is';
      env.report(diagnostic('E0501', expr.span, `${qualified} not a compile-time constant`));
      return undefined;
    }
    case 'ErrorExpr':
      return undefined;
  }
}

/** Evaluate an expression as a representation in the group's notation. */
export function evalRep(expr: Expr, env: ConstEnv): Rep<Atom> | undefined {
  const { group } = env;
  switch (expr.kind) {
    case 'ParenExpr':
      return evalRep(expr.inner, env);
    case 'BinaryExpr': {
      // `T(1,0)*det^2`: a twisted tensor of GL+(n), one atom of that notation.
      if (expr.op === '*' && group.notation.atomNames().includes('det')) return atomRep(expr, env);
      if (expr.op !== '+') {
        // Evaluate both sides: their own errors come first, and names in them count as used.
        const left = evalConst(expr.left, env);
        const right = evalConst(expr.right, env);
        if (!left || !right) return undefined;
        if (left.kind === 'number' && right.kind === 'number') {
          const v = evalConst(expr, env);
          return v && coerceRep(v, expr, env);
        }
        env.report(diagnostic('E0502', expr.span, `\`${expr.op}\` does not apply to representations`, { help: repArithmeticHelp(expr) }));
        return undefined;
      }
      const a = evalRep(expr.left, env);
      const b = evalRep(expr.right, env);
      return a && b && withinDim(a.concat(b), expr, env);
    }
    case 'MulExpr': {
      if (expr.count > MAX_MULTIPLICITY) {
        env.report(diagnostic('E1201', expr.span, `multiplicity ${expr.count} is above the limit of ${MAX_MULTIPLICITY}`, { help: `use at most ${MAX_MULTIPLICITY} copies` }));
        return undefined;
      }
      const inner = evalRep(expr.operand, env);
      return inner && withinDim(inner.scale(expr.count), expr, env);
    }
    case 'NameExpr': {
      const found = env.lookup(expr.name, expr.span);
      if (found.kind === 'const' && found.value.kind === 'number' && found.asRep) return found.asRep();
      if (found.kind === 'const') return coerceRep(found.value, expr, env);
      if (found.kind === 'poisoned') return undefined;
      if (found.kind === 'other') {
        env.report(diagnostic('E0501', expr.span, `\`${expr.name}\` is ${found.what}, not a representation`));
        return undefined;
      }
      if (group.notation.atomNames().includes(expr.name)) return atomRep(expr, env);
      env.unknownName(expr.name, expr.span);
      return undefined;
    }
    case 'NumberLit':
    case 'IrrepLit':
    case 'DualExpr':
    case 'PowerExpr':
    case 'CallExpr':
      return atomRep(expr, env);
    case 'ErrorExpr':
      return undefined;
    case 'MemberExpr': {
      const found = env.lookupQualified(expr);
      if (found?.kind === 'const' && found.value.kind === 'number' && found.asRep) return found.asRep();
      const v = evalConst(expr, env);
      return v && coerceRep(v, expr, env);
    }
    default: {
      const v = evalConst(expr, env);
      if (!v) return undefined;
      return coerceRep(v, expr, env);
    }
  }
}

/** `2 * HIDDEN` is most likely a multiplicity: say how to write one. */
function repArithmeticHelp(expr: Extract<Expr, { kind: 'BinaryExpr' }>): string {
  const [count, rep] = expr.left.kind === 'NumberLit' ? [expr.left, expr.right] : [expr.right, expr.left];
  if (expr.op === '*' && count.kind === 'NumberLit' && Number.isInteger(count.value) && rep.kind === 'NameExpr') {
    return `write a multiplicity: \`${count.text}x(${rep.name})\``;
  }
  return 'representations combine with `+` (direct sum) and multiplicities like `16x0e`';
}

function coerceRep(v: CValue, expr: Expr, env: ConstEnv): Rep<Atom> | undefined {
  if (v.kind === 'rep') return v.rep;
  if (v.kind === 'number') {
    // A numeric constant used as a representation is an atom in groups written with numbers (SO(3): `1`).
    return atomRep(expr, env, { kind: 'number', value: v.value, text: String(v.value) });
  }
  env.report(diagnostic('E0201', expr.span, `expected a representation, found ${describeCValue(v)}`));
  return undefined;
}

/** One atom written at `expr` (`resolved`: its value, when already known), read by the group's notation. */
function atomRep(expr: Expr, env: ConstEnv, resolved: RepExpr = resolveAtom(expr, env)): Rep<Atom> | undefined {
  const result = env.group.notation.atom(resolved);
  if (!result.ok) {
    // Name the group once: GL+(n)'s messages already say "of GL+(3)".
    const message = result.message.includes(env.group.name) ? result.message : `${result.message} (${env.group.name})`;
    env.report(
      diagnostic(result.code ?? 'E0201', expr.span, message, {
        ...(result.help !== undefined ? { help: result.help } : {}),
      }),
    );
    return undefined;
  }
  if ((result.mul ?? 1) > MAX_MULTIPLICITY) {
    env.report(diagnostic('E1201', expr.span, `${result.mul} channels are above the limit of ${MAX_MULTIPLICITY}`, { help: `use at most ${MAX_MULTIPLICITY} channels` }));
    return undefined;
  }
  return withinDim(new Rep([{ mul: result.mul ?? 1, ir: result.atom }]), expr, env);
}

/** A representation no larger than MAX_REP_DIM numbers per row, or a diagnostic. */
function withinDim(rep: Rep<Atom>, expr: Expr, env: ConstEnv): Rep<Atom> | undefined {
  if (rep.dim <= MAX_REP_DIM) return rep;
  env.report(diagnostic('E1201', expr.span, `this representation has dimension ${rep.dim}, above the limit of ${MAX_REP_DIM}`, { help: `keep every value below ${MAX_REP_DIM} numbers per row` }));
  return undefined;
}

/** The atom written at `expr` with its numeric constants substituted, for the group's notation. */
export function resolveAtom(expr: Expr, env: ConstEnv): RepExpr {
  return toRepExpr(expr, (e) => {
    const found = e.kind === 'NameExpr' ? env.lookup(e.name, e.span) : env.lookupQualified(e);
    return found?.kind === 'const' && found.value.kind === 'number' ? found.value.value : undefined;
  });
}

export { formatRep };
