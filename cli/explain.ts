// `eqvc explain FILE`: per value, its type, dimension, parameters and FLOPs.

import { explainModel, renderExplanation } from '../services/explain.js';
import { compileModels } from './models.js';
import { type CliIO, EXIT_OK, EXIT_PROGRAM_ERRORS } from './io.js';

export function runExplain(file: string, options: { model?: string; json?: boolean }, io: CliIO): number {
  const compiled = compileModels(file, options.model, io);
  if (!compiled) return EXIT_PROGRAM_ERRORS;
  const models = compiled.result.models.filter((m) => compiled.modules.some((x) => x.model === m.name));
  const explanations = models.map((m) => explainModel(m, compiled.result.source));
  if (options.json) io.out(JSON.stringify(explanations.map(({ ir: _ir, ...rest }) => rest), null, 2) + '\n');
  else io.out(explanations.map(renderExplanation).join('\n'));
  return EXIT_OK;
}
