// `eqvc check FILE...`: diagnostics only. Every file is checked even when an earlier one
// cannot be read; the exit code is 2 when some file could not be read, else 1 when some file
// has errors, else 0.

import { checkFile } from '../compiler/compile.js';
import { type CliIO, EXIT_OK, EXIT_PROGRAM_ERRORS, EXIT_USAGE, diagnosticsJson, printDiagnostics, summary } from './io.js';
import { readCommandLineSource } from './source.js';

export function runCheck(files: readonly string[], options: { json?: boolean }, io: CliIO): number {
  let failed = false;
  let unreadable = false;
  const json: object[] = [];
  for (const file of files) {
    const read = readCommandLineSource(file);
    if (read.problem !== undefined) {
      unreadable = true;
      io.err(`eqvc: ${read.problem}\n`);
      if (options.json) json.push({ file, ok: false, error: read.problem, diagnostics: [] });
      continue;
    }
    const result = checkFile(file, read.text !== undefined ? { text: read.text } : {});
    if (!result.ok) failed = true;
    if (options.json) json.push({ file, ok: result.ok, diagnostics: diagnosticsJson(result.diagnostics) });
    else {
      printDiagnostics(io, result);
      io.err(`${file}: ${result.ok ? 'ok' : 'failed'} (${summary(result.diagnostics)})\n`);
    }
  }
  if (options.json) io.out(JSON.stringify(json, null, 2) + '\n');
  return unreadable ? EXIT_USAGE : failed ? EXIT_PROGRAM_ERRORS : EXIT_OK;
}
