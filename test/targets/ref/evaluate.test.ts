import { describe, expect, it } from 'vitest';
import type { AttrsOf, IRCouplingTable, IRModule, IRNode, IROp, IRParam, IRType } from '../../../ir/types.js';
import { irNode } from '../../../ir/node.js';
import { sphericalHarmonicsAttrs } from '../../../stdlib/groups/o3/sphericalHarmonics.js';
import { Irreps, irrepsD, randomRotation } from '../../../stdlib/groups/o3/index.js';
import { O3 } from '../../../stdlib/groups/o3/plugins.js';
import { createRng, type Rng } from '../../../stdlib/math/random.js';
import { scaledActivation } from '../../../stdlib/nn/activations.js';
import { buildGate } from '../../../stdlib/nn/gate.js';
import { buildLinear } from '../../../stdlib/nn/linear.js';
import { buildMlp } from '../../../stdlib/nn/mlp.js';
import { radialBasisAttrs } from '../../../stdlib/nn/radial.js';
import { buildTensorProduct, repLayout, tensorProductInstructions } from '../../../stdlib/nn/tensorProduct.js';
import { evaluate, evaluateAll } from '../../../targets/ref/evaluate.js';
import { parseRunInput, type RuntimeBatch } from '../../../targets/io/inputs.js';
import { formatRunOutput } from '../../../targets/io/outputs.js';
import { initialParams } from '../../../targets/io/params.js';
import { applyToRows, maxAbs, maxAbsDiff, negate, randomRows } from '../../stdlib/nn/helpers.js';

const I = (s: string) => Irreps.parse(s);
const field = (domain: 'node' | 'edge' | 'graph', rep: Irreps): IRType => ({ kind: 'field', domain, rep: repLayout(rep) });

/**
 * A small interaction network written by hand as IR: spherical harmonics of the edges, a uvu
 * tensor product of the gathered node features with them, its weights per edge from an MLP of
 * a Bessel basis, a scatter, a gate, a linear map with biases and a sum pool.
 */
