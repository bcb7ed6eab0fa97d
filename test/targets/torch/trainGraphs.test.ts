// train.py on datasets with species and given graphs: examples/mace.eqv on a slice of
// examples/mace.data.json (species as integers per node, a periodic cell, forces) and
// test/fixtures/torch/bonded.eqv on its bonded.data.json (given bonds with lattice shifts, two
// species). Each trains as one process (the loss over the training graphs at the end is below
// epoch 1's, which starts from the initial weights) and as two processes under torchrun (DDP
// over gloo) to the same weights, and the checkpoint runs in
// `eqvc run --target ref` as in the torch module. A bad species or bond is an invalid-dataset
// error naming the graph and the entry.

import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eqvc } from '../../cli/harness.js';
import { readSafetensors } from '../../../targets/io/safetensors.js';
import { TORCHRUN_TWO, torchPython, torchSuiteTitle } from './helpers.js';

type Run = { code: number; stdout: string; stderr: string };

function python(args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(torchPython.ok ? torchPython.python : 'python3', args, { cwd, timeout: 300_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

function weights(file: string): Map<string, Float64Array> {
  return new Map([...readSafetensors(new Uint8Array(fs.readFileSync(file))).tensors].map(([k, t]) => [k, t.data]));
}

function maxDifference(a: Map<string, Float64Array>, b: Map<string, Float64Array>): number {
  expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
  let d = 0;
  for (const [k, v] of a) v.forEach((x, i) => (d = Math.max(d, Math.abs(x - b.get(k)![i]!))));
  return d;
}

/** The losses train.py reports: the mean over epoch 1's steps (from the initial weights) and over the training graphs at the end. */
function losses(r: Run): { first: number; last: number } {
  const first = /^epoch 1\/2 train loss ([0-9.e+-]+)/m.exec(r.stderr);
  const last = /^train \(6 graphs\): loss ([0-9.e+-]+), MAE [0-9.e+-]+, force MAE [0-9.e+-]+$/m.exec(r.stdout);
  expect(first && last, r.stdout + r.stderr).toBeTruthy();
  return { first: Number(first![1]), last: Number(last![1]) };
}

interface Case {
  readonly what: string;
  readonly model: string;
  readonly data: string;
  /** The initial weights eqvc build writes. */
  readonly initialWeights: string;
  /** A run input for `eqvc run`: the dataset's first graphs without their targets. */
  readonly runInput: (dir: string) => string;
}

const FIRST_GRAPHS = (data: string) => (dir: string) => {
  const set = JSON.parse(fs.readFileSync(data, 'utf8')) as { graphs: Record<string, unknown>[] };
  const graphs = set.graphs.slice(0, 2).map(({ targets: _t, forces: _f, ...inputs }) => inputs);
  const file = path.join(dir, 'input.json');
  fs.writeFileSync(file, JSON.stringify({ graphs }));
  return file;
};

const CASES: Case[] = [
  { what: 'examples/mace.eqv (species, a cell, forces)', model: 'examples/mace.eqv', data: path.resolve('examples/mace.data.json'), initialWeights: 'Mace.safetensors', runInput: () => 'examples/mace.input.json' },
  { what: 'a given graph with shifts (bonded.eqv)', model: 'test/fixtures/torch/bonded.eqv', data: path.resolve('test/fixtures/torch/bonded.data.json'), initialWeights: 'Bonded.safetensors', runInput: FIRST_GRAPHS('test/fixtures/torch/bonded.data.json') },
];

const COMMON = ['--limit-graphs', '8', '--held-out', '0.25', '--batch-size', '2', '--epochs', '2', '--dtype', 'float64', '--force-weight', '10', '--lr', '0.01'];

describe.skipIf(!torchPython.ok)(torchSuiteTitle('train.py with species and given graphs: one process, two under torchrun'), () => {
  const dirs: string[] = [];
  const runs: { single: Run; ddp: Run }[] = [];
  let invalid: Run;
  beforeAll(async () => {
    for (const c of CASES) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eqv-torch-train-graphs-'));
      dirs.push(dir);
      const built = await eqvc('build', c.model, '--target', 'torch', '--out', dir);
      expect(built.code, built.err).toBe(0);
    }
    // Bad datasets, each read by train.py's main in one Python process (its start is most of the cost).
    const bad = (name: string, edit: (g: Record<string, unknown>) => void, i: number) => {
      const set = JSON.parse(fs.readFileSync(CASES[i]!.data, 'utf8')) as { graphs: Record<string, unknown>[] };
      edit(set.graphs[1]!);
      fs.writeFileSync(path.join(dirs[1]!, name), JSON.stringify(set));
      return name;
    };
    const badFiles = [
      bad('bad_species.json', (g) => ((g.z as number[])[2] = 2), 1),
      bad('bad_bonds.json', (g) => ((g.bonds as { src: number[] }).src[3] = 5), 1),
      bad('no_shifts.json', (g) => delete (g.bonds as { shifts?: unknown }).shifts, 1),
    ];
    const script = `import train\nfor name in ${JSON.stringify(badFiles)}:\n    try:\n        train.main(["--data", name, "--epochs", "1", "--out", "bad.safetensors"])\n        print("accepted " + name)\n    except SystemExit as e:\n        print(e.code)\n`;
    // Every run at once.
    const done = await Promise.all([
      ...CASES.flatMap((c, i) => {
        const args = ['train.py', '--data', c.data, ...COMMON, '--out'];
        return [python([...args, 'single.safetensors'], dirs[i]!), python([...TORCHRUN_TWO, ...args, 'ddp.safetensors'], dirs[i]!)];
      }),
      python(['-c', script], dirs[1]!),
    ]);
    CASES.forEach((_, i) => runs.push({ single: done[2 * i]!, ddp: done[2 * i + 1]! }));
    invalid = done[2 * CASES.length]!;
  }, 600_000);
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  CASES.forEach((c, i) => {
    it(`${c.what}: one process trains (the loss falls), two under torchrun reach the same weights`, () => {
      const { single, ddp } = runs[i]!;
      for (const r of [single, ddp]) expect(r.code, r.stderr).toBe(0);
      const { first, last } = losses(single);
      expect(last).toBeLessThan(0.95 * first);
      expect(ddp.stderr).toContain('batch 2 over 2 processes');
      const dir = dirs[i]!;
      expect(maxDifference(weights(path.join(dir, 'single.safetensors')), weights(path.join(dir, c.initialWeights)))).toBeGreaterThan(1e-3);
      expect(maxDifference(weights(path.join(dir, 'ddp.safetensors')), weights(path.join(dir, 'single.safetensors')))).toBeLessThan(1e-10);
    });

    it(`${c.what}: the checkpoint runs in eqvc run --target ref as in the torch module`, async () => {
      const w = path.join(dirs[i]!, 'single.safetensors');
      const input = c.runInput(dirs[i]!);
      const [ref, torch] = await Promise.all([
        eqvc('run', c.model, '--target', 'ref', '--weights', w, '--input', input),
        eqvc('run', c.model, '--target', 'torch', '--dtype', 'float64', '--weights', w, '--input', input),
      ]);
      expect(ref.code, ref.err).toBe(0);
      expect(torch.code, torch.err).toBe(0);
      type Out = { graphs: { energy: number[]; forces: number[][] }[] };
      const want = (JSON.parse(ref.out) as Out).graphs;
      const got = (JSON.parse(torch.out) as Out).graphs;
      expect(got).toHaveLength(want.length);
      got.forEach((g, k) => {
        expect(Math.abs(g.energy[0]! - want[k]!.energy[0]!)).toBeLessThan(1e-10 * Math.max(1, Math.abs(want[k]!.energy[0]!)));
        const f = want[k]!.forces.flat();
        const scale = Math.max(...f.map(Math.abs));
        g.forces.flat().forEach((x, j) => expect(Math.abs(x - f[j]!)).toBeLessThan(1e-10 * scale));
      });
    }, 120_000);
  });

  it('a species out of range, a bond to a missing node and missing shifts are invalid datasets, named', () => {
    expect(invalid.code, invalid.stderr).toBe(0);
    expect(invalid.stdout.trim().split('\n')).toEqual([
      'invalid dataset bad_species.json: graph 1 input z: entry 2 must be a species, an integer from 0 to 1, got 2',
      'invalid dataset bad_bonds.json: graph 1 input bonds: field "src" entry 3 is node 5, out of range: the graph has 5 nodes',
      'invalid dataset no_shifts.json: graph 1 input bonds: field "shifts" is missing: the model has a cell, so each edge needs its integer lattice shift',
    ]);
  });
});
