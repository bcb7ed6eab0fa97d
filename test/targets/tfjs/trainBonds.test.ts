// Training a model whose edges are given (`in bonds: graph`): `eqvc train` reads the bonds of
// each graph of a dataset with the run input's reader (targets/io/edges.ts), trains energy and
// forces, and `eqvc run --target ref` on the checkpoint gives the trainer's final outputs; bad
// bonds are refused naming the graph and the field; the binary form holds the same edges; with
// a cell, the shifts reach the trainer's batches as they reach a run's.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile, compileSource } from '../../../compiler/compile.js';
import { parseRunInput } from '../../../targets/io/inputs.js';
import { initialParams } from '../../../targets/io/params.js';
import { evaluate } from '../../../targets/ref/evaluate.js';
import { loadModel } from '../../../targets/tfjs/load.js';
import { useBackend } from '../../../targets/tfjs/ops/backend.js';
import { runGenerated } from '../../../targets/tfjs/execute.js';
import { assignParams } from '../../../targets/tfjs/ops/weights.js';
import { batchInputs, DatasetError, evaluateMetrics, fitStatistics, parseDatasetBinary, parseDatasetJson, train, writeDatasetBinary } from '../../../targets/tfjs/train.js';
import { eqvc } from '../../cli/harness.js';
import { relativeError } from './helpers.js';

const FIXTURE = 'examples/bonded.eqv';
const DATA = 'examples/bonded.data.json';
const bonded = compile(FIXTURE).ir[0]!;
type Graph = { pos: number[][]; z: number[]; bonds: { src: number[]; dst: number[]; shifts?: number[][] }; targets: { energy: number }; forces: number[][] };
const graphs = (JSON.parse(fs.readFileSync(DATA, 'utf8')) as { graphs: Graph[] }).graphs;

