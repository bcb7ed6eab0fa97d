// train.py (eqvc build --target torch) on a dataset with given edges (`in bonds: graph`): the
// JSON form and the binary form (<name>.src, .dst, .edge_ptr; docs/formats.md) of the same
// molecules train to the same weights; a bond to a node outside its graph, and shifts for a model
// without a cell (JSON and binary), are refused naming the graph and the field, in eqvc train's words.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eqvc } from '../../cli/harness.js';
import { compile } from '../../../compiler/compile.js';
import { readSafetensors } from '../../../targets/io/safetensors.js';
import { parseDatasetJson, writeDatasetBinary } from '../../../targets/tfjs/train.js';
import { type BadDataset, badEdgeDatasets } from './badEdges.js';
import { describeRun, type PythonRun, runPython, torchPython, torchSuiteTitle } from './helpers.js';

const FIXTURE = 'examples/bonded.eqv';
const COMMON = ['--limit-graphs', '8', '--held-out', '0.25', '--batch-size', '3', '--epochs', '1', '--dtype', 'float64', '--force-weight', '1', '--lr', '0.01'];

const weights = (file: string) => readSafetensors(new Uint8Array(fs.readFileSync(file))).tensors;

describe.skipIf(!torchPython.ok)(torchSuiteTitle('train.py with given edges (graph inputs)'), () => {
  let dir: string;
  // train.py's runs, and the bad datasets' results from train_many.py (code: the exit message).
  const runs: Record<string, { code: number | string | null; stdout: string; stderr: string }> = {};
  let bad: Record<string, BadDataset> = {};
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eqv-torch-bonds-'));
    const built = await eqvc('build', FIXTURE, '--target', 'torch', '--out', dir);
    expect(built.code, built.err).toBe(0);
    const json = JSON.parse(fs.readFileSync('examples/bonded.data.json', 'utf8')) as { graphs: { bonds: { src: number[] } }[] };
    fs.writeFileSync(path.join(dir, 'data.json'), JSON.stringify(json));
    fs.writeFileSync(path.join(dir, 'data.safetensors'), writeDatasetBinary(parseDatasetJson(json, compile(FIXTURE).ir[0]!, 'mse')));
    json.graphs[2]!.bonds.src[1] = 40;
    fs.writeFileSync(path.join(dir, 'bad.json'), JSON.stringify(json));
    // The bad datasets in one process (train_many.py): Python's and torch's start-up is most of their cost.
    bad = badEdgeDatasets(dir, compile(FIXTURE).ir[0]!, 'examples/bonded.data.json', undefined);
    const many = { bad: ['--data', 'bad.json', ...COMMON, '--out', 'bad.safetensors'], ...Object.fromEntries(Object.entries(bad).map(([k, c]) => [k, c.args])) };
    fs.copyFileSync('test/fixtures/torch/train_many.py', path.join(dir, 'train_many.py'));
    let manyRun: PythonRun;
    [runs.json, runs.binary, manyRun] = await Promise.all([
      runPython(['train.py', '--data', 'data.json', ...COMMON, '--out', 'json.safetensors'], dir, 300_000),
      runPython(['train.py', '--data', 'data.safetensors', ...COMMON, '--out', 'binary.safetensors'], dir, 300_000),
      runPython(['train_many.py', JSON.stringify(many)], dir, 300_000),
    ]);
    expect(manyRun.code, describeRun(manyRun)).toBe(0);
    Object.assign(runs, JSON.parse(fs.readFileSync(path.join(dir, 'results.json'), 'utf8')));
  }, 600_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('the JSON and binary forms train to the same weights, which moved', () => {
    expect(runs.json!.code, runs.json!.stderr).toBe(0);
    expect(runs.binary!.code, runs.binary!.stderr).toBe(0);
    const a = weights(path.join(dir, 'json.safetensors'));
    const b = weights(path.join(dir, 'binary.safetensors'));
    const initial = weights(path.join(dir, 'Bonded.safetensors'));
    let same = 0;
    let moved = 0;
    for (const [name, t] of a) {
      t.data.forEach((v, i) => {
        same = Math.max(same, Math.abs(v - b.get(name)!.data[i]!));
        moved = Math.max(moved, Math.abs(v - initial.get(name)!.data[i]!));
      });
    }
    expect(same).toBeLessThan(1e-12);
    expect(moved).toBeGreaterThan(1e-4);
  });

  it('refuses a bond to a node outside its graph, naming the graph and the field', () => {
    expect(runs.bad!.code).toBe('invalid dataset bad.json: graph 2 input bonds: field "src" entry 1 is node 40, out of range: the graph has 6 nodes (indices 0 to 5)');
  });

  it("refuses shifts for a model without a cell, JSON and binary, in eqvc train's words", () => {
    expect(Object.keys(bad).sort()).toEqual(['bin_shifts_without_cell', 'json_shifts_without_cell']);
    for (const [name, c] of Object.entries(bad)) expect(runs[name]!.code, `${name}: ${runs[name]!.stderr.slice(-400)}`).toBe(c.expected);
    expect(bad.json_shifts_without_cell!.expected).toContain('graph 1 input bonds: field "shifts" needs a cell, and the model declares none');
  });
});
