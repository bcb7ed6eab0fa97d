// Training the GL+(3) example (examples/gl3_invariants.eqv) on its synthetic task: graphs with
// per-graph inputs only (no nodes), the invariant score (1/4) sum_ij w_j(v_i)^2 - 1.

import { beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../../compiler/compile.js';
import { loadModel } from '../../../targets/tfjs/load.js';
import { useBackend } from '../../../targets/tfjs/ops/backend.js';
import { evaluateMetrics, parseDatasetJson, train } from '../../../targets/tfjs/train.js';
import { pairingGraphs } from '../../../examples/gl3_invariants_data.js';

const module = compile('examples/gl3_invariants.eqv').ir[0]!;

describe('training the GL+(3) example', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('reads graphs without nodes', () => {
    const data = parseDatasetJson({ graphs: pairingGraphs(3, 1) }, module, 'mse');
    expect(data.map((e) => e.nodes)).toEqual([0, 0, 0]);
    expect(data[0]!.inputs.x!.length).toBe(12);
  });

  it('reduces the loss of the pairing regression', async () => {
    const model = await loadModel(module);
    model.initParams(0);
    const data = parseDatasetJson({ graphs: pairingGraphs(64, 2) }, module, 'mse');
    const before = evaluateMetrics(model, data, { loss: 'mse' });
    train(model, data, { loss: 'mse', epochs: 10, lr: 0.01, batchSize: 16 });
    const after = evaluateMetrics(model, data, { loss: 'mse' });
    expect(after.loss).toBeLessThan(0.5 * before.loss);
  }, 120_000);
});
