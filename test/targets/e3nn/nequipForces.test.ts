// docs/language.md's whole NequIPForces model (e3nn/PyTorch side, run with e3nn 0.5.6 and random
// weights: test/fixtures/e3nn/nequip_forces.json) against examples/nequip_forces.eqv with the
// same weights under eqv's names: energies per graph and forces (-dE/dpos by autograd there, by
// eqv's grad here) on two graphs. ref to 1e-10 of each output's scale; tfjs (float32, forces
// through tf.grad) to 1e-5 of the energy's and 1e-4 of the forces' scale.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../../compiler/compile.js';
import type { RuntimeBatch } from '../../../targets/io/inputs.js';
import { evaluate } from '../../../targets/ref/evaluate.js';
import { loadModel } from '../../../targets/tfjs/load.js';
import { useBackend } from '../../../targets/tfjs/ops/backend.js';
import { assignParams } from '../../../targets/tfjs/ops/weights.js';
import { runGenerated } from '../../../targets/tfjs/runner.js';
import { fixtureParams, readFixture } from './harness.js';

interface NequipForcesFixture {
  graph_sizes: number[];
  pos: number[][];
  species: number[][];
  params: Record<string, number[]>;
  energy: number[][];
  forces: number[][];
}

const fx = readFixture<NequipForcesFixture>('nequip_forces.json');

/** max |got - want| / max |want|. */
function relative(got: ArrayLike<number>, want: readonly number[]): number {
  const scale = Math.max(...want.map(Math.abs));
  return Math.max(...want.map((w, i) => Math.abs(got[i]! - w))) / scale;
}

describe("docs/language.md's NequIPForces (e3nn 0.5.6) against examples/nequip_forces.eqv", () => {
  it('energies and forces agree with e3nn on ref and tfjs', async () => {
    const path = fileURLToPath(new URL('../../../examples/nequip_forces.eqv', import.meta.url));
    const r = compileSource(readFileSync(path, 'utf8'), path);
    expect(r.diagnostics).toEqual([]);
    const module = r.ir[0]!;
    const params = fixtureParams(module, fx.params);
    const n = fx.pos.length;
    const ptr = [0];
    for (const k of fx.graph_sizes) ptr.push(ptr.at(-1)! + k);
    const batch: RuntimeBatch = {
      numGraphs: fx.graph_sizes.length,
      numNodes: n,
      graphPtr: Int32Array.from(ptr),
      nodeGraph: Int32Array.from(fx.graph_sizes.flatMap((k, g) => Array<number>(k).fill(g))),
      values: new Map([
        ['pos', Float64Array.from(fx.pos.flat())],
        ['species', Float64Array.from(fx.species.flat())],
      ]),
      wrapped: true,
    };
    const energy = fx.energy.flat();
    const forces = fx.forces.flat();
    const ref = evaluate(module, batch, params);
    expect(relative(ref.get('energy')!, energy)).toBeLessThan(1e-10);
    expect(relative(ref.get('forces')!, forces)).toBeLessThan(1e-10);
    await useBackend('cpu');
    const model = await loadModel(module);
    assignParams(model.params, params);
    const tf = runGenerated(model, batch);
    expect(relative(tf.get('energy')!, energy)).toBeLessThan(1e-5);
    expect(relative(tf.get('forces')!, forces)).toBeLessThan(1e-4);
  });
});
