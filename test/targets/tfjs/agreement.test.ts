// Every example model, run by the generated tfjs module on the cpu and wasm backends (float32),
// agrees with the float64 reference evaluator to 1e-5 relative to the output's scale: the
// largest |value| of that output over the batches tested. (Per batch, a small output can sit
// below its own terms: NequIP's energy of a random 4-atom graph is 4e-3 while its activations
// are O(1), and float32 knows it to 7.8e-8, 2e-5 of itself.)

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateAll } from '../../../targets/ref/evaluate.js';
import { initialParams } from '../../../targets/io/params.js';
import { loadModel, type GeneratedModel } from '../../../targets/tfjs/load.js';
import { useBackend } from '../../../targets/tfjs/ops/backend.js';
import { assignParams } from '../../../targets/tfjs/ops/weights.js';
import { runGenerated } from '../../../targets/tfjs/runner.js';
import { exampleBatch, exampleModules, randomBatch, relativeError } from './helpers.js';

const examples = exampleModules();

describe('tfjs agrees with the reference evaluator', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('covers every example that compiles', () => {
    expect(examples.map((e) => e.module.model)).toEqual(expect.arrayContaining(['Tetris', 'TetrisChiral']));
  });

  for (const { file, module } of examples) {
    describe(`${module.model} (${file})`, () => {
      let model: GeneratedModel;
      const params = initialParams(module, 3);
      beforeAll(async () => {
        await useBackend('cpu');
        model = await loadModel(module);
        assignParams(model.params, params);
      }, 120_000);
      afterAll(() => Object.values(model.params).forEach((v) => v.dispose()));

      const batches = [
        ['its example input', () => exampleBatch(file, module)],
        ['a random batch of 3 graphs', () => randomBatch(module, [6, 1, 4], 11)],
      ] as const;
      const scales = new Map<string, number>();
      for (const [, make] of batches) {
        const values = evaluateAll(module, make(), params);
        for (const out of module.outputs) {
          const v = values.get(out.value)!;
          if (v.kind === 'rows') scales.set(out.name, Math.max(scales.get(out.name) ?? 0, ...v.data.map(Math.abs)));
        }
      }
      for (const backend of ['cpu', 'wasm']) {
        for (const [what, make] of batches) {
          it(`on ${backend}, ${what}: outputs within 1e-5 of the reference`, async () => {
            await useBackend(backend);
            const batch = make();
            const values = evaluateAll(module, batch, params);
            const got = runGenerated(model, batch);
            for (const out of module.outputs) {
              const expected = values.get(out.value)!;
              const actual = got.get(out.name)!;
              if (expected.kind !== 'rows') throw new Error('outputs are features');
              expect(actual.length).toBe(expected.data.length);
              expect(relativeError(actual, expected.data, scales.get(out.name))).toBeLessThan(1e-5);
            }
          });
        }
      }
    });
  }
});
