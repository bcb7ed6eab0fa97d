// What the golden files under examples/errors/ and the examples in docs/diagnostics.md hold,
// computed from the compiler: shared by updateGoldens.ts (which writes them) and the tests
// (which check that what is on disk is what eqvc prints today). Paths are relative to the
// repository root, which must be the working directory (as it is for vitest).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkFile } from '../../compiler/compile.js';
import { renderDiagnostic } from '../../diagnostics/diagnostic.js';
import { runCheck } from '../../cli/check.js';

export const ERRORS_DIR = 'examples/errors';
export const DIAGNOSTICS_DOC = 'docs/diagnostics.md';

/** The .eqv files of examples/errors, sorted. */
export function errorFiles(): string[] {
  return fs
    .readdirSync(ERRORS_DIR)
    .filter((f) => f.endsWith('.eqv'))
    .sort()
    .map((f) => path.posix.join(ERRORS_DIR, f));
}

/** `eqvc check FILE` exactly as it prints: every diagnostic, then the summary line. */
export function renderCheck(file: string): string {
  let text = '';
  runCheck([file], {}, { out: (s) => (text += s), err: (s) => (text += s) });
  return text;
}

export function expectedPath(file: string): string {
  return file.replace(/\.eqv$/, '.expected');
}

/** `<!-- example: FILE CODE -->` ... `<!-- /example -->` regions of docs/diagnostics.md. */
const REGION = /<!-- example: (\S+) (\w+) -->\n[\s\S]*?<!-- \/example -->/g;

/** The body of one doc example: the file, then what eqvc prints for that code in it. */
export function renderDocExample(file: string, code: string): string {
  const result = checkFile(file);
  const shown = result.diagnostics.filter((d) => d.code === code).map((d) => renderDiagnostic(d, (f) => result.source(f)));
  if (shown.length === 0) throw new Error(`${file} does not produce ${code}`);
  const source = fs.readFileSync(file, 'utf8').trimEnd();
  return `<!-- example: ${file} ${code} -->\n\`\`\`eqv\n${source}\n\`\`\`\n\n\`\`\`text\n${shown.join('\n\n')}\n\`\`\`\n<!-- /example -->`;
}

/** docs/diagnostics.md with every example region regenerated. */
export function renderDiagnosticsDoc(doc: string): string {
  return doc.replace(REGION, (_, file: string, code: string) => renderDocExample(file, code));
}

/** The examples the doc refers to, as [file, code]. */
export function docExamples(doc: string): [string, string][] {
  return [...doc.matchAll(REGION)].map((m) => [m[1]!, m[2]!]);
}
