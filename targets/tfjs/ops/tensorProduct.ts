// e3nn o3.TensorProduct lowered to column gathers, broadcast products, reshapes and matMuls
// (no einsum: tfjs's has no gradient and is slow). For each path (i1, i2 -> iOut):
//
//   1. the two input blocks, as (n, mul1, d1) and (n, mul2, d2) (one column gather each, shared
//      by the paths that read the block);
//   2. their outer products over the copies the mode pairs (all (u, v), or (u, u) for uuw/uuu),
//      one broadcast multiply, shared by the paths of the same (i1, i2);
//   3. the Clebsch-Gordan contraction as a matMul with the path's dense (d1 d2, d3) slice of the
//      coupling table, the path's normalization folded in. Only the non-zero blocks of the full
//      coupling are ever multiplied: each path has its own small matrix;
//   4. the weights, by mode: a matMul over the copies (uvw, uuw with shared weights), a batched
//      matMul (per-sample uvw/uuw), or a broadcast multiply (uvu, uvv, uuu, uvuv).
//
// Output blocks sum their paths and are concatenated in order (zeros where no path arrives).
// The variants measured for the benchmarks are documented in docs/benchmarks.md.

import * as tf from '@tensorflow/tfjs-core';
import type { IRCouplingTable, IRRep, TensorProductAttrs, TPPath } from '../../../ir/types.js';
import { blockLayout, type BlockLayout } from '../../../stdlib/nn/layout.js';
import { gatherCols } from './customKernels.js';
import { kernelProvider } from './kernelProvider.js';

interface PathPlan {
  readonly path: TPPath;
  readonly b1: BlockLayout;
  readonly b2: BlockLayout;
  readonly bo: BlockLayout;
  /** Dense (d1 * d2, d3) coupling times the path's factor, row-major. */
  readonly coupling: Float32Array;
  readonly weightNumel: number;
}

interface TensorProductPlan {
  readonly paths: readonly PathPlan[];
  readonly in1: readonly BlockLayout[];
  readonly in2: readonly BlockLayout[];
  readonly out: readonly BlockLayout[];
}

const plans = new WeakMap<TensorProductAttrs, TensorProductPlan>();

function weightNumel(p: TPPath): number {
  return p.hasWeight ? p.weightShape.reduce((a, b) => a * b, 1) : 0;
}

function planOf(attrs: TensorProductAttrs, tables: Readonly<Record<string, IRCouplingTable>>, outRep: IRRep): TensorProductPlan {
  const cached = plans.get(attrs);
  if (cached) return cached;
  const in1 = blockLayout(attrs.in1);
  const in2 = blockLayout(attrs.in2);
  const out = blockLayout(outRep);
  const paths: PathPlan[] = [];
  for (const path of attrs.paths) {
    const b1 = in1[path.i1]!;
    const b2 = in2[path.i2]!;
    const bo = out[path.iOut]!;
    if (b1.mul === 0 || b2.mul === 0 || bo.mul === 0) continue; // e3nn drops empty paths
    const table = tables[path.coupling];
    if (!table) throw new Error(`tensor product: coupling table ${path.coupling} is missing`);
    const [d1, d2, d3] = table.shape;
    if (d1 !== b1.dim || d2 !== b2.dim || d3 !== bo.dim) throw new Error(`tensor product: coupling ${path.coupling} does not fit blocks of dims (${b1.dim}, ${b2.dim}, ${bo.dim})`);
    const coupling = new Float32Array(d1 * d2 * d3);
    const e = table.entries;
    for (let q = 0; q < e.length; q += 4) coupling[(e[q]! * d2 + e[q + 1]!) * d3 + e[q + 2]!] = e[q + 3]! * path.factor;
    paths.push({ path, b1, b2, bo, coupling, weightNumel: weightNumel(path) });
  }
  const plan = { paths, in1, in2, out };
  plans.set(attrs, plan);
  return plan;
}

export const range = (start: number, size: number) => Array.from({ length: size }, (_, i) => start + i);

/** Block columns as (n, mul, d). */
export function block(x: tf.Tensor2D, b: BlockLayout): tf.Tensor3D {
  const size = b.mul * b.dim;
  const cols = size === x.shape[1] && b.offset === 0 ? x : gatherCols(x, range(b.offset, size));
  return tf.reshape(cols, [x.shape[0], b.mul, b.dim]);
}

/** A path's weights: its slice of the shared vector, or its columns of the per-sample rows. */
export function pathWeights(path: TPPath, weights: tf.Tensor | undefined, flatWeights: tf.Tensor | undefined, perSample: boolean, numel: number): tf.Tensor | undefined {
  if (!path.hasWeight) return undefined;
  return perSample ? gatherCols(weights as tf.Tensor2D, range(path.weightOffset, numel)) : tf.slice(flatWeights!, [path.weightOffset], [numel]);
}

/**
 * Step 4: the coupled rows t ((n m1 m2, d3), or (n m1, d3) for uuw/uuu, the factor already in)
 * spread to the output copies by the path's mode and weights; (n, mo, d3). Shared with the
 * sphere-grid product (gridProduct.ts), which forms t on a grid.
 */
