// Circular harmonics (stdlib/groups/o2/harmonics.ts) in tensor ops: Re and Im of (x + iy)^k by
// repeated complex multiplication, each step one elementwise op over all vectors; each
// frequency's factor is the IR's (CircularHarmonicsAttrs.scales).

import * as tf from '@tensorflow/tfjs-core';
import { sqrtZeroSafe } from './graph.js';
import type { CircularHarmonicsAttrs } from '../../../ir/types.js';

/** v: (n, 2) -> (n, sum of dims): frequencies in the order of `spec.ks`, each [cos part, sin part]. */
export function circularHarmonics(v: tf.Tensor2D, spec: CircularHarmonicsAttrs): tf.Tensor2D {
  const n = v.shape[0];
  const kmax = Math.max(0, ...spec.ks);
  let [x, y] = tf.unstack(tf.transpose(v)) as [tf.Tensor, tf.Tensor];
  if (spec.normalize) {
    // torch.nn.functional.normalize: divide by max(|v|, 1e-12); zero stays zero (the root's
    // gradient 0 at a zero vector, not NaN).
    const inv = tf.div(1, tf.maximum(sqrtZeroSafe(tf.add(tf.square(x), tf.square(y))), 1e-12));
    x = tf.mul(x, inv);
    y = tf.mul(y, inv);
  }
  const re: tf.Tensor[] = [tf.ones([n])];
  const im: tf.Tensor[] = [tf.zeros([n])];
  for (let k = 1; k <= kmax; k++) {
    if (k === 1) {
      re.push(x);
      im.push(y);
    } else {
      re.push(tf.sub(tf.mul(re[k - 1]!, x), tf.mul(im[k - 1]!, y)));
      im.push(tf.add(tf.mul(re[k - 1]!, y), tf.mul(im[k - 1]!, x)));
    }
  }
  const rows: tf.Tensor[] = [];
  for (const [i, k] of spec.ks.entries()) {
    const s = spec.scales[i]!;
    rows.push(tf.mul(re[k]!, s));
    if (k > 0) rows.push(tf.mul(im[k]!, s));
  }
  return tf.transpose(tf.stack(rows)) as tf.Tensor2D;
}
