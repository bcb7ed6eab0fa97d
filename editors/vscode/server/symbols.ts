// The outline of a file (document symbols): its imports, constants, layers and models, and the
// inputs, outputs, values and parameters inside them, each with the type written in the source.

import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver/node.js';
import type * as A from '../../../grammar/ast.js';
import type { SourceFile, Span } from '../../../diagnostics/span.js';
import { rangeOf } from './convert.js';

export function documentSymbols(program: A.Program, source: SourceFile): DocumentSymbol[] {
  const text = (span: Span) => source.text.slice(span.start.offset, span.end.offset);
  const symbol = (name: string, kind: SymbolKind, span: Span, nameSpan: Span, detail?: string, children?: DocumentSymbol[]): DocumentSymbol => ({
    name,
    kind,
    range: rangeOf(span),
    selectionRange: rangeOf(nameSpan),
    ...(detail ? { detail } : {}),
    ...(children && children.length > 0 ? { children } : {}),
  });
  const statements = (body: readonly A.Stmt[]) =>
    body.flatMap((s): DocumentSymbol[] => {
      if (s.kind === 'InStmt') return [symbol(s.name.name, SymbolKind.Field, s.span, s.name.span, `in ${text(s.type.span)}`)];
      if (s.kind === 'OutStmt') return [symbol(s.name.name, SymbolKind.Field, s.span, s.name.span, `out ${text(s.type.span)}`)];
      if (s.kind === 'LetStmt') return [symbol(s.name.name, SymbolKind.Variable, s.span, s.name.span, s.type ? text(s.type.span) : undefined)];
      return [];
    });
  return program.decls.map((d) => {
    switch (d.kind) {
      case 'ImportDecl':
        return symbol(d.alias?.name ?? d.path, SymbolKind.Module, d.span, d.alias?.span ?? d.pathSpan, d.alias ? d.path : undefined);
      case 'ConstDecl':
        return symbol(d.name.name, SymbolKind.Constant, d.span, d.name.span, text(d.value.span));
      case 'LayerDecl':
        return symbol(d.name.name, SymbolKind.Function, d.span, d.name.span, d.returnType ? `-> ${text(d.returnType.span)}` : undefined, [
          ...d.params.map((p) => symbol(p.name.name, SymbolKind.TypeParameter, p.span, p.name.span, text(p.type.span))),
          ...statements(d.body),
        ]);
      case 'ModelDecl':
        return symbol(d.name.name, SymbolKind.Class, d.span, d.name.span, text(d.group.span), statements(d.body));
    }
  });
}