function buildModel(): IRModule {
  const nodes: IRNode[] = [];
  const params: IRParam[] = [];
  const tables: Record<string, IRCouplingTable> = {};
  const add = <O extends IROp>(op: O, inputs: string[], type: IRType, attrs: AttrsOf<O>, paramShapes: [string, number[], 'normal' | 'zeros'][] = []): string => {
    const id = `%${nodes.length}`;
    for (const [name, shape, init] of paramShapes) params.push({ name, shape, init, node: id, role: init === 'zeros' ? 'bias' : 'weight' });
    nodes.push(irNode({ id, op, inputs, type, attrs, params: paramShapes.map(([n]) => n), source: { file: 'hand.eqv', line: nodes.length + 1, col: 1, text: op }, flops: 0 }));
    return id;
  };

  const xRep = I('2x0e+1x1o');
  const pos = add('input', [], { kind: 'points', dim: 3 }, { name: 'pos' });
  const x = add('input', [], field('node', xRep), { name: 'x' });
  const g = add('radius_graph', [pos], { kind: 'graph' }, { r: 1.5 });
  const vec = add('edge_vectors', [pos, g], field('edge', I('1x1o')), {});
  const len = add('edge_lengths', [vec], field('edge', I('1x0e')), {});
  const shRep = I('1x0e+1x1o+1x2e');
  const sh = add('spherical_harmonics', [vec], field('edge', shRep), sphericalHarmonicsAttrs([0, 1, 2], true, 'component'));
  const rad = add('radial_basis', [len], field('edge', I('8x0e')), radialBasisAttrs('bessel', 8, 1.5));

  const hRep = I('4x0e+2x1o');
  const lin1 = buildLinear(xRep, hRep, O3, { bias: false });
  const h = add('linear', [x], field('node', hRep), lin1.attrs, [['lin1.weight', [lin1.attrs.weightNumel], 'normal']]);
  const hs = add('gather', [h, g], field('edge', hRep), { side: 'src' });

  const tpOut = I('4x0e+2x1o+2x1e+2x0e');
  const { instructions, reach } = tensorProductInstructions(hRep, shRep, tpOut, 'uvu', (a, b) => O3.products!.products(a, b));
  expect(reach.every((r) => r.kind === 'reached')).toBe(true);
  const tp = buildTensorProduct({ in1: hRep, in2: shRep, out: tpOut, instructions, weights: 'input' }, O3.products!, 'o3:');
  Object.assign(tables, tp.tables);
  const numel = tp.attrs.weightNumel;
  const mlp = buildMlp([8, 16, numel], 'silu');
  const w = add('mlp', [rad], field('edge', I(`${numel}x0e`)), mlp, [
    ['mlp.0.weight', [8, 16], 'normal'],
    ['mlp.1.weight', [16, numel], 'normal'],
  ]);
  const m = add('tensor_product', [hs, sh, w], field('edge', tpOut), tp.attrs);
  const agg = add('scatter', [m, g], field('node', tpOut), { reduce: 'sum' });
  const aggScaled = add('scale', [agg], field('node', tpOut), { factor: 1 / Math.sqrt(3) });

  const gate = buildGate({ scalars: I('2x0e'), gates: I('4x0e'), gated: I('2x1o+2x1e'), act: 'silu', actGates: 'sigmoid' }, O3, (a, b) => O3.compareAtoms(a, b));
  if (!gate.ok) throw new Error('gate');
  const lin2 = buildLinear(tpOut, gate.input, O3, { bias: false });
  const pre = add('linear', [aggScaled], field('node', gate.input as Irreps), lin2.attrs, [['lin2.weight', [lin2.attrs.weightNumel], 'normal']]);
  const gated = add('gate', [pre], field('node', gate.output as Irreps), gate.attrs);
  const lin3 = buildLinear(gate.output, I('3x0e'), O3, { bias: true });
  const out = add('linear', [gated], field('node', I('3x0e')), lin3.attrs, [
    ['lin3.weight', [lin3.attrs.weightNumel], 'normal'],
    ['lin3.bias', [lin3.attrs.bias!.numel], 'zeros'],
  ]);
  const y = add('pool', [out], field('graph', I('3x0e')), { reduce: 'sum' });

  return {
    format: 'eqv-ir',
    version: 1,
    model: 'Hand',
    source: 'hand.eqv',
    group: { name: 'E(3)', factors: [{ family: 'E', args: [3] }], spaceDim: 3, translations: true },
    inputs: [
      { name: 'pos', value: pos, type: { kind: 'points', dim: 3 } },
      { name: 'x', value: x, type: field('node', xRep) },
    ],
    outputs: [
      { name: 'y', value: y, type: field('graph', I('3x0e')) },
      { name: 'h', value: gated, type: field('node', gate.output as Irreps) },
    ],
    nodes,
    params,
    tables,
  };
}

const model = buildModel();
const params = initialParams(model, 42);
params.set('lin3.bias', Float64Array.of(0.3, -0.2, 0.1));
const hRep = I('2x0e+2x1o+2x1e');

interface Graph {
  pos: number[][];
  x: number[][];
}

function randomGraph(rng: Rng, n: number): Graph {
  const pos: number[][] = [];
  const x: number[][] = [];
  for (let i = 0; i < n; i++) {
    pos.push([rng.uniform() * 2, rng.uniform() * 2, rng.uniform() * 2]);
    x.push(Array.from(randomRows(rng, 1, 5)));
  }
  return { pos, x };
}

function batchOf(graphs: Graph[]): RuntimeBatch {
  const r = parseRunInput({ graphs }, model);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.batch;
}

function transform(gr: Graph, R: Float64Array, t: number[]): Graph {
  const Dx = irrepsD(I('2x0e+1x1o'), R);
  return {
    pos: gr.pos.map((p) => [0, 1, 2].map((i) => R[3 * i]! * p[0]! + R[3 * i + 1]! * p[1]! + R[3 * i + 2]! * p[2]! + t[i]!)),
    x: gr.x.map((row) => Array.from(applyToRows(Dx, Float64Array.from(row), 5))),
  };
}

