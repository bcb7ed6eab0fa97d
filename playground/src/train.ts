// The training demo: the tetris classifier of examples/tetris_chiral.eqv (SE(3): all 8 shapes,
// mirror images apart) as the tfjs target generates it (built in Node by build.ts), trained with
// the tfjs target's own training loop on shapes in random poses and tested on new poses. The
// backend is the page's choice: wasm (the fastest without a GPU; its binaries are served beside
// the page), webgl, or cpu; where one cannot start, the next of wasm, webgl, cpu is used.
// Loaded on demand: tfjs is a large download.

import { loadGenerated, startBackend } from './tfjs.js';
import { evaluateMetrics, parseDatasetJson, train } from '../../targets/tfjs/train.js';
import type { IRModule } from '../../ir/types.js';
import { tetrisGraphs } from '../../examples/tetris_data.js';

export interface TrainReport {
  readonly backend: string;
  readonly losses: readonly number[];
  readonly accuracy: number;
  readonly testShapes: number;
}

/** Trains `epochs` epochs on 4 poses of each shape; tests on 4 new poses of each. */
export async function trainTetris(module: IRModule, load: () => Promise<unknown>, backendName: string, epochs: number, onEpoch: (losses: readonly number[]) => void): Promise<TrainReport> {
  const backend = await startBackend(backendName, ['wasm', 'webgl', 'cpu']);
  // The generated module creates its parameters when imported: after the backend is chosen.
  const model = await loadGenerated(load);
  model.initParams(0);
  const trainSet = parseDatasetJson({ graphs: tetrisGraphs(4, 1) }, module, 'cross_entropy');
  const testSet = parseDatasetJson({ graphs: tetrisGraphs(4, 12345) }, module, 'cross_entropy');
  const losses: number[] = [];
  // One epoch per call, yielding to the page in between so that the curve is drawn as it goes.
  // Adam's moments restart each call; at this size that changes little and keeps the page live.
  for (let e = 0; e < epochs; e++) {
    const r = train(model, trainSet, { loss: 'cross_entropy', epochs: 1, lr: 0.01, batchSize: 16, seed: e });
    losses.push(r.loss);
    onEpoch(losses);
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  const m = evaluateMetrics(model, testSet, { loss: 'cross_entropy', batchSize: 32 });
  return { backend, losses, accuracy: m.accuracy ?? 0, testShapes: testSet.length };
}
