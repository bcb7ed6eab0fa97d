// MACE's symmetric contraction in tfjs (the reference is targets/ref/ops/symmetricContraction.ts):
// channel c's stacked vector x_c (rows, mul, D); its monomials of degree nu as outer products
// (rows, mul, D^nu); each degree's monomial table as a dense (D^nu, dim·paths) matrix (only the
// sorted index tuples are filled, which is the whole polynomial since x^{⊗nu} is symmetric);
// then the per-node species weights. Differentiable by tfjs autograd (forces).

import * as tf from '@tensorflow/tfjs-core';
import type { SymmetricContractionAttrs } from '../../../ir/types.js';

const denseCache = new WeakMap<object, Float32Array[]>();

/** Per degree, the monomial table as a dense (D^nu, dim * paths) row-major matrix. */
function denseTables(o: SymmetricContractionAttrs['outputs'][number], D: number): Float32Array[] {
  const cached = denseCache.get(o);
  if (cached) return cached;
  const P = o.paths.length;
  const tables = o.monomials.map((flat, n) => {
    const nu = n + 1;
    const t = new Float32Array(D ** nu * o.dim * P);
    for (let e = 0; e < flat.length; e += nu + 3) {
      let row = 0;
      for (let q = 1; q <= nu; q++) row = row * D + flat[e + q]!;
      t[row * o.dim * P + flat[e]! * P + flat[e + nu + 1]!] += flat[e + nu + 2]!;
    }
    return t;
  });
  denseCache.set(o, tables);
  return tables;
}

export function symmetricContraction(x: tf.Tensor2D, z: tf.Tensor2D, attrs: SymmetricContractionAttrs, weight: tf.Tensor): tf.Tensor2D {
  const n = x.shape[0];
  const { mul, species: K, weightNumel: P } = attrs;
  const D = attrs.in.reduce((s, b) => s + b.dim, 0);
  const xc = tf.concat(attrs.in.map((b) => tf.reshape(tf.slice(x, [0, b.offset], [n, mul * b.dim]), [n, mul, b.dim])), 2);
  // Monomials of degree 1..correlation, flattened row-major over (i1, .., inu).
  const powers: tf.Tensor[] = [tf.reshape(xc, [n * mul, D])];
  for (let nu = 2; nu <= attrs.correlation; nu++) {
    const prev = powers[nu - 2]!;
    powers.push(tf.reshape(tf.mul(tf.reshape(prev, [n * mul, D ** (nu - 1), 1]), tf.reshape(powers[0]!, [n * mul, 1, D])), [n * mul, D ** nu]));
  }
  // w[r, k, c] = Σ_s z[r, s] W[s, k, c].
  const w = tf.reshape(tf.matMul(z, tf.reshape(weight, [K, P * mul])), [n, P, mul]);
  const parts = attrs.outputs.map((o) => {
    const Po = o.paths.length;
    const tables = denseTables(o, D);
    let basis: tf.Tensor | undefined;
    tables.forEach((t, i) => {
      if (!t.some((v) => v !== 0)) return;
      const term = tf.matMul(powers[i] as tf.Tensor2D, tf.tensor2d(t, [D ** (i + 1), o.dim * Po]));
      basis = basis ? tf.add(basis, term) : term;
    });
    if (!basis) return tf.zeros([n, mul * o.dim]) as tf.Tensor2D;
    // (n, mul, dim, Po) against the node's weights (n, mul, 1, Po).
    const wo = tf.reshape(tf.transpose(tf.slice(w, [0, o.weightOffset, 0], [n, Po, mul]), [0, 2, 1]), [n, mul, 1, Po]);
    const y = tf.mul(tf.sum(tf.mul(tf.reshape(basis, [n, mul, o.dim, Po]), wo), 3), o.factor);
    return tf.reshape(y, [n, mul * o.dim]) as tf.Tensor2D;
  });
  return parts.length === 1 ? parts[0]! : tf.concat(parts, 1);
}
