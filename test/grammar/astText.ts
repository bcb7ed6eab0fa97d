// A compact, span-free rendering of the AST for tests: `(+ (16x 0e) (8x 1o))` reads faster
// than a nested object and makes a failing assertion show what the parser built.

import type * as A from '../../grammar/ast.js';

export function exprText(e: A.Expr): string {
  switch (e.kind) {
    case 'NumberLit':
      return e.text;
    case 'StringLit':
      return JSON.stringify(e.value);
    case 'BoolLit':
      return String(e.value);
    case 'IrrepLit':
      return e.text;
    case 'NameExpr':
      return e.name;
    case 'MemberExpr':
      return `(. ${exprText(e.object)} ${e.member.name})`;
    case 'CallExpr':
      return `(call ${[exprText(e.callee), ...e.args.map(exprText), ...e.named.map(namedText)].join(' ')})`;
    case 'BinaryExpr':
      return `(${e.op} ${exprText(e.left)} ${exprText(e.right)})`;
    case 'UnaryExpr':
      return `(neg ${exprText(e.operand)})`;
    case 'MulExpr':
      return `(${e.count}x ${exprText(e.operand)})`;
    case 'ListExpr':
      return `[${e.items.map(exprText).join(' ')}]`;
    case 'DualExpr':
      return `(dual ${exprText(e.operand)})`;
    case 'PowerExpr':
      return `(^ ${exprText(e.base)} ${exprText(e.exponent)})`;
    case 'ParenExpr':
      return `(paren ${exprText(e.inner)})`;
    case 'ErrorExpr':
      return '<error>';
  }
}

function namedText(a: A.NamedArg): string {
  return `${a.name.name}=${exprText(a.value)}`;
}

export function typeText(t: A.TypeExpr): string {
  return t.arg ? `${t.name.name}[${exprText(t.arg)}]` : t.name.name;
}

export function stmtText(s: A.Stmt): string {
  switch (s.kind) {
    case 'InStmt':
      return `in ${s.name.name}: ${typeText(s.type)}`;
    case 'OutStmt':
      return `out ${s.name.name}: ${typeText(s.type)}`;
    case 'LetStmt':
      return `let ${s.name.name}${s.type ? `: ${typeText(s.type)}` : ''} = ${exprText(s.value)}`;
    case 'AssignStmt':
      return `${s.name.name} = ${exprText(s.value)}`;
    case 'ReturnStmt':
      return `return ${exprText(s.value)}`;
  }
}

export function groupText(g: A.GroupExpr): string {
  return g.factors
    .map((f) => (f.hasParens ? `${f.name}(${[...f.args.map(exprText), ...f.named.map(namedText)].join(' ')})` : f.name))
    .join(' x ');
}

export function declText(d: A.Decl): string {
  switch (d.kind) {
    case 'ImportDecl':
      return `import ${JSON.stringify(d.path)}${d.alias ? ` as ${d.alias.name}` : ''}`;
    case 'ConstDecl':
      return `const ${d.name.name} = ${exprText(d.value)}`;
    case 'LayerDecl': {
      const reps = d.repParams.length ? `<${d.repParams.map((r) => r.name).join(' ')}>` : '';
      const params = d.params.map((p) => `${p.name.name}: ${typeText(p.type)}`).join(', ');
      const ret = d.returnType ? ` -> ${typeText(d.returnType)}` : '';
      return `layer ${d.name.name}${reps}(${params})${ret} { ${d.body.map(stmtText).join('; ')} }`;
    }
    case 'ModelDecl':
      return `model ${d.name.name} : ${groupText(d.group)} { ${d.body.map(stmtText).join('; ')} }`;
  }
}

export function programText(p: A.Program): string[] {
  return p.decls.map(declText);
}

/** The AST without positions, to compare the meaning of two sources. */
export function withoutSpans(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSpans);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'span' && key !== 'pathSpan' && key !== 'countSpan')
      .map(([key, v]) => [key, withoutSpans(v)]),
  );
}
