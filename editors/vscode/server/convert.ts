// Between the compiler's spans (1-based lines and columns in UTF-16 units, display paths) and
// the protocol's ranges (0-based) and URIs.

import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic as LspDiagnostic, type Range, type DiagnosticRelatedInformation } from 'vscode-languageserver/node.js';
import type { CheckOutput } from '../../../compiler/compile.js';
import type { Diagnostic } from '../../../diagnostics/diagnostic.js';
import type { Span } from '../../../diagnostics/span.js';

export function rangeOf(span: Span): Range {
  return {
    start: { line: span.start.line - 1, character: span.start.col - 1 },
    end: { line: span.end.line - 1, character: span.end.col - 1 },
  };
}

/**
 * The path of a `file:` URI on this machine; undefined for other schemes and for URIs that name
 * no local file (`file://otherhost/...`, malformed), which fileURLToPath refuses with an error.
 */
export function diskPathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** The file system path of a document; documents not on disk get a path in the working folder. */
export function uriToPath(uri: string): string {
  const disk = diskPathOf(uri);
  if (disk !== undefined) return disk;
  const name = uri.replace(/^[a-z-]+:/i, '').replace(/[^A-Za-z0-9_.-]/g, '_');
  return path.resolve(name.endsWith('.eqv') ? name : `${name}.eqv`);
}

export function pathToUri(filePath: string): string {
  return pathToFileURL(filePath).toString();
}

/** The real path of the module a span's display path names. */
export function realPathOf(out: CheckOutput, displayPath: string): string | undefined {
  for (const m of out.program.modules.values()) if (m.path === displayPath) return m.realPath;
  return undefined;
}

/**
 * A compiler diagnostic for the editor: the label, notes and help become lines of the message
 * (editors show them under the headline), related spans become related information.
 */
export function toLspDiagnostic(d: Diagnostic, out: CheckOutput, entryUri: string): LspDiagnostic {
  const lines = [d.message];
  if (d.label) lines.push(`${d.label}`);
  for (const note of d.notes) lines.push(`note: ${note}`);
  if (d.help) lines.push(`help: ${d.help}`);
  const related: DiagnosticRelatedInformation[] = [];
  for (const r of d.related) {
    const real = realPathOf(out, r.span.file);
    related.push({ location: { uri: real ? pathToUri(real) : entryUri, range: rangeOf(r.span) }, message: r.message });
  }
  return {
    range: rangeOf(d.span),
    severity: d.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: d.code,
    source: 'eqv',
    message: lines.join('\n'),
    ...(related.length > 0 ? { relatedInformation: related } : {}),
  };
}

/**
 * The diagnostics to show in the entry document: its own, and those of files it imports,
 * shown at the import that brings them in (the imported file gets its own when opened).
 */
export function documentDiagnostics(out: CheckOutput, entryUri: string): LspDiagnostic[] {
  const entry = out.program.entry;
  const result: LspDiagnostic[] = [];
  for (const d of out.diagnostics) {
    if (!entry || d.span.file === entry.path) {
      result.push(toLspDiagnostic(d, out, entryUri));
      continue;
    }
    const via = entry.imports.find((i) => i.module && reaches(i.module, d.span.file, new Set()));
    if (!via) continue;
    const inner = toLspDiagnostic(d, out, entryUri);
    result.push({
      ...inner,
      range: rangeOf(via.decl.pathSpan),
      message: `in ${d.span.file}:${d.span.start.line}:${d.span.start.col}: ${inner.message}`,
      relatedInformation: [
        { location: { uri: pathToUri(realPathOf(out, d.span.file) ?? d.span.file), range: rangeOf(d.span) }, message: d.message },
        ...(inner.relatedInformation ?? []),
      ],
    });
  }
  return result;
}

type ModuleLike = { readonly path: string; readonly imports: readonly { readonly module?: ModuleLike }[] };

function reaches(m: ModuleLike, file: string, seen: Set<ModuleLike>): boolean {
  if (m.path === file) return true;
  if (seen.has(m)) return false;
  seen.add(m);
  return m.imports.some((i) => i.module !== undefined && reaches(i.module, file, seen));
}
