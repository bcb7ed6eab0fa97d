// `eqvc train FILE --data DATA --loss mse|cross_entropy --epochs N --lr X --out W.safetensors`:
// trains the model's tfjs module (targets/tfjs/train.ts) with Adam on a dataset (JSON or the
// binary safetensors form, docs/formats.md), holding out a split, with a progress bar on stderr
// (plain lines when stderr is not a terminal), checkpoints, and a final report of the training
// and held-out metrics. Weights are written as safetensors.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { type CliIO, EXIT_OK, EXIT_PROGRAM_ERRORS, UsageError, processIO } from './io.js';
import { compileModels } from './models.js';
import { renderCurvesSvg } from '../services/curvesSvg.js';
import type { IRModule } from '../ir/types.js';
import type { Example, TrainState } from '../targets/tfjs/train.js';

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
  kernels?: string;
  checkpointEvery?: string;
  forceWeight: string;
  energyWeight: string;
  val?: string;
  schedule: string;
  minLr: string;
  lrFactor: string;
  lrPatience: string;
  ema?: string;
  patience?: string;
  resume?: string;
  equivarianceWeight?: string;
  symmetryBreaking?: string[];
  sparsity?: string;
}

function positive(value: string, name: string, integer: boolean): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) throw new UsageError(`${name} must be a positive ${integer ? 'integer' : 'number'}, got ${value}`);
  return n;
}

function describe(m: { loss: number; accuracy?: number; mae?: number; rmse?: number; maePerAtom?: number; rmsePerAtom?: number; forceMae?: number; forceRmse?: number }): string {
  const parts = [`loss ${m.loss.toPrecision(4)}`];
  const p = (x: number) => x.toPrecision(4);
  if (m.accuracy !== undefined) parts.push(`accuracy ${(100 * m.accuracy).toFixed(1)}%`);
  if (m.mae !== undefined) parts.push(`MAE ${p(m.mae)}`);
  if (m.rmse !== undefined) parts.push(`RMSE ${p(m.rmse)}`);
  if (m.maePerAtom !== undefined) parts.push(`MAE/atom ${p(m.maePerAtom)}`);
  if (m.rmsePerAtom !== undefined) parts.push(`RMSE/atom ${p(m.rmsePerAtom)}`);
  if (m.forceMae !== undefined) parts.push(`force MAE ${p(m.forceMae)}`);
  if (m.forceRmse !== undefined) parts.push(`force RMSE ${p(m.forceRmse)}`);
  return parts.join(', ');
}

/**
 * `--kernels wasm`: the wasm target's generated kernels as the tfjs runtime's custom ops
 * (targets/wasm/tfjsOps.ts). Their gradients are not differentiable again, so a loss that
 * differentiates forces (force-weighted, or a model whose forward takes a gradient) keeps
 * tfjs's ops. Returns the provider's name when installed.
 */
async function installKernels(kind: string, module: IRModule, forceLoss: boolean, warn: (text: string) => void): Promise<string | undefined> {
  if (kind !== 'tfjs' && kind !== 'wasm') throw new UsageError(`--kernels must be tfjs or wasm, got ${kind}`);
  const { setKernelProvider } = await import('../targets/tfjs/ops/kernelProvider.js');
  setKernelProvider(undefined);
  if (kind === 'tfjs') return undefined;
  const secondOrder = forceLoss ? 'the loss matches forces' : module.nodes.some((n) => n.op === 'grad' || n.op === 'stress') ? `${module.model} computes a gradient in its forward` : undefined;
  if (secondOrder) {
    warn(`--kernels wasm: ${secondOrder}, so training needs second derivatives, which the kernels' gradients do not have; training with tfjs's ops`);
    return undefined;
  }
  const { wasmRuntime, defaultThreads } = await import('../targets/wasm/runtime.js');
  const { wasmKernelProvider } = await import('../targets/wasm/tfjsOps.js');
  const provider = wasmKernelProvider(wasmRuntime(defaultThreads()));
  setKernelProvider(provider);
  return provider.name;
}

