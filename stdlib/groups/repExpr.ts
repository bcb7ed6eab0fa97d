// An atom of a representation as written, after the checker has resolved it: constants are
// substituted (`det^K` with `const K = 2` arrives as `det^2`), parentheses and unary minus are
// folded, and spans are gone. Group plugins read this, never the parser's AST, so the notation
// of a group depends only on stdlib/ and a constant means the same in every position.

export type RepExpr =
  /** A number as written or substituted: `2`, `-1`; `text` is how messages quote it. */
  | { readonly kind: 'number'; readonly value: number; readonly text: string }
  /** An irrep literal: `1o`, `0e`, `2y`. */
  | { readonly kind: 'irrep'; readonly text: string }
  /** A bare name that is not a numeric constant: `V`, `det`. */
  | { readonly kind: 'name'; readonly name: string }
  /** The dual `V*`. */
  | { readonly kind: 'dual'; readonly operand: RepExpr }
  /** A power `det^k`. */
  | { readonly kind: 'power'; readonly base: RepExpr; readonly exponent: RepExpr }
  /** A call `T(2,1)`; `callee` is undefined when it is not a plain name; `named` counts named arguments. */
  | { readonly kind: 'call'; readonly callee: string | undefined; readonly args: readonly RepExpr[]; readonly named: number }
  /** A product `T(1,0)*det^2` (GL+(n)'s twisted tensors). */
  | { readonly kind: 'product'; readonly left: RepExpr; readonly right: RepExpr }
  /** A multiplicity inside an atom, `2xV` in `2xV*det` (a precedence mistake worth naming). */
  | { readonly kind: 'multiple'; readonly count: number; readonly operand: RepExpr }
  /** Anything else (a string, a list, another operator): no group's atom. */
  | { readonly kind: 'other' };

/** A whole number written in an atom, when `e` is one. */
export function wholeNumber(e: RepExpr): number | undefined {
  return e.kind === 'number' && Number.isInteger(e.value) ? e.value : undefined;
}
