// The checker's view of values. A runtime value has a type `domain[rep]` (or is points or a
// graph) and is produced by a node of the typed dataflow graph that lowering turns into IR.
// Compile-time values (numbers, strings, reps, activations, lists) exist only while checking.

import type { Span } from '../../diagnostics/span.js';
import type { Group } from '../../stdlib/groups/group.js';
import type { Atom, Rep } from '../../stdlib/groups/rep.js';
import type { ActivationName, AttrsOf, Domain, IRCouplingTable, IROp, ParamRole, ParamStatistic } from '../../ir/types.js';

export type { Domain };

export type Ty =
  | { readonly kind: 'field'; readonly domain: Domain; readonly rep: Rep<Atom> }
  | { readonly kind: 'points' }
  | { readonly kind: 'graph' }
  /** `graph[cell]`: a periodic cell per graph (the lattice vectors). */
  | { readonly kind: 'cell' };

/** A parameter a node owns; its full name is the node's prefix, a dot, and the suffix. */
export interface ParamSpec {
  readonly suffix: string;
  readonly shape: readonly number[];
  readonly init: 'normal' | 'zeros' | 'ones';
  readonly role: ParamRole;
  readonly aliases?: readonly string[];
  /** Computed from the training data by the trainers, not learned (IRParam.statistic). */
  readonly statistic?: ParamStatistic;
}

/** A node of the typed dataflow graph: one IR node to be, its attrs already the IR's. */
export type TNodes = { [O in IROp]: TNodeOf<O> };
export type TNode = TNodes[IROp];

/** A typed node whose attrs are op O's; the checker's only way to make one (see ir/node.ts's irNode). */
export function typedNode<O extends IROp>(node: TNodeOf<O>): TNodes[O] {
  // The one widening (correlated unions): the signature ties op to attrs.
  return node as TNodes[O];
}

export interface TNodeOf<O extends IROp> {
  readonly id: number;
  readonly op: O;
  readonly inputs: readonly TNode[];
  readonly ty: Ty;
  readonly attrs: AttrsOf<O>;
  /** Coupling tables the attrs refer to by key (tensor products). */
  readonly tables?: Readonly<Record<string, IRCouplingTable>>;
  readonly params: readonly ParamSpec[];
  /** Dotted prefix of this node's parameters (`h1.m.linear_in`); empty when it has none. */
  readonly paramPrefix: string;
  readonly span: Span;
  /** Layer calls this node was inlined through, outermost first (`Interaction (line 18)`). */
  readonly via: readonly string[];
}

/** Where a value's type came from, for diagnostics: "h is node[1x0e] (declared at line 9)". */
export interface Origin {
  readonly text: string;
  readonly span: Span;
  /** Why particular atoms are present, by atom key: "1e is the cross product 1o x 1o in h2 (line 12)". */
  readonly atoms?: ReadonlyMap<string, string>;
}

export interface RValue {
  readonly node: TNode;
  readonly ty: Ty;
  readonly origin: Origin;
}

export type CValue =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'rep'; readonly rep: Rep<Atom> }
  | { readonly kind: 'list'; readonly items: readonly CValue[] }
  | { readonly kind: 'activation'; readonly name: ActivationName };

export function formatRep(group: Group<Atom>, rep: Rep<Atom>): string {
  return rep.blocks.length === 0 ? '0' : group.notation.format(rep);
}

export function formatTy(group: Group<Atom>, ty: Ty): string {
  switch (ty.kind) {
    case 'field':
      return `${ty.domain}[${formatRep(group, ty.rep)}]`;
    case 'points':
      return 'node[pos]';
    case 'graph':
      return 'graph';
    case 'cell':
      return 'graph[cell]';
  }
}

export function describeCValue(v: CValue): string {
  switch (v.kind) {
    case 'number':
      return 'a number';
    case 'string':
      return 'a string';
    case 'bool':
      return 'a boolean';
    case 'rep':
      return 'a representation';
    case 'list':
      return 'a list';
    case 'activation':
      return 'an activation function';
  }
}

export function isField(ty: Ty): ty is Extract<Ty, { kind: 'field' }> {
  return ty.kind === 'field';
}

/** Merge the atom notes of several origins (ops that keep atoms pass them on). */
export function mergeAtomNotes(...origins: readonly Origin[]): Map<string, string> | undefined {
  let out: Map<string, string> | undefined;
  for (const o of origins) {
    if (!o.atoms) continue;
    out ??= new Map();
    for (const [k, v] of o.atoms) if (!out.has(k)) out.set(k, v);
  }
  return out;
}

/** Same kind, domain and memory layout (blocks equal after merging neighbours of one atom). */
export function typesMatch(a: Ty, b: Ty): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'field' && b.kind === 'field') return a.domain === b.domain && a.rep.sameLayout(b.rep);
  return true;
}
