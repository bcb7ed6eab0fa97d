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
 * escape sequences, carriage returns and bidi overrides in it are shown as escapes, never acted
 * on. Messages (stderr) always; stdout when it is a terminal, so that piped data (`run`'s JSON)
 * stays byte-exact.
 */
export const processIO: CliIO = {
  out: writerTo(process.stdout, Boolean(process.stdout.isTTY)),
  err: writerTo(process.stderr, true),
};

/**
 * Writes to a standard stream until its reader goes away: `eqvc run ... | head` closes the pipe
 * early, and Node reports that as an EPIPE 'error' event, which unhandled prints a stack trace.
 * After that, output to the stream is dropped and the command finishes with its own exit code.
 */
function writerTo(stream: NodeJS.WriteStream, escape: boolean): (text: string) => void {
  let closed = false;
  let listening = false;
  return (text) => {
    if (!listening) {
      listening = true;
      // Any error (EPIPE, or EBADF for a closed descriptor) means nobody reads this stream now.
      stream.on('error', () => {
        closed = true;
      });
    }
    if (closed) return;
    stream.write(escape ? terminalText(text, true) : text);
  };
}

/** A usage or I/O problem: printed as `eqvc: message`, exit code 2. */
export class UsageError extends Error {}

/** At most this many diagnostics are printed per file; `--json` lists them all. */
export const MAX_PRINTED_DIAGNOSTICS = 50;

export function printDiagnostics(io: CliIO, result: CheckOutput, diagnostics: readonly Diagnostic[] = result.diagnostics): void {
  for (const d of diagnostics.slice(0, MAX_PRINTED_DIAGNOSTICS)) io.err(renderDiagnostic(d, (f) => result.source(f)) + '\n\n');
  const rest = diagnostics.slice(MAX_PRINTED_DIAGNOSTICS);
  if (rest.length > 0) {
    io.err(`... and ${rest.length} more diagnostic${rest.length === 1 ? '' : 's'} in ${result.path} not shown (${summary(rest)}); eqvc check --json lists them all\n\n`);
  }
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
