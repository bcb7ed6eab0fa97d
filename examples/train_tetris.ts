// Trains the tetris classifiers with the tfjs target and tests them on shapes in random poses
// (rotations and translations the training set never had). Run: npx tsx examples/train_tetris.ts
//
// examples/tetris_chiral.eqv (SE(3)) learns all 8 shapes. examples/tetris.eqv is E(3)-invariant:
// mirror images get the same output, so it is trained and tested on 7 classes, the two chiral
// shapes (mirror images of each other) sharing one. The result is recorded in docs/benchmarks.md.

import * as fs from 'node:fs';
import { compile } from '../compiler/compile.js';
import { useBackend } from '../targets/tfjs/ops/backend.js';
import { loadModel } from '../targets/tfjs/load.js';
import { evaluateMetrics, parseDatasetJson, train } from '../targets/tfjs/train.js';
import { tetrisGraphs } from './tetris_data.js';

await useBackend(process.argv[2] ?? 'wasm');
for (const [file, mergeChiral, epochs] of [['examples/tetris_chiral.eqv', false, 40], ['examples/tetris.eqv', true, 150]] as const) {
  const module = compile(file).ir[0]!;
  const model = await loadModel(module);
  model.initParams(0);
  const trainSet = parseDatasetJson({ graphs: tetrisGraphs(10, 1, { mergeChiral }) }, module, 'cross_entropy');
  const testSet = parseDatasetJson({ graphs: tetrisGraphs(100, 12345, { mergeChiral }) }, module, 'cross_entropy');
  const t0 = performance.now();
  train(model, trainSet, { loss: 'cross_entropy', epochs, lr: 0.01, batchSize: 16, seed: 0 });
  const seconds = (performance.now() - t0) / 1000;
  const m = evaluateMetrics(model, testSet, { loss: 'cross_entropy', batchSize: 100 });
  const classes = mergeChiral ? 7 : 8;
  process.stdout.write(`${module.model}: ${classes} classes, trained ${epochs} epochs on ${trainSet.length} graphs in ${seconds.toFixed(1)} s; ` + `test accuracy ${(100 * m.accuracy!).toFixed(1)}% on ${testSet.length} randomly rotated and translated shapes (loss ${m.loss.toPrecision(3)})\n`);
  if (process.argv.includes('--save')) fs.writeFileSync(`/tmp/${module.model}.safetensors`, model.saveWeights());
}
