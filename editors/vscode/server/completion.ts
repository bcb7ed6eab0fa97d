// Completion: inside a call's parentheses the callee's options (`r = `) come first; after
// `Name.` the members of a namespace or a graph's `vec`/`len`; everywhere the names in scope,
// the built-in operations with their summaries, and the keywords.

import { CompletionItemKind, InsertTextFormat, type CompletionItem } from 'vscode-languageserver/node.js';
import type { CheckOutput } from '../../../compiler/compile.js';
import { BUILTIN_OPS } from '../../../compiler/ops/index.js';
import { calleeOptions, describeOpParam, namesInScope, namespaceMembers, opSignature, type SymbolKind } from '../../../services/query.js';

const KEYWORDS = ['import', 'as', 'const', 'layer', 'model', 'in', 'out', 'let', 'return', 'true', 'false'];
const DOMAINS = ['node', 'edge', 'graph', 'pair'];

/** The callee of the innermost call whose parentheses enclose `offset`, if any. */
export function enclosingCallee(text: string, offset: number): string | undefined {
  let depth = 0;
  for (let i = offset - 1; i >= 0; i--) {
    const c = text[i]!;
    if (c === ')' || c === ']') depth++;
    else if (c === '[') {
      if (depth === 0) return undefined;
      depth--;
    } else if (c === '(') {
      if (depth > 0) {
        depth--;
        continue;
      }
      const before = text.slice(0, i).match(/([A-Za-z_][A-Za-z0-9_]*)\s*$/);
      return before?.[1];
    } else if (c === '{' || c === '}') return undefined;
  }
  return undefined;
}

function kindOf(kind: SymbolKind): CompletionItemKind {
  switch (kind) {
    case 'layer':
      return CompletionItemKind.Function;
    case 'const':
      return CompletionItemKind.Constant;
    case 'model':
      return CompletionItemKind.Class;
    case 'namespace':
      return CompletionItemKind.Module;
    case 'activation':
      return CompletionItemKind.EnumMember;
    case 'rep-var':
      return CompletionItemKind.TypeParameter;
    default:
      return CompletionItemKind.Variable;
  }
}

export function completions(out: CheckOutput, text: string, offset: number, snippets: boolean): CompletionItem[] {
  const before = text.slice(0, offset);
  const member = before.match(/([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z0-9_]*)$/);
  if (member) {
    const ns = namespaceMembers(out, member[1]!);
    if (ns.length > 0) return ns.map((n) => ({ label: n.name, kind: kindOf(n.kind), detail: n.detail }));
    return [
      { label: 'vec', kind: CompletionItemKind.Field, detail: 'edge vectors of a radius graph' },
      { label: 'len', kind: CompletionItemKind.Field, detail: 'edge lengths of a radius graph' },
    ];
  }
  const items: CompletionItem[] = [];
  const callee = enclosingCallee(text, offset);
  if (callee) {
    for (const o of calleeOptions(out, callee)) {
      items.push({
        label: `${o.name} =`,
        filterText: o.name,
        kind: CompletionItemKind.Property,
        detail: o.detail,
        documentation: o.doc,
        insertText: `${o.name} = `,
        sortText: `0_${o.name}`,
      });
    }
  }
  for (const n of namesInScope(out, offset)) {
    items.push({ label: n.name, kind: kindOf(n.kind), detail: n.detail, sortText: `1_${n.name}` });
  }
  for (const op of BUILTIN_OPS.values()) {
    items.push({
      label: op.name,
      kind: CompletionItemKind.Function,
      detail: opSignature(op),
      documentation: { kind: 'markdown', value: [op.summary, '', ...op.params.map((p) => `- ${describeOpParam(p)}`)].join('\n') },
      ...(snippets ? { insertText: `${op.name}($1)`, insertTextFormat: InsertTextFormat.Snippet } : {}),
      sortText: `2_${op.name}`,
    });
  }
  for (const k of [...KEYWORDS, ...DOMAINS]) items.push({ label: k, kind: CompletionItemKind.Keyword, sortText: `3_${k}` });
  return items;
}
