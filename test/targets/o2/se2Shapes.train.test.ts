// examples/se2_shapes.eqv learns its task: trained with the tfjs target on 3 random poses of each tetromino,
// it classifies 42 fresh poses (new rotations, translations) without a mistake.
// SE(2) tells all 7 one-sided tetrominoes apart (S from Z, J from L) through the cross-product channel of 1 x 1 -> 0.

import { describe, expect, it } from 'vitest';
import { compile } from '../../../compiler/compile.js';
import { loadModel } from '../../../targets/tfjs/load.js';
import { useBackend } from '../../../targets/tfjs/ops/backend.js';
import { evaluateMetrics, parseDatasetJson, train } from '../../../targets/tfjs/train.js';
import { tetrominoGraphs } from '../../../examples/e2_shapes_data.js';

describe('training examples/se2_shapes.eqv', () => {
  it('classifies unseen poses perfectly after 8 epochs', async () => {
    await useBackend('wasm');
    const module = compile('examples/se2_shapes.eqv').ir[0]!;
    const model = await loadModel(module);
    model.initParams(0);
    const data = parseDatasetJson({ graphs: tetrominoGraphs(3, 1, false) }, module, 'cross_entropy');
    const unseen = parseDatasetJson({ graphs: tetrominoGraphs(6, 77, false) }, module, 'cross_entropy');
    const before = evaluateMetrics(model, unseen, { loss: 'cross_entropy' });
    train(model, data, { loss: 'cross_entropy', epochs: 8, lr: 0.03, batchSize: 4 });
    const after = evaluateMetrics(model, unseen, { loss: 'cross_entropy' });
    expect(before.accuracy!).toBeLessThan(0.5);
    expect(after.accuracy).toBe(1);
  }, 120_000);
});
