// Training as NequIP/MACE users expect it: exact Adam state for resuming, schedules, EMA, early
// stopping, per-structure and per-atom errors, a stop on a non-finite loss, and eqvc train's
// warnings and hints. Small models, few epochs.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../../compiler/compile.js';
import { loadModel } from '../../../targets/tfjs/load.js';
import { useBackend } from '../../../targets/tfjs/ops/backend.js';
import { Adam } from '../../../targets/tfjs/adam.js';
import { LrSchedule } from '../../../targets/tfjs/schedule.js';
import { batchInputs, evaluateMetrics, NonFiniteLossError, train, writeDatasetBinary } from '../../../targets/tfjs/train.js';
import { readSafetensors } from '../../../targets/io/safetensors.js';
import { pairPotentialExamples } from '../../../examples/pair_potential_data.js';
import { eqvc } from '../../cli/harness.js';

const pair = compile('examples/pair_potential.eqv').ir[0]!;
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'eqv-train-'));
const paramValues = (model: { params: Readonly<Record<string, tf.Variable>> }) => Object.fromEntries(Object.entries(model.params).map(([n, v]) => [n, Array.from(v.dataSync())]));

describe('training features (tfjs)', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it("Adam takes the same step as tf.train.adam", async () => {
    const a = await loadModel(pair);
    const b = await loadModel(pair);
    a.initParams(0);
    b.initParams(0);
    const data = pairPotentialExamples(4, 1);
    const lossOf = (m: typeof a) => () => tf.mean(tf.square(m.forward(batchInputs(m, data)).energy!)) as tf.Scalar;
    const ours = new Adam(a.params, 0.01);
    const theirs = tf.train.adam(0.01);
    for (let i = 0; i < 2; i++) {
      ours.minimize(lossOf(a));
      theirs.minimize(lossOf(b), false, Object.values(b.params));
    }
    const pa = paramValues(a);
    const pb = paramValues(b);
    for (const n of Object.keys(pa)) pa[n]!.forEach((x, i) => expect(Math.abs(x - pb[n]![i]!)).toBeLessThan(1e-6));
  }, 60_000);

  it('cosine goes from lr to min_lr; reduce-on-plateau halves the rate after patience epochs', () => {
    const cos = new LrSchedule({ kind: 'cosine', lr: 0.1, epochs: 5, minLr: 0.01 });
    expect(cos.rateFor(1)).toBeCloseTo(0.1, 12);
    expect(cos.rateFor(3)).toBeCloseTo(0.055, 12);
    expect(cos.rateFor(5)).toBeCloseTo(0.01, 12);
    const plateau = new LrSchedule({ kind: 'plateau', lr: 0.1, epochs: 10, factor: 0.5, patience: 1 });
    plateau.observe(1);
    plateau.observe(1);
    expect(plateau.rateFor(3)).toBe(0.1);
    plateau.observe(1);
    expect(plateau.rateFor(4)).toBe(0.05);
    plateau.observe(0.5);
    expect(plateau.rateFor(5)).toBe(0.05);
  });

  it('reports MAE and RMSE per structure and per atom, and force errors', async () => {
    const model = await loadModel(pair);
    model.initParams(0);
    const data = pairPotentialExamples(6, 2);
    const m = evaluateMetrics(model, data, { loss: 'mse', forceWeight: 1 });
    const predicted = Array.from(model.forward(batchInputs(model, data)).energy!.dataSync());
    const err = predicted.map((p, i) => p - data[i]!.targets.energy![0]!);
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(m.mae!).toBeCloseTo(mean(err.map(Math.abs)), 4);
    expect(m.rmse!).toBeCloseTo(Math.sqrt(mean(err.map((e) => e * e))), 4);
    expect(m.maePerAtom!).toBeCloseTo(mean(err.map((e, i) => Math.abs(e) / data[i]!.nodes)), 4);
    expect(m.rmsePerAtom!).toBeCloseTo(Math.sqrt(mean(err.map((e, i) => (e / data[i]!.nodes) ** 2))), 4);
    expect(m.forceRmse!).toBeGreaterThanOrEqual(m.forceMae!);
    expect(m.forceMae!).toBeGreaterThan(0);
  }, 60_000);

  it('weighs the energy and the force terms of the loss by energyWeight and forceWeight', async () => {
    const model = await loadModel(pair);
    model.initParams(0);
    const data = pairPotentialExamples(6, 2);
    const energyOnly = evaluateMetrics(model, data, { loss: 'mse' });
    const energyTwice = evaluateMetrics(model, data, { loss: 'mse', energyWeight: 2 });
    const withForces = evaluateMetrics(model, data, { loss: 'mse', energyWeight: 1, forceWeight: 3 });
    // loss = energyWeight * mean squared energy error + forceWeight * mean squared force error.
    expect(energyOnly.loss).toBeCloseTo(energyOnly.rmse! ** 2, 5);
    expect(energyTwice.loss).toBeCloseTo(2 * energyOnly.loss, 5);
    expect(withForces.forceRmse!).toBeGreaterThan(0);
    expect(withForces.loss - energyOnly.loss).toBeCloseTo(3 * withForces.forceRmse! ** 2, 4);
  }, 60_000);

  it('stops with NonFiniteLossError when the loss diverges, keeping finite weights', async () => {
    const model = await loadModel(pair);
    model.initParams(0);
    const data = pairPotentialExamples(8, 3);
    let error: unknown;
    try {
      train(model, data, { loss: 'mse', epochs: 20, lr: 1e12, batchSize: 2 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NonFiniteLossError);
    expect((error as Error).message).toMatch(/training loss became (NaN|Infinity) at epoch \d+, step \d+/);
    expect(Object.values(paramValues(model)).flat().every(Number.isFinite)).toBe(true);
  }, 60_000);

  it('early stopping ends the run after `patience` epochs without a better held-out loss', async () => {
    const model = await loadModel(pair);
    model.initParams(0);
    const data = pairPotentialExamples(4, 4);
    // lr 0: the held-out loss never improves after epoch 1.
    const r = train(model, data, { loss: 'mse', epochs: 10, lr: 0, batchSize: 4, heldOut: data, earlyStoppingPatience: 2 });
    expect(r.stoppedEarly).toBe(true);
    expect(r.bestEpoch).toBe(1);
    expect(r.epoch).toBe(3);
  }, 60_000);

  it('with an EMA the final weights are the average, not the last step', async () => {
    const plain = await loadModel(pair);
    const averaged = await loadModel(pair);
    plain.initParams(0);
    averaged.initParams(0);
    const data = pairPotentialExamples(4, 5);
    train(plain, data, { loss: 'mse', epochs: 2, lr: 0.01, batchSize: 2 });
    train(averaged, data, { loss: 'mse', epochs: 2, lr: 0.01, batchSize: 2, emaDecay: 0.5 });
    const a = Object.values(paramValues(plain)).flat();
    const b = Object.values(paramValues(averaged)).flat();
    const diff = Math.max(...a.map((x, i) => Math.abs(x - b[i]!)));
    expect(diff).toBeGreaterThan(1e-6);
  }, 60_000);
});

describe('eqvc train', () => {
  const dir = tmp();
  const data = path.join(dir, 'pairs.safetensors');
  const val = path.join(dir, 'val.safetensors');
  fs.writeFileSync(data, writeDatasetBinary(pairPotentialExamples(8, 6)));
  fs.writeFileSync(val, writeDatasetBinary(pairPotentialExamples(3, 7)));
  const base = ['train', 'examples/pair_potential.eqv', '-d', data, '--batch-size', '4', '--backend', 'cpu', '--force-weight', '0.1'];
  const weightsOf = (file: string) => [...readSafetensors(new Uint8Array(fs.readFileSync(file))).tensors.values()].flatMap((t) => Array.from(t.data));

  it('resuming from the last checkpoint gives the weights of an uninterrupted run', async () => {
    const whole = path.join(dir, 'whole.safetensors');
    const half = path.join(dir, 'half.safetensors');
    expect((await eqvc(...base, '--epochs', '2', '-o', whole)).code).toBe(0);
    expect((await eqvc(...base, '--epochs', '1', '-o', half)).code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'half.last.state.safetensors'))).toBe(true);
    const resumed = path.join(dir, 'resumed.safetensors');
    const r = await eqvc(...base, '--epochs', '2', '--resume', path.join(dir, 'half.last.safetensors'), '-o', resumed);
    expect(r.code).toBe(0);
    expect(r.err).toContain('from epoch 2');
    const a = weightsOf(whole);
    const b = weightsOf(resumed);
    expect(Math.max(...a.map((x, i) => Math.abs(x - b[i]!)))).toBeLessThan(1e-6);
  }, 180_000);

  it('reports per-epoch validation metrics from --val, with per-atom and force errors', async () => {
    const r = await eqvc(...base, '--epochs', '1', '--val', val, '--schedule', 'cosine', '--ema', '0.9', '-o', path.join(dir, 'v.safetensors'));
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/epoch 1\/1 train loss [\d.e+-]+, validation loss [\d.e+-]+, MAE [\d.e+-]+, RMSE [\d.e+-]+, MAE\/atom [\d.e+-]+, RMSE\/atom [\d.e+-]+, force MAE [\d.e+-]+, force RMSE [\d.e+-]+, lr [\d.e-]+/);
    expect(r.out).toMatch(/^validation \(3 graphs\): loss/m);
    // Not a terminal: plain lines, no progress bar redrawn with carriage returns.
    expect(r.err).not.toContain('\r');
    expect(r.err).not.toContain('[####');
  }, 120_000);

  it('stops on a NaN loss with a clear message, exit 1, keeping the last good checkpoint', async () => {
    const out = path.join(dir, 'nan.safetensors');
    expect((await eqvc(...base, '--epochs', '1', '-o', out)).code).toBe(0);
    fs.rmSync(out);
    const last = path.join(dir, 'nan.last.safetensors');
    const good = weightsOf(last);
    const r = await eqvc(...base, '--epochs', '4', '--lr', '1e12', '--resume', last, '-o', out);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/training stopped: the training loss became (NaN|Infinity) at epoch \d, step \d/);
    expect(r.err).toContain(`The last good checkpoint is ${last}`);
    expect(fs.existsSync(out)).toBe(false);
    expect(weightsOf(last).every(Number.isFinite)).toBe(true);
    expect(good.length).toBeGreaterThan(0);
  }, 120_000);

  it('warns when a flag has no effect and hints when the loss does not fit the data', async () => {
    const noForces = path.join(dir, 'noforces.safetensors');
    fs.writeFileSync(noForces, writeDatasetBinary(pairPotentialExamples(4, 8).map(({ forces: _f, ...e }) => e)));
    const w = await eqvc('train', 'examples/pair_potential.eqv', '-d', noForces, '--backend', 'cpu', '--epochs', '1', '--force-weight', '1', '-o', path.join(dir, 'nf.safetensors'));
    expect(w.err).toContain('eqvc: warning: --force-weight has no effect: no graph of');
    const ce = await eqvc('train', 'examples/tetris_chiral.eqv', '-d', 'examples/tetris.train.json', '--loss', 'cross_entropy', '--backend', 'cpu', '--epochs', '1', '--force-weight', '1', '-o', path.join(dir, 'ce.safetensors'));
    expect(ce.err).toContain('--force-weight has no effect with --loss cross_entropy');
    const mse = await eqvc('train', 'examples/tetris_chiral.eqv', '-d', 'examples/tetris.train.json', '--backend', 'cpu', '--epochs', '1', '-o', path.join(dir, 'mse.safetensors'));
    expect(mse.code).toBe(2);
    expect(mse.err).toContain('hint: the targets of y are single whole numbers, like class indices; for classification use --loss cross_entropy');
  }, 180_000);
});

describe('eqvc train curves', () => {
  it('writes <out>.curves.svg with the training and validation series', async () => {
    const dir = tmp();
    const data = path.join(dir, 'd.safetensors');
    fs.writeFileSync(data, writeDatasetBinary(pairPotentialExamples(6, 9)));
    const r = await eqvc('train', 'examples/pair_potential.eqv', '-d', data, '--backend', 'cpu', '--epochs', '2', '--batch-size', '3', '--held-out', '0.34', '-o', path.join(dir, 'w.safetensors'));
    expect(r.code).toBe(0);
    const svg = fs.readFileSync(path.join(dir, 'w.curves.svg'), 'utf8');
    for (const name of ['train loss', 'held-out loss', 'held-out mae', 'held-out rmsePerAtom', 'learning rate']) expect(svg, name).toContain(`>${name}`);
    expect(svg).toMatch(/<title>epoch 2: train loss [\d.e+-]+<\/title>/);
  }, 120_000);
});
