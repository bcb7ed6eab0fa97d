// Species in run inputs and datasets, and the statistics the trainers compute from the data
// (targets/io/statistics.ts): exact E0s from energies that are sums of per-species constants,
// per-species RMS forces, the average neighbour count against an independent count; and
// `train` keeps them fixed while it updates the other weights.

import { describe, expect, it } from 'vitest';
import { compileSource } from '../../../compiler/compile.js';
import { parseRunInput } from '../../../targets/io/inputs.js';
import { computeStatistics } from '../../../targets/io/statistics.js';
import { DatasetError, fitStatistics, parseDatasetJson, train } from '../../../targets/tfjs/train.js';
import { loadModel } from '../../../targets/tfjs/load.js';
import { createRng } from '../../../stdlib/math/random.js';

const TEXT = [
  'model Tiny : E(3) {',
  '  in pos: node[pos]',
  '  in z: node[species(3)]',
  '  out energy: graph[1x0e]',
  '  out forces: node[1x1o]',
  '  let g = radius_graph(pos, r = 1.5)',
  '  let sh = spherical_harmonics(g.vec, lmax = 1)',
  '  let rad = bessel(g.len, n = 4, cutoff = 1.5)',
  '  let a = conv(embed(z, 4x0e), g, sh, rad, out = 4x0e + 4x1o, hidden = [8], avg_neighbors = data)',
  '  let b = symmetric_contraction(a, z, out = 4x0e, correlation = 2)',
  '  let e = pool(scale_shift(linear(b, 1x0e), z), reduce = sum)',
  '  energy = e',
  '  forces = -grad(e, pos)',
  '}',
].join('\n');
const module = compileSource(TEXT).ir[0]!;
const E0 = [-1.5, 0.25, -4];

/** Graphs whose energy is exactly Σ E0[z] and whose forces are random, with positions in a 2-box. */
function dataset(count: number, seed: number) {
  const rng = createRng(seed);
  return {
    graphs: Array.from({ length: count }, () => {
      const n = 3 + rng.int(4);
      const z = Array.from({ length: n }, () => rng.int(3));
      return {
        pos: Array.from({ length: n }, () => [2 * rng.uniform(), 2 * rng.uniform(), 2 * rng.uniform()]),
        z,
        targets: { energy: [z.reduce((s, k) => s + E0[k]!, 0)] },
        forces: Array.from({ length: n }, (_, i) => [1, 2, 3].map(() => (z[i]! + 1) * rng.normal())),
      };
    }),
  };
}

describe('species inputs', () => {
  it('a run input gives integers, held one-hot; anything else names the entry', () => {
    const ok = parseRunInput({ pos: [[0, 0, 0], [1, 0, 0]], z: [2, 0] }, module);
    expect(ok.ok && [...ok.batch.values.get('z')!]).toEqual([0, 0, 1, 1, 0, 0]);
    const bad = parseRunInput({ pos: [[0, 0, 0], [1, 0, 0]], z: [3, -1] }, module);
    expect(!bad.ok && bad.errors).toEqual(['input z: entry 0 must be a species, an integer from 0 to 2, got 3', 'input z: entry 1 must be a species, an integer from 0 to 2, got -1']);
    const rows = parseRunInput({ pos: [[0, 0, 0]], z: [[1, 0, 0]] }, module);
    expect(!rows.ok && rows.errors[0]).toBe('input z: entry 0 must be a species, an integer from 0 to 2, got an array of 3');
  });
  it('a dataset gives integers too', () => {
    expect(() => parseDatasetJson({ graphs: [{ pos: [[0, 0, 0]], z: [1.5], targets: { energy: [1] } }] }, module, 'mse')).toThrow(DatasetError);
    expect([...parseDatasetJson(dataset(1, 1), module, 'mse')[0]!.inputs.z!.subarray(0, 3)].reduce((s, v) => s + v, 0)).toBe(1);
  });
});

describe('statistics of the training data', () => {
  const json = dataset(40, 3);
  const examples = parseDatasetJson(json, module, 'mse');
  const { values, report } = computeStatistics(module, examples);

  it('E0s: the least-squares fit recovers the per-species energies', () => {
    const shift = values.get('e.scale_shift.shift.weight')!;
    shift.forEach((v, k) => expect(v).toBeCloseTo(E0[k]!, 6));
    expect(report.some((l) => l.startsWith('e.scale_shift.shift.weight: E0 per species'))).toBe(true);
  });

  it('scales: the RMS of the force components per species', () => {
    const scale = values.get('e.scale_shift.scale.weight')!;
    for (let k = 0; k < 3; k++) {
      const comps = json.graphs.flatMap((g) => g.forces.filter((_, i) => g.z[i] === k).flat());
      expect(scale[k]).toBeCloseTo(Math.sqrt(comps.reduce((s, v) => s + v * v, 0) / comps.length), 6);
    }
  });

  it('avg_neighbors: 1/sqrt(edges per node), edges counted here pair by pair', () => {
    let edges = 0;
    let nodes = 0;
    for (const g of json.graphs) {
      nodes += g.pos.length;
      for (let i = 0; i < g.pos.length; i++) for (let j = 0; j < g.pos.length; j++) if (i !== j && Math.hypot(...[0, 1, 2].map((c) => g.pos[i]![c]! - g.pos[j]![c]!)) < 1.5) edges++;
    }
    expect(edges).toBeGreaterThan(nodes);
    expect(values.get('a.avg_neighbors')![0]).toBeCloseTo(1 / Math.sqrt(edges / nodes), 10);
  });

  it('train keeps them fixed and updates the rest', async () => {
    const model = await loadModel(module);
    model.initParams(0);
    fitStatistics(model, module, examples.slice(0, 8));
    const before = new Map(Object.entries(model.params).map(([n, v]) => [n, Float64Array.from(v.dataSync())]));
    train(model, examples.slice(0, 8), { loss: 'mse', forceWeight: 1, epochs: 1, lr: 0.01, batchSize: 4 });
    for (const p of module.params) {
      const same = [...model.params[p.name]!.dataSync()].every((v, i) => v === before.get(p.name)![i]);
      expect(same, p.name).toBe(p.statistic !== undefined);
    }
    // The shift is the data's, not the initial zeros.
    expect([...model.params['e.scale_shift.shift.weight']!.dataSync()][2]).toBeCloseTo(-4, 4);
  }, 60_000);
});
