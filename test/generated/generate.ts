// Writes the generated equivariance suite of every example model into test/generated/<Model>/
// (the IR, initial weights and <Model>.equivariance.test.ts), so CI runs them and readers can
// see what eqvc generates. Run after changing the compiler or the examples:
//   npx tsx test/generated/generate.ts
// test/generated/fresh.test.ts fails when these files are out of date.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from '../../compiler/compile.js';
import { renderIrJson } from '../../targets/ir/render.js';
import { initialParams, paramsToTensors } from '../../targets/io/params.js';
import { writeSafetensors } from '../../targets/io/safetensors.js';
import { renderEquivarianceSuite } from '../../targets/suite/renderSuite.js';
import { getTarget } from '../../targets/registry.js';
import { chooseMutants } from '../../targets/suite/chooseMutants.js';

export const GENERATED_DIR = path.dirname(fileURLToPath(import.meta.url));
/** The targets the in-repository suites run on. */
export const SUITE_TARGETS = ['ref', 'tfjs', 'wgsl', 'wasm'];

export async function generatedFiles(): Promise<Map<string, string | Uint8Array>> {
  const files = new Map<string, string | Uint8Array>();
  const examples = fs.readdirSync('examples').filter((f) => f.endsWith('.eqv')).sort();
  for (const f of examples) {
    const result = compile(path.join('examples', f));
    if (!result.ok) throw new Error(`examples/${f} does not compile`);
    for (const module of result.ir) {
      const dir = module.model;
      files.set(`${dir}/${module.model}.ir.json`, renderIrJson(module));
      const params = initialParams(module, 0);
      files.set(`${dir}/${module.model}.safetensors`, writeSafetensors(paramsToTensors(module, params), { metadata: { model: module.model, seed: '0', format: 'eqv' } }));
      // Targets that refuse the module (wgsl and `grad`) are left out, with the reason printed.
      const skipped = SUITE_TARGETS.flatMap((t) => {
        const reason = getTarget(t)?.refuses?.(module);
        return reason ? [{ target: t, reason }] : [];
      });
      for (const k of skipped) console.log(`${module.model}: skipping ${k.target}: ${k.reason}`);
      const targets = SUITE_TARGETS.filter((t) => !skipped.some((k) => k.target === t));
      const { chosen } = await chooseMutants(module, params);
      files.set(`${dir}/${module.model}.equivariance.test.ts`, renderEquivarianceSuite(module, { targets, skipped, runtimeImport: '../../../targets/suite/index.js', mutants: chosen }));
    }
  }
  return files;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  for (const [rel, contents] of await generatedFiles()) {
    const dest = path.join(GENERATED_DIR, rel);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.writeFileSync(dest, contents);
    console.log(`wrote ${path.relative(process.cwd(), dest)}`);
  }
}
