// Syntax highlighting from the compiler's own lexer (grammar/tokens.ts): the same tokens the
// parser reads, so the colours never disagree with the language. Returns HTML for the overlay.

import type { IToken, TokenType } from 'chevrotain';
import { BadLiteral, BlockComment, IrrepAtom, KEYWORDS, LineComment, Multiplicity, NumberLiteral, StringLiteral, UnterminatedString, eqvLexer, Identifier } from '../../grammar/tokens.js';

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function classOf(t: TokenType): string | undefined {
  if (t === LineComment || t === BlockComment) return 'tok-comment';
  if (t === StringLiteral || t === UnterminatedString) return 'tok-string';
  if (t === NumberLiteral || t === BadLiteral) return 'tok-number';
  if (t === IrrepAtom || t === Multiplicity) return 'tok-irrep';
  if (KEYWORDS.includes(t)) return 'tok-keyword';
  if (t === Identifier) return 'tok-name';
  return undefined;
}

/** A diagnostic's span as offsets into the text. */
export interface Mark {
  readonly start: number;
  readonly end: number;
  readonly severity: 'error' | 'warning';
}

/** The text as HTML: tokens wrapped in classes, marked ranges underlined. */
export function highlight(text: string, marks: readonly Mark[]): string {
  const result = eqvLexer.tokenize(text);
  const tokens: IToken[] = [...result.tokens, ...Object.values(result.groups).flat()].sort((a, b) => a.startOffset - b.startOffset);
  // Class per character, then runs of equal classes: simple, and marks may cut tokens anywhere.
  const cls: (string | undefined)[] = new Array(text.length).fill(undefined);
  for (const t of tokens) {
    const c = classOf(t.tokenType);
    if (c) for (let i = t.startOffset; i < t.startOffset + t.image.length && i < text.length; i++) cls[i] = c;
  }
  const mark: (string | undefined)[] = new Array(text.length).fill(undefined);
  for (const m of marks) {
    // A mark on an empty span (a missing token at the end) underlines one character.
    const end = Math.max(m.end, m.start + 1);
    for (let i = m.start; i < end && i < text.length; i++) mark[i] = m.severity === 'error' ? 'mark-error' : 'mark-warning';
  }
  let html = '';
  for (let i = 0; i < text.length; ) {
    let j = i + 1;
    while (j < text.length && cls[j] === cls[i] && mark[j] === mark[i]) j++;
    const classes = [cls[i], mark[i]].filter((c) => c).join(' ');
    const chunk = escapeHtml(text.slice(i, j));
    html += classes ? `<span class="${classes}">${chunk}</span>` : chunk;
    i = j;
  }
  // A trailing newline needs a character after it to take up a line in the <pre>.
  return html + '\n';
}