describe('training with given edges (graph inputs)', () => {
  it('eqvc train lowers the loss with forces, and eqvc run --target ref reproduces the final model', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eqv-bonds-'));
    const out = path.join(dir, 'w.safetensors');
    const r = await eqvc('train', FIXTURE, '--data', DATA, '--loss', 'mse', '--epochs', '4', '--lr', '0.01', '--force-weight', '1', '--batch-size', '6', '--backend', 'cpu', '--out', out);
    expect(r.err).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/statistics: a1\.avg_neighbors: 1\.5\d+ neighbours per node/);
    const losses = [...r.err.matchAll(/epoch \d\/4 train loss ([\d.e-]+)/g)].map((m) => Number(m[1]));
    expect(losses).toHaveLength(4);
    expect(losses[3]!).toBeLessThan(losses[0]!);
    expect(r.out).toMatch(/force MAE [\d.]+/);
    // The held-out errors before and after training.
    const before = Number(/before training: held-out loss ([\d.e-]+)/.exec(r.err)?.[1]);
    const after = Number(/held-out \(\d+ graphs\): loss ([\d.e-]+)/.exec(r.out)?.[1]);
    expect(after).toBeLessThan(before);

    // The trainer's final model: the generated tfjs module with the written weights.
    const input = { graphs: graphs.slice(0, 3).map(({ pos, z, bonds }) => ({ pos, z, bonds })) };
    const inputFile = path.join(dir, 'in.json');
    fs.writeFileSync(inputFile, JSON.stringify(input));
    const ref = await eqvc('run', FIXTURE, '--target', 'ref', '--weights', out, '--input', inputFile);
    expect(ref.err).toBe('');
    const refOut = (JSON.parse(ref.out) as { graphs: { energy: number[]; forces: number[][] }[] }).graphs;
    await useBackend('cpu');
    const model = await loadModel(bonded);
    model.loadWeights(new Uint8Array(fs.readFileSync(out)));
    const parsed = parseRunInput(input, bonded);
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    const trained = runGenerated(model, parsed.batch);
    expect(relativeError(trained.get('energy')!, refOut.flatMap((g) => g.energy))).toBeLessThan(1e-5);
    expect(relativeError(trained.get('forces')!, refOut.flatMap((g) => g.forces.flat()))).toBeLessThan(1e-4);
    // The bonds matter: the same atoms without them give other energies.
    const unbonded = parseRunInput({ graphs: input.graphs.map((g) => ({ ...g, bonds: { src: [], dst: [] } })) }, bonded);
    if (!unbonded.ok) throw new Error(unbonded.errors.join('\n'));
    expect(relativeError(runGenerated(model, unbonded.batch).get('energy')!, trained.get('energy')!)).toBeGreaterThan(1e-3);
  }, 120_000);

  it('a batch of isolated atoms (no bonds at all) trains with forces: its energy does not depend on the positions, its forces are zero', async () => {
    // MACE-style data sets carry isolated atoms for the E0s; tf.grad refused such a batch.
    const atoms = [0, 1].map((z) => ({ pos: [[0.3, -0.2, 1]], z: [z], bonds: { src: [], dst: [] }, targets: { energy: z === 0 ? -1 : -2.5 }, forces: [[0, 0, 0]] }));
    const examples = parseDatasetJson({ graphs: atoms }, bonded, 'mse');
    await useBackend('cpu');
    const model = await loadModel(bonded);
    model.initParams(1);
    const options = { loss: 'mse' as const, forceWeight: 1, batchSize: 2 };
    const before = evaluateMetrics(model, examples, options);
    expect(before.forceMae).toBe(0);
    train(model, examples, { ...options, epochs: 3, lr: 0.05 });
    const after = evaluateMetrics(model, examples, options);
    expect(after.loss).toBeLessThan(before.loss);
    for (const [name, v] of Object.entries(model.params)) expect(Array.from(v.dataSync()).every(Number.isFinite), name).toBe(true);
  }, 60_000);

  it('soft equivariance measures the bonded model as equivariant: rotations keep the bonds, permutations renumber them', async () => {
    const examples = parseDatasetJson({ graphs: graphs.slice(0, 6) }, bonded, 'mse');
    await useBackend('cpu');
    const model = await loadModel(bonded);
    model.initParams(2);
    let measured: Record<string, number> = {};
    train(model, examples, { loss: 'mse', epochs: 1, lr: 0.01, batchSize: 6, forceWeight: 1, equivariance: { weight: 0, module: bonded }, onEpoch: (_e, m) => (measured = m.equivariance!) });
    expect(Object.keys(measured).sort()).toEqual(['E(3)', 'S(n) on nodes']);
    // float32: about 1e-7; bonds left in place under a permutation would join other atoms (O(1)).
    for (const [symmetry, error] of Object.entries(measured)) expect(error, symmetry).toBeLessThan(1e-4);
  }, 60_000);

  it('refuses missing or bad bonds, naming the graph and the field', async () => {
    const bad = (change: (g: Graph[]) => unknown[]) => {
      try {
        parseDatasetJson({ graphs: change(structuredClone(graphs.slice(0, 3))) }, bonded, 'mse');
      } catch (e) {
        expect(e).toBeInstanceOf(DatasetError);
        return (e as Error).message;
      }
      return 'accepted';
    };
    expect(bad((g) => g.map((x, i) => (i === 1 ? { ...x, bonds: undefined } : x)))).toBe('graph 1: missing input bonds (a graph: give {"src": [...], "dst": [...]}, node indices of this graph)');
    expect(bad((g) => (g[2]!.bonds.src[0] = 7, g))).toBe(`graph 2 input bonds: field "src" entry 0 is node 7, out of range: the graph has ${graphs[2]!.pos.length} nodes (indices 0 to ${graphs[2]!.pos.length - 1})`);
    expect(bad((g) => (g[0]!.bonds.dst.pop(), g))).toMatch(/^graph 0 input bonds: fields "src" and "dst" have different lengths \(\d+ and \d+\)/);
    expect(bad((g) => (g[0]!.bonds.shifts = g[0]!.bonds.src.map(() => [0, 0, 0]), g))).toBe('graph 0 input bonds: field "shifts" needs a cell, and the model declares none (declare `in cell: graph[cell]`, or drop "shifts")');
    expect(bad((g) => g.map((x, i) => (i === 0 ? { ...x, bonds: [[0, 1]] } : x)))).toBe('graph 0 input bonds is a graph: give {"src": [...], "dst": [...]}, got an array of 1');
    // Through the CLI: exit 2 with the file, the graph and the field.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eqv-bonds-'));
    const file = path.join(dir, 'bad.json');
    const broken = structuredClone(graphs.slice(0, 3));
    broken[1]!.bonds.dst[0] = -1;
    fs.writeFileSync(file, JSON.stringify({ graphs: broken }));
    const r = await eqvc('train', FIXTURE, '--data', file, '--loss', 'mse', '--epochs', '1', '--lr', '0.01', '--out', path.join(dir, 'w.safetensors'));
    expect(r.code).toBe(2);
    expect(r.err).toContain(`invalid dataset ${file}:\n  graph 1 input bonds: field "dst" entry 0 is node -1, out of range`);
  });

  it('the binary dataset form holds the bonds (edge_ptr, src, dst) and checks them', () => {
    const json = parseDatasetJson({ graphs: graphs.slice(0, 5) }, bonded, 'mse');
    const bytes = writeDatasetBinary(json);
    const binary = parseDatasetBinary(bytes, bonded, 'mse');
    binary.forEach((e, i) => {
      expect([...e.graphs!.bonds!.src]).toEqual(graphs[i]!.bonds.src);
      expect([...e.graphs!.bonds!.dst]).toEqual(graphs[i]!.bonds.dst);
    });
    // Node indices are local to each graph: one past the graph's nodes is refused.
    const moved = structuredClone(json.map((e) => ({ ...e, graphs: { bonds: { src: [...e.graphs!.bonds!.src], dst: [...e.graphs!.bonds!.dst] } } })));
    moved[3]!.graphs.bonds.src[1] = moved[3]!.nodes;
    expect(() => parseDatasetBinary(writeDatasetBinary(moved), bonded, 'mse')).toThrow(`graph 3 input bonds: field "src" entry 1 is node ${moved[3]!.nodes}, out of range`);
  });

  it('with a cell: shifts are required, and the training batch gives the run input’s outputs', async () => {
    const periodic = compileSource(fs.readFileSync(FIXTURE, 'utf8').replace('in bonds: graph', 'in cell: graph[cell]\n  in bonds: graph'), 'periodic.eqv').ir[0]!;
    const cell = [[3.1, 0, 0], [0.2, 2.9, 0], [0, 0.4, 3.3]];
    const sample = graphs.slice(0, 4).map((g) => ({ ...g, cell }));
    expect(() => parseDatasetJson({ graphs: sample }, periodic, 'mse')).toThrow(/^graph 0 input bonds: field "shifts" is missing: the model has a cell, so each edge needs its integer lattice shift \(\[0, 0, 0\] within the cell\)/);
    // Bonds through the cell's faces: every edge to its receiver's image one cell along a.
    const withShifts = sample.map((g) => ({ ...g, bonds: { ...g.bonds, shifts: g.bonds.src.map((_, e) => [e % 2 === 0 ? 1 : -1, 0, 0]) } }));
    const examples = parseDatasetJson({ graphs: withShifts }, periodic, 'mse');
    await useBackend('cpu');
    const model = await loadModel(periodic);
    const params = initialParams(periodic, 3);
    assignParams(model.params, params);
    const stats = fitStatistics(model, periodic, examples);
    expect(stats.find((l) => l.startsWith('a1.avg_neighbors'))).toMatch(/neighbours per node/);
    const fromTrainer = model.forward(batchInputs(model, examples));
    const run = parseRunInput({ graphs: withShifts.map(({ pos, z, cell: c, bonds }) => ({ pos, z, cell: c, bonds })) }, periodic);
    if (!run.ok) throw new Error(run.errors.join('\n'));
    // The reference with the trainer's parameters (the statistics included).
    const fitted = new Map(params);
    for (const [name, v] of Object.entries(model.params)) fitted.set(name, Float64Array.from(v.dataSync()));
    const want = evaluate(periodic, run.batch, fitted);
    expect(relativeError(fromTrainer.energy!.dataSync(), want.get('energy')!)).toBeLessThan(1e-5);
    expect(relativeError(fromTrainer.forces!.dataSync(), want.get('forces')!)).toBeLessThan(1e-4);
    // The shifts are used: without them (the same bonds inside the cell) the energies differ.
    const inside = parseRunInput({ graphs: withShifts.map(({ pos, z, cell: c, bonds }) => ({ pos, z, cell: c, bonds: { ...bonds, shifts: bonds.shifts.map(() => [0, 0, 0]) } })) }, periodic);
    if (!inside.ok) throw new Error(inside.errors.join('\n'));
    expect(relativeError(evaluate(periodic, inside.batch, fitted).get('energy')!, want.get('energy')!)).toBeGreaterThan(1e-3);
  }, 60_000);
});
