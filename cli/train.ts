// `eqvc train FILE --data DATA --loss mse|cross_entropy --epochs N --lr X --out W.safetensors`:
// trains the model's tfjs module (targets/tfjs/train.ts) with Adam on a dataset (JSON or the
// binary safetensors form, docs/formats.md), holding out a split, with a progress bar on stderr
// (plain lines when stderr is not a terminal), checkpoints, and a final report of the training
// and held-out metrics. Weights are written as safetensors.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { type CliIO, EXIT_OK, EXIT_PROGRAM_ERRORS, UsageError, processIO } from './io.js';
import { compileModels } from './build.js';

export interface TrainCliOptions {
  data: string;
  loss: string;
  epochs: string;
  lr: string;
  out: string;
  model?: string;
  batchSize: string;
  heldOut: string;
  seed: string;
  weights?: string;
  backend: string;
  checkpointEvery?: string;
  forceWeight: string;
}

function positive(value: string, name: string, integer: boolean): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) throw new UsageError(`${name} must be a positive ${integer ? 'integer' : 'number'}, got ${value}`);
  return n;
}

function describe(m: { loss: number; accuracy?: number; mae?: number; forceMae?: number }): string {
  const parts = [`loss ${m.loss.toPrecision(4)}`];
  if (m.accuracy !== undefined) parts.push(`accuracy ${(100 * m.accuracy).toFixed(1)}%`);
  if (m.mae !== undefined) parts.push(`MAE ${m.mae.toPrecision(4)}`);
  if (m.forceMae !== undefined) parts.push(`force MAE ${m.forceMae.toPrecision(4)}`);
  return parts.join(', ');
}

export async function runTrain(file: string, options: TrainCliOptions, io: CliIO): Promise<number> {
  if (options.loss !== 'mse' && options.loss !== 'cross_entropy') throw new UsageError(`--loss must be mse or cross_entropy, got ${options.loss}`);
  const loss = options.loss;
  const epochs = positive(options.epochs, '--epochs', true);
  const lr = positive(options.lr, '--lr', false);
  const batchSize = positive(options.batchSize, '--batch-size', true);
  const heldOutFraction = Number(options.heldOut);
  if (!(heldOutFraction >= 0 && heldOutFraction < 1)) throw new UsageError(`--held-out must be a fraction in [0, 1), got ${options.heldOut}`);
  const seed = Number(options.seed);
  if (!Number.isInteger(seed) || seed < 0) throw new UsageError(`--seed must be a non-negative integer, got ${options.seed}`);
  const checkpointEvery = options.checkpointEvery ? positive(options.checkpointEvery, '--checkpoint-every', true) : undefined;
  const forceWeight = Number(options.forceWeight);
  if (!(forceWeight >= 0)) throw new UsageError(`--force-weight must be >= 0, got ${options.forceWeight}`);

  const compiled = compileModels(file, options.model, io);
  if (!compiled) return EXIT_PROGRAM_ERRORS;
  if (compiled.modules.length > 1) throw new UsageError(`${file} has several models (${compiled.modules.map((m) => m.model).join(', ')}); choose one with --model`);
  const module = compiled.modules[0]!;

  const { parseDatasetBinary, parseDatasetJson, splitHeldOut, train, evaluateMetrics, DatasetError } = await import('../targets/tfjs/train.js');
  const { useBackend } = await import('../targets/tfjs/ops/backend.js');
  const { loadModel } = await import('../targets/tfjs/load.js');

  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(options.data);
  } catch {
    throw new UsageError(`cannot read the dataset ${options.data}`);
  }
  let examples;
  try {
    if (options.data.endsWith('.json')) examples = parseDatasetJson(JSON.parse(bytes.toString('utf8')), module, loss);
    else examples = parseDatasetBinary(new Uint8Array(bytes), module, loss);
  } catch (e) {
    if (e instanceof DatasetError || e instanceof SyntaxError || (e as Error).name === 'SafetensorsError') throw new UsageError(`invalid dataset ${options.data}:\n  ${(e as Error).message.split('\n').join('\n  ')}`);
    throw e;
  }
  if (!['cpu', 'wasm'].includes(options.backend)) throw new UsageError(`--backend must be cpu or wasm, got ${options.backend}`);
  await useBackend(options.backend);
  const model = await loadModel(module);
  if (options.weights) {
    try {
      model.loadWeights(new Uint8Array(fs.readFileSync(options.weights)));
    } catch (e) {
      throw new UsageError(`cannot use the weights ${options.weights}: ${(e as Error).message}`);
    }
  } else {
    model.initParams(seed);
  }

  const { train: trainSet, heldOut } = splitHeldOut(examples, heldOutFraction, seed);
  const lossOptions = { loss, forceWeight, batchSize } as const;
  const tty = io === processIO && process.stderr.isTTY === true;
  io.err(`training ${module.model} on ${trainSet.length} graphs (${heldOut.length} held out), ${epochs} epochs, batch ${batchSize}, Adam lr ${lr}, ${options.backend}\n`);
  const checkpointBase = options.out.replace(/\.safetensors$/, '');
  const save = (target: string, epoch: number) => {
    fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
    fs.writeFileSync(target, model.saveWeights({ epoch: String(epoch), loss }));
  };

  const bar = (step: number, steps: number) => {
    const width = 24;
    const done = Math.round((width * step) / steps);
    return `[${'#'.repeat(done)}${'.'.repeat(width - done)}]`;
  };
  const final = train(model, trainSet, {
    ...lossOptions,
    epochs,
    lr,
    seed,
    heldOut,
    onStep: (p) => {
      if (tty) io.err(`\repoch ${p.epoch}/${p.epochs} ${bar(p.step, p.steps)} ${p.step}/${p.steps} loss ${p.loss.toPrecision(4)} ${p.graphsPerSecond.toFixed(1)} graphs/s `);
    },
    onEpoch: (epoch, trainMetrics, held) => {
      const line = `epoch ${epoch}/${epochs} train loss ${trainMetrics.loss.toPrecision(4)}${held ? `, held-out ${describe(held)}` : ''}`;
      io.err(tty ? `\r${line}\x1b[K\n` : `${line}\n`);
      if (checkpointEvery && epoch % checkpointEvery === 0 && epoch < epochs) {
        const target = `${checkpointBase}.epoch${epoch}.safetensors`;
        save(target, epoch);
        io.err(`checkpoint ${target}\n`);
      }
    },
  });
  save(options.out, epochs);
  const trainMetrics = evaluateMetrics(model, trainSet, lossOptions);
  io.err(`final training loss ${final.loss.toPrecision(4)}\n`);
  io.out(`train (${trainSet.length} graphs): ${describe(trainMetrics)}\n`);
  if (heldOut.length > 0) io.out(`held-out (${heldOut.length} graphs): ${describe(evaluateMetrics(model, heldOut, lossOptions))}\n`);
  io.out(`wrote ${options.out}\n`);
  for (const v of Object.values(model.params)) v.dispose();
  return EXIT_OK;
}
