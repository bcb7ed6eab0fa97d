// `eqvc prune FILE --weights W --out DIR`: a trained model with gated tensor products
// (`gates = learned`, trained with `eqvc train --sparsity`) becomes DIR/<name>.eqv, whose products
// name their kept paths (`paths = [...]`), and DIR/<name>.safetensors without the pruned paths'
// weights and the gates (services/prune.ts). Both are checked before they are written: the pruned
// source compiles and the weights load into it.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { compile } from '../compiler/compile.js';
import { PruneError, pruneModel } from '../services/prune.js';
import { loadParams, paramsToTensors } from '../targets/io/params.js';
import { readSafetensors, writeSafetensors } from '../targets/io/safetensors.js';
import { compileModels } from './models.js';
import { readCommandLineSource } from './source.js';
import { type CliIO, EXIT_OK, EXIT_PROGRAM_ERRORS, UsageError } from './io.js';

export interface PruneCliOptions {
  weights: string;
  out: string;
  model?: string;
  dtype?: string;
}

export async function runPrune(file: string, options: PruneCliOptions, io: CliIO): Promise<number> {
  if (options.dtype !== undefined && options.dtype !== 'float32' && options.dtype !== 'float64') throw new UsageError(`--dtype must be float32 or float64, got ${options.dtype}`);
  const compiled = compileModels(file, options.model, io);
  if (!compiled) return EXIT_PROGRAM_ERRORS;
  if (compiled.modules.length > 1) throw new UsageError(`${file} has several models (${compiled.modules.map((m) => m.model).join(', ')}); choose one with --model`);
  const module = compiled.modules[0]!;
  let tensors;
  try {
    tensors = readSafetensors(fs.readFileSync(options.weights)).tensors;
  } catch (e) {
    throw new UsageError(`cannot read the weights ${options.weights}: ${(e as Error).message}`);
  }
  const loaded = loadParams(module, tensors);
  if (!loaded.ok) throw new UsageError(`the weights ${options.weights} do not fit model ${module.model}:\n  ${loaded.errors.join('\n  ')}`);
  const text = readCommandLineSource(file).text ?? fs.readFileSync(file, 'utf8');
  let pruned;
  try {
    pruned = pruneModel(module, { path: file, text }, loaded.params);
  } catch (e) {
    if (e instanceof PruneError) throw new UsageError(e.message);
    throw e;
  }
  // The pruned source must compile and take the pruned weights, or nothing is written.
  const check = compile(file, { text: pruned.source });
  const prunedModule = check.ir.find((m) => m.model === module.model);
  if (!check.ok || !prunedModule) throw new UsageError(`the pruned source does not compile (a bug in eqvc prune): ${check.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}`);
  const reloaded = loadParams(prunedModule, new Map([...pruned.params].map(([name, data]) => [name, { shape: prunedModule.params.find((p) => p.name === name)?.shape ?? [data.length], data }])));
  if (!reloaded.ok) throw new UsageError(`the pruned weights do not fit the pruned source (a bug in eqvc prune):\n  ${reloaded.errors.join('\n  ')}`);
  const base = path.basename(file).replace(/\.eqv$/, '');
  fs.mkdirSync(options.out, { recursive: true });
  const sourceOut = path.join(options.out, `${base}.eqv`);
  const weightsOut = path.join(options.out, `${base}.safetensors`);
  fs.writeFileSync(sourceOut, pruned.source);
  fs.writeFileSync(weightsOut, writeSafetensors(paramsToTensors(prunedModule, reloaded.params), { dtype: options.dtype === 'float64' ? 'F64' : 'F32', metadata: { pruned_from: path.basename(options.weights) } }));
  for (const p of pruned.summary.products) io.err(`${p.name} (line ${p.line}): kept ${p.kept.length} of ${p.paths} paths [${p.kept.join(', ')}]\n`);
  io.err(`weights: ${pruned.summary.weightsBefore} -> ${pruned.summary.weightsAfter} numbers; wrote ${sourceOut} and ${weightsOut}\n`);
  return EXIT_OK;
}
