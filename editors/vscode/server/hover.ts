// Hover text: the declaration, then every type the checker gave the value with its dimension
// and provenance (values inside a layer have one per call), then documentation.

import type { SymbolInfo } from '../../../services/query.js';

export function hoverMarkdown(info: SymbolInfo): string {
  const parts: string[] = [];
  if (info.signature) parts.push('```eqv\n' + info.signature + '\n```');
  for (const t of info.types) {
    const lines: string[] = [];
    const where = t.context ? ` — ${t.context}` : '';
    lines.push(`**type** \`${t.type}\`${t.dim !== undefined ? ` · **dimension** ${t.dim}` : ''}${where}`);
    lines.push('', `*from:* ${t.origin}`);
    for (const a of t.atoms) lines.push(`- ${a}`);
    parts.push(lines.join('\n'));
  }
  if (info.doc) parts.push(info.doc);
  if (parts.length === 0) parts.push(`\`${info.name}\` (${info.kind})`);
  return parts.join('\n\n---\n\n');
}
