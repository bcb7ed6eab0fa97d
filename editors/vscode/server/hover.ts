// Hover text: the declaration, then every type the checker gave the value with its dimension
// and provenance (values inside a layer have one per call), then documentation.

import type { SymbolInfo } from '../../../services/query.js';
import { markdownCodeBlock, markdownInlineCode, markdownText } from '../../../diagnostics/escape.js';

export function hoverMarkdown(info: SymbolInfo): string {
  const parts: string[] = [];
  // The signature is source text (comments included): its fence must outlast any backticks in it.
  if (info.signature) parts.push(markdownCodeBlock(info.signature, 'eqv'));
  for (const t of info.types) {
    const lines: string[] = [];
    const where = t.context ? ` — ${markdownText(t.context)}` : '';
    lines.push(`**type** ${markdownInlineCode(t.type)}${t.dim !== undefined ? ` · **dimension** ${t.dim}` : ''}${where}`);
    lines.push('', `*from:* ${markdownText(t.origin)}`);
    for (const a of t.atoms) lines.push(`- ${markdownText(a)}`);
    parts.push(lines.join('\n'));
  }
  if (info.doc) parts.push(info.doc);
  if (parts.length === 0) parts.push(`${markdownInlineCode(info.name)} (${info.kind})`);
  return parts.join('\n\n---\n\n');
}
