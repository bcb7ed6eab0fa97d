// Every example model, run by the generated tfjs module on the cpu and wasm backends (float32),
// agrees with the float64 reference evaluator to 1e-5 relative to the output's scale.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../../targets/ref/evaluate.js';
import { initialParams } from '../../../targets/runtime/params.js';
import { loadModel, type GeneratedModel } from '../../../targets/tfjs/load.js';
import { useBackend } from '../../../targets/tfjs/runtime/backend.js';
import { assignParams } from '../../../targets/tfjs/runtime/weights.js';
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
      for (const backend of ['cpu', 'wasm']) {
        for (const [what, make] of batches) {
          it(`on ${backend}, ${what}: outputs within 1e-5 of the reference`, async () => {
            await useBackend(backend);
            const batch = make();
            const ref = evaluate(module, batch, params);
            const got = runGenerated(model, batch);
            for (const [name, expected] of ref) {
              const actual = got.get(name)!;
              expect(actual.length).toBe(expected.length);
              expect(relativeError(actual, expected)).toBeLessThan(1e-5);
            }
          });
        }
      }
    });
  }
});
