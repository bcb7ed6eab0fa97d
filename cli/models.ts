// Compiling a command's file and picking its models (--model): shared by explain, build, run,
// train, test, graph and prune. Its own file so that explain, which starts from the light bundle
// (cli/bundle.mjs), does not bring build's target writers along.

import { compile, type CompileOutput } from '../compiler/compile.js';
import type { IRModule } from '../ir/types.js';
import { type CliIO, UsageError, printDiagnostics, summary } from './io.js';
import { readCommandLineSource } from './source.js';

/** Compile a file and pick its models; diagnostics are printed. Undefined when it has errors. */
export function compileModels(file: string, modelName: string | undefined, io: CliIO): { result: CompileOutput; modules: readonly IRModule[] } | undefined {
  const read = readCommandLineSource(file);
  if (read.problem !== undefined) throw new UsageError(read.problem);
  const result = compile(file, read.text !== undefined ? { text: read.text } : {});
  printDiagnostics(io, result);
  if (!result.ok) {
    io.err(`${file}: failed (${summary(result.diagnostics)})\n`);
    return undefined;
  }
  if (result.ir.length === 0) throw new UsageError(`${file} declares no model`);
  const modules = modelName ? result.ir.filter((m) => m.model === modelName) : result.ir;
  if (modules.length === 0) throw new UsageError(`${file} has no model named ${modelName}; it has ${result.ir.map((m) => m.model).join(', ')}`);
  return { result, modules };
}
