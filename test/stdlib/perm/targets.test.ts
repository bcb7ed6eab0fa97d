// perm_linear and pair pooling on every target: the float64 reference, tfjs (float32) and WGSL
// on Dawn agree to 1e-5 relative to each output's size on a model that uses all nine
// order pairs (graph, node, pair in and out), on a batch of sets of 1, 3 and 6 nodes, and on
// a model with a pair input. tfjs gradients are checked against finite differences, and the
// run-input checks of pair values and fixed set sizes too.
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../../compiler/compile.js';
import type { IRModule } from '../../../ir/types.js';
import { evaluate } from '../../../targets/ref/evaluate.js';
import { batchFromGraphs, parseRunInput } from '../../../targets/io/inputs.js';
import { initialParams } from '../../../targets/io/params.js';
import { runTfjs } from '../../../targets/tfjs/runner.js';
import { runWgsl } from '../../../targets/wgsl/runner.js';
import { createRng } from '../../../stdlib/math/random.js';
import * as tf from '@tensorflow/tfjs-core';
import { loadModel } from '../../../targets/tfjs/load.js';
import { useBackend } from '../../../targets/tfjs/ops/backend.js';
import { assignParams } from '../../../targets/tfjs/ops/weights.js';
import { batchValues } from '../../../targets/tfjs/runner.js';
import { DatasetError, evaluateMetrics, parseDatasetJson, parseDatasetBinary, train } from '../../../targets/tfjs/train.js';

const ALL_ORDERS = `
model AllOrders : S(n) {
  in  x: node[3]
  in  u: graph[2]
  out y: graph[4]
  out h: node[4]
  out q: pair[3]

  let gn = perm_linear(u, 4, domain = node)
  let gp = perm_linear(u, 3, domain = pair, bias = true)
  let gg = perm_linear(u, 4)
  let nn = perm_linear(x, 4, bias = true)
  let np = tanh(perm_linear(x, 3, domain = pair))
  let ng = perm_linear(x, 4, domain = graph)
  let pp = tanh(perm_linear(np, 3, bias = true))
  let pn = perm_linear(pp, 4, domain = node, bias = true)
  let pg = perm_linear(pp, 4, domain = graph, bias = true)
  y = linear(concat(gg, ng, pg, pool(pp, reduce = max), pool(pp, reduce = mean)), 4)
  h = linear(concat(gn, nn, pn), 4)
  q = linear(concat(gp, pp), 3)
}
`;

const PAIR_INPUT = `
model Adjacency : S(n) {
  in  a: pair[1]
  out y: graph[2]
  out e: pair[2]

  let p = relu(perm_linear(a, 6, bias = true))
  e = perm_linear(p, 2)
  y = linear(pool(p, reduce = sum), 2)
}
`;

function irOf(text: string): IRModule {
  const out = compileSource(text, 'perm.eqv');
  expect(out.diagnostics).toEqual([]);
  return out.ir[0]!;
}

function rel(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  let s = 1e-6;
  for (let i = 0; i < b.length; i++) (d = Math.max(d, Math.abs(a[i]! - b[i]!))), (s = Math.max(s, Math.abs(b[i]!)));
  return d / s;
}

/** Sets of the given sizes with N(0, 1) features on every input. */
function sets(module: IRModule, sizes: readonly number[], seed: number) {
  const rng = createRng(seed);
  return batchFromGraphs(
    module,
    sizes.map((n) =>
      Object.fromEntries(
        module.inputs.map((i) => {
          const t = i.type;
          if (t.kind !== 'field') throw new Error('fields only');
          const row = () => Array.from({ length: t.rep.dim }, () => rng.normal());
          if (t.domain === 'graph') return [i.name, row()];
          if (t.domain === 'pair') return [i.name, Array.from({ length: n }, () => Array.from({ length: n }, row))];
          return [i.name, Array.from({ length: n }, row)];
        }),
      ),
    ) as never,
  );
}

