// train.py (eqvc build --target torch) on a dataset with given edges (`in bonds: graph`): the
// JSON form and the binary form (<name>.src, .dst, .edge_ptr; docs/formats.md) of the same
// molecules train to the same weights, and a bond to a node outside its graph is refused naming
// the graph and the field.

import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eqvc } from '../../cli/harness.js';
import { compile } from '../../../compiler/compile.js';
import { readSafetensors } from '../../../targets/io/safetensors.js';
import { parseDatasetJson, writeDatasetBinary } from '../../../targets/tfjs/train.js';
import { torchPython, torchSuiteTitle } from './helpers.js';

const FIXTURE = 'examples/bonded.eqv';
const COMMON = ['--limit-graphs', '8', '--held-out', '0.25', '--batch-size', '3', '--epochs', '1', '--dtype', 'float64', '--force-weight', '1', '--lr', '0.01'];

function python(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(torchPython.ok ? torchPython.python : 'python3', args, { cwd, timeout: 300_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const weights = (file: string) => readSafetensors(new Uint8Array(fs.readFileSync(file))).tensors;

describe.skipIf(!torchPython.ok)(torchSuiteTitle('train.py with given edges (graph inputs)'), () => {
  let dir: string;
  const runs: Record<string, { code: number; stdout: string; stderr: string }> = {};
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eqv-torch-bonds-'));
    const built = await eqvc('build', FIXTURE, '--target', 'torch', '--out', dir);
    expect(built.code, built.err).toBe(0);
    const json = JSON.parse(fs.readFileSync('examples/bonded.data.json', 'utf8')) as { graphs: { bonds: { src: number[] } }[] };
    fs.writeFileSync(path.join(dir, 'data.json'), JSON.stringify(json));
    fs.writeFileSync(path.join(dir, 'data.safetensors'), writeDatasetBinary(parseDatasetJson(json, compile(FIXTURE).ir[0]!, 'mse')));
    json.graphs[2]!.bonds.src[1] = 40;
    fs.writeFileSync(path.join(dir, 'bad.json'), JSON.stringify(json));
    [runs.json, runs.binary, runs.bad] = await Promise.all([
      python(['train.py', '--data', 'data.json', ...COMMON, '--out', 'json.safetensors'], dir),
      python(['train.py', '--data', 'data.safetensors', ...COMMON, '--out', 'binary.safetensors'], dir),
      python(['train.py', '--data', 'bad.json', ...COMMON, '--out', 'bad.safetensors'], dir),
    ]);
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
    expect(runs.bad!.code).not.toBe(0);
    expect(runs.bad!.stderr).toContain('graph 2 input bonds: field "src" entry 1 is node 40, out of range');
  });
});
