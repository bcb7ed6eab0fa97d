// `eqvc fmt FILE... [--check]`: rewrite files in the canonical layout, or list those that
// are not in it.

import * as fs from 'node:fs';
import { formatSource } from '../services/format.js';
import { renderDiagnostic } from '../diagnostics/diagnostic.js';
import { SourceFile } from '../diagnostics/span.js';
import { type CliIO, EXIT_OK, EXIT_PROGRAM_ERRORS, EXIT_USAGE } from './io.js';
import { readCommandLineSource } from './source.js';

export function runFmt(files: readonly string[], options: { check?: boolean }, io: CliIO): number {
  let failed = false;
  let unreadable = false;
  for (const file of files) {
    // Like check: a file that cannot be read is reported and the others are still formatted.
    const read = readCommandLineSource(file);
    if (read.text === undefined) {
      unreadable = true;
      io.err(`eqvc: ${read.problem ?? `cannot format ${file}: it is not UTF-8 text`}\n`);
      continue;
    }
    const text = read.text;
    const source = new SourceFile(file, text);
    const result = formatSource(source);
    if (!result.ok) {
      failed = true;
      for (const d of result.diagnostics) io.err(renderDiagnostic(d, () => source) + '\n\n');
      io.err(`${file}: not formatted (syntax errors)\n`);
      continue;
    }
    if (result.text === text) continue;
    if (options.check) {
      failed = true;
      io.out(`${file}: not formatted\n`);
    } else {
      fs.writeFileSync(file, result.text);
      io.out(`${file}: formatted\n`);
    }
  }
  return unreadable ? EXIT_USAGE : failed ? EXIT_PROGRAM_ERRORS : EXIT_OK;
}