describe('perm_linear on every target', () => {
  const allOrders = irOf(ALL_ORDERS);

  it('uses the expected basis maps', () => {
    const counts = allOrders.nodes.flatMap((n) => (n.op === 'perm_linear' ? [`${n.attrs.from}->${n.attrs.to}:${n.attrs.basis.length}`] : []));
    expect(counts).toEqual(['graph->node:1', 'graph->pair:2', 'graph->graph:1', 'node->node:2', 'node->pair:5', 'node->graph:1', 'pair->pair:15', 'pair->node:5', 'pair->graph:2']);
    const pp = allOrders.params.find((p) => p.name === 'pp.perm_linear.weight')!;
    expect(pp.shape).toEqual([15, 3, 3]);
    expect(allOrders.params.find((p) => p.name === 'pp.perm_linear.bias')!.shape).toEqual([2, 3]);
  });

  it('tfjs and wgsl agree with the reference within 1e-5', async () => {
    const batch = sets(allOrders, [1, 3, 6], 5);
    const params = initialParams(allOrders, 2);
    const ref = evaluate(allOrders, batch, params);
    const tfjs = await runTfjs(allOrders, batch, params, { backend: 'cpu' });
    const wgsl = await runWgsl(allOrders, batch, params);
    for (const [name, expected] of ref) {
      expect(rel(tfjs.get(name)!, expected), `tfjs ${name}`).toBeLessThan(1e-5);
      expect(rel(wgsl.get(name)!, expected), `wgsl ${name}`).toBeLessThan(1e-5);
    }
    // 1 + 9 + 36 pairs, 3 channels.
    expect(ref.get('q')!.length).toBe(46 * 3);
  }, 60_000);

  it('trains on tfjs: weight gradients agree with finite differences of the reference', async () => {
    // The objective: a fixed random linear functional of every output.
    const batch = sets(allOrders, [2, 4], 13);
    const params = initialParams(allOrders, 3);
    const rng = createRng(21);
    const probe = new Map([...evaluate(allOrders, batch, params)].map(([k, v]) => [k, v.map(() => rng.normal())]));
    const objectiveRef = (p: Map<string, Float64Array>) => {
      let s = 0;
      for (const [k, v] of evaluate(allOrders, batch, p)) v.forEach((x, i) => (s += x * probe.get(k)![i]!));
      return s;
    };
    await useBackend('cpu');
    const model = await loadModel(allOrders);
    assignParams(model.params, params);
    const { grads } = tf.variableGrads(() => {
      let s: tf.Scalar = tf.scalar(0);
      for (const [k, t] of Object.entries(model.forward(model.makeInputs(batchValues(batch), batch.graphPtr)))) s = tf.add(s, tf.sum(tf.mul(t, tf.tensor(Float32Array.from(probe.get(k)!), t.shape)))) as tf.Scalar;
      return s;
    });
    const byVar = new Map(Object.entries(model.params).map(([name, v]) => [v.name, name]));
    const tfGrad = new Map(Object.entries(grads).map(([v, g]) => [byVar.get(v)!, g.dataSync()]));
    const h = 1e-5;
    let checked = 0;
    for (const p of allOrders.params) {
      const g = tfGrad.get(p.name)!;
      const n = params.get(p.name)!.length;
      for (const i of [0, Math.floor(n / 2), n - 1]) {
        const shift = (d: number) => new Map(params).set(p.name, params.get(p.name)!.map((v, j) => (j === i ? v + d : v)));
        const fd = (objectiveRef(shift(h)) - objectiveRef(shift(-h))) / (2 * h);
        const scale = Math.max(...g.map(Math.abs), 1e-3);
        expect(Math.abs(g[i]! - fd), `${p.name}[${i}]`).toBeLessThan(2e-3 * scale);
        checked++;
      }
    }
    expect(checked).toBe(3 * allOrders.params.length);
    for (const v of Object.values(model.params)) v.dispose();
  }, 60_000);

  it('takes pair inputs on every target', async () => {
    const module = irOf(PAIR_INPUT);
    const batch = sets(module, [2, 5, 1], 9);
    const params = initialParams(module, 4);
    const ref = evaluate(module, batch, params);
    const tfjs = await runTfjs(module, batch, params, { backend: 'cpu' });
    const wgsl = await runWgsl(module, batch, params);
    for (const [name, expected] of ref) {
      expect(rel(tfjs.get(name)!, expected), `tfjs ${name}`).toBeLessThan(1e-5);
      expect(rel(wgsl.get(name)!, expected), `wgsl ${name}`).toBeLessThan(1e-5);
    }
  }, 60_000);

  it('trains from a JSON dataset with pair inputs (the edge density of random graphs)', async () => {
    const module = irOf(PAIR_INPUT);
    const rng = createRng(17);
    const graphs = Array.from({ length: 40 }, () => {
      const n = 3 + rng.int(4);
      const a = Array.from({ length: n }, () => new Array<number>(n).fill(0));
      let edges = 0;
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (rng.uniform() < 0.5) (a[i]![j] = a[j]![i] = 1), (edges += 2);
      return { a, targets: { y: [edges / (n * n), 0] } };
    });
    const examples = parseDatasetJson({ graphs }, module, 'mse');
    expect(examples[0]!.inputs.a!.length).toBe(examples[0]!.nodes ** 2);
    expect(() => parseDatasetJson({ graphs: [{ a: [[0, 1]], targets: { y: [0, 0] } }] }, module, 'mse')).toThrow(DatasetError);
    expect(() => parseDatasetBinary(new Uint8Array(8), module, 'mse')).toThrow();
    await useBackend('cpu');
    const model = await loadModel(module);
    assignParams(model.params, initialParams(module, 1));
    const before = evaluateMetrics(model, examples, { loss: 'mse' }).loss;
    const after = train(model, examples, { loss: 'mse', epochs: 25, lr: 0.01, batchSize: 8, seed: 1 }).loss;
    expect(after).toBeLessThan(before / 4);
    for (const v of Object.values(model.params)) v.dispose();
  }, 60_000);

  it('reads pair inputs as n x n matrices and checks their size and fixed set sizes', () => {
    const module = irOf(PAIR_INPUT);
    const ok = parseRunInput({ a: [[0, 1], [1, 0]] }, module);
    expect(ok.ok && Array.from(ok.batch.values.get('a')!)).toEqual([0, 1, 1, 0]);
    const bad = parseRunInput({ a: [[0, 1], [1]] }, module);
    expect(bad.ok ? [] : bad.errors).toEqual(['input a: row 1 must be an array of 2 entries (one per node j), got an array of 1']);
    const fixed = irOf('model F : S(4) {\n  in x: node[1]\n  out y: graph[1]\n  y = perm_linear(x, 1, domain = graph)\n}\n');
    expect(fixed.group).toEqual({ name: 'S(4)', factors: [{ family: 'S', args: [4] }], setSize: 4 });
    const wrong = parseRunInput({ graphs: [{ x: [[1], [2], [3], [4]] }, { x: [[1], [2]] }] }, fixed);
    expect(wrong.ok ? [] : wrong.errors).toEqual(["graph 1 has 2 nodes (x), but the model's group S(4) permutes sets of exactly 4 nodes (declare `S(n)` for sets of any size)"]);
  });
});