describe('reference evaluator, end to end on a hand-built IR module', () => {
  const rng = createRng(2024);
  const graphs = [randomGraph(rng, 6), randomGraph(rng, 4)];
  const base = evaluate(model, batchOf(graphs), params);

  it('produces a non-trivial output with edges in both graphs', () => {
    const values = evaluateAll(model, batchOf(graphs), params);
    const graph = values.get('%2')!;
    expect(graph.kind === 'graph' && graph.graph.src.length).toBeGreaterThan(6);
    expect(base.get('y')!.length).toBe(6);
    expect(maxAbs(base.get('y')!)).toBeGreaterThan(1e-2);
    expect(maxAbs(base.get('h')!.subarray(2))).toBeGreaterThan(1e-2);
  });

  it('is invariant (y) and equivariant (h) under rotations, reflections and translations', () => {
    for (const R of [randomRotation(rng), negate(randomRotation(rng))]) {
      const moved = evaluate(model, batchOf(graphs.map((gr) => transform(gr, R, [0.3, -1, 2]))), params);
      expect(maxAbsDiff(moved.get('y')!, base.get('y')!) / maxAbs(base.get('y')!)).toBeLessThan(1e-10);
      const expectedH = applyToRows(irrepsD(hRep, R), base.get('h')!, hRep.dim);
      expect(maxAbsDiff(moved.get('h')!, expectedH) / maxAbs(expectedH)).toBeLessThan(1e-10);
    }
  });

  it('is invariant to the order of the nodes', () => {
    const perm = [3, 0, 5, 1, 4, 2];
    const permuted = { pos: perm.map((i) => graphs[0]!.pos[i]!), x: perm.map((i) => graphs[0]!.x[i]!) };
    const out = evaluate(model, batchOf([permuted, graphs[1]!]), params);
    expect(maxAbsDiff(out.get('y')!, base.get('y')!) / maxAbs(base.get('y')!)).toBeLessThan(1e-12);
    // Node outputs move with their nodes.
    const h = out.get('h')!;
    perm.forEach((orig, i) => expect(maxAbsDiff(h.subarray(i * 14, i * 14 + 14), base.get('h')!.subarray(orig * 14, orig * 14 + 14))).toBeLessThan(1e-12));
  });

  it('gives each graph of a batch the result it has alone', () => {
    const alone = evaluate(model, batchOf([graphs[1]!]), params);
    expect(maxAbsDiff(alone.get('y')!, base.get('y')!.subarray(3))).toBeLessThan(1e-13);
  });

  it('catches a broken model: one coupling coefficient with the wrong sign breaks invariance', () => {
    const key = Object.keys(model.tables).find((k) => k.includes('1o*1o->0e'))!;
    const t = model.tables[key]!;
    const broken: IRModule = { ...model, tables: { ...model.tables, [key]: { shape: t.shape, entries: t.entries.map((v, i) => (i === 3 ? -v : v)) } } };
    const R = randomRotation(rng);
    const a = evaluate(broken, batchOf(graphs), params).get('y')!;
    const b = evaluate(broken, batchOf(graphs.map((gr) => transform(gr, R, [0, 0, 0]))), params).get('y')!;
    expect(maxAbsDiff(a, b) / maxAbs(a)).toBeGreaterThan(1e-4);
  });

  it('runs from run-input JSON to run-output JSON', () => {
    const parsed = parseRunInput(graphs[0], model);
    if (!parsed.ok) throw new Error('parse');
    const json = formatRunOutput(model, parsed.batch, evaluate(model, parsed.batch, params)) as Record<string, number[] | number[][]>;
    expect(json.y).toEqual(Array.from(base.get('y')!.subarray(0, 3)));
    expect((json.h as number[][]).length).toBe(6);
  });

  it('names the node and the parameter when a value is missing', () => {
    const without = new Map(params);
    without.delete('lin2.weight');
    expect(() => evaluate(model, batchOf(graphs), without)).toThrow(/%13 \(linear, hand\.eqv:14\): parameter lin2\.weight has no value/);
  });
});

describe('scaled activations in the module', () => {
  it('uses e3nn’s normalized silu in the MLP', () => {
    const mlp = model.nodes.find((n) => n.op === 'mlp')!;
    expect(mlp.op === 'mlp' && mlp.attrs.act).toEqual(scaledActivation('silu'));
  });
});
