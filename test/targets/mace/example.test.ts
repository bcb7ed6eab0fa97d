// examples/mace.eqv on its shipped dataset (examples/mace_data.ts), sampled to stay fast: the
// data parses for the model, the statistics are the data's, and a few Adam steps with forces
// lower the loss on the sample. The full run and its numbers are in examples/mace.eqv's header.

import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile } from '../../../compiler/compile.js';
import { evaluateMetrics, fitStatistics, parseDatasetJson, train } from '../../../targets/tfjs/train.js';
import { loadModel } from '../../../targets/tfjs/load.js';
import { maceStructures, potential } from '../../../examples/mace_data.js';

describe('examples/mace.eqv trains with forces on its shipped dataset', () => {
  it('the generator is deterministic and its forces are -dE/dpos (central differences)', () => {
    const [s] = maceStructures(1, 9, true);
    expect(maceStructures(1, 9, true)[0]!.energy).toBe(s!.energy);
    const h = 1e-5;
    for (const [i, k] of [[0, 0], [3, 2]] as const) {
      const moved = (d: number) => s!.pos.map((p, j) => (j === i ? p.map((v, c) => (c === k ? v + d : v)) : p));
      const fd = -(potential(moved(h), s!.species, s!.cell).energy - potential(moved(-h), s!.species, s!.cell).energy) / (2 * h);
      expect(Math.abs(fd - s!.forces[i]![k]!)).toBeLessThan(1e-6);
    }
    // Moving an atom by a lattice vector changes nothing.
    const shifted = s!.pos.map((p, j) => (j === 0 ? p.map((v, c) => v + s!.cell![2]![c]!) : p));
    expect(potential(shifted, s!.species, s!.cell).energy).toBeCloseTo(s!.energy, 10);
  });

  it('a sample of 6 graphs: statistics from the data, and 3 steps lower the loss', async () => {
    const module = compile('examples/mace.eqv').ir[0]!;
    const sample = parseDatasetJson(JSON.parse(fs.readFileSync('examples/mace.data.json', 'utf8')), module, 'mse').slice(0, 6);
    const model = await loadModel(module);
    model.initParams(0);
    const report = fitStatistics(model, module, sample);
    expect(report.filter((l) => l.includes('avg_neighbors'))).toHaveLength(2);
    const options = { loss: 'mse' as const, forceWeight: 10, batchSize: 6 };
    const before = evaluateMetrics(model, sample, options);
    train(model, sample, { ...options, epochs: 3, lr: 0.01 });
    const after = evaluateMetrics(model, sample, options);
    expect(after.loss).toBeLessThan(before.loss);
    expect(after.forceMae!).toBeLessThan(before.forceMae!);
  }, 120_000);
});
