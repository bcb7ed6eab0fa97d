// MACE's symmetric contraction in tfjs (the reference is targets/ref/ops/symmetricContraction.ts):
// channel c's stacked vector x_c (rows·mul, D); each monomial of the IR's tables as a product of
// selected components (rows·mul, entries), placed into (M, path) columns by one matrix of the
// coefficients; then the per-node species weights. Differentiable by tfjs autograd (forces).

import * as tf from '@tensorflow/tfjs-core';
import type { SymmetricContractionAttrs } from '../../../ir/types.js';

/**
 * Per degree: for each factor, a one-hot (D, entries) selection matrix picking each monomial's
 * component (a matmul, not a gather: the wasm backend has no gather gradient), and the
 * (entries, dim·paths) placement matrix of the coefficients.
 */
interface Gathered {
  readonly factors: Float32Array[];
  readonly place: Float32Array;
  readonly entries: number;
}
const tableCache = new WeakMap<object, (Gathered | undefined)[]>();

function gatheredTables(o: SymmetricContractionAttrs['outputs'][number], D: number): (Gathered | undefined)[] {
  const cached = tableCache.get(o);
  if (cached) return cached;
  const P = o.paths.length;
  const tables = o.monomials.map((flat, n) => {
    const nu = n + 1;
    const entries = flat.length / (nu + 3);
    if (entries === 0) return undefined;
    const factors = Array.from({ length: nu }, () => new Float32Array(D * entries));
    const place = new Float32Array(entries * o.dim * P);
    for (let e = 0; e < entries; e++) {
      const at = e * (nu + 3);
      for (let q = 0; q < nu; q++) factors[q]![flat[at + 1 + q]! * entries + e] = 1;
      place[e * o.dim * P + flat[at]! * P + flat[at + nu + 1]!] = flat[at + nu + 2]!;
    }
    return { factors, place, entries };
  });
  tableCache.set(o, tables);
  return tables;
}

export function symmetricContraction(x: tf.Tensor2D, z: tf.Tensor2D, attrs: SymmetricContractionAttrs, weight: tf.Tensor): tf.Tensor2D {
  const n = x.shape[0];
  const { mul, species: K, weightNumel: P } = attrs;
  const D = attrs.in.reduce((s, b) => s + b.dim, 0);
  const xc = tf.concat(attrs.in.map((b) => tf.reshape(tf.slice(x, [0, b.offset], [n, mul * b.dim]), [n, mul, b.dim])), 2);
  const flat = tf.reshape(xc, [n * mul, D]) as tf.Tensor2D;
  // w[r, k, c] = Σ_s z[r, s] W[s, k, c].
  const w = tf.reshape(tf.matMul(z, tf.reshape(weight, [K, P * mul])), [n, P, mul]);
  const parts = attrs.outputs.map((o) => {
    const Po = o.paths.length;
    let basis: tf.Tensor | undefined;
    for (const t of gatheredTables(o, D)) {
      if (!t) continue;
      // The monomials' values (rows, entries): products of the selected components.
      const pick = (sel: Float32Array) => tf.matMul(flat, tf.tensor2d(sel, [D, t.entries]));
      let mono: tf.Tensor = pick(t.factors[0]!);
      for (let q = 1; q < t.factors.length; q++) mono = tf.mul(mono, pick(t.factors[q]!));
      const term = tf.matMul(mono as tf.Tensor2D, tf.tensor2d(t.place, [t.entries, o.dim * Po]));
      basis = basis ? tf.add(basis, term) : term;
    }
    if (!basis) return tf.zeros([n, mul * o.dim]) as tf.Tensor2D;
    // (n, mul, dim, Po) against the node's weights (n, mul, 1, Po).
    const wo = tf.reshape(tf.transpose(tf.slice(w, [0, o.weightOffset, 0], [n, Po, mul]), [0, 2, 1]), [n, mul, 1, Po]);
    const y = tf.mul(tf.sum(tf.mul(tf.reshape(basis, [n, mul, o.dim, Po]), wo), 3), o.factor);
    return tf.reshape(y, [n, mul * o.dim]) as tf.Tensor2D;
  });
  return parts.length === 1 ? parts[0]! : tf.concat(parts, 1);
}
