// The training demo: the tetris classifier (examples/tetris.eqv, E(3)-invariant, so the two
// chiral shapes share a class) as the tfjs target generates it (built in Node by build.ts),
// trained with the tfjs target's own training loop on shapes in random poses, on tfjs's webgl
// backend (cpu where the browser has no WebGL). Loaded on demand: tfjs is a large download.

import { useBackend } from '../../targets/tfjs/ops/backend.js';
import { evaluateMetrics, parseDatasetJson, train } from '../../targets/tfjs/train.js';
import type { GeneratedModel } from '../../targets/tfjs/load.js';
import type { IRModule } from '../../ir/types.js';
import { tetrisGraphs } from '../../examples/tetris_data.js';

export interface TrainReport {
  readonly backend: string;
  readonly losses: readonly number[];
  readonly accuracy: number;
  readonly testShapes: number;
}

async function chooseBackend(): Promise<string> {
  for (const name of ['webgl', 'cpu']) {
    try {
      await useBackend(name);
      return name;
    } catch {
      // webgl needs a WebGL2 context; cpu always works.
    }
  }
  throw new Error('no tfjs backend could be initialized');
}

/** Trains `epochs` epochs on 4 poses of each shape; tests on 4 new poses of each. */
export async function trainTetris(module: IRModule, epochs: number, onEpoch: (losses: readonly number[]) => void): Promise<TrainReport> {
  const backend = await chooseBackend();
  // The generated module creates its parameters when imported: after the backend is chosen.
  const model = (await import('./generated/Tetris.tfjs.js')) as unknown as GeneratedModel;
  model.initParams(0);
  const trainSet = parseDatasetJson({ graphs: tetrisGraphs(4, 1, { mergeChiral: true }) }, module, 'cross_entropy');
  const testSet = parseDatasetJson({ graphs: tetrisGraphs(4, 12345, { mergeChiral: true }) }, module, 'cross_entropy');
  const losses: number[] = [];
  // One epoch per call, yielding to the page in between so that the curve is drawn as it goes.
  // Adam's moments restart each call; at this size that changes little and keeps the page live.
  for (let e = 0; e < epochs; e++) {
    const r = train(model, trainSet, { loss: 'cross_entropy', epochs: 1, lr: 0.02, batchSize: 14, seed: e });
    losses.push(r.loss);
    onEpoch(losses);
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  const m = evaluateMetrics(model, testSet, { loss: 'cross_entropy', batchSize: 28 });
  return { backend, losses, accuracy: m.accuracy ?? 0, testShapes: testSet.length };
}
