// `eqvc run FILE --input IN.json [--weights W.safetensors] [--target ref]`: outputs as JSON.
// Bad inputs and weights files are reported clearly (exit 2), never as a stack trace.

import * as fs from 'node:fs';
import { externalRunnerNames, getRunner, runnerNames } from '../targets/registry.js';
import { parseRunInput } from '../targets/io/inputs.js';
import { formatRunOutput, nonFiniteOutputs } from '../targets/io/outputs.js';
import { initialParams, loadParams } from '../targets/io/params.js';
import { readSafetensors } from '../targets/io/safetensors.js';
import { compileModels } from './models.js';
import { type CliIO, EXIT_OK, EXIT_PROGRAM_ERRORS, UsageError } from './io.js';

export interface RunCliOptions {
  target: string;
  weights?: string;
  input: string;
  model?: string;
  seed: string;
  backend?: string;
  /** torch: float32 (default) or float64. */
  dtype?: string;
}

function readInputJson(file: string): unknown {
  let text: string;
  try {
    text = file === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`cannot read the input ${file}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`the input ${file} is not valid JSON: ${(e as Error).message}`);
  }
}

export async function runRun(file: string, options: RunCliOptions, io: CliIO): Promise<number> {
  const runner = getRunner(options.target);
  if (!runner) throw new UsageError(`unknown target ${options.target} for run; targets: ${[...runnerNames(), ...externalRunnerNames()].join(', ')}`);
  if (options.dtype !== undefined && options.dtype !== 'float32' && options.dtype !== 'float64') throw new UsageError(`--dtype must be float32 or float64, got ${options.dtype}`);
  if (options.backend !== undefined && options.target === 'ref') {
    io.err(`eqvc: warning: --backend ${options.backend} has no effect with --target ref (the float64 reference evaluator has no backends)\n`);
  }
  const compiled = compileModels(file, options.model, io);
  if (!compiled) return EXIT_PROGRAM_ERRORS;
  if (compiled.modules.length > 1) throw new UsageError(`${file} has several models (${compiled.modules.map((m) => m.model).join(', ')}); choose one with --model`);
  const module = compiled.modules[0]!;
  const parsed = parseRunInput(readInputJson(options.input), module);
  if (!parsed.ok) throw new UsageError(`invalid input ${options.input}:\n  ${parsed.errors.join('\n  ')}`);
  let params;
  if (options.weights) {
    let bytes: Uint8Array;
    try {
      bytes = fs.readFileSync(options.weights);
    } catch {
      throw new UsageError(`cannot read the weights ${options.weights}`);
    }
    let tensors;
    try {
      tensors = readSafetensors(bytes).tensors;
    } catch (e) {
      throw new UsageError(`${options.weights} is not a valid safetensors file: ${(e as Error).message}`);
    }
    const loaded = loadParams(module, tensors);
    if (!loaded.ok) throw new UsageError(`the weights ${options.weights} do not fit model ${module.model}:\n  ${loaded.errors.join('\n  ')}`);
    params = loaded.params;
  } else {
    const seed = Number(options.seed);
    if (!Number.isInteger(seed) || seed < 0) throw new UsageError(`--seed must be a non-negative integer, got ${options.seed}`);
    params = initialParams(module, seed);
  }
  let outputs;
  try {
    outputs = await runner(module, parsed.batch, params, { ...(options.backend ? { backend: options.backend } : {}), ...(options.dtype ? { dtype: options.dtype } : {}) });
  } catch (e) {
    throw new UsageError(`running ${module.model} failed: ${(e as Error).message}`);
  }
  const json = formatRunOutput(module, parsed.batch, outputs);
  // NaN and infinities are not JSON numbers (JSON.stringify writes null): a run that makes them
  // fails, saying where, rather than printing nulls.
  const nonFinite = nonFiniteOutputs(json);
  if (nonFinite.length > 0) {
    const float32 = options.target !== 'ref' && options.dtype !== 'float64';
    const hint = float32
      ? `; --target ${options.target} computes in float32 (largest number about 3.4e38), so inputs or weights that large overflow: scale them down, or run --target ref (float64) to compare`
      : '; check the inputs and weights for values so large that the model overflows';
    throw new UsageError(`running ${module.model} gave numbers that are not finite:\n  ${nonFinite.join('\n  ')}${hint}`);
  }
  io.out(JSON.stringify(json) + '\n');
  return EXIT_OK;
}
