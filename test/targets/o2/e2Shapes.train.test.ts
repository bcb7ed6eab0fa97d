// examples/e2_shapes.eqv learns its task: trained with the tfjs target on 3 random poses of each tetromino,
// it classifies 42 fresh poses (new rotations, translations and reflections) without a mistake.
// E(2) sees the 5 free tetrominoes (a shape and its mirror image are one class).

import { describe, expect, it } from 'vitest';
import { compile } from '../../../compiler/compile.js';
import { loadModel } from '../../../targets/tfjs/load.js';
import { useBackend } from '../../../targets/tfjs/ops/backend.js';
import { evaluateMetrics, parseDatasetJson, train } from '../../../targets/tfjs/train.js';
import { tetrominoGraphs } from '../../../examples/e2_shapes_data.js';

describe('training examples/e2_shapes.eqv', () => {
  it('classifies unseen poses perfectly after 10 epochs', async () => {
    await useBackend('wasm');
    const module = compile('examples/e2_shapes.eqv').ir[0]!;
    const model = await loadModel(module);
    model.initParams(0);
    const data = parseDatasetJson({ graphs: tetrominoGraphs(3, 1, true) }, module, 'cross_entropy');
    const unseen = parseDatasetJson({ graphs: tetrominoGraphs(6, 77, true) }, module, 'cross_entropy');
    const before = evaluateMetrics(model, unseen, { loss: 'cross_entropy' });
    train(model, data, { loss: 'cross_entropy', epochs: 10, lr: 0.03, batchSize: 4 });
    const after = evaluateMetrics(model, unseen, { loss: 'cross_entropy' });
    expect(before.accuracy!).toBeLessThan(0.5);
    expect(after.accuracy).toBe(1);
  }, 120_000);
});
