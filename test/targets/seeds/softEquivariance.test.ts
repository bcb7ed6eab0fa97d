// Soft equivariance (targets/tfjs/equivariance.ts): the measured error per symmetry of an exactly
// equivariant model is float32 rounding; with a declared symmetry-breaking input (a lab-frame
// field that sampled rotations leave fixed) it is large, and the penalty drives it down faster
// than the data alone; `eqvc train --equivariance-weight` reports it every epoch.

import { beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compileSource } from '../../../compiler/compile.js';
import { createRng } from '../../../stdlib/math/random.js';
import { loadModel } from '../../../targets/tfjs/load.js';
import { useBackend } from '../../../targets/tfjs/ops/backend.js';
import { parseDatasetJson, train } from '../../../targets/tfjs/train.js';
import { checkBreaking, regularizedSymmetries } from '../../../targets/tfjs/equivariance.js';
import { eqvc } from '../../cli/harness.js';

const SOURCE = `model Tilted : E(3) {
  in pos: node[pos]
  in x: node[1x1o]
  in field: graph[1x1o]
  out y: graph[1x0e]
  let g = radius_graph(pos, r = 3.0)
  let h = scatter(tp(gather(x, g), spherical_harmonics(g.vec, lmax = 1), 2x0e, mode = uvw), g)
  let v = pool(x)
  y = linear(concat(pool(norm(x)), pool(h), tp(v, field, 1x0e, mode = uvu)), 1x0e)
}
`;
const module = compileSource(SOURCE).ir[0]!;

function graphs(count: number, seed: number) {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => {
    const n = 3 + rng.int(3);
    const x = Array.from({ length: n }, () => [rng.normal(), rng.normal(), rng.normal()]);
    // The target is invariant: the summed lengths of the vectors.
    const y = x.reduce((s, v) => s + Math.hypot(...v), 0) / n;
    return { pos: Array.from({ length: n }, () => [2 * rng.uniform(), 2 * rng.uniform(), 2 * rng.uniform()]), x, field: [0, 0, 1], targets: { y: [y] } };
  });
}

describe('soft equivariance in tfjs training', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });
  const data = parseDatasetJson({ graphs: graphs(24, 1) }, module, 'mse');

  it('samples the declared group and node permutations; names unknown breaking inputs', () => {
    expect(regularizedSymmetries(module)).toEqual(['E(3)', 'S(n) on nodes']);
    expect(checkBreaking(module, ['field'])).toBeUndefined();
    expect(checkBreaking(module, ['feild'])).toBe('no input named `feild` in Tilted (its inputs: pos, x, field)');
  });

  async function run(weight: number, breaking: string[]) {
    const model = await loadModel(module);
    model.initParams(3);
    const errors: Record<string, number>[] = [];
    train(model, data, { loss: 'mse', epochs: 6, lr: 0.02, batchSize: 8, seed: 2, equivariance: { weight, module, breaking }, onEpoch: (_e, m) => errors.push(m.equivariance!) });
    return errors;
  }

  it('an exactly equivariant model measures float32 rounding for every symmetry', async () => {
    const errors = await run(0, []);
    expect(errors.length).toBe(6);
    for (const e of errors) {
      expect(e['E(3)']!).toBeLessThan(1e-4);
      expect(e['S(n) on nodes']!).toBeLessThan(1e-5);
    }
  }, 120_000);

  it('with a symmetry-breaking input the penalty lowers the measured E(3) error', async () => {
    const free = await run(0, ['field']);
    const soft = await run(10, ['field']);
    expect(free[0]!['E(3)']!).toBeGreaterThan(1e-3);
    expect(soft[soft.length - 1]!['E(3)']!).toBeLessThan(0.5 * free[free.length - 1]!['E(3)']!);
    // Permuting nodes never moves the graph's field: still exact.
    expect(soft[soft.length - 1]!['S(n) on nodes']!).toBeLessThan(1e-5);
  }, 120_000);

  it('eqvc train --equivariance-weight reports the error per symmetry every epoch', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eqv-soft-'));
    fs.writeFileSync(path.join(dir, 'm.eqv'), SOURCE);
    fs.writeFileSync(path.join(dir, 'd.json'), JSON.stringify({ graphs: graphs(8, 4) }));
    const r = await eqvc('train', path.join(dir, 'm.eqv'), '-d', path.join(dir, 'd.json'), '-o', path.join(dir, 'w.safetensors'), '--epochs', '2', '--equivariance-weight', '1', '--symmetry-breaking', 'field');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/epoch 2\/2 .*equivariance error E\(3\) \d\.\d\de[-+]\d+, S\(n\) on nodes \d\.\d\de[-+]\d+/);
    const bad = await eqvc('train', path.join(dir, 'm.eqv'), '-d', path.join(dir, 'd.json'), '-o', path.join(dir, 'w.safetensors'), '--equivariance-weight', '1', '--symmetry-breaking', 'nope');
    expect(bad.err).toContain('--symmetry-breaking: no input named `nope` in Tilted');
  }, 120_000);
});
