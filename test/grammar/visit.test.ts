// The one child visitor over the AST (grammar/visit.ts): every expression kind's children,
// including the GL notation's `V*` and `det^K`, and every place in a declaration where an
// expression is written (group arguments, parameter and statement types, values).
import { describe, expect, it } from 'vitest';
import type * as A from '../../grammar/ast.js';
import { SourceFile } from '../../diagnostics/span.js';
import { parseSource } from '../../grammar/parse.js';
import { childExprs, declExprs, walkExprs } from '../../grammar/visit.js';

function names(text: string): string[] {
  const { program, diagnostics } = parseSource(new SourceFile('v.eqv', text));
  expect(diagnostics).toEqual([]);
  const found: string[] = [];
  for (const d of program.decls) walkExprs(declExprs(d), (e) => void (e.kind === 'NameExpr' && found.push(e.name)));
  return found;
}

describe('the AST child visitor', () => {
  it('reaches names inside duals, powers, multiplicities, lists and named arguments, in source order', () => {
    expect(names('const K = 2\nmodel M : GL+(3) {\n  in x: graph[2x(A*) + det^K]\n  out y: graph[1xV]\n  y = f([B], o = -C)\n}\n')).toEqual(['A', 'det', 'K', 'V', 'f', 'B', 'C']);
  });

  it('reaches group arguments, layer parameter types and the return type', () => {
    expect(names('layer L(x: node[R], n: int) -> node[Q] {\n  return x\n}\nmodel M : S(n) {\n  in x: node[N]\n  out y: node[1]\n  y = L(x, 1)\n}\n')).toEqual(['R', 'Q', 'x', 'n', 'N', 'L', 'x']);
  });

  it('lets a visit skip the children of an expression', () => {
    const { program } = parseSource(new SourceFile('v.eqv', 'const C = f(g(a), b)\n'));
    const seen: string[] = [];
    walkExprs(declExprs(program.decls[0]!), (e) => {
      if (e.kind === 'NameExpr') seen.push(e.name);
      return !(e.kind === 'CallExpr' && e.callee.kind === 'NameExpr' && e.callee.name === 'g');
    });
    expect(seen).toEqual(['f', 'b']);
    const call = (program.decls[0] as A.ConstDecl).value;
    expect(childExprs(call).map((e) => e.kind)).toEqual(['NameExpr', 'CallExpr', 'NameExpr']);
  });
});
