// tfjs target benchmarks W1-W4 (issue 4), per backend (cpu, wasm): each workload is a small
// .eqv model in bench/models/ compiled through the normal pipeline; the node it is about (the
// tensor product, the harmonics, the linear map) is timed through the same runtime function
// the generated module calls, on random inputs of the workload's size. Useful GFLOP/s use the
// IR node's `flops` (compiler/cost.ts). e3nn 0.5.6 figures (PyTorch 1.13, 2 CPU threads) are
// from the issue, for the ratios in docs/benchmarks.md.

import * as tf from '@tensorflow/tfjs-core';
import { compile } from '../../compiler/compile.js';
import type { IRModule, IRNode, IRRep } from '../../ir/types.js';
import { useBackend } from '../../targets/tfjs/ops/backend.js';
import * as rt from '../../targets/tfjs/ops/index.js';
import { type BenchResult, timeIt } from '../report.js';

/** e3nn's items/s for each workload (from the issue), for the ratio column. */
export const E3NN_ITEMS_PER_S: Readonly<Record<string, number>> = {
  'W1 forward': 55e3,
  'W1 forward+backward': 9.9e3,
  'W1L forward': 7.1e3,
  'W2 fctp forward': 30e3,
  'W3 spherical harmonics': 43e6,
  'W4 linear forward': 460e3,
};

function model(file: string): IRModule {
  const r = compile(file);
  if (!r.ok) throw new Error(`${file} does not compile`);
  return r.ir[0]!;
}

function nodeOf<Op extends IRNode['op']>(m: IRModule, op: Op): Extract<IRNode, { op: Op }> {
  const n = m.nodes.find((x) => x.op === op);
  if (!n) throw new Error(`${m.model} has no ${op} node`);
  return n as Extract<IRNode, { op: Op }>;
}

function repDim(m: IRModule, id: string): number {
  const t = [...m.nodes.map((n) => [n.id, n.type] as const), ...m.inputs.map((i) => [i.value, i.type] as const)].find(([v]) => v === id)![1];
  return t.kind === 'field' ? t.rep.dim : 3;
}

function outRepOf(node: IRNode): IRRep {
  if (node.type.kind !== 'field') throw new Error(`${node.id} is not a field`);
  return node.type.rep;
}

function runs(seconds: number): number {
  return seconds > 2 ? 3 : seconds > 0.5 ? 5 : 10;
}

/** Time fn (which returns a tensor) after one warm-up run; intermediates are freed each run. */
function time(fn: () => tf.Tensor | tf.Tensor[]): number {
  const once = () => {
    const t0 = performance.now();
    tf.tidy(() => {
      const r = fn();
      (Array.isArray(r) ? r : [r]).forEach((t) => t.dataSync());
    });
    return (performance.now() - t0) / 1000;
  };
  const first = once();
  return timeIt(() => void once(), runs(first)).median;
}

export async function tfjsBench(backends: readonly string[] = ['wasm', 'cpu']): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const w1 = model('bench/models/w1.eqv');
  const w1l = model('bench/models/w1l.eqv');
  const w2 = model('bench/models/w2.eqv');
  const w3 = model('bench/models/w3.eqv');
  const w4 = model('bench/models/w4.eqv');
  for (const backend of backends) {
    await useBackend(backend);
    const result = (workload: string, items: number, seconds: number, flopsPerItem: number, note: string) => {
      const e3nn = E3NN_ITEMS_PER_S[workload];
      const perS = items / seconds;
      results.push({
        workload,
        target: 'tfjs',
        backend,
        seconds,
        items_per_s: perS,
        gflops: (flopsPerItem * perS) / 1e9,
        note: `${note}${e3nn ? `; ${(perS / e3nn).toFixed(2)}x e3nn` : ''}`,
      });
    };
    // The cpu backend is ~20x slower than wasm: it gets a tenth of the items.
    const scale = backend === 'cpu' ? 0.1 : 1;

    for (const [name, m, edges, backward] of [
      ['W1', w1, 20_000, true],
      ['W1L', w1l, 5_000, false],
    ] as const) {
      const tp = nodeOf(m, 'tensor_product');
      const outRep = tp.type.kind === 'field' ? tp.type.rep : undefined;
      const n = Math.round(edges * scale);
      const a = tf.randomNormal([n, repDim(m, tp.inputs[0]!)]) as tf.Tensor2D;
      const b = tf.randomNormal([n, repDim(m, tp.inputs[1]!)]) as tf.Tensor2D;
      const w = tf.randomNormal([n, tp.attrs.weightNumel]) as tf.Tensor2D;
      const forward = () => rt.tensorProduct(a, b, w, tp.attrs, m.tables, outRep!);
      result(`${name} forward`, n, time(forward), tp.flops, `${n} edges, uvu, per-edge weights`);
      if (backward) {
        const grads = tf.grads((x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) => tf.sum(rt.tensorProduct(x as tf.Tensor2D, y as tf.Tensor2D, z as tf.Tensor2D, tp.attrs, m.tables, outRep!)));
        // forward + backward: the backward pass costs about twice the forward's flops.
        result(`${name} forward+backward`, n, time(() => grads([a, b, w])), 3 * tp.flops, `${n} edges, gradients of all three inputs`);
      }
      tf.dispose([a, b, w]);
    }

    {
      const tp = nodeOf(w2, 'tensor_product');
      const n = Math.round(2_000 * scale);
      const x = tf.randomNormal([n, repDim(w2, tp.inputs[0]!)]) as tf.Tensor2D;
      const weight = tf.randomNormal([tp.attrs.weightNumel]);
      result('W2 fctp forward', n, time(() => rt.tensorProduct(x, x, weight, tp.attrs, w2.tables, outRepOf(tp))), tp.flops, `${n} rows, uvw, shared weights`);
      tf.dispose([x, weight]);
    }
    {
      const sh = nodeOf(w3, 'spherical_harmonics');
      const n = Math.round(200_000 * scale);
      const v = tf.randomNormal([n, 3]) as tf.Tensor2D;
      result('W3 spherical harmonics', n, time(() => rt.sphericalHarmonics(v, sh.attrs)), sh.flops, `${n} vectors, lmax 3`);
      v.dispose();
    }
    {
      const lin = nodeOf(w4, 'linear');
      const n = Math.round(20_000 * scale);
      const x = tf.randomNormal([n, repDim(w4, lin.inputs[0]!)]) as tf.Tensor2D;
      const weight = tf.randomNormal([lin.attrs.weightNumel]);
      const rep = outRepOf(lin);
      result('W4 linear forward', n, time(() => rt.linear(x, lin.attrs, rep, rep, weight, undefined)), lin.flops, `${n} rows`);
      tf.dispose([x, weight]);
    }
  }
  return results;
}
