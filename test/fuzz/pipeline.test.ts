// The whole pipeline under hostile input: random and mutated programs go through check, build
// for every target (ir, tfjs, wgsl: rendered, WGSL not executed) and, for some, the import of
// the generated tfjs module. Nothing may throw, report an internal error (E9999) or run code
// smuggled in through a comment, a name or a string; limits (docs/language.md, "Limits") keep
// every case small. EQV_FUZZ_RUNS=100000 runs a long campaign (docs/testing.md).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../../targets/tfjs/load.js';
import { anyProgram, PAYLOAD, validWithHostileComments } from './programs.js';
import { buildAndLoad, checkAndBuild, FUZZ_TARGETS } from './property.js';

/** Runs of the check-and-build property; the module-loading property runs a tenth as many. */
const RUNS = Number(process.env['EQV_FUZZ_RUNS'] ?? 100);
const LOAD_RUNS = Math.max(1, Math.min(20, Math.round(RUNS / 10)) + (RUNS > 1000 ? Math.round(RUNS / 50) : 0));
const SEED = Number(process.env['EQV_FUZZ_SEED'] ?? 20261207);
const LONG = RUNS > 1000;

describe('the reproducer of issue 12', () => {
  it('a U+2028 or CR in a block comment neither breaks the tfjs module nor runs what follows it', async () => {
    for (const end of ['\u2028', '\r', '\u2029']) {
      const text = `model M : O(3) {\n  in x: node[2x0e]\n  out y: node[2x0e]\n  y = silu(x) /* a${end}${PAYLOAD} */\n}\n`;
      const [module] = await checkAndBuild(text);
      expect(module!.nodes.map((n) => n.source.text)).toContain('y = silu(x) /* a globalThis.__eqvFuzzInjected = 1; */');
      await loadModel(module!);
      expect((globalThis as Record<string, unknown>)['__eqvFuzzInjected']).toBeUndefined();
    }
  }, 120_000);
});

describe('fuzzing check and build', () => {
  it(`${RUNS} hostile and mutated programs check and build for ${FUZZ_TARGETS.join(', ')} without an internal error`, async () => {
    let built = 0;
    await fc.assert(
      fc.asyncProperty(anyProgram, async (text) => {
        built += (await checkAndBuild(text)).length;
      }),
      { numRuns: RUNS, seed: SEED, ...(LONG ? { verbose: 1 } : {}) },
    );
    // The valid models with hostile comments must reach the targets, or the property tests little.
    expect(built).toBeGreaterThan(RUNS / 10);
  }, LONG ? 24 * 3600_000 : 120_000);

  it(`${LOAD_RUNS} generated tfjs modules load, and no text from the source runs`, async () => {
    await fc.assert(
      fc.asyncProperty(validWithHostileComments, buildAndLoad),
      { numRuns: LOAD_RUNS, seed: SEED + 1 },
    );
  }, LONG ? 24 * 3600_000 : 120_000);
});
