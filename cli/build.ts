// `eqvc build FILE --target T --out DIR`: the target's files for every model in FILE (or the
// one named by --model), plus initial weights (`<Model>.safetensors`, e3nn's initialization
// from --seed).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileModels } from './models.js';
import { irTarget } from '../targets/ir/index.js';
import { getTarget, runnerNames, targetNames } from '../targets/registry.js';
import { renderEquivarianceSuite } from '../targets/suite/renderSuite.js';
import { chooseMutants } from '../targets/suite/chooseMutants.js';
import { initialParams, paramsToTensors } from '../targets/io/params.js';
import { writeSafetensors } from '../targets/io/safetensors.js';
import type { BuiltFile } from '../targets/target.js';
import { type CliIO, EXIT_OK, EXIT_PROGRAM_ERRORS, UsageError } from './io.js';

export interface BuildCliOptions {
  target: string;
  out: string;
  model?: string;
  seed: string;
  tests?: boolean;
}

export async function runBuild(file: string, options: BuildCliOptions, io: CliIO): Promise<number> {
  const target = getTarget(options.target);
  if (!target) throw new UsageError(`unknown target ${options.target}; targets: ${targetNames().join(', ')}`);
  const seed = Number(options.seed);
  if (!Number.isInteger(seed) || seed < 0) throw new UsageError(`--seed must be a non-negative integer, got ${options.seed}`);
  const compiled = compileModels(file, options.model, io);
  if (!compiled) return EXIT_PROGRAM_ERRORS;
  // Render every file first, so a target that cannot render a model is reported as that (and
  // nothing is half-written), then write them.
  for (const module of compiled.modules) {
    const reason = target.refuses?.(module);
    if (reason) throw new UsageError(`cannot build ${module.model} for ${target.name}: ${reason}`);
  }
  const files: BuiltFile[] = [];
  for (const module of compiled.modules) {
    try {
      files.push(...(await target.render(module, { seed, tests: options.tests ?? false })));
      if (options.tests && target !== irTarget) files.push(...(await irTarget.render(module, { seed, tests: true }))); // the suite reads the IR beside it
    } catch (e) {
      io.err(`eqvc: the ${target.name} target cannot render ${module.model}: ${(e as Error).message}\n`);
      return EXIT_PROGRAM_ERRORS;
    }
    const params = initialParams(module, seed);
    const weights = writeSafetensors(paramsToTensors(module, params), { metadata: { model: module.model, seed: String(seed), format: 'eqv' } });
    files.push({ path: `${module.model}.safetensors`, contents: weights });
    if (options.tests) {
      // Targets that refuse the module (wgsl and `grad`) are left out of the suite, the reason in its header.
      const skipped = runnerNames().flatMap((t) => {
        const reason = getTarget(t)?.refuses?.(module);
        return reason ? [{ target: t, reason }] : [];
      });
      const targets = runnerNames().filter((t) => !skipped.some((k) => k.target === t));
      const { chosen } = await chooseMutants(module, params);
      files.push({ path: `${module.model}.equivariance.test.ts`, contents: renderEquivarianceSuite(module, { targets, skipped, runtimeImport: 'eqv/testing', mutants: chosen }) });
    }
  }
  try {
    fs.mkdirSync(options.out, { recursive: true });
    for (const f of files) {
      const dest = path.join(options.out, f.path);
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      fs.writeFileSync(dest, f.contents);
      io.out(`wrote ${dest}\n`);
    }
  } catch (e) {
    throw new UsageError(`cannot write to ${options.out}: ${(e as Error).message}`);
  }
  return EXIT_OK;
}
