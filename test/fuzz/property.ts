// The fuzzer's properties, shared by test/fuzz/pipeline.test.ts (a bounded run in npm test) and
// test/fuzz/campaign.ts (the long release run in one process, in seeded chunks). Each throws an
// Error naming the program when the pipeline misbehaves.

import { compileSource } from '../../compiler/compile.js';
import type { IRModule } from '../../ir/types.js';
import { initialParams, paramsToTensors } from '../../targets/io/params.js';
import { writeSafetensors } from '../../targets/io/safetensors.js';
import { getTarget } from '../../targets/registry.js';
import { loadModel } from '../../targets/tfjs/load.js';

export const FUZZ_TARGETS = ['ir', 'tfjs', 'wgsl'] as const;

function fail(what: string, text: string): never {
  throw new Error(`${what}\n--- program (${JSON.stringify(text).length} chars, JSON) ---\n${JSON.stringify(text)}`);
}

/**
 * Check and, where it checks, build for every target as `eqvc build` does (cli/build.ts): a target
 * may refuse a module with a reason (wgsl and `grad`), which build reports as a usage error;
 * otherwise its render must not throw. The initial weights are written too.
 * No exception, no internal error, well-formed spans.
 */
export async function checkAndBuild(text: string): Promise<readonly IRModule[]> {
  const out = compileSource(text, 'fuzz.eqv');
  const internal = out.diagnostics.filter((d) => d.code === 'E9999');
  if (internal.length > 0) fail(`internal error: ${internal.map((d) => d.message).join('; ')}`, text);
  for (const d of out.diagnostics) {
    if (!(d.span.start.line >= 1)) fail(`diagnostic ${d.code} has line ${d.span.start.line}: ${d.message}`, text);
    if (d.message.length === 0) fail(`diagnostic ${d.code} has an empty message`, text);
  }
  for (const module of out.ir) {
    for (const name of FUZZ_TARGETS) {
      const target = getTarget(name)!;
      const refusal = target.refuses?.(module);
      if (refusal !== undefined && refusal.length === 0) fail(`${name} refused with an empty reason`, text);
      if (refusal) continue;
      const files = await target.render(module, { seed: 0, tests: false });
      if (files.length === 0) fail(`${name} rendered nothing`, text);
    }
    const weights = writeSafetensors(paramsToTensors(module, initialParams(module, 0)), { metadata: { model: module.model } });
    if (!(weights.length > 8)) fail('the initial weights are empty', text);
  }
  return out.ir;
}

/** A program that checks: it builds, its generated tfjs module loads, and no text from the source runs. */
export async function buildAndLoad(text: string): Promise<void> {
  const [module] = await checkAndBuild(text);
  if (!module) fail('a valid model with hostile comments did not check', text);
  const loaded = await loadModel(module);
  if (loaded.model.name !== 'M') fail(`the loaded module is named ${loaded.model.name}, not M`, text);
  if ((globalThis as Record<string, unknown>)['__eqvFuzzInjected'] !== undefined) fail('text from the source ran in the generated module', text);
}
