// eqv against real e3nn 0.5.6 (test/fixtures/e3nn/layers.json, float64; regenerate with
// test/fixtures/e3nn/generate.py): o3.Linear, o3.FullyConnectedTensorProduct (two
// normalizations), o3.TensorProduct with uvu paths, nn.Gate, nn.FullyConnectedNet and
// soft_one_hot_linspace, each as the one-op eqv program it claims to be, with e3nn's weights
// loaded under eqv's names in e3nn's flat layout. The reference must agree to 1e-10 of the
// output's scale, tfjs (float32) to 1e-5.

import { describe, expect, it } from 'vitest';
import { compileOne, fixtureParams, nodeBatch, readFixture, refOutput, scaledError, tfjsOutput } from './harness.js';

type Rows = number[][];
interface Layers {
  linear: { irreps_in: string; irreps_out: string; x: Rows; params: Record<string, number[]>; y: Rows };
  fctp: { in1: string; in2: string; out: string; irrep_normalization: string; path_normalization: string; a: Rows; b: Rows; params: Record<string, number[]>; y: Rows }[];
  tp_uvu: { in1: string; in2: string; out: string; a: Rows; b: Rows; params: Record<string, number[]>; y: Rows };
  gate: { scalars: string; act: string; gates: string; act_gates: string; gated: string; irreps_in: string; irreps_out: string; x: Rows; y: Rows }[];
  mlp: { sizes: number[]; act: string; e3nn_names: string[]; x: Rows; params: Record<string, number[]>; y: Rows };
  radial: { basis: string; number: number; cutoff: number; lengths: number[]; y: Rows }[];
}

const fx = readFixture<Layers>('layers.json');
const REF_TOL = 1e-10;
const TFJS_TOL = 1e-5;

interface Case {
  name: string;
  source: string;
  inputs: Record<string, Rows>;
  params: Record<string, number[]>;
  y: Rows;
}

const model = (ins: Record<string, string>, out: string, expr: string) =>
  `model M : O(3) {\n${Object.entries(ins)
    .map(([k, v]) => `  in ${k}: node[${v}]\n`)
    .join('')}  out y: node[${out}]\n  y = ${expr}\n}\n`;

const cases: Case[] = [
  {
    name: `o3.Linear(${fx.linear.irreps_in} -> ${fx.linear.irreps_out}, biases=True)`,
    source: model({ x: fx.linear.irreps_in }, fx.linear.irreps_out, `linear(x, ${fx.linear.irreps_out}, bias = true)`),
    inputs: { x: fx.linear.x },
    params: fx.linear.params,
    y: fx.linear.y,
  },
  ...fx.fctp.map((c) => ({
    name: `o3.FullyConnectedTensorProduct(${c.in1}, ${c.in2}, ${c.out}, ${c.irrep_normalization}, ${c.path_normalization})`,
    source: model({ a: c.in1, b: c.in2 }, c.out, `fctp(a, b, ${c.out}, irrep_normalization = ${c.irrep_normalization}, path_normalization = ${c.path_normalization})`),
    inputs: { a: c.a, b: c.b },
    params: c.params,
    y: c.y,
  })),
  {
    name: `o3.TensorProduct(${fx.tp_uvu.in1}, ${fx.tp_uvu.in2}, ${fx.tp_uvu.out}, every path uvu)`,
    source: model({ a: fx.tp_uvu.in1, b: fx.tp_uvu.in2 }, fx.tp_uvu.out, `tp(a, b, ${fx.tp_uvu.out}, mode = uvu)`),
    inputs: { a: fx.tp_uvu.a, b: fx.tp_uvu.b },
    params: fx.tp_uvu.params,
    y: fx.tp_uvu.y,
  },
  ...fx.gate.map((g) => ({
    name: `nn.Gate(${g.scalars} ${g.act}, ${g.gates} ${g.act_gates}, ${g.gated})`,
    source: model({ x: g.irreps_in }, g.irreps_out, `gate(x, scalars = ${g.scalars}, gates = ${g.gates}, gated = ${g.gated}, act = ${g.act}, act_gates = ${g.act_gates})`),
    inputs: { x: g.x },
    params: {},
    y: g.y,
  })),
  {
    name: `nn.FullyConnectedNet(${JSON.stringify(fx.mlp.sizes)}, ${fx.mlp.act})`,
    source: model({ x: `${fx.mlp.sizes[0]}x0e` }, `${fx.mlp.sizes.at(-1)}x0e`, `mlp(x, hidden = [${fx.mlp.sizes.slice(1, -1).join(', ')}], out = ${fx.mlp.sizes.at(-1)}, act = ${fx.mlp.act})`),
    inputs: { x: fx.mlp.x },
    params: fx.mlp.params,
    y: fx.mlp.y,
  },
  ...fx.radial.map((r) => ({
    name: `soft_one_hot_linspace(len, 0, ${r.cutoff}, ${r.number}, '${r.basis}', cutoff=True)`,
    source: model({ len: '1x0e' }, `${r.number}x0e`, `${r.basis}(len, n = ${r.number}, cutoff = ${r.cutoff})`),
    inputs: { len: r.lengths.map((v) => [v]) },
    params: {},
    y: r.y,
  })),
];

describe('eqv against e3nn 0.5.6 layers', () => {
  for (const c of cases) {
    it(`${c.name}: ref to ${REF_TOL}, tfjs to ${TFJS_TOL}`, async () => {
      const module = compileOne(c.source);
      const params = fixtureParams(module, c.params);
      const batch = nodeBatch(c.inputs);
      const want = c.y.flat();
      expect(scaledError(refOutput(module, batch, params), want)).toBeLessThan(REF_TOL);
      expect(scaledError(await tfjsOutput(module, batch, params), want)).toBeLessThan(TFJS_TOL);
    });
  }

  it("e3nn's FullyConnectedNet parameter names are the aliases eqv accepts for its mlp layers", () => {
    const module = compileOne(cases.find((c) => c.name.startsWith('nn.FullyConnectedNet'))!.source);
    expect(fx.mlp.e3nn_names).toEqual(['layer0.weight', 'layer1.weight']);
    module.params.forEach((p, i) => expect(p.aliases).toContain(`y.${fx.mlp.e3nn_names[i]}`));
  });
});