export function spreadByMode(t: tf.Tensor2D, path: TPPath, m1: number, m2: number, mo: number, d3: number, n: number, w: tf.Tensor | undefined, perSample: boolean): tf.Tensor3D {
  const rows = perSample ? n : 1;
  let o: tf.Tensor3D; // (n, mo, d3)
  switch (path.mode) {
    case 'uvw': {
          const tt = tf.transpose(tf.reshape(t, [n, m1 * m2, d3]), [0, 2, 1]); // (n, d3, m1 m2)
      const r = perSample
        ? tf.matMul(tt, tf.reshape(w!, [n, m1 * m2, mo]))
        : tf.reshape(tf.matMul(tf.reshape(tt, [n * d3, m1 * m2]), tf.reshape(w!, [m1 * m2, mo])), [n, d3, mo]);
      o = tf.transpose(r, [0, 2, 1]) as tf.Tensor3D;
      break;
    }
    case 'uvu': {
      let r = tf.reshape(t, [n, m1, m2, d3]);
      if (w) r = tf.mul(r, tf.reshape(w, [rows, m1, m2, 1]));
      o = m2 === 1 ? tf.reshape(r, [n, m1, d3]) : tf.sum(r, 2);
      break;
    }
    case 'uvv': {
      let r = tf.reshape(t, [n, m1, m2, d3]);
      if (w) r = tf.mul(r, tf.reshape(w, [rows, m1, m2, 1]));
      o = m1 === 1 ? tf.reshape(r, [n, m2, d3]) : tf.sum(r, 1);
      break;
    }
    case 'uvuv': {
      let r = tf.reshape(t, [n, m1 * m2, d3]);
      if (w) r = tf.mul(r, tf.reshape(w, [rows, m1 * m2, 1]));
      o = r as tf.Tensor3D;
      break;
    }
    case 'uuu': {
      let r = tf.reshape(t, [n, m1, d3]);
      if (w) r = tf.mul(r, tf.reshape(w, [rows, m1, 1]));
      o = r as tf.Tensor3D;
      break;
    }
    case 'uuw': {
      const r = tf.reshape(t, [n, m1, d3]);
      if (!w) {
        o = tf.sum(r, 1, true); // e3nn: the copies summed into one output copy
        break;
      }
          const tt = tf.transpose(r, [0, 2, 1]); // (n, d3, m1)
      const s = perSample ? tf.matMul(tt, tf.reshape(w, [n, m1, mo])) : tf.reshape(tf.matMul(tf.reshape(tt, [n * d3, m1]), tf.reshape(w, [m1, mo])), [n, d3, mo]);
      o = tf.transpose(s, [0, 2, 1]) as tf.Tensor3D;
      break;
    }
  }
  return o;
}

/**
 * a: (n, in1.dim), b: (n, in2.dim); weights: the shared vector (weightNumel), or per-sample
 * rows (n, weightNumel) when attrs.weights is 'input'. Returns (n, outRep.dim).
 */
export function tensorProduct(
  a: tf.Tensor2D,
  b: tf.Tensor2D,
  weights: tf.Tensor | undefined,
  attrs: TensorProductAttrs,
  tables: Readonly<Record<string, IRCouplingTable>>,
  outRep: IRRep,
): tf.Tensor2D {
  const n = a.shape[0];
  const fast = kernelProvider(n)?.tensorProduct?.(a, b, weights, attrs, tables, outRep);
  if (fast) return fast;
  const plan = planOf(attrs, tables, outRep);
  const perSample = attrs.weights === 'input';
  const blocks1 = new Map<number, tf.Tensor3D>();
  const blocks2 = new Map<number, tf.Tensor3D>();
  const products = new Map<string, tf.Tensor2D>();
  const sums = new Map<number, tf.Tensor3D>();
  const flatWeights = weights && !perSample ? tf.reshape(weights, [-1]) : undefined;

  for (const pp of plan.paths) {
    const { path, b1, b2, bo } = pp;
    const m1 = b1.mul;
    const m2 = b2.mul;
    const [d1, d2, d3] = [b1.dim, b2.dim, bo.dim];
    if (!blocks1.has(path.i1)) blocks1.set(path.i1, block(a, b1));
    if (!blocks2.has(path.i2)) blocks2.set(path.i2, block(b, b2));
    const x = blocks1.get(path.i1)!;
    const y = blocks2.get(path.i2)!;
    const diagonal = path.mode === 'uuw' || path.mode === 'uuu';
    const key = `${path.i1}/${path.i2}/${diagonal}`;
    if (!products.has(key)) {
      // (n, m1, [m2,] d1 * d2) outer products of the paired copies, flattened to rows.
      const xy = diagonal
        ? tf.mul(tf.reshape(x, [n, m1, d1, 1]), tf.reshape(y, [n, m1, 1, d2]))
        : m2 === 1
          ? tf.mul(tf.reshape(x, [n, m1, d1, 1]), tf.reshape(y, [n, 1, 1, d2]))
          : tf.mul(tf.reshape(x, [n, m1, 1, d1, 1]), tf.reshape(y, [n, 1, m2, 1, d2]));
      products.set(key, tf.reshape(xy, [-1, d1 * d2]));
    }
    const t = tf.matMul(products.get(key)!, tf.tensor2d(pp.coupling, [d1 * d2, d3]));

    const o = spreadByMode(t as tf.Tensor2D, path, m1, m2, bo.mul, d3, n, pathWeights(path, weights, flatWeights, perSample, pp.weightNumel), perSample);
    const prev = sums.get(path.iOut);
    sums.set(path.iOut, prev ? tf.add(prev, o) : o);
  }

  const parts = plan.out.map((bo, i) => {
    const s = sums.get(i);
    return s ? tf.reshape(s, [n, bo.mul * bo.dim]) : tf.zeros([n, bo.mul * bo.dim]);
  }) as tf.Tensor2D[];
  return parts.length === 1 ? parts[0]! : tf.concat(parts, 1);
}
