// "The Price of Freedom" table: the CG, Gaunt and sphere-grid products of two signals with one
// channel of every degree 0..L (natural parity: 0e + 1o + 2e + ...) into every degree 0..2L, at
// L = 1, 2, 4, 6, 8, without weights (mode uuu), per target. On these irreps the CG and Gaunt
// products have the same paths (the parity rule makes every path even), so the three differ
// only in how they compute: sparse CG tables, sparse Gaunt tables, or one fused pointwise
// product on an exact grid (dense matrices to and from the grid, no FFT). The node is timed
// through the function the target runs (ref: the float64 kernels; tfjs: the op library).

import * as tf from '@tensorflow/tfjs-core';
import { compileSource } from '../../compiler/compile.js';
import type { IRModule, IRNode } from '../../ir/types.js';
import { blockLayout } from '../../stdlib/nn/layout.js';
import { createRng } from '../../stdlib/math/random.js';
import { gridProductKernel } from '../../targets/ref/ops/gridProduct.js';
import { tensorProductKernel } from '../../targets/ref/ops/tensorProduct.js';
import { useBackend } from '../../targets/tfjs/ops/backend.js';
import * as rt from '../../targets/tfjs/ops/index.js';
import { type BenchResult, timeIt } from '../report.js';

export const PRODUCT_DEGREES = [1, 2, 4, 6, 8] as const;
const KINDS = ['cg', 'gaunt', 'grid'] as const;

const irrep = (l: number) => `1x${l}${l % 2 === 0 ? 'e' : 'o'}`;
const upTo = (L: number) => Array.from({ length: L + 1 }, (_, l) => irrep(l)).join(' + ');

/** The product module of degree L and the kind. */
export function productModule(L: number, kind: string): IRModule {
  const src = `model P : O(3) {\n  in a: node[${upTo(L)}]\n  in b: node[${upTo(L)}]\n  out c: node[${upTo(2 * L)}]\n  c = tp(a, b, ${upTo(2 * L)}, mode = uuu, weights = none, kind = ${kind})\n}\n`;
  const r = compileSource(src, `product_${kind}_${L}.eqv`);
  if (!r.ok) throw new Error(`the L = ${L} ${kind} product does not compile: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  return r.ir[0]!;
}

function tpNode(m: IRModule): Extract<IRNode, { op: 'tensor_product' }> {
  const n = m.nodes.find((x) => x.op === 'tensor_product');
  if (!n || n.op !== 'tensor_product' || n.type.kind !== 'field') throw new Error('no tensor product');
  return n;
}

/** Median seconds of 3 runs after a warm-up. */
function median(fn: () => void): number {
  fn();
  return timeIt(fn, 3).median;
}

/** Batch sizes: 10k rows, fewer where one run of a kind would take seconds (said in the note). */
function batchFor(target: string, L: number): number {
  if (target === 'ref' || target === 'cpu') return L <= 2 ? 10_000 : L <= 4 ? 2_000 : 500;
  return L <= 4 ? 10_000 : 2_000;
}

export async function productKindsBench(backends: readonly string[] = ['wasm', 'cpu']): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const rng = createRng(1);
  const modules = new Map<string, IRModule>();
  for (const L of PRODUCT_DEGREES) for (const kind of KINDS) modules.set(`${kind}${L}`, productModule(L, kind));
  const push = (kind: string, L: number, target: string, backend: string, n: number, seconds: number) =>
    results.push({ workload: `P${L} ${kind} product`, target, backend, seconds, items_per_s: n / seconds, note: `L = ${L}: in 0..${L}, out 0..${2 * L}, ${n} rows${n < 10_000 ? ' (batch reduced from 10k)' : ''}` });

  for (const L of PRODUCT_DEGREES) {
    for (const kind of KINDS) {
      const m = modules.get(`${kind}${L}`)!;
      const node = tpNode(m);
      const outRep = node.type.kind === 'field' ? node.type.rep : undefined!;
      const n = batchFor('ref', L);
      const d1 = node.attrs.in1.dim;
      const x1 = Float64Array.from({ length: n * d1 }, () => rng.normal());
      const x2 = Float64Array.from({ length: n * d1 }, () => rng.normal());
      const layout = { in1: blockLayout(node.attrs.in1), in2: blockLayout(node.attrs.in2), out: blockLayout(outRep), dim1: d1, dim2: d1, dimOut: outRep.dim };
      const run = kind === 'grid' ? () => void gridProductKernel(node.attrs, layout, x1, x2, undefined, n) : () => void tensorProductKernel(node.attrs, m.tables, layout, x1, x2, undefined, n);
      push(kind, L, 'ref', 'float64', n, median(run));
    }
  }
  for (const backend of backends) {
    await useBackend(backend);
    for (const L of PRODUCT_DEGREES) {
      for (const kind of KINDS) {
        const m = modules.get(`${kind}${L}`)!;
        const node = tpNode(m);
        const outRep = node.type.kind === 'field' ? node.type.rep : undefined!;
        const n = batchFor(backend === 'cpu' ? 'cpu' : 'tfjs', L);
        const a = tf.randomNormal([n, node.attrs.in1.dim]) as tf.Tensor2D;
        const b = tf.randomNormal([n, node.attrs.in2.dim]) as tf.Tensor2D;
        const forward = () => (kind === 'grid' ? rt.gridProduct(a, b, undefined, node.attrs, outRep) : rt.tensorProduct(a, b, undefined, node.attrs, m.tables, outRep));
        const seconds = median(() => tf.tidy(() => void forward().dataSync()));
        push(kind, L, 'tfjs', backend, n, seconds);
        a.dispose();
        b.dispose();
      }
    }
  }
  return results;
}

/** The crossover per target and backend: the smallest L from which grid beats CG at every larger L measured. */
export function crossovers(results: readonly BenchResult[]): string[] {
  const keys = [...new Set(results.filter((r) => r.workload.startsWith('P')).map((r) => `${r.target}/${r.backend}`))];
  return keys.map((key) => {
    const at = (kind: string, L: number) => results.find((r) => `${r.target}/${r.backend}` === key && r.workload === `P${L} ${kind} product`)?.items_per_s ?? 0;
    const ratio = PRODUCT_DEGREES.map((L) => at('grid', L) / at('cg', L));
    let from: number | undefined;
    for (let i = PRODUCT_DEGREES.length - 1; i >= 0 && ratio[i]! > 1; i--) from = PRODUCT_DEGREES[i];
    const text = PRODUCT_DEGREES.map((L, i) => `L=${L} ${ratio[i]!.toFixed(2)}x`).join(', ');
    return `${key}: grid/CG ${text}; crossover: ${from === undefined ? 'none up to L = 8' : `grid faster from L = ${from}`}`;
  });
}
