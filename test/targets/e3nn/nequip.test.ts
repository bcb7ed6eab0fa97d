// The NequIP interaction block of docs/language.md ("A NequIP model in eqv and in e3nn"): its
// e3nn/PyTorch side, run with e3nn 0.5.6 and random weights (test/fixtures/e3nn/nequip.json), against
// the eqv program it is shown next to: conv + gate as std/nequip.eqv's Interaction writes them,
// on the same radius graph, harmonics and Bessel basis. The weights are e3nn's, renamed to eqv's
// names (linear_in, fc.layerK -> mlp.K, linear_out), in e3nn's layouts. ref 1e-10, tfjs 1e-5.

import { describe, expect, it } from 'vitest';
import { compileOne, fixtureParams, nodeBatch, readFixture, refOutput, scaledError, tfjsOutput } from './harness.js';

interface NequipFixture {
  cutoff: number;
  avg_neighbors: number;
  irreps_in: string;
  scalars: string;
  gates: string;
  gated: string;
  pos: number[][];
  h: number[][];
  edges: number;
  params: Record<string, number[]>;
  y: number[][];
}

const fx = readFixture<NequipFixture>('nequip.json');
const SOURCE = `model Block : E(3) {
  in pos: node[pos]
  in h: node[${fx.irreps_in}]
  out y: node[${fx.scalars} + ${fx.gated}]
  let g = radius_graph(pos, r = ${fx.cutoff})
  let sh = spherical_harmonics(g.vec, lmax = 2)
  let rad = bessel(g.len, n = 8, cutoff = ${fx.cutoff})
  let m = conv(h, g, sh, rad, out = ${fx.scalars} + ${fx.gates} + ${fx.gated}, hidden = [64, 64], avg_neighbors = ${fx.avg_neighbors})
  y = gate(m, scalars = ${fx.scalars}, gates = ${fx.gates}, gated = ${fx.gated}, act = silu, act_gates = sigmoid)
}
`;

describe("docs/language.md's NequIP interaction block: e3nn 0.5.6 against eqv", () => {
  it('conv + gate give the e3nn block’s output with its weights', async () => {
    const module = compileOne(SOURCE);
    const params = fixtureParams(module, fx.params);
    const batch = nodeBatch({ pos: fx.pos, h: fx.h });
    const want = fx.y.flat();
    expect(fx.edges).toBeGreaterThan(10);
    expect(scaledError(refOutput(module, batch, params), want)).toBeLessThan(1e-10);
    expect(scaledError(await tfjsOutput(module, batch, params), want)).toBeLessThan(1e-5);
  });
});
