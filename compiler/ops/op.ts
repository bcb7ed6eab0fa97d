// What a built-in operation is to the checker: its parameters (positional order, kinds,
// defaults, choices) and a type rule that, given the bound arguments, reports diagnostics and
// builds the typed nodes it lowers to. One file per operation in this folder; adding an
// operation is adding a file and a line in index.ts.

import type { Expr } from '../../grammar/ast.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Span } from '../../diagnostics/span.js';
import type { Group } from '../../stdlib/groups/group.js';
import type { Atom, Rep } from '../../stdlib/groups/rep.js';
import type { ActivationName, AttrsOf, IRCouplingTable, IROp } from '../../ir/types.js';
import type { CValue, Origin, ParamSpec, RValue, TNode, Ty } from '../check/types.js';

export type ArgKind =
  /** A runtime value (field, points or graph). */
  | 'value'
  | 'rep'
  | 'number'
  | 'integer'
  | 'string'
  | 'bool'
  /** One of `choices`, written as a string or a bare name: `reduce = sum`. */
  | 'choice'
  | 'activation'
  /** A list of integers: `hidden = [64, 64]`. */
  | 'list'
  /** `shared`, `none`, or a runtime value of per-sample weights. */
  | 'weights'
  /** A number, or the word `data`: a statistic the trainers compute from the training set (IRParam.statistic). */
  | 'number_or_data';

export interface OpParam {
  readonly name: string;
  readonly kind: ArgKind;
  /** Absent and no default: the argument is required. */
  readonly default?: CValue;
  /** Absent, no default, and optional: the op decides (e.g. `out` of tp). */
  readonly optional?: boolean;
  readonly choices?: readonly string[];
  /** A `list` of indices: whole numbers from 0 (sizes start at 1). */
  readonly indices?: boolean;
  readonly doc: string;
}

export type WeightsArg = { readonly kind: 'shared' } | { readonly kind: 'none' } | { readonly kind: 'value'; readonly value: RValue };

export interface ArgRef {
  readonly expr: Expr;
  readonly span: Span;
}

/** A call of a built-in op with its arguments bound to parameters and evaluated by kind. */
export interface OpCall {
  readonly group: Group<Atom>;
  readonly span: Span;
  readonly calleeSpan: Span;
  /** The parameter name prefix claimed by this call (`h1.m`). */
  readonly prefix: string;
  readonly via: readonly string[];
  /** Arguments as written (absent when the default applies). */
  arg(name: string): ArgRef | undefined;
  /** Span of an argument, or of the call when it was not written. */
  argSpan(name: string): Span;
  value(name: string): RValue;
  rep(name: string): Rep<Atom>;
  /** Whether an optional argument was given. */
  has(name: string): boolean;
  number(name: string): number;
  /** A `number_or_data` argument: its number, or 'data'. */
  numberOrData(name: string): number | 'data';
  string(name: string): string;
  /** A `choice` argument as one of `choices` (the checker already rejected anything else). */
  choice<T extends string>(name: string, choices: readonly T[]): T;
  bool(name: string): boolean;
  activation(name: string): ActivationName;
  list(name: string): readonly number[];
  /** Extra positional values of a variadic op (concat). */
  rest(): readonly { value: RValue; span: Span }[];
  /**
   * Evaluates a `weights` argument. `expectedNumel` lets an inline `mlp(...)` without `out`
   * produce exactly the weights needed. Undefined when evaluation failed (already reported).
   */
  weights(name: string, expectedNumel: number, expectedDomain: string): WeightsArg | undefined;
  /**
   * A value the context supplies for an omitted argument (an inline mlp's `out` as tp weights);
   * 'unknown' when the context would supply it but earlier errors hide it (the call is still
   * checked for its own errors, and reports none about the missing argument).
   */
  inferred(name: string): number | 'unknown' | undefined;

  report(d: Diagnostic): void;
  /** Create a typed node; `prefix` defaults to this call's prefix when params are given. */
  node<O extends IROp>(op: O, inputs: readonly (RValue | TNode)[], ty: Ty, attrs: AttrsOf<O>, params?: readonly ParamSpec[], prefix?: string, tables?: Readonly<Record<string, IRCouplingTable>>): TNode;
  /** The value of a node with an origin describing it. */
  result(node: TNode, origin: Omit<Origin, 'span'> & { span?: Span }): RValue;
  /** Formatting in the group's notation. */
  fmtRep(rep: Rep<Atom>): string;
  fmtTy(ty: Ty): string;
  /** "h is node[1x0e] (declared at line 9)" */
  describe(v: RValue): string;
  /** Line number of a span, for "(line 12)". */
  line(span: Span): number;
}

export interface OpDef {
  readonly name: string;
  /** One line for completion and docs. */
  readonly summary: string;
  readonly params: readonly OpParam[];
  /** Extra positional arguments are values (concat). */
  readonly variadic?: boolean;
  check(call: OpCall): RValue | undefined;
}
