// docs/language.md's attention block ("Attention"): its e3nn side, run as written there with
// e3nn 0.5.6 (test/fixtures/e3nn/attention.json; e3nn's seeded initial weights, Dropout in
// evaluation, and eqv's layer_norm standing in for Equiformer's EquivariantLayerNorm), against the
// eqv layer shown next to it, read from the same page. ref to 1e-10, tfjs to 1e-5.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileOne, fixtureParams, nodeBatch, readFixture, refOutput, scaledError, tfjsOutput } from './harness.js';

interface AttentionFixture {
  cutoff: number;
  pos: number[][];
  h: number[][];
  edges: number;
  params: Record<string, number[]>;
  y: number[][];
}

const fx = readFixture<AttentionFixture>('attention.json');
const doc = readFileSync(fileURLToPath(new URL('../../../docs/language.md', import.meta.url)), 'utf8');
const layer = /```eqv\n(layer Attend\(.*?)```/s.exec(doc)![1]!;

describe("docs/language.md's attention block: e3nn 0.5.6 against eqv", () => {
  it('the Attend layer gives the e3nn block’s output with its weights', async () => {
    const module = compileOne(`${layer}
model M : E(3) {
  in pos: node[pos]
  in h: node[8x0e + 4x1o]
  out y: node[8x0e + 4x1o]
  let g = radius_graph(pos, r = ${fx.cutoff})
  let sh = spherical_harmonics(g.vec, lmax = 1)
  let rad = bessel(g.len, n = 6, cutoff = ${fx.cutoff})
  y = Attend(h, g, sh, rad)
}
`);
    const params = fixtureParams(module, fx.params);
    const batch = nodeBatch({ pos: fx.pos, h: fx.h });
    expect(fx.edges).toBeGreaterThan(6);
    const want = fx.y.flat();
    expect(scaledError(refOutput(module, batch, params), want)).toBeLessThan(1e-10);
    expect(scaledError(await tfjsOutput(module, batch, params), want)).toBeLessThan(1e-5);
  });
});
