// Diagnostics are values: every phase returns them alongside its result instead of throwing,
// so one run reports every problem. Rendering follows rustc/Elm: the problem in the user's
// terms, the source line with the span underlined, notes on where types came from, a help line.

import { type Span, type SourceFile, formatLocation } from './span.js';
import { type DiagnosticCode, DIAGNOSTIC_CODES } from './codes.js';
import { terminalText } from './escape.js';

export type Severity = 'error' | 'warning';

export interface RelatedInfo {
  readonly span: Span;
  readonly message: string;
}

export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  /** One line naming the problem in the user's terms. */
  readonly message: string;
  readonly span: Span;
  /** Short text printed under the underline. */
  readonly label?: string;
  /** `= note:` lines: where a type came from, what was found. */
  readonly notes: readonly string[];
  /** `= help:` line: a concrete fix when one is likely. */
  readonly help?: string;
  /** Other places worth showing (a declaration, the first definition). */
  readonly related: readonly RelatedInfo[];
}

export interface DiagnosticInit {
  label?: string;
  notes?: readonly string[];
  help?: string;
  related?: readonly RelatedInfo[];
  severity?: Severity;
}

export function diagnostic(code: DiagnosticCode, span: Span, message: string, init: DiagnosticInit = {}): Diagnostic {
  return {
    code,
    severity: init.severity ?? DIAGNOSTIC_CODES[code].severity,
    message,
    span,
    ...(init.label !== undefined ? { label: init.label } : {}),
    // A note said twice (both operands of `tp(h, h)` have the same origin) is printed once.
    notes: [...new Set(init.notes ?? [])],
    ...(init.help !== undefined ? { help: init.help } : {}),
    related: init.related ?? [],
  };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Stable order: by file, then position, then code. Duplicates (same code, span, message) dropped. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const unique: Diagnostic[] = [];
  for (const d of diagnostics) {
    const key = `${d.code}|${d.span.file}|${d.span.start.offset}|${d.span.end.offset}|${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(d);
  }
  return unique.sort(
    (a, b) =>
      a.span.file.localeCompare(b.span.file) ||
      a.span.start.offset - b.span.start.offset ||
      a.code.localeCompare(b.code),
  );
}

/** Looks up the text of the file a span points into. */
export type SourceLookup = (file: string) => SourceFile | undefined;

/**
 * rustc-style rendering with the source line and the span underlined. Every piece of text is
 * made safe for a terminal (no escape sequences or line breaks from the source or file names).
 */
export function renderDiagnostic(d: Diagnostic, sources: SourceLookup): string {
  const t = (text: string) => terminalText(text);
  const out: string[] = [];
  out.push(`${d.severity}[${d.code}]: ${t(d.message)}`);
  out.push(`  --> ${t(formatLocation(d.span))}`);
  const source = sources(d.span.file);
  if (source) {
    const line = d.span.start.line;
    const gutter = String(line).length;
    const pad = ' '.repeat(gutter);
    const text = source.lineText(line);
    out.push(`${pad} |`);
    out.push(`${line} | ${t(text)}`);
    const startCol = d.span.start.col;
    const endCol = d.span.end.line === line ? Math.max(d.span.end.col, startCol + 1) : text.length + 1;
    const width = Math.max(1, endCol - startCol);
    const marker = ' '.repeat(startCol - 1) + '^'.repeat(width);
    out.push(`${pad} | ${marker}${d.label ? ' ' + t(d.label) : ''}`);
    for (const note of d.notes) out.push(`${pad} = note: ${t(note)}`);
    if (d.help) out.push(`${pad} = help: ${t(d.help)}`);
  } else {
    for (const note of d.notes) out.push(`   = note: ${t(note)}`);
    if (d.help) out.push(`   = help: ${t(d.help)}`);
  }
  for (const r of d.related) out.push(`   = ${t(formatLocation(r.span))}: ${t(r.message)}`);
  return out.join('\n');
}

/** The `--json` form of a diagnostic, documented in docs/diagnostics.md. */
export function diagnosticToJson(d: Diagnostic): object {
  const pos = (s: Span) => ({
    file: s.file,
    line: s.start.line,
    col: s.start.col,
    endLine: s.end.line,
    endCol: s.end.col,
  });
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    ...pos(d.span),
    ...(d.label !== undefined ? { label: d.label } : {}),
    notes: d.notes,
    ...(d.help !== undefined ? { help: d.help } : {}),
    related: d.related.map((r) => ({ message: r.message, ...pos(r.span) })),
  };
}
