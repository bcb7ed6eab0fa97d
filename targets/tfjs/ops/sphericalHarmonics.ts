// e3nn's spherical harmonics in tensor ops, by the recurrence whose tables the IR carries
// (SphericalHarmonicsAttrs, computed by stdlib/groups/o3/sphericalHarmonics.ts): for each m the
// sectoral term a_mm (X + iY)^m, then the three-term recurrence in l, on solid harmonics
// (homogeneous polynomials). Components are computed as rows of a (components, n) tensor, so
// each step is one elementwise op over all vectors and the columns are never sliced; one
// transpose at the end gives (n, components).

import * as tf from '@tensorflow/tfjs-core';
import { sqrtZeroSafe } from './graph.js';
import type { SphericalHarmonicsAttrs } from '../../../ir/types.js';
import { kernelProvider } from './kernelProvider.js';

/** v: (n, 3) -> (n, sum over ls of 2l + 1), components of each l ordered m = -l..l. */
export function sphericalHarmonics(v: tf.Tensor2D, spec: SphericalHarmonicsAttrs): tf.Tensor2D {
  const fast = kernelProvider(v.shape[0])?.sphericalHarmonics?.(v, spec);
  if (fast) return fast;
  return sphericalHarmonicsOps(v, spec);
}

/** The same in tfjs's ops (also the gradient of a provider's kernel: tf.vjp of this). */
export function sphericalHarmonicsOps(v: tf.Tensor2D, spec: SphericalHarmonicsAttrs): tf.Tensor2D {
  const n = v.shape[0];
  const lmax = Math.max(0, ...spec.ls);
  let [x, y, z] = tf.unstack(tf.transpose(v)) as [tf.Tensor, tf.Tensor, tf.Tensor];
  let r2: tf.Tensor = tf.add(tf.add(tf.square(x), tf.square(y)), tf.square(z));
  if (spec.normalize) {
    // torch.nn.functional.normalize: divide by max(|v|, 1e-12); zero stays zero. The root has
    // the gradient 0 at a zero vector (NaN from sqrt's 1/(2 sqrt(0)) otherwise), as the reference.
    const inv = tf.div(1, tf.maximum(sqrtZeroSafe(r2), 1e-12));
    x = tf.mul(x, inv);
    y = tf.mul(y, inv);
    z = tf.mul(z, inv);
    r2 = tf.add(tf.add(tf.square(x), tf.square(y)), tf.square(z));
  }
  // Textbook axes: X = z, Y = x, polar Z = y.
  const X = z;
  const Y = x;
  const Z = y;
  const ones = tf.ones([n]) as tf.Tensor;
  // comp[l][m + l]: the component (l, m) as an (n) tensor.
  const comp: tf.Tensor[][] = [];
  for (let l = 0; l <= lmax; l++) comp.push(new Array<tf.Tensor>(2 * l + 1));
  let cm: tf.Tensor = ones; // Re (X + iY)^m
  let sm: tf.Tensor | undefined; // Im (X + iY)^m (zero for m = 0)
  let amm = 1;
  for (let m = 0; m <= lmax; m++) {
    if (m > 0) {
      const c: tf.Tensor = sm ? tf.sub(tf.mul(X, cm), tf.mul(Y, sm)) : tf.mul(X, cm);
      sm = sm ? tf.add(tf.mul(X, sm), tf.mul(Y, cm)) : tf.mul(Y, cm);
      cm = c;
      amm *= spec.sectoral[m]!;
    }
    // P_lm as a tensor, or a number while it is the constant a_mm.
    let prev2: tf.Tensor | number = 0;
    let prev1: tf.Tensor | number = amm;
    for (let l = m; l <= lmax; l++) {
      if (l > m) {
        const a = spec.recurrenceA[l]![m]!;
        const b = spec.recurrenceB[l]![m]!;
        let next: tf.Tensor = tf.mul(Z, typeof prev1 === 'number' ? a * prev1 : tf.mul(prev1, a));
        if (b !== 0 && typeof prev2 !== 'number') next = tf.sub(next, tf.mul(r2, tf.mul(prev2, b)));
        else if (b !== 0 && prev2 !== 0) next = tf.sub(next, tf.mul(r2, b * (prev2 as number)));
        prev2 = prev1;
        prev1 = next;
      }
      const s0 = spec.scales[l]!;
      if (m === 0) {
        comp[l]![l] = typeof prev1 === 'number' ? tf.mul(ones, s0 * prev1) : tf.mul(prev1, s0);
      } else {
        const f: tf.Tensor | number = typeof prev1 === 'number' ? Math.SQRT2 * s0 * prev1 : tf.mul(prev1, Math.SQRT2 * s0);
        comp[l]![l + m] = typeof f === 'number' ? tf.mul(cm, f) : tf.mul(f, cm);
        comp[l]![l - m] = typeof f === 'number' ? tf.mul(sm!, f) : tf.mul(f, sm!);
      }
    }
  }
  const rows: tf.Tensor[] = [];
  for (const l of spec.ls) rows.push(...comp[l]!);
  return tf.transpose(tf.stack(rows)) as tf.Tensor2D;
}
