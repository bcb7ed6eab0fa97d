// `eqvc fmt FILE... [--check]`: rewrite files in the canonical layout, or list those that
// are not in it.

import * as fs from 'node:fs';
import { formatSource } from '../services/format.js';
import { renderDiagnostic } from '../diagnostics/diagnostic.js';
import { SourceFile } from '../diagnostics/span.js';
import { type CliIO, EXIT_OK, EXIT_PROGRAM_ERRORS, UsageError } from './io.js';

export function runFmt(files: readonly string[], options: { check?: boolean }, io: CliIO): number {
  let failed = false;
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      throw new UsageError(`cannot read ${file}`);
    }
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
  return failed ? EXIT_PROGRAM_ERRORS : EXIT_OK;
}
