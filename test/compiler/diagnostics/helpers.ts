// Helpers for the diagnostic tests: compile a program given inline and compare its
// diagnostics, as (code, line, col) triples, with what is expected.
import { expect } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkFile, compileSource, type CompileOutput } from '../../../compiler/compile.js';
import type { Diagnostic } from '../../../diagnostics/diagnostic.js';

/** A program written indented inside a test: the first line break and the common indent go. */
export function src(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = String.raw({ raw: strings }, ...values).replace(/^\n/, '');
  const indents = text.split('\n').filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length);
  const cut = Math.min(...indents);
  return text
    .split('\n')
    .map((l) => l.slice(cut))
    .join('\n');
}

export type Expected = readonly [code: string, line: number, col: number];

export function compileText(text: string): CompileOutput {
  const result = compileSource(text, 'input.eqv');
  // No program, right or wrong, may make the compiler fail.
  expect(result.diagnostics.filter((d) => d.code === 'E9999')).toEqual([]);
  return result;
}

export function positions(diagnostics: readonly Diagnostic[]): [string, number, number][] {
  return diagnostics.map((d) => [d.code, d.span.start.line, d.span.start.col]);
}

/** The program's diagnostics are exactly `expected`; returns them for further checks. */
export function expectDiagnostics(text: string, ...expected: Expected[]): Diagnostic[] {
  const result = compileText(text);
  expect(positions(result.diagnostics)).toEqual(expected);
  return [...result.diagnostics];
}

/** The program has exactly one diagnostic, `code` at line:col; it is returned. */
export function expectOne(text: string, code: string, line: number, col: number): Diagnostic {
  return expectDiagnostics(text, [code, line, col])[0]!;
}

/** The program checks without any diagnostic and lowers to IR. */
export function expectClean(text: string): CompileOutput {
  const result = compileText(text);
  expect(positions(result.diagnostics)).toEqual([]);
  expect(result.ir.length).toBeGreaterThan(0);
  return result;
}

/** Writes files into a fresh temporary folder; returns the folder. */
export function tempFiles(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eqv-diag-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** Checks a file on disk; diagnostics as (code, file base name, line, col). */
export function checkOnDisk(file: string): { result: ReturnType<typeof checkFile>; found: [string, string, number, number][] } {
  const result = checkFile(file);
  expect(result.diagnostics.filter((d) => d.code === 'E9999')).toEqual([]);
  return { result, found: result.diagnostics.map((d) => [d.code, path.basename(d.span.file), d.span.start.line, d.span.start.col]) };
}
