// The compiler as a library: load, check and lower one .eqv file. Everything the CLI, the
// language server and `import { compile } from 'eqv'` do goes through here.

import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import type { SourceFile } from '../diagnostics/span.js';
import { type CompilerHost, type LoadedProgram, loadProgram, nodeHost } from './resolve.js';
import { type CheckedModel, checkProgram } from './check/checker.js';
import { lowerToIR } from './lower.js';
import type { IRModule } from '../ir/types.js';

export interface CompileOptions {
  /** How files are read (defaults to the file system). */
  readonly host?: CompilerHost;
  /** The entry file's text, when it is not (or not yet) on disk. */
  readonly text?: string;
}

export interface CheckOutput {
  readonly path: string;
  readonly program: LoadedProgram;
  readonly models: readonly CheckedModel[];
  /** Sorted by position, duplicates removed. */
  readonly diagnostics: readonly Diagnostic[];
  readonly ok: boolean;
  /** The text of any file involved, for rendering diagnostics. */
  source(file: string): SourceFile | undefined;
}

export interface CompileOutput extends CheckOutput {
  /** One IR module per model; empty when there are errors. */
  readonly ir: readonly IRModule[];
}

export function checkFile(path: string, options: CompileOptions = {}): CheckOutput {
  const program = loadProgram(path, options.host ?? nodeHost, options.text);
  const result = checkProgram(program);
  const byPath = new Map<string, SourceFile>();
  for (const m of program.modules.values()) byPath.set(m.path, m.source);
  return {
    path,
    program,
    models: result.models,
    diagnostics: result.diagnostics,
    ok: program.entry !== undefined && !hasErrors(result.diagnostics),
    source: (file) => byPath.get(file),
  };
}

/** Check and, when there are no errors, lower every model of the file to IR. */
export function compile(path: string, options: CompileOptions = {}): CompileOutput {
  const checked = checkFile(path, options);
  const ir = checked.ok ? checked.models.map((m) => lowerToIR(m, checked.source)) : [];
  return { ...checked, ir };
}

/** Compile source text directly (e.g. from a test or a REPL). */
export function compileSource(text: string, path = 'input.eqv', host: CompilerHost = nodeHost): CompileOutput {
  return compile(path, { text, host });
}
