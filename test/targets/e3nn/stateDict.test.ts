// An e3nn model's state_dict() saved as it is (test/fixtures/e3nn/state_dict.safetensors, F64,
// written by test/fixtures/e3nn/generate.py with e3nn 0.5.6): o3.Linear with biases,
// nn.BatchNorm with running statistics, o3.FullyConnectedTensorProduct and nn.FullyConnectedNet,
// each under the name of the eqv binding that replaces it. e3nn's names (layer0.weight), shapes
// ((h_in, h_out) for the MLP) and its derived `output_mask` buffers are in the file; eqv's
// loader must take it unchanged and the model must give e3nn's outputs (ref 1e-10, tfjs 1e-5).

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadParams } from '../../../targets/io/params.js';
import { readSafetensors } from '../../../targets/io/safetensors.js';
import { compileOne, nodeBatch, readFixture, refOutput, scaledError, tfjsOutput } from './harness.js';

interface StateDictFixture {
  tensors: Record<string, number[]>;
  x: number[][];
  v: number[][];
  y: number[][];
  z: number[][];
}

const fx = readFixture<StateDictFixture>('state_dict.json');
const SOURCE = `model Small : O(3) {
  in x: node[4x0e + 2x1o]
  in v: node[1x0e + 1x1o]
  out y: node[3x0e]
  out z: node[2x0e + 1x1o]
  let h = linear(x, 4x0e + 2x1o, bias = true)
  let n = batch_norm(h)
  let t = fctp(n, v, 2x0e + 1x1o)
  z = t
  y = mlp(select(t, 2x0e), hidden = [8], out = 3)
}
`;

describe("an e3nn 0.5.6 state_dict() loads unchanged", () => {
  it('loads (output_mask buffers accepted) and gives e3nn outputs', async () => {
    const bytes = readFileSync(fileURLToPath(new URL('../../fixtures/e3nn/state_dict.safetensors', import.meta.url)));
    const file = readSafetensors(new Uint8Array(bytes));
    expect(Object.fromEntries([...file.tensors].map(([k, t]) => [k, [...t.shape]]))).toEqual(fx.tensors);
    const module = compileOne(SOURCE);
    const loaded = loadParams(module, file.tensors);
    if (!loaded.ok) throw new Error(loaded.errors.join('; '));
    const batch = nodeBatch({ x: fx.x, v: fx.v });
    for (const [name, want] of [['y', fx.y], ['z', fx.z]] as const) {
      expect(scaledError(refOutput(module, batch, loaded.params, name), want.flat()), name).toBeLessThan(1e-10);
      expect(scaledError(await tfjsOutput(module, batch, loaded.params, name), want.flat()), name).toBeLessThan(1e-5);
    }
  });
});
