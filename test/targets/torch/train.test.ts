// `eqvc build --target torch` writes train.py; on the pair-potential example's data (16 graphs,
// 12 trained on, batches of 4 graphs, forces by autograd, float64) one process and two processes
// under torchrun (DistributedDataParallel over gloo on the CPU) with the same global batch and
// seed reach the same weights; resuming from the epoch-1 checkpoint reaches them too; and the
// checkpoint loads in `eqvc run --target ref` and gives what the torch module gives.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eqvc } from '../../cli/harness.js';
import { compile } from '../../../compiler/compile.js';
import { readSafetensors } from '../../../targets/io/safetensors.js';
import { describeRun, runPython, torchPython, torchrunTwo, torchSuiteTitle, type PythonRun } from './helpers.js';

const DATA = path.resolve('examples/pair_potential.data.safetensors');
const COMMON = ['--data', DATA, '--limit-graphs', '16', '--held-out', '0.25', '--batch-size', '4', '--epochs', '2', '--dtype', 'float64', '--force-weight', '1', '--lr', '0.01'];

function weights(file: string): Map<string, Float64Array> {
  return new Map([...readSafetensors(new Uint8Array(fs.readFileSync(file))).tensors].map(([k, t]) => [k, t.data]));
}

function maxDifference(a: Map<string, Float64Array>, b: Map<string, Float64Array>): number {
  expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
  let d = 0;
  for (const [k, v] of a) v.forEach((x, i) => (d = Math.max(d, Math.abs(x - b.get(k)![i]!))));
  return d;
}

describe.skipIf(!torchPython.ok)(torchSuiteTitle('train.py: one process, two under torchrun, and resume'), () => {
  let dir: string;
  const runs: Record<string, PythonRun> = {};
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eqv-torch-train-'));
    const built = await eqvc('build', 'examples/pair_potential.eqv', '--target', 'torch', '--out', dir);
    expect(built.code, built.err).toBe(0);
    runs.single = await runPython(['train.py', ...COMMON, '--out', 'single.safetensors', '--checkpoint-every', '1'], dir, 240_000);
    const [ddp, resumed] = await Promise.all([
      torchrunTwo(['train.py', ...COMMON, '--out', 'ddp.safetensors'], dir, 180_000),
      runPython(['train.py', ...COMMON, '--out', 'resumed.safetensors', '--resume', 'single.epoch1.safetensors'], dir, 240_000),
    ]);
    runs.ddp = ddp;
    runs.resumed = resumed;
  }, 900_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes the module, the loader, train.py and the initial weights', () => {
    expect(fs.readdirSync(dir)).toEqual(expect.arrayContaining(['PairPotential.py', 'eqv_safetensors.py', 'train.py', 'PairPotential.safetensors']));
  });

  it('trains as one process: the weights move, checkpoints are written', () => {
    expect(runs.single!.code, describeRun(runs.single!)).toBe(0);
    expect(runs.single!.stdout).toMatch(/train \(12 graphs\): loss [0-9.e+-]+, MAE [0-9.e+-]+, force MAE/);
    expect(fs.existsSync(path.join(dir, 'single.epoch1.safetensors'))).toBe(true);
    expect(maxDifference(weights(path.join(dir, 'single.safetensors')), weights(path.join(dir, 'PairPotential.safetensors')))).toBeGreaterThan(1e-3);
  });

  it('two processes under torchrun (DDP, gloo) reach the same weights', () => {
    expect(runs.ddp!.code, describeRun(runs.ddp!)).toBe(0);
    expect(runs.ddp!.stderr).toContain('batch 4 over 2 processes');
    expect(maxDifference(weights(path.join(dir, 'ddp.safetensors')), weights(path.join(dir, 'single.safetensors')))).toBeLessThan(1e-10);
  });

  it('resuming from the epoch-1 checkpoint (with its Adam state) reaches the same weights', () => {
    expect(runs.resumed!.code, describeRun(runs.resumed!)).toBe(0);
    expect(maxDifference(weights(path.join(dir, 'resumed.safetensors')), weights(path.join(dir, 'single.safetensors')))).toBeLessThan(1e-12);
  });

  it('the checkpoint loads in eqvc run --target ref, which agrees with the torch module and tfjs', async () => {
    const input = path.join(dir, 'input.json');
    fs.writeFileSync(input, JSON.stringify({ graphs: [{ pos: [[0, 0, 0], [1.2, 0, 0], [0, 1.1, 0.3]], x: [[1], [1], [1]] }, { pos: [[0, 0, 0], [0.9, 0.4, 0]], x: [[1], [1]] }] }));
    const w = path.join(dir, 'single.safetensors');
    const ref = await eqvc('run', 'examples/pair_potential.eqv', '--target', 'ref', '--weights', w, '--input', input);
    expect(ref.code, ref.err).toBe(0);
    const torch = await eqvc('run', 'examples/pair_potential.eqv', '--target', 'torch', '--dtype', 'float64', '--weights', w, '--input', input);
    expect(torch.code, torch.err).toBe(0);
    const energies = (r: { out: string }) => (JSON.parse(r.out) as { graphs: { energy: number[] }[] }).graphs.map((g) => g.energy[0]!);
    expect(energies(ref)).toHaveLength(2);
    energies(torch).forEach((e, i) => expect(Math.abs(e - energies(ref)[i]!)).toBeLessThan(1e-10 * Math.max(1, Math.abs(e))));
    const tfjs = await eqvc('run', 'examples/pair_potential.eqv', '--target', 'tfjs', '--backend', 'cpu', '--weights', w, '--input', input);
    expect(tfjs.code, tfjs.err).toBe(0);
    const scale = Math.max(...energies(ref).map(Math.abs));
    energies(tfjs).forEach((e, i) => expect(Math.abs(e - energies(ref)[i]!)).toBeLessThan(1e-5 * scale));
    expect(compile('examples/pair_potential.eqv').ir[0]!.params.map((p) => p.name).sort()).toEqual([...weights(w).keys()].sort());
  });
});
