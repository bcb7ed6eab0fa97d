// `eqvc graph FILE --out model.svg`: the model's dataflow as SVG (services/graphSvg.ts).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderGraphSvg } from '../services/graphSvg.js';
import { compileModels } from './models.js';
import { type CliIO, EXIT_OK, EXIT_PROGRAM_ERRORS, UsageError } from './io.js';

export function runGraph(file: string, options: { out: string; model?: string }, io: CliIO): number {
  const compiled = compileModels(file, options.model, io);
  if (!compiled) return EXIT_PROGRAM_ERRORS;
  if (compiled.modules.length > 1 && !options.model) throw new UsageError(`${file} has several models (${compiled.modules.map((m) => m.model).join(', ')}); choose one with --model`);
  const svg = renderGraphSvg(compiled.modules[0]!);
  try {
    fs.mkdirSync(path.dirname(path.resolve(options.out)), { recursive: true });
    fs.writeFileSync(options.out, svg);
  } catch (e) {
    throw new UsageError(`cannot write ${options.out}: ${(e as Error).message}`);
  }
  io.out(`wrote ${options.out}\n`);
  return EXIT_OK;
}