function nonNegative(value: string, name: string): number {
  const n = Number(value);
  if (!(n >= 0) || !Number.isFinite(n)) throw new UsageError(`${name} must be a number >= 0, got ${value}`);
  return n;
}

export async function runTrain(file: string, options: TrainCliOptions, io: CliIO): Promise<number> {
  try {
    return await trainCommand(file, options, io);
  } finally {
    // The kernels installed by --kernels serve this command only (tests run several in one process).
    (await import('../targets/tfjs/ops/kernelProvider.js')).setKernelProvider(undefined);
  }
}

async function trainCommand(file: string, options: TrainCliOptions, io: CliIO): Promise<number> {
  if (options.kernels !== undefined && options.kernels !== 'tfjs' && options.kernels !== 'wasm') throw new UsageError(`--kernels must be tfjs or wasm, got ${options.kernels}`);
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
  const energyWeight = nonNegative(options.energyWeight ?? '1', '--energy-weight');
  const scheduleKind = options.schedule ?? 'constant';
  if (!['constant', 'cosine', 'plateau'].includes(scheduleKind)) throw new UsageError(`--schedule must be constant, cosine or plateau, got ${scheduleKind}`);
  const schedule = {
    kind: scheduleKind as 'constant' | 'cosine' | 'plateau',
    minLr: nonNegative(options.minLr ?? '0', '--min-lr'),
    factor: positive(options.lrFactor ?? '0.5', '--lr-factor', false),
    patience: nonNegative(options.lrPatience ?? '5', '--lr-patience'),
  };
  let emaDecay: number | undefined;
  if (options.ema !== undefined) {
    emaDecay = Number(options.ema);
    if (!(emaDecay > 0 && emaDecay < 1)) throw new UsageError(`--ema must be a decay in (0, 1), e.g. 0.99, got ${options.ema}`);
  }
  const patience = options.patience !== undefined ? positive(options.patience, '--patience', true) : undefined;
  const equivarianceWeight = options.equivarianceWeight !== undefined ? nonNegative(options.equivarianceWeight, '--equivariance-weight') : undefined;
  if (options.symmetryBreaking && equivarianceWeight === undefined) throw new UsageError('--symmetry-breaking needs --equivariance-weight (use 0 to measure the equivariance error without a penalty)');
  let sparsity: number | undefined;
  if (options.sparsity !== undefined) {
    sparsity = Number(options.sparsity);
    if (!(sparsity >= 0 && sparsity < 1)) throw new UsageError(`--sparsity must be a share of paths in [0, 1), e.g. 0.7, got ${options.sparsity}`);
  }
  const warn = (text: string) => io.err(`eqvc: warning: ${text}\n`);
  if (scheduleKind === 'constant' && (options.minLr ?? '0') !== '0') warn('--min-lr has no effect without --schedule cosine');
  if (scheduleKind !== 'plateau' && ((options.lrFactor ?? '0.5') !== '0.5' || (options.lrPatience ?? '5') !== '5')) warn('--lr-factor and --lr-patience have no effect without --schedule plateau');

  const compiled = compileModels(file, options.model, io);
  if (!compiled) return EXIT_PROGRAM_ERRORS;
  if (compiled.modules.length > 1) throw new UsageError(`${file} has several models (${compiled.modules.map((m) => m.model).join(', ')}); choose one with --model`);
  const module = compiled.modules[0]!;

  const { parseDatasetBinary, parseDatasetJson, splitHeldOut, train, evaluateMetrics, fitStatistics, DatasetError, NonFiniteLossError } = await import('../targets/tfjs/train.js');
  const { useBackend } = await import('../targets/tfjs/ops/backend.js');
  const { loadModel } = await import('../targets/tfjs/load.js');

  const readDataset = (file: string) => {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch {
      throw new UsageError(`cannot read the dataset ${file}`);
    }
    try {
      if (file.endsWith('.json')) return parseDatasetJson(JSON.parse(bytes.toString('utf8')), module, loss);
      return parseDatasetBinary(new Uint8Array(bytes), module, loss);
    } catch (e) {
      if (e instanceof DatasetError || e instanceof SyntaxError || (e as Error).name === 'SafetensorsError') throw new UsageError(`invalid dataset ${file}:\n  ${(e as Error).message.split('\n').join('\n  ')}${lossHint(file, module, loss)}`);
      throw e;
    }
  };
  const examples = readDataset(options.data);
  const validation = options.val !== undefined ? readDataset(options.val) : undefined;
  if (validation && options.heldOut !== '0.2' && Number(options.heldOut) > 0) warn('--held-out has no effect with --val (the validation file is the held-out set)');
  if (patience !== undefined && !validation && heldOutFraction === 0) throw new UsageError('--patience needs validation data: --val FILE or a --held-out fraction above 0');
  if (forceWeight > 0 && loss === 'cross_entropy') warn('--force-weight has no effect with --loss cross_entropy (forces are matched for an energy regressed with mse)');
  else if (forceWeight > 0 && !examples.every((e) => e.forces)) warn(`--force-weight has no effect: ${examples.some((e) => e.forces) ? 'not every graph' : 'no graph'} of ${options.data} has forces`);
  if (forceWeight === 0 && loss === 'mse' && examples.some((e) => e.forces)) warn(`${options.data} has forces but --force-weight is 0: they are not used (try --force-weight 1)`);
  const classLike = loss === 'mse' ? classIndexTargets(examples, module) : undefined;
  if (classLike) io.err(`eqvc: hint: every target of ${classLike} is a whole number below its width, like class indices; for classification use --loss cross_entropy\n`);
  if (!['cpu', 'wasm'].includes(options.backend)) throw new UsageError(`--backend must be cpu or wasm, got ${options.backend}`);
  await useBackend(options.backend);
  const kernels = await installKernels(options.kernels ?? 'tfjs', module, forceWeight > 0 && loss === 'mse' && examples.every((e) => e.forces), warn);
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

  let resume: { epoch: number; tensors: Map<string, { shape: readonly number[]; data: Float64Array }>; metadata: Record<string, string> } | undefined;
  if (options.resume) {
    const { readSafetensors } = await import('../targets/io/safetensors.js');
    try {
      const weights = new Uint8Array(fs.readFileSync(options.resume));
      model.loadWeights(weights);
      const meta = readSafetensors(weights).metadata;
      const stateFile = stateFileOf(options.resume);
      const state = readSafetensors(new Uint8Array(fs.readFileSync(stateFile)));
      const epoch = Number(meta.epoch);
      if (!Number.isInteger(epoch) || epoch < 0) throw new Error('it has no epoch in its metadata');
      resume = { epoch, tensors: state.tensors, metadata: { ...state.metadata } };
    } catch (e) {
      throw new UsageError(`cannot resume from ${options.resume}: ${(e as Error).message} (a checkpoint of eqvc train is a .safetensors with a .state.safetensors beside it)`);
    }
    if (resume.epoch >= epochs) throw new UsageError(`${options.resume} is at epoch ${resume.epoch}; --epochs ${epochs} leaves nothing to train (give the total number of epochs)`);
  }

  if (sparsity !== undefined && !module.nodes.some((n) => n.op === 'tensor_product' && n.attrs.gated)) {
    throw new UsageError(`--sparsity prunes the paths of tensor products with \`gates = learned\`, and ${module.model} has none: add \`gates = learned\` to a \`tp\` or \`fctp\``);
  }
  const split = validation ? { train: examples, heldOut: validation } : splitHeldOut(examples, heldOutFraction, seed);
  const { train: trainSet, heldOut } = split;
  // Normalizations from the training split (average neighbours, per-species E0s and scales),
  // before the first epoch; given weights (--weights, --resume) already hold theirs.
  if (!options.weights && !resume) for (const line of fitStatistics(model, module, trainSet)) io.err(`statistics: ${line}\n`);
  let equivariance: import('../targets/tfjs/equivariance.js').EquivarianceOptions | undefined;
  if (equivarianceWeight !== undefined) {
    const { checkBreaking } = await import('../targets/tfjs/equivariance.js');
    const breaking = options.symmetryBreaking ?? [];
    const bad = checkBreaking(module, breaking);
    if (bad) throw new UsageError(`--symmetry-breaking: ${bad}`);
    equivariance = { weight: equivarianceWeight, module, breaking };
  }
  const lossOptions = { loss, forceWeight, energyWeight, batchSize, ...(equivariance ? { equivariance } : {}) } as const;
  // The starting point (initial or given weights, with the data's statistics), so that a run
  // reports its held-out errors before and after, as potentials are compared.
  if (heldOut.length > 0) io.err(`before training: ${validation ? 'validation' : 'held-out'} ${describe(evaluateMetrics(model, heldOut, lossOptions))}\n`);
  const tty = io === processIO && process.stderr.isTTY === true;
  const heldName = validation ? 'validation' : 'held-out';
  io.err(`training ${module.model} on ${trainSet.length} graphs (${heldOut.length} ${heldName}), ${epochs} epochs${resume ? ` from epoch ${resume.epoch + 1}` : ''}, batch ${batchSize}, Adam lr ${lr}${scheduleKind !== 'constant' ? ` (${scheduleKind})` : ''}${emaDecay ? `, EMA ${emaDecay}` : ''}, ${options.backend}${kernels ? `, ${kernels} kernels` : ''}\n`);
  const checkpointBase = options.out.replace(/\.safetensors$/, '');
  const lastCheckpoint = `${checkpointBase}.last.safetensors`;
  // The newest complete checkpoint: the one resumed from, until an epoch of this run ends.
  let lastWritten: string | undefined = options.resume;
  const save = (target: string, epoch: number, state?: TrainState) => {
    fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
    fs.writeFileSync(target, model.saveWeights({ epoch: String(epoch), loss }));
    if (state) fs.writeFileSync(stateFileOf(target), writeSafetensors(state.tensors(), { metadata: { epoch: String(epoch), ...state.metadata() } }));
  };
  const { writeSafetensors } = await import('../targets/io/safetensors.js');
  // The curves, rewritten after every epoch beside the checkpoints.
  const curvesFile = `${checkpointBase}.curves.svg`;
  const history = new Map<string, number[]>();
  const record = (epoch: number, name: string, value: number | undefined) => {
    if (value === undefined) return;
    const values = history.get(name) ?? [];
    values[epoch - 1] = value;
    history.set(name, values);
  };

  const bar = (step: number, steps: number) => {
    const width = 24;
    const done = Math.round((width * step) / steps);
    return `[${'#'.repeat(done)}${'.'.repeat(width - done)}]`;
  };
  let final;
  try {
    final = train(model, trainSet, {
      ...lossOptions,
      epochs,
      lr,
      seed,
      heldOut,
      schedule,
      ...(emaDecay !== undefined ? { emaDecay } : {}),
      ...(patience !== undefined ? { earlyStoppingPatience: patience } : {}),
      ...(resume ? { resume } : {}),
      ...(sparsity !== undefined ? { sparsity } : {}),
      onStep: (p) => {
        if (tty) io.err(`\repoch ${p.epoch}/${p.epochs} ${bar(p.step, p.steps)} ${p.step}/${p.steps} loss ${p.loss.toPrecision(4)} ${p.graphsPerSecond.toFixed(1)} graphs/s `);
      },
      onEpoch: (epoch, trainMetrics, held, state) => {
        const eq = trainMetrics.equivariance ? `, equivariance error ${Object.entries(trainMetrics.equivariance).map(([k, v]) => `${k} ${v.toExponential(2)}`).join(', ')}` : '';
        const sparse = trainMetrics.sparsity !== undefined ? `, sparsity ${trainMetrics.sparsity.toFixed(2)}` : '';
        const line = `epoch ${epoch}/${epochs} train loss ${trainMetrics.loss.toPrecision(4)}${held ? `, ${heldName} ${describe(held)}` : ''}, lr ${state.lr.toPrecision(3)}${eq}${sparse}`;
        record(epoch, 'sparsity', trainMetrics.sparsity);
        for (const [k, v] of Object.entries(trainMetrics.equivariance ?? {})) record(epoch, `equivariance error ${k}`, v);
        io.err(tty ? `\r${line}\x1b[K\n` : `${line}\n`);
        record(epoch, 'train loss', trainMetrics.loss);
        record(epoch, 'learning rate', state.lr);
        if (held) for (const [k, v] of Object.entries(held)) record(epoch, `${heldName} ${k === 'loss' ? 'loss' : k}`, v);
        const series = [...history].map(([name, values]) => ({ name, values: Array.from({ length: epoch }, (_, i) => values[i] ?? NaN) }));
        fs.mkdirSync(path.dirname(path.resolve(curvesFile)), { recursive: true });
        fs.writeFileSync(curvesFile, renderCurvesSvg(`${module.model}: training curves`, series));
        // The last epoch's weights and optimizer state, always: what --resume continues from.
        save(lastCheckpoint, epoch, state);
        lastWritten = lastCheckpoint;
        if (checkpointEvery && epoch % checkpointEvery === 0 && epoch < epochs) {
          const target = `${checkpointBase}.epoch${epoch}.safetensors`;
          save(target, epoch, state);
          io.err(`checkpoint ${target}\n`);
        }
      },
    });
  } catch (e) {
    if (e instanceof NonFiniteLossError) {
      if (tty) io.err('\n');
      io.err(`eqvc: training stopped: ${e.message}.\n`);
      io.err(lastWritten ? `The last good checkpoint is ${lastWritten} (epoch ${e.epoch - 1}); ${options.out} was not written.\n` : `No epoch finished, so nothing was written.\n`);
      for (const v of Object.values(model.params)) v.dispose();
      return EXIT_PROGRAM_ERRORS;
    }
    throw e;
  }
  if (final.stoppedEarly) io.err(`early stopping at epoch ${final.epoch}: the ${heldName} loss has not improved since epoch ${final.bestEpoch} (--patience ${patience})\n`);
  save(options.out, final.epoch);
  const trainMetrics = evaluateMetrics(model, trainSet, lossOptions);
  io.err(`final training loss ${final.loss.toPrecision(4)}\n`);
  io.out(`train (${trainSet.length} graphs): ${describe(trainMetrics)}\n`);
  if (heldOut.length > 0) io.out(`${heldName} (${heldOut.length} graphs): ${describe(evaluateMetrics(model, heldOut, lossOptions))}\n`);
  io.out(`wrote ${options.out}\n`);
  for (const v of Object.values(model.params)) v.dispose();
  return EXIT_OK;
}

