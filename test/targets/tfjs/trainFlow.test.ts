// Training the flow example (examples/flow_tracker.eqv) on its synthetic task: which of the 25
// velocities of a 5x5 torus a sparse pattern moves with. A short run on a few sequences must
// beat chance (1/25) on sequences it did not see, through the recurrence's gradients.

import { beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../../compiler/compile.js';
import { loadModel } from '../../../targets/tfjs/load.js';
import { useBackend } from '../../../targets/tfjs/ops/backend.js';
import { evaluateMetrics, train } from '../../../targets/tfjs/train.js';
import { flowTrackerExamples } from '../../../examples/flow_tracker_data.js';

const module = compile('examples/flow_tracker.eqv').ir[0]!;

describe('training the flow example', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('learns the velocity of moving patterns', async () => {
    const model = await loadModel(module);
    model.initParams(0);
    const data = flowTrackerExamples(96, 5);
    const heldOut = flowTrackerExamples(48, 6);
    const before = evaluateMetrics(model, heldOut, { loss: 'cross_entropy' });
    train(model, data, { loss: 'cross_entropy', epochs: 3, lr: 0.01, batchSize: 16, seed: 1 });
    const after = evaluateMetrics(model, heldOut, { loss: 'cross_entropy' });
    expect(after.loss).toBeLessThan(before.loss - 0.1);
    expect(after.accuracy!).toBeGreaterThan(0.3);
  }, 120_000);
});
