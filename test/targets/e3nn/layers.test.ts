// eqv against real e3nn 0.5.6 (test/fixtures/e3nn/layers.json, float64; regenerate with
// test/fixtures/e3nn/generate.py): o3.Linear, o3.FullyConnectedTensorProduct (two
// normalizations), o3.TensorProduct in every weighted mode (uvu also with per-sample weights),
// o3.FullTensorProduct, nn.Activation, o3.Norm, nn.NormActivation, nn.Gate,
// nn.FullyConnectedNet, soft_one_hot_linspace and spherical_harmonics (as a compiled op), each as the one-op eqv program it claims to be, with e3nn's weights
// loaded under eqv's names in e3nn's flat layout. The reference must agree to 1e-10 of the
// output's scale, tfjs (float32) to 1e-5.

import { describe, expect, it } from 'vitest';
import { compileOne, fixtureParams, nodeBatch, readFixture, refOutput, scaledError, tfjsOutput } from './harness.js';

type Rows = number[][];
interface Layers {
  linear: { irreps_in: string; irreps_out: string; x: Rows; params: Record<string, number[]>; y: Rows };
  fctp: { in1: string; in2: string; out: string; irrep_normalization: string; path_normalization: string; a: Rows; b: Rows; params: Record<string, number[]>; y: Rows }[];
  tp_uvu: { in1: string; in2: string; out: string; a: Rows; b: Rows; params: Record<string, number[]>; y: Rows };
  tp_modes: { mode: string; in1: string; in2: string; out: string; a: Rows; b: Rows; params: Record<string, number[]>; y: Rows }[];
  tp_per_sample: { in1: string; in2: string; out: string; weight_numel: number; a: Rows; b: Rows; w: Rows; y: Rows };
  full_tp: { in1: string; in2: string; out: string; a: Rows; b: Rows; y: Rows };
  activation: { irreps_in: string; irreps_out: string; act: string; constant: number; x: Rows; y: Rows }[];
  norm: { irreps_in: string; x: Rows; y: Rows };
  norm_act: { irreps_in: string; act: string; x: Rows; y: Rows }[];
  gate: { scalars: string; act: string; gates: string; act_gates: string; gated: string; irreps_in: string; irreps_out: string; x: Rows; y: Rows }[];
  mlp: { sizes: number[]; act: string; e3nn_names: string[]; x: Rows; params: Record<string, number[]>; y: Rows }[];
  radial: { basis: string; number: number; cutoff: number; lengths: number[]; y: Rows }[];
  spherical_harmonics: { lmax: number; normalize: boolean; normalization: string; v: Rows; y: Rows }[];
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
  ...fx.tp_modes.map((c) => ({
    name: `o3.TensorProduct(${c.in1}, ${c.in2}, ${c.out}, every path ${c.mode})`,
    source: model({ a: c.in1, b: c.in2 }, c.out, `tp(a, b, ${c.out}, mode = ${c.mode})`),
    inputs: { a: c.a, b: c.b },
    params: c.params,
    y: c.y,
  })),
  {
    name: `o3.TensorProduct(${fx.tp_per_sample.in1}, ${fx.tp_per_sample.in2}, ${fx.tp_per_sample.out}, uvu, shared_weights=False)`,
    source: model(
      { a: fx.tp_per_sample.in1, b: fx.tp_per_sample.in2, w: `${fx.tp_per_sample.weight_numel}x0e` },
      fx.tp_per_sample.out,
      `tp(a, b, ${fx.tp_per_sample.out}, mode = uvu, weights = w)`,
    ),
    inputs: { a: fx.tp_per_sample.a, b: fx.tp_per_sample.b, w: fx.tp_per_sample.w },
    params: {},
    y: fx.tp_per_sample.y,
  },
  {
    name: `o3.FullTensorProduct(${fx.full_tp.in1}, ${fx.full_tp.in2})`,
    source: model({ a: fx.full_tp.in1, b: fx.full_tp.in2 }, fx.full_tp.out, 'tp(a, b)'),
    inputs: { a: fx.full_tp.a, b: fx.full_tp.b },
    params: {},
    y: fx.full_tp.y,
  },
  ...fx.activation.map((c) => ({
    name: `nn.Activation(${c.irreps_in}, [${c.act}]) (normalize2mom ${c.constant})`,
    source: model({ x: c.irreps_in }, c.irreps_out, `${c.act}(x)`),
    inputs: { x: c.x },
    params: {},
    y: c.y,
  })),
  {
    name: `o3.Norm(${fx.norm.irreps_in})`,
    source: model({ x: fx.norm.irreps_in }, `${fx.norm.y[0]!.length}x0e`, 'norm(x)'),
    inputs: { x: fx.norm.x },
    params: {},
    y: fx.norm.y,
  },
  ...fx.norm_act.map((c) => ({
    name: `nn.NormActivation(${c.irreps_in}, ${c.act})`,
    source: model({ x: c.irreps_in }, c.irreps_in, `norm_act(x, act = ${c.act})`),
    inputs: { x: c.x },
    params: {},
    y: c.y,
  })),
  ...fx.gate.map((g) => ({
    name: `nn.Gate(${g.scalars} ${g.act}, ${g.gates} ${g.act_gates}, ${g.gated})`,
    source: model({ x: g.irreps_in }, g.irreps_out, `gate(x, scalars = ${g.scalars}, gates = ${g.gates}, gated = ${g.gated}, act = ${g.act}, act_gates = ${g.act_gates})`),
    inputs: { x: g.x },
    params: {},
    y: g.y,
  })),
  ...fx.mlp.map((c) => ({
    name: `nn.FullyConnectedNet(${JSON.stringify(c.sizes)}, ${c.act})`,
    source: model({ x: `${c.sizes[0]}x0e` }, `${c.sizes.at(-1)}x0e`, `mlp(x, hidden = [${c.sizes.slice(1, -1).join(', ')}], out = ${c.sizes.at(-1)}, act = ${c.act})`),
    inputs: { x: c.x },
    params: c.params,
    y: c.y,
  })),
  ...fx.radial.map((r) => ({
    name: `soft_one_hot_linspace(len, 0, ${r.cutoff}, ${r.number}, '${r.basis}', cutoff=True)`,
    source: model({ len: '1x0e' }, `${r.number}x0e`, `${r.basis}(len, n = ${r.number}, cutoff = ${r.cutoff})`),
    inputs: { len: r.lengths.map((v) => [v]) },
    params: {},
    y: r.y,
  })),
  ...fx.spherical_harmonics.map((c) => ({
    name: `o3.spherical_harmonics(0..${c.lmax}, v, normalize=${c.normalize}, normalization='${c.normalization}')`,
    source: model({ v: '1x1o' }, Array.from({ length: c.lmax + 1 }, (_, l) => `1x${l}${l % 2 ? 'o' : 'e'}`).join(' + '), `spherical_harmonics(v, lmax = ${c.lmax}, normalize = ${c.normalize}, normalization = ${c.normalization})`),
    inputs: { v: c.v },
    params: {},
    y: c.y,
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
    const mlp = fx.mlp[0]!;
    expect(mlp.e3nn_names).toEqual(['layer0.weight', 'layer1.weight']);
    module.params.forEach((p, i) => expect(p.aliases).toContain(`y.${mlp.e3nn_names[i]}`));
  });
});
