// Training through the generated module: a few Adam steps reduce the loss and raise accuracy
// on a tiny tetris task; the datasets' JSON and binary forms hold the same examples; the
// held-out split is deterministic; `eqvc train` and `eqvc run --target tfjs` work end to end.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../../compiler/compile.js';
import { loadModel } from '../../../targets/tfjs/load.js';
import { useBackend } from '../../../targets/tfjs/ops/backend.js';
import { evaluateMetrics, parseDatasetBinary, parseDatasetJson, splitHeldOut, train, writeDatasetBinary } from '../../../targets/tfjs/train.js';
import { tetrisGraphs } from '../../../examples/tetris_data.js';
import { eqvc } from '../../cli/harness.js';

const chiral = compile('examples/tetris_chiral.eqv').ir[0]!;

describe('training with the tfjs target', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('reduces the loss and raises the accuracy of tetris in a few epochs', async () => {
    const model = await loadModel(chiral);
    model.initParams(0);
    const data = parseDatasetJson({ graphs: tetrisGraphs(2, 3) }, chiral, 'cross_entropy');
    const before = evaluateMetrics(model, data, { loss: 'cross_entropy' });
    const losses: number[] = [];
    train(model, data, { loss: 'cross_entropy', epochs: 8, lr: 0.02, batchSize: 4, onEpoch: (_e, m) => losses.push(m.loss) });
    const after = evaluateMetrics(model, data, { loss: 'cross_entropy' });
    expect(after.loss).toBeLessThan(0.5 * before.loss);
    expect(after.accuracy!).toBeGreaterThan(before.accuracy!);
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]!);
  }, 120_000);

  it('reads the JSON and binary dataset forms alike', () => {
    const json = parseDatasetJson({ graphs: tetrisGraphs(1, 4) }, chiral, 'cross_entropy');
    const binary = parseDatasetBinary(writeDatasetBinary(json), chiral, 'cross_entropy');
    expect(binary.length).toBe(8);
    binary.forEach((e, i) => {
      expect(e.nodes).toBe(json[i]!.nodes);
      expect(Array.from(e.inputs.pos!)).toEqual(Array.from(json[i]!.inputs.pos!));
      expect(Array.from(e.targets.y!)).toEqual([i]);
    });
  });

  it('rejects a dataset whose targets do not fit the model, naming the graph', () => {
    expect(() => parseDatasetJson({ graphs: [{ pos: [[0, 0, 0]], x: [[1]], targets: { y: 9 } }] }, chiral, 'cross_entropy')).toThrow(/graph 0: target y must be a class index in 0..7/);
  });

  it('splits held-out graphs deterministically', () => {
    const items = Array.from({ length: 10 }, (_, i) => i);
    const a = splitHeldOut(items, 0.2, 1);
    expect(a.heldOut.length).toBe(2);
    expect(splitHeldOut(items, 0.2, 1)).toEqual(a);
    expect([...a.train, ...a.heldOut].sort((x, y) => x - y)).toEqual(items);
  });

  it('eqvc train writes weights that eqvc run --target tfjs loads, and reports the held-out split', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eqv-train-'));
    const data = path.join(dir, 'tetris.json');
    fs.writeFileSync(data, JSON.stringify({ graphs: tetrisGraphs(2, 5) }));
    const out = path.join(dir, 'w.safetensors');
    const r = await eqvc('train', 'examples/tetris_chiral.eqv', '--data', data, '--loss', 'cross_entropy', '--epochs', '2', '--lr', '0.01', '--out', out, '--checkpoint-every', '1', '--backend', 'cpu');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/epoch 2\/2 train loss \d/);
    expect(r.out).toMatch(/held-out \(3 graphs\): loss [\d.e-]+, accuracy [\d.]+%/);
    expect(fs.existsSync(out)).toBe(true);
    expect(fs.existsSync(path.join(dir, 'w.epoch1.safetensors'))).toBe(true);
    const input = path.join(dir, 'in.json');
    fs.writeFileSync(input, JSON.stringify({ graphs: tetrisGraphs(1, 6).slice(0, 2).map(({ pos, x }) => ({ pos, x })) }));
    const tfjs = await eqvc('run', 'examples/tetris_chiral.eqv', '--target', 'tfjs', '--backend', 'cpu', '--weights', out, '--input', input);
    const ref = await eqvc('run', 'examples/tetris_chiral.eqv', '--weights', out, '--input', input);
    expect(tfjs.code).toBe(0);
    const a = (JSON.parse(tfjs.out) as { graphs: { y: number[] }[] }).graphs.flatMap((g) => g.y);
    const b = (JSON.parse(ref.out) as { graphs: { y: number[] }[] }).graphs.flatMap((g) => g.y);
    const scale = Math.max(...b.map(Math.abs));
    a.forEach((v, i) => expect(Math.abs(v - b[i]!)).toBeLessThan(1e-5 * scale));
  }, 120_000);

  it('eqvc run rejects an unknown tfjs backend', async () => {
    const r = await eqvc('run', 'examples/tetris.eqv', '--target', 'tfjs', '--backend', 'webgl', '--input', 'examples/tetris.input.json');
    expect(r.code).toBe(2);
    expect(r.err).toContain("the tfjs backend must be one of cpu, wasm in Node, got 'webgl'");
  });
});
