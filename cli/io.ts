// What the commands share: where output goes (injectable for tests), how diagnostics are
// printed, and the exit codes: 0 fine, 1 the program has errors, 2 usage or I/O error.

import { renderDiagnostic, diagnosticToJson, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { CheckOutput } from '../compiler/compile.js';
import { terminalText } from '../diagnostics/escape.js';

export const EXIT_OK = 0;
export const EXIT_PROGRAM_ERRORS = 1;
export const EXIT_USAGE = 2;

export interface CliIO {
  out(text: string): void;
  err(text: string): void;
}

/**
 * The terminal. What eqvc prints may hold user text (file names, model names, source lines):
 * escape sequences, carriage returns and bidi overrides in it are shown as escapes, never acted on.
 */
export const processIO: CliIO = {
  out: (text) => process.stdout.write(terminalText(text, true)),
  err: (text) => process.stderr.write(terminalText(text, true)),
};

/** A usage or I/O problem: printed as `eqvc: message`, exit code 2. */
export class UsageError extends Error {}

export function printDiagnostics(io: CliIO, result: CheckOutput, diagnostics: readonly Diagnostic[] = result.diagnostics): void {
  for (const d of diagnostics) io.err(renderDiagnostic(d, (f) => result.source(f)) + '\n\n');
}

export function diagnosticsJson(diagnostics: readonly Diagnostic[]): object[] {
  return diagnostics.map(diagnosticToJson);
}

export function summary(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const part = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  return `${part(errors, 'error')}, ${part(warnings, 'warning')}`;
}
