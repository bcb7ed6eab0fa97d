// Source files named on the command line, read under the same rules as imports
// (compiler/sourceFiles.ts); kept apart from io.ts so that `--version` loads no compiler.

import { readSourceFile } from '../compiler/sourceFiles.js';

/**
 * A file named on the command line, read as a source file (compiler/sourceFiles.ts): its text,
 * or why it cannot be read (a directory, missing, a FIFO, too large) in words for `eqvc: ...`.
 * A file that is read but is not UTF-8 text has neither: the compiler reports it (E0005).
 */
export function readCommandLineSource(file: string): { text?: string; problem?: string } {
  const read = readSourceFile(file);
  if (read.ok) return { text: read.text };
  if (read.notText) return {};
  return { problem: `cannot read ${file}: it ${read.problem}` };
}
