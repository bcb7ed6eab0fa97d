// `eqvc check FILE...`: diagnostics only.

import * as fs from 'node:fs';
import { checkFile } from '../compiler/compile.js';
import { type CliIO, EXIT_OK, EXIT_PROGRAM_ERRORS, UsageError, diagnosticsJson, printDiagnostics, summary } from './io.js';

export function runCheck(files: readonly string[], options: { json?: boolean }, io: CliIO): number {
  let failed = false;
  const json: object[] = [];
  for (const file of files) {
    if (!fs.existsSync(file)) throw new UsageError(`cannot read ${file}: no such file`);
    const result = checkFile(file);
    if (!result.ok) failed = true;
    if (options.json) json.push({ file, ok: result.ok, diagnostics: diagnosticsJson(result.diagnostics) });
    else {
      printDiagnostics(io, result);
      io.err(`${file}: ${result.ok ? 'ok' : 'failed'} (${summary(result.diagnostics)})\n`);
    }
  }
  if (options.json) io.out(JSON.stringify(json, null, 2) + '\n');
  return failed ? EXIT_PROGRAM_ERRORS : EXIT_OK;
}