/** The optimizer state written beside a checkpoint: `w.safetensors` -> `w.state.safetensors`. */
export function stateFileOf(checkpoint: string): string {
  return checkpoint.replace(/(\.safetensors)?$/, '.state.safetensors');
}

/** With mse: the name of a graph output whose every target is a whole number in [0, width), as class indices are. */
function classIndexTargets(examples: readonly Example[], module: IRModule): string | undefined {
  for (const out of module.outputs) {
    const ts = examples.map((e) => e.targets[out.name]).filter((t): t is Float64Array => t !== undefined);
    if (ts.length === 0 || ts.length < examples.length) continue;
    const width = out.type.kind === 'field' ? out.type.rep.dim : 0;
    if (width > 1 && ts.every((t) => t.length === 1 && Number.isInteger(t[0]) && t[0]! >= 0 && t[0]! < width)) return out.name;
  }
  return undefined;
}

/** A hint for a dataset that fails to parse because of the loss: class indices given to mse. */
function lossHint(file: string, module: IRModule, loss: string): string {
  if (loss !== 'mse') return '';
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return '';
  }
  const graphs = (json as { graphs?: { targets?: Record<string, unknown> }[] }).graphs ?? [];
  const names = module.outputs.map((o) => o.name).filter((n) => graphs.length > 0 && graphs.every((g) => Number.isInteger(g.targets?.[n])));
  return names.length > 0 ? `\nhint: the targets of ${names.join(', ')} are single whole numbers, like class indices; for classification use --loss cross_entropy` : '';
}
